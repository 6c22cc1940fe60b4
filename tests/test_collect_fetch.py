"""The collectors' fetcher: https only, public addresses only, size and time limits, no
credentials or cookies, redirects checked hop by hop. A real HTTPS server on 127.0.0.1
(bound to port 0) answers; the test resolver maps its name there and allows only that one
loopback address, so the default address policy is tested separately below."""

from __future__ import annotations

import datetime as dt
import http.server
import shutil
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

from generator.collect.fetch import Fetcher, FetchError, Limits, LiveTransport, Replay, Request, address_problem

HOST = "collector.test"
SEEN: list[dict] = []


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict | None = None, length: bool = True):
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        SEEN.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}})
        port = self.server.server_address[1]
        path = self.path
        if path == "/ok":
            self._send(200, b"Contact: mailto:security@collector.test\n", {"Content-Type": "text/plain", "Set-Cookie": "session=secret"})
        elif path == "/big-declared":
            self._send(200, b"x" * 2000)
        elif path == "/big-streamed":
            self.send_response(200)
            self.end_headers()
            try:
                while True:  # endless: only a size cap that stops reading ends this early
                    self.wfile.write(b"y" * 100)
            except OSError:
                pass
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            time.sleep(3)
        elif path == "/drip":
            self.send_response(200)
            self.end_headers()
            for _ in range(60):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.05)
        elif path == "/drip-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            try:
                for _ in range(400):  # 20 s of one header byte at a time, each well within the timeout
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                pass
        elif path == "/to-http":
            self._send(302, headers={"Location": f"http://{HOST}:{port}/ok"})
        elif path == "/to-private":
            self._send(301, headers={"Location": f"https://private.test:{port}/ok"})
        elif path == "/to-credentials":
            self._send(302, headers={"Location": f"https://user:pw@{HOST}:{port}/ok"})
        elif path == "/to-ok":
            self._send(302, headers={"Location": "/ok"})
        elif path == "/loop":
            self._send(302, headers={"Location": "/loop"})
        elif path.startswith("/chain"):
            n = int(path.removeprefix("/chain") or 0)
            self._send(302, headers={"Location": f"/chain{n + 1}"})
        else:
            self._send(404, b"not found")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    folder: Path = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={HOST}",
            "-addext",
            f"subjectAltName=DNS:{HOST}",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):  # clients that give up early are expected here
            pass

    httpd = Server(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    client = ssl.create_default_context(cafile=str(folder / "cert.pem"))
    yield httpd.server_address[1], client
    httpd.shutdown()


def fetcher(server, **kw) -> Fetcher:
    port, client = server
    answers = {HOST: ["127.0.0.1"], "private.test": ["10.0.0.1"]}
    return Fetcher(
        LiveTransport(client),
        resolver=lambda host, _: answers[host],
        address_ok=lambda a: None if a == "127.0.0.1" else address_problem(a),
        extra_ports=frozenset({port}),
        today=dt.date(2026, 11, 27),
        **kw,
    )


def url(server, path: str) -> str:
    return f"https://{HOST}:{server[0]}{path}"


DEFAULT_LIMITS = Limits()


def reason(f: Fetcher, target: str, limits: Limits = DEFAULT_LIMITS) -> str:
    with pytest.raises(FetchError) as exc:
        f.fetch(Request(target), limits)
    return exc.value.reason


def test_a_plain_https_request_succeeds_without_credentials_cookies_or_compression(server):
    f = fetcher(server)
    response = f.fetch(Request(url(server, "/ok")))
    assert response.status == 200 and response.body.startswith(b"Contact:")
    assert len(response.sha256) == 64 and response.fetched == dt.date(2026, 11, 27)
    f2 = fetcher(server)  # a second request after the server set a cookie
    f2.fetch(Request(url(server, "/to-ok")))
    for seen in SEEN:
        assert "cookie" not in seen["headers"] and "authorization" not in seen["headers"]
        assert seen["headers"]["accept-encoding"] == "identity"


def test_redirects_are_followed_only_to_checked_https_addresses(server):
    f = fetcher(server)
    ok = f.fetch(Request(url(server, "/to-ok")))
    assert ok.status == 200 and ok.final_url.endswith("/ok") and ok.redirects
    assert reason(f, url(server, "/to-http")) == "not-https"
    assert reason(f, url(server, "/to-private")) == "private-address"
    assert reason(f, url(server, "/to-credentials")) == "credentials"
    assert reason(f, url(server, "/loop")) == "redirect-loop"
    assert reason(f, url(server, "/chain0"), Limits(max_redirects=3)) == "too-many-redirects"
    assert not any(s["path"].startswith("/ok") and "private" in s["headers"].get("host", "") for s in SEEN)


def test_size_cap_holds_for_declared_and_streamed_bodies(server):
    f = fetcher(server)
    assert reason(f, url(server, "/big-declared"), Limits(max_bytes=1000)) == "oversized"
    assert reason(f, url(server, "/big-streamed"), Limits(max_bytes=1000, deadline=3)) == "oversized"
    assert f.fetch(Request(url(server, "/big-declared")), Limits(max_bytes=4000)).status == 200


def test_timeouts_stop_a_silent_or_dripping_server(server):
    f = fetcher(server)
    assert reason(f, url(server, "/slow"), Limits(timeout=0.3, deadline=5)) == "timeout"
    assert reason(f, url(server, "/drip"), Limits(timeout=2, deadline=0.5)) == "timeout"
    started = time.monotonic()
    assert reason(f, url(server, "/drip-headers"), Limits(timeout=2, deadline=0.5)) == "timeout"
    assert time.monotonic() - started < 10  # the deadline, not the server, ended it


def test_the_default_policy_refuses_before_connecting():
    f = Fetcher(today=dt.date(2026, 11, 27))
    for bad, why in [
        ("http://example.com/", "not-https"),
        ("https://user:pw@example.com/", "credentials"),
        ("https://127.0.0.1/", "private-address"),
        ("https://[::1]/", "private-address"),
        ("https://169.254.169.254/latest/", "private-address"),
        ("https://example.com:8443/", "port"),
        ("https://exa mple.com/", "bad-url"),
        ("ftp://example.com/", "not-https"),
    ]:
        assert reason(f, bad) == why, bad


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address):
    assert address_problem(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert address_problem(address) is None


def test_a_resolver_answer_with_one_private_address_is_refused():
    f = Fetcher(resolver=lambda host, port: ["93.184.215.14", "10.0.0.1"], today=dt.date(2026, 11, 27))
    assert reason(f, "https://example.com/") == "private-address"


def test_a_host_without_an_address_is_a_dns_failure():
    f = Fetcher(resolver=lambda host, port: [], today=dt.date(2026, 11, 27))
    assert reason(f, "https://nowhere.example.com/") == "dns"


def test_replay_goes_through_the_same_checks(tmp_path):
    (tmp_path / "body.txt").write_bytes(b"x" * 50)
    (tmp_path / "index.yaml").write_text(
        "hosts:\n  inside.example.org: [192.168.0.9]\n"
        "responses:\n"
        "  - request: GET https://example.org/a\n    status: 302\n    location: https://inside.example.org/b\n"
        "  - request: GET https://example.org/c\n    status: 200\n    body: body.txt\n"
        "  - request: GET https://example.org/escape\n    status: 200\n    body: ../outside.txt\n"
    )
    (tmp_path.parent / "outside.txt").write_text("secret")
    replay = Replay(tmp_path)
    f = Fetcher(replay, resolver=replay.resolver, today=dt.date(2026, 11, 27))
    assert reason(f, "https://example.org/a") == "private-address"
    assert reason(f, "https://example.org/c", Limits(max_bytes=10)) == "oversized"
    assert reason(f, "https://example.org/escape") == "replay"
    assert reason(f, "https://example.org/missing") == "not-recorded"
