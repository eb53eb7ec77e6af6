"""The web app in a real browser (Debian's Chromium driven by Playwright) against the real server
and Neo4j: every request must stay on 127.0.0.1 and every asset must load (offline by design)."""

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, Request, Route, expect, sync_playwright

from c360 import web
from resolvers.ids import encode
from tests.resolvers.world import World, cypher

CHROMIUM = shutil.which("chromium")
# Generous waits: the test machine is shared and often busy; nothing here measures speed.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    assert CHROMIUM, "chromium is missing: ./dev setup installs it (apt-get install chromium)"
    assert not web.missing_assets(), f"web assets missing, run ./dev setup: {web.missing_assets()}"
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu", "--no-first-run"])
    yield browser
    browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Screenshots go to a temporary directory, or to C360_WEB_SCREENSHOTS (docs/screenshots)."""
    given = os.environ.get("C360_WEB_SCREENSHOTS")
    folder = Path(given) if given else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Watched:
    """A page whose every request is checked: off-host ones are aborted and fail the test, as do
    failed requests, HTTP errors on assets, page errors and console errors."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[str] = []
        page.route("**/*", self._route)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("console", self._console)

    def _route(self, route: Route, request: Request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith("data:") or host == "127.0.0.1":
            route.continue_()
        else:
            self.problems.append(f"off-host request: {request.url}")
            route.abort()

    def _failed(self, request: Request) -> None:
        # Leaving a page cancels its API calls in flight; an asset that fails is a problem.
        if not (urlsplit(request.url).path == "/graphql" and "ERR_ABORTED" in (request.failure or "")):
            self.problems.append(f"failed: {request.url} {request.failure}")

    def _response(self, response: Any) -> None:
        if response.status >= 400 and not urlsplit(response.url).path.startswith("/graphql"):
            self.problems.append(f"HTTP {response.status}: {response.url}")

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.problems.append(f"console: {message.text}")

    def check(self) -> None:
        assert self.problems == []


@pytest.fixture
def watched(browser: Browser) -> Iterator[Any]:
    contexts = []
    pages: list[Watched] = []

    def open_page() -> Watched:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        contexts.append(context)
        pages.append(Watched(context.new_page()))
        return pages[-1]

    yield open_page
    for context in contexts:
        context.close()
    for page in pages:
        page.check()


def sign_in(page: Page, server: str, key: str) -> None:
    page.goto(f"{server}/app/")
    page.fill("#signin-token", key)
    page.click("#signin-form button[type=submit]")
    expect(page.locator("#nav")).to_be_visible()
    expect(page.locator("#search-input")).to_be_visible()
    assert key not in page.url


def two_record_profile(api_graph: Any, world: World) -> dict[str, Any]:
    """A profile of exactly two records with a name no other profile has, to find by search."""
    return cypher(
        api_graph,
        """MATCH (p:Profile) WHERE p.record_count = 2 AND NOT p.pid IN $taken AND p.conflicts IS NULL
             AND p.display_name IS NOT NULL AND p.last_name IS NOT NULL
             AND COUNT { (q:Profile) WHERE q.last_name = p.last_name } = 1
           MATCH (p)-[:HAS_RECORD]->(c:Customer)
           WITH p, collect(c.uid) AS uids ORDER BY p.pid LIMIT 1
           RETURN p.pid AS pid, p.display_name AS name, p.last_name AS last_name, uids""",
        taken=[world.restricted_pid, world.alias_pid, world.survivor_pid],
    )[0]


def test_graphiql_and_assets_are_served_locally(server, world, watched, shots):
    page = watched().page
    sign_in(page, server, world.keys["steward"])  # GraphiQL in the same tab sends the tab's key
    page.goto(f"{server}/graphql")
    expect(page.locator(".graphiql-container")).to_be_visible(timeout=20_000)
    page.locator(".graphiql-query-editor .CodeMirror").click()
    page.keyboard.press("Control+a")
    page.keyboard.type("{ viewer { role } }")
    page.click(".graphiql-execute-button")
    expect(page.locator(".graphiql-response")).to_contain_text('"steward"')
    page.screenshot(path=shots / "graphiql.png")
    html = httpx.get(f"{server}/graphql").text
    assert "cdn" not in html.lower() and "/app/vendor/graphiql.min.js" in html
    response = httpx.get(f"{server}/app/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert httpx.get(f"{server}/app/vendor/nope.js").status_code == 404
    assert httpx.get(f"{server}/app/vendor/../../web/__init__.py").status_code == 404
    assert httpx.get(f"{server}/app", follow_redirects=False).headers["location"] == "/app/"


def test_steward_searches_explores_and_unlinks(server, world, api_graph, watched, shots):
    target = two_record_profile(api_graph, world)
    page = watched().page
    sign_in(page, server, world.keys["steward"])
    expect(page.locator("#who")).to_have_attribute("data-role", "steward")

    page.fill("#search-input", target["last_name"])
    result = page.locator("#search-results button.result", has_text=target["name"])
    expect(result).to_have_count(1)
    page.screenshot(path=shots / "search.png")
    result.click()

    expect(page.locator("#page-profile h1")).to_contain_text(target["pid"])
    expect(page.locator("#records tbody tr")).to_have_count(2)
    expect(page.locator("#golden tbody tr").first).to_be_visible()
    expect(page.locator("#identifiers tbody tr").first).to_be_visible()
    assert target["pid"] not in page.url and page.url.endswith("/app/")
    page.locator("#records details").first.click()
    expect(page.locator("#records pre").first).to_contain_text("{")
    page.screenshot(path=shots / "profile.png", full_page=True)
    history_before = page.locator("#history tbody tr").count()

    page.click("text=Show in graph")
    cy = "window.c360.cy"
    until(page, f"{cy}.nodes().length > 2")
    records = [encode("SourceRecord", uid) for uid in target["uids"]]
    before = page.evaluate(f"{cy}.nodes().length")
    # Expand a record by double-clicking it where Cytoscape drew it.
    dblclick_node(page, records[0])
    until(page, f"{cy}.nodes().length > {before}")
    expanded = page.evaluate(f"{cy}.nodes().length")
    dblclick_node(page, records[0])  # collapse again
    until(page, f"{cy}.nodes().length < {expanded}")

    click_node(page, records[0])
    click_node(page, records[1])
    page.click("#graph-explain-btn")
    expect(page.locator("#graph-explain li").first).to_be_visible()
    assert page.locator("#graph-explain li").count() >= 3  # record, identifier(s), record
    page.screenshot(path=shots / "graph.png")

    profile = encode("Profile", target["pid"])
    root_records = f"{cy}.getElementById({profile!r}).outgoers('node[type = \"SourceRecord\"]').length"
    assert page.evaluate(root_records) == 2
    page.click("#graph-unlink")
    page.fill("dialog.reason input", "browser test: twins")
    page.click("dialog.reason button[value=ok]")
    expect(page.locator("#status")).to_contain_text("unlinked", timeout=60_000)
    until(page, f"{root_records} === 1")

    page.go_back()  # in-page history: back to the profile
    expect(page.locator("#records tbody tr")).to_have_count(1)
    expect(page.locator("#history")).to_contain_text("browser test: twins")
    assert page.locator("#history tbody tr").count() > history_before
    profiles = cypher(
        api_graph,
        "UNWIND $uids AS uid MATCH (p:Profile)-[:HAS_RECORD]->(:Customer {uid: uid}) RETURN DISTINCT p.pid AS pid",
        uids=target["uids"],
    )
    assert len(profiles) == 2


def until(page: Page, expression: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript expression until it is true. (Playwright's wait_for_function compiles its
    predicate with eval, which the pages' Content-Security-Policy forbids, as it should.)"""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout}s: {expression}"
        page.wait_for_timeout(100)


def node_point(page: Page, node_id: str) -> tuple[float, float]:
    box = page.locator("#cy").bounding_box()
    assert box is not None
    page.evaluate(
        f"window.c360.cy.getElementById({node_id!r}).nonempty() || (() => {{ throw new Error('no node') }})()"
    )
    pos = page.evaluate(f"window.c360.cy.getElementById({node_id!r}).renderedPosition()")
    return box["x"] + pos["x"], box["y"] + pos["y"]


def click_node(page: Page, node_id: str) -> None:
    page.mouse.click(*node_point(page, node_id))


def dblclick_node(page: Page, node_id: str) -> None:
    page.mouse.dblclick(*node_point(page, node_id))


def test_app_role_sees_masked_values_and_no_steward_actions(server, world, api_graph, watched, shots):
    target = cypher(
        api_graph,
        """MATCH (p:Profile) WHERE p.email IS NOT NULL AND p.display_name IS NOT NULL
             AND coalesce(p.restricted, false) = false
             AND COUNT { (q:Profile) WHERE q.display_name = p.display_name } = 1
           RETURN p.pid AS pid, p.display_name AS name, p.email AS email ORDER BY p.pid LIMIT 1""",
    )[0]
    page = watched().page
    sign_in(page, server, world.keys["app"])
    for hidden in ("review", "quality", "audit"):
        expect(page.locator(f"#nav [data-page={hidden}]")).to_be_hidden()
    page.fill("#search-input", target["name"])
    page.locator("#search-results button.result", has_text=target["name"]).first.click()
    expect(page.locator("#page-profile h1")).to_contain_text(target["pid"])
    facts = page.locator("#page-profile .facts").inner_text()
    assert "*" in facts and target["email"] not in facts
    assert target["email"] not in page.content()
    for steward_only in ("#split-profile", "#records", "#history", "button:has-text('Override')"):
        expect(page.locator(steward_only)).to_have_count(0)
    page.screenshot(path=shots / "profile-app-role.png", full_page=True)


def test_admin_dashboard_review_and_audit(server, world, api_graph, watched, shots):
    page = watched().page
    sign_in(page, server, world.keys["admin"])
    page.click("#nav [data-page=quality]")
    profiles = cypher(api_graph, "MATCH (p:Profile) RETURN count(p) AS n")[0]["n"]
    expect(page.locator("#quality-cards .card").first).to_contain_text(str(profiles), timeout=30_000)
    until(page, "Chart.getChart('chart-sources') && Chart.getChart('chart-sources').data.labels.length > 0")
    expect(page.locator("#completeness tbody tr").first).to_be_visible()
    page.screenshot(path=shots / "quality.png", full_page=True)

    page.click("#nav [data-page=review]")
    expect(page.locator("#page-review h2").first).to_be_visible()
    expect(page.locator("#page-review")).to_contain_text("Held-out identifiers")
    # The server has scoring's reviewQueue, so the page shows possible matches (probed, not assumed).
    expect(page.locator("#possible-matches h2")).to_contain_text("Possible matches (")
    page.screenshot(path=shots / "review.png", full_page=True)

    page.click("#nav [data-page=audit]")
    expect(page.locator("#audit-table tbody tr").first).to_be_visible()
    page.fill("#page-audit input[name=action]", "api.read_pii")
    page.click("#page-audit button[type=submit]")
    expect(page.locator("#audit-summary")).to_contain_text("action: api.read_pii", timeout=30_000)
    expect(page.locator("#audit-table tbody tr").first).to_contain_text("api.read_pii")
    actions = page.locator("#audit-table tbody tr td:nth-child(3)").all_inner_texts()
    assert actions and all(a.startswith("api.read_pii") for a in actions)
    page.screenshot(path=shots / "audit.png")
