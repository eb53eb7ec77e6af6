"""HTTP connections for webhook deliveries that go to the address that was checked.

Checking a URL's host and then letting the HTTP client resolve it again leaves a window: a name
that resolves to a public address for the check and to 127.0.0.1 for the connection (DNS
rebinding) would reach internal services. Here the connection pool's network backend resolves
the host once (`webhooks.addresses`, which refuses private targets unless allowed) and connects
to exactly those addresses. The URL is unchanged, so the Host header and TLS (SNI, certificate
name) still use the host name. Kept-alive connections stay on the address checked when they
were opened.
"""

from collections.abc import Iterable

import httpcore
import httpx

from graph.changes import webhooks

__all__ = ["PinnedBackend", "client"]


class PinnedBackend(httpcore.NetworkBackend):
    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            found = webhooks.addresses(host, port, allow_private=self._allow_private)
        except webhooks.WebhookError as exc:
            raise httpcore.ConnectError(str(exc)) from None
        failure: httpcore.ConnectError | None = None
        for address in found:
            try:
                return self._sockets.connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # the next address, as a resolver-driven client would
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("webhooks are delivered over TCP only")

    def sleep(self, seconds: float) -> None:
        self._sockets.sleep(seconds)


class _Transport(httpx.HTTPTransport):
    def __init__(self, allow_private: bool, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PinnedBackend(allow_private),
        )


def client(*, allow_private: bool, timeout: float, connections: int = 8) -> httpx.Client:
    """A client that keeps connections alive (up to `connections` per endpoint host, reused),
    follows no redirects (a 3xx is a failed delivery, not a way around the check) and ignores
    proxy settings from the environment (a proxy would connect wherever it resolves)."""
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=4 * connections, keepalive_expiry=30)
    return httpx.Client(
        transport=_Transport(allow_private, limits), timeout=timeout, follow_redirects=False, trust_env=False
    )
