"""Webhook connections go to the address that was checked: one resolution per connection, through
the resolver seam (`webhooks.resolve`), so a name cannot pass the check as a public address and
then connect to 127.0.0.1 (DNS rebinding). Real sockets to a receiver on 127.0.0.1."""

import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.receiver import Receiver
from c360 import pinned
from graph.changes import webhooks

PUBLIC = "93.184.216.34"  # a global address (never connected to here: the tests have no network)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver(secret="s" * 20)
    yield found
    found.close()


def _post(client: httpx.Client, url: str) -> httpx.Response:
    payload = b'{"id":"e1"}'
    headers = {"c360-event-id": "e1", webhooks.SIGNATURE_HEADER: webhooks.sign("s" * 20, payload, 0)}
    return client.post(url, content=payload, headers=headers)


def test_localhost_is_refused_when_it_connects(receiver: Receiver) -> None:
    with pinned.client(allow_private=False, timeout=5) as client:
        with pytest.raises(httpx.ConnectError, match="private or loopback"):
            _post(client, f"http://localhost:{receiver.port}/hook")
    assert receiver.connections == 0 and receiver.attempts == []


def test_a_name_rebound_to_loopback_after_the_check_is_refused(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter([[PUBLIC], ["127.0.0.1"]])  # public when checked, loopback when connecting
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    monkeypatch.setattr(webhooks, "resolve", rebinding)
    url = f"http://hooks.invalid:{receiver.port}/hook"
    assert webhooks.check_url(url, allow_private=False) == url  # registration: looks public
    with pinned.client(allow_private=False, timeout=5) as client:
        with pytest.raises(httpx.ConnectError, match="127.0.0.1, a private or loopback"):
            _post(client, url)
    assert calls == ["hooks.invalid", "hooks.invalid"] and receiver.connections == 0


def test_the_connection_goes_to_the_checked_address_with_the_host_name_kept(
    receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]  # `hooks.invalid` has no address outside this seam

    monkeypatch.setattr(webhooks, "resolve", resolve)
    hosts: list[str] = []
    original = receiver.handle

    def handle(payload: bytes, signature: str, headers: object) -> int:
        hosts.append(headers["host"])  # type: ignore[index]
        return original(payload, signature, headers)

    receiver.handle = handle  # type: ignore[method-assign]
    with pinned.client(allow_private=True, timeout=5) as client:
        for _ in range(3):
            assert _post(client, f"http://hooks.invalid:{receiver.port}/hook").status_code == 400  # signed at t=0
    # One resolution and one kept-alive connection for three deliveries; Host names the URL's host.
    assert calls == ["hooks.invalid"] and receiver.connections == 1
    assert hosts == [f"hooks.invalid:{receiver.port}"] * 3


def test_tls_names_the_host_not_the_address(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=hooks.invalid"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []

    def sni(sock: ssl.SSLObject, name: str | None, ctx: ssl.SSLContext) -> None:
        names.append(name)

    context.sni_callback = sni
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        connection, _ = listener.accept()
        try:
            with context.wrap_socket(connection, server_side=True):
                pass
        except (ssl.SSLError, OSError):  # the client refuses the self-signed certificate
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    monkeypatch.setattr(webhooks, "resolve", lambda host, port: ["127.0.0.1"])
    try:
        with pinned.client(allow_private=True, timeout=5) as client:
            # Verified against the public roots, a self-signed certificate fails: TLS is checked
            # for the host name, which the handshake sent as SNI (not 127.0.0.1).
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                _post(client, f"https://hooks.invalid:{port}/hook")
        thread.join(10)
    finally:
        listener.close()
    assert names == ["hooks.invalid"]
