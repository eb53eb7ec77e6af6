"""The web app for stewards and analysts under /app, and the GraphiQL page: static files and the
pinned npm assets they use (installed by `./dev setup` with `npm ci` into c360/web/node_modules),
all served by c360 itself so that the pages work without internet access.

The pages hold no data: they call POST /graphql with the caller's key, like any other client.
"""

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from resolvers.app import PAGE_HEADERS

__all__ = ["HERE", "VENDOR", "graphiql_page", "missing_assets", "routes"]

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
NODE_MODULES = HERE / "node_modules"

VENDOR = {
    # served name -> file under node_modules (versions pinned by package-lock.json)
    "cytoscape.min.js": "cytoscape/dist/cytoscape.min.js",
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
    "react.production.min.js": "react/umd/react.production.min.js",
    "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.min.js": "graphiql/graphiql.min.js",
    "graphiql.min.css": "graphiql/graphiql.min.css",
}


def missing_assets() -> list[str]:
    """Vendor files not installed (run ./dev setup)."""
    return [name for name, path in VENDOR.items() if not (NODE_MODULES / path).is_file()]


class _Headers:
    """Adds the pages' security headers (CSP: nothing from other hosts) to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in PAGE_HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, sending)


async def _vendor(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in VENDOR:
        raise HTTPException(404)
    path = NODE_MODULES / VENDOR[name]
    if not path.is_file():
        raise HTTPException(404, f"{name} is not installed: run ./dev setup (npm ci in c360/web)")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600", **PAGE_HEADERS})


async def _to_app(_: Request) -> Response:
    return RedirectResponse("/app/", status_code=308)


def routes() -> list[BaseRoute]:
    """/app/ (the single page app), /app/vendor/<asset>."""
    return [
        Route("/app", _to_app, methods=["GET", "HEAD"]),
        Route("/app/vendor/{name}", _vendor, methods=["GET", "HEAD"]),
        Mount("/app", app=_Headers(StaticFiles(directory=STATIC, html=True)), name="app"),
    ]


def graphiql_page() -> str:
    """GraphiQL on GET /graphql, with React and GraphiQL served from /app/vendor."""
    return (STATIC / "graphiql.html").read_text(encoding="utf-8")
