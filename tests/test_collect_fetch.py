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

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        SEEN.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
        self._send(200, body, {"Content-Type": "application/json"})

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
        elif path == "/drip-status":
            self.wfile.write(b"HTTP/1.1 2")
            try:
                for _ in range(400):  # a status line that never ends: cut off by the deadline, it does not parse
                    self.wfile.write(b"0")
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


# --- the Fetcher's rules without a network: a scripted transport answers -------------------

from generator.collect.fetch import USER_AGENT, Raw, Response, replay_fetcher, system_resolver  # noqa: E402

TODAY = dt.date(2026, 11, 27)
PUBLIC = "93.184.215.14"


class Script:
    """A transport answering each URL from a dict {url: Raw}, recording every call."""

    def __init__(self, answers: dict[str, Raw]):
        self.answers, self.calls = answers, []

    def send(self, request, url, address, limits, deadline):
        self.calls.append((request.method, url, address, limits))
        return self.answers[url]


def scripted(answers: dict[str, Raw], **kw) -> tuple[Fetcher, Script]:
    transport = Script(answers)
    kw.setdefault("resolver", lambda host, port: [PUBLIC])
    return Fetcher(transport, today=TODAY, **kw), transport


def redirect(status: int, location: str) -> Raw:
    return Raw(status, {"location": location}, b"")


def error(f: Fetcher, target: str, limits: Limits = DEFAULT_LIMITS) -> FetchError:
    with pytest.raises(FetchError) as exc:
        f.fetch(Request(target), limits)
    return exc.value


def test_the_request_key_names_method_url_and_a_compact_sorted_body():
    assert Request("https://example.com/a").key == "GET https://example.com/a"
    post = Request("https://api.osv.dev/v1/query", method="POST", json_body={"package": {"name": "x", "ecosystem": "PyPI"}})
    assert post.key == 'POST https://api.osv.dev/v1/query {"package":{"ecosystem":"PyPI","name":"x"}}'
    assert Request("https://example.com/").accept == "*/*" and Request("https://example.com/").follow is True


def test_default_limits_are_one_mebibyte_15_s_per_operation_45_s_overall_three_redirects():
    assert Limits() == Limits(max_bytes=1_048_576, timeout=15.0, deadline=45.0, max_redirects=3)


def test_a_response_knows_its_hash_and_the_url_asked_for():
    request = Request("https://example.com/a")
    response = Response(request, "https://example.com/b", 200, "text/plain", b"abc", TODAY)
    assert response.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # SHA-256("abc"), FIPS 180-2
    assert response.url == "https://example.com/a" and response.redirects == ()
    err = FetchError("dns", "cannot resolve")
    assert (err.reason, err.message, str(err)) == ("dns", "cannot resolve", "cannot resolve")


@pytest.mark.parametrize(
    ("target", "why", "message"),
    [
        ("https://exa\x7fmple.com/", "bad-url", "URL contains whitespace or control characters"),
        ("https://example.com/\ta", "bad-url", "URL contains whitespace or control characters"),
        ("https://example.com/ a", "bad-url", "URL contains whitespace or control characters"),
        ("http://example.com/", "not-https", "refused non-https URL (scheme http)"),
        ("example.com/x", "not-https", "refused non-https URL (scheme none)"),
        ("https://user@example.com/", "credentials", "refused a URL with credentials (user@host)"),
        ("https://:pw@example.com/", "credentials", "refused a URL with credentials (user@host)"),
        ("https://@example.com/", "credentials", "refused a URL with credentials (user@host)"),
        ("https://example.com:99999/", "bad-url", "URL has an invalid port"),
        ("https:///path", "bad-url", "URL has no host"),
        ("https://example.com:8443/", "port", "refused port 8443; only 443"),
        ("https://example.com:80/", "port", "refused port 80; only 443"),
        (
            "https://10.0.0.1/",
            "private-address",
            "refused 10.0.0.1: 10.0.0.1 is not a public address (private, loopback, link-local, reserved or multicast)",
        ),
    ],
)
def test_refused_urls_say_why(target, why, message):
    f, transport = scripted({})
    err = error(f, target)
    assert (err.reason, err.message) == (why, message)
    assert transport.calls == []  # refused before any connection


def test_the_checked_address_is_the_first_resolved_one_and_literals_are_not_resolved():
    asked = []

    def resolver(host, port):
        asked.append((host, port))
        return [PUBLIC, "2606:4700:4700::1111"]

    f, _ = scripted({}, resolver=resolver)
    assert f.check_url("https://example.com/x") == ("example.com", 443, PUBLIC)
    assert f.check_url("https://example.com:443/x") == ("example.com", 443, PUBLIC)
    assert f.check_url(f"https://{PUBLIC}/x") == (PUBLIC, 443, PUBLIC)
    assert f.check_url("https://[2606:4700:4700::1111]/") == ("2606:4700:4700::1111", 443, "2606:4700:4700::1111")
    assert asked == [("example.com", 443), ("example.com", 443)]
    f2, _ = scripted({}, resolver=lambda host, port: None)  # replay without a recorded DNS answer
    assert f2.check_url("https://example.com/") == ("example.com", 443, None)
    f3, _ = scripted({}, resolver=lambda host, port: [], extra_ports=frozenset({8443}))
    assert (error(f3, "https://example.com:8443/").reason, error(f3, "https://example.com:8443/").message) == ("dns", "example.com has no address")


def test_an_address_check_sees_every_resolved_address():
    seen = []

    def address_ok(address):
        seen.append(address)
        return "no" if address == "10.0.0.2" else None

    f, _ = scripted({}, resolver=lambda host, port: [PUBLIC, "10.0.0.2"], address_ok=address_ok)
    err = error(f, "https://example.com/")
    assert (err.reason, err.message, seen) == ("private-address", "refused example.com: no", [PUBLIC, "10.0.0.2"])


def test_each_redirect_status_is_followed_relative_locations_resolved_hops_recorded():
    for status in (301, 302, 303, 307, 308):
        f, transport = scripted(
            {
                "https://example.com/a": redirect(status, "  /b  "),
                "https://example.com/b": Raw(200, {"content-type": "text/plain"}, b"ok"),
            }
        )
        response = f.fetch(Request("https://example.com/a"))
        assert (response.status, response.final_url, response.redirects, response.content_type, response.body) == (
            200,
            "https://example.com/b",
            ("https://example.com/a",),
            "text/plain",
            b"ok",
        )
        assert response.fetched == TODAY and response.url == "https://example.com/a"
        assert [c[1] for c in transport.calls] == ["https://example.com/a", "https://example.com/b"]
        assert all(c[2] == PUBLIC for c in transport.calls)
    for status in (300, 304, 200, 404):  # not redirects: returned as they are
        f, _ = scripted({"https://example.com/a": redirect(status, "/b")})
        response = f.fetch(Request("https://example.com/a"))
        assert (response.status, response.final_url, response.redirects, response.content_type) == (status, "https://example.com/a", (), "")


def test_a_redirect_is_returned_as_is_when_not_followed():
    f, transport = scripted({"https://web.archive.org/save/x": redirect(302, "https://web.archive.org/web/1/x")})
    response = f.fetch(Request("https://web.archive.org/save/x", follow=False))
    assert response.status == 302 and response.final_url == "https://web.archive.org/save/x" and len(transport.calls) == 1


def test_redirect_problems_are_named():
    f, _ = scripted({"https://example.com/a": redirect(302, "")})
    assert (error(f, "https://example.com/a").reason, error(f, "https://example.com/a").message) == ("redirect", "HTTP 302 without a Location")
    f, _ = scripted({"https://example.com/a": redirect(301, "/b"), "https://example.com/b": redirect(308, "https://example.com/a")})
    assert (error(f, "https://example.com/a").reason, error(f, "https://example.com/a").message) == ("redirect-loop", "redirect loop")


def test_at_most_max_redirects_are_followed():
    chain = {f"https://example.com/{i}": redirect(302, f"/{i + 1}") for i in range(5)}
    chain["https://example.com/3"] = Raw(200, {}, b"end")
    f, _ = scripted(chain)
    assert f.fetch(Request("https://example.com/0"), Limits(max_redirects=3)).redirects == (
        "https://example.com/0",
        "https://example.com/1",
        "https://example.com/2",
    )
    f, transport = scripted(chain)
    err = error(f, "https://example.com/0", Limits(max_redirects=2))
    assert (err.reason, err.message, len(transport.calls)) == ("too-many-redirects", "more than 2 redirects", 3)
    f, transport = scripted(chain)
    assert error(f, "https://example.com/0", Limits(max_redirects=0)).message == "more than 0 redirects"
    assert len(transport.calls) == 1


def test_a_body_of_exactly_the_limit_is_accepted_one_byte_more_refused():
    f, _ = scripted({"https://example.com/a": Raw(200, {}, b"x" * 100), "https://example.com/b": Raw(200, {}, b"x" * 101)})
    assert len(f.fetch(Request("https://example.com/a"), Limits(max_bytes=100)).body) == 100
    err = error(f, "https://example.com/b", Limits(max_bytes=100))
    assert (err.reason, err.message) == ("oversized", "response is larger than 100 bytes")


def test_the_deadline_given_to_the_transport_is_the_overall_one():
    given = []

    class Clock:
        def send(self, request, url, address, limits, deadline):
            given.append(deadline - time.monotonic())
            return Raw(200, {}, b"")

    Fetcher(Clock(), resolver=lambda h, p: [PUBLIC], today=TODAY).fetch(Request("https://example.com/"), Limits(deadline=30.0))
    assert 25.0 < given[0] <= 30.0


def test_answers_and_refusals_are_cached_per_request_and_limits():
    f, transport = scripted({"https://example.com/a": Raw(200, {}, b"1")})
    first = f.fetch(Request("https://example.com/a"))
    assert f.fetch(Request("https://example.com/a")) is first and len(transport.calls) == 1
    f.fetch(Request("https://example.com/a"), Limits(max_bytes=10))  # other limits: fetched again
    assert len(transport.calls) == 2
    f, transport = scripted({"https://example.com/b": redirect(302, "")})
    assert error(f, "https://example.com/b") is error(f, "https://example.com/b")
    assert len(transport.calls) == 1


def test_fetch_date_defaults_to_today_in_utc_and_ports_to_443():
    f = Fetcher(LiveTransport())
    assert f.today == dt.datetime.now(dt.UTC).date() and f.ports == frozenset({443})
    assert Fetcher(LiveTransport(), extra_ports=frozenset({8443})).ports == frozenset({443, 8443})


def test_address_problem_texts():
    assert address_problem("not-an-ip") == "'not-an-ip' is not an IP address"
    assert address_problem("fe80::1%eth0") == "fe80::1 is not a public address (private, loopback, link-local, reserved or multicast)"
    assert address_problem("::ffff:10.0.0.1") == "10.0.0.1 is not a public address (private, loopback, link-local, reserved or multicast)"
    assert address_problem("::ffff:93.184.215.14") is None  # a mapped public address is public
    assert address_problem("2001:db8::1")  # documentation range: reserved


def test_the_system_resolver_names_a_host_it_cannot_resolve():
    with pytest.raises(FetchError) as exc:
        system_resolver("x" * 64 + ".example", 443)  # a DNS label over 63 characters: no lookup is made
    assert exc.value.reason == "dns" and exc.value.message.startswith("cannot resolve " + "x" * 64 + ".example: ")
    assert system_resolver("127.0.0.1", 443) == ["127.0.0.1"]


def test_user_agent_names_the_project():
    assert USER_AGENT.startswith("MessengerDefenseScorecard-collect/")


def test_replay_serves_status_type_location_and_body_as_recorded(tmp_path):
    (tmp_path / "b.json").write_bytes(b'{"a": 1}')
    (tmp_path / "index.yaml").write_text(
        "crafted: true\n"
        "hosts:\n  example.org: [93.184.215.14]\n"
        "responses:\n"
        "  - request: GET https://example.org/json\n    content_type: application/json\n    body: b.json\n"
        "  - request: GET https://example.org/r\n    status: 308\n    location: /json\n"
        "  - request: GET https://example.org/empty\n    status: 204\n"
        "  - request: 'POST https://example.org/q {\"a\":1}'\n    status: 201\n"
    )
    replay = Replay(tmp_path)
    assert replay.crafted is True and replay.hosts == {"example.org": ["93.184.215.14"]}
    assert replay.resolver("example.org", 443) == ["93.184.215.14"] and replay.resolver("other.org", 443) is None
    f = replay_fetcher(tmp_path, TODAY)
    assert f.today == TODAY
    got = f.fetch(Request("https://example.org/r"))
    assert (got.status, got.content_type, got.body, got.final_url, got.redirects) == (
        200,
        "application/json",
        b'{"a": 1}',
        "https://example.org/json",
        ("https://example.org/r",),
    )
    empty = f.fetch(Request("https://example.org/empty"))
    assert (empty.status, empty.content_type, empty.body) == (204, "", b"")
    assert f.fetch(Request("https://example.org/q", method="POST", json_body={"a": 1})).status == 201
    exact = f.fetch(Request("https://example.org/json"), Limits(max_bytes=8))  # 8 bytes: exactly the limit
    assert exact.body == b'{"a": 1}'
    err = error(f, "https://example.org/missing")
    assert err.message == "no recorded response for this request (offline)"
    (tmp_path / "index.yaml").write_text("hosts: {}\nresponses: []\n")
    assert Replay(tmp_path).crafted is False


def test_a_replay_index_that_is_not_acceptable_yaml_is_a_replay_error(tmp_path):
    (tmp_path / "index.yaml").write_text("a: &x 1\nb: *x\n")
    with pytest.raises(FetchError) as exc:
        Replay(tmp_path)
    assert exc.value.reason == "replay" and "index.yaml:" in exc.value.message


def test_live_requests_send_our_headers_a_json_body_and_the_query(server):
    f = fetcher(server)
    SEEN.clear()
    echoed = f.fetch(Request(url(server, "/echo?x=1&y=%20"), method="POST", json_body={"package": {"name": "x"}}, accept="application/json"))
    assert (echoed.status, echoed.content_type, echoed.body) == (200, "application/json", b'{"package": {"name": "x"}}')
    missing = f.fetch(Request(url(server, "/missing")))
    assert (missing.status, missing.body) == (404, b"not found")
    posted, got = SEEN
    assert posted["path"] == "/echo?x=1&y=%20" and posted["body"] == b'{"package": {"name": "x"}}'
    assert posted["headers"]["content-type"] == "application/json" and posted["headers"]["accept"] == "application/json"
    assert got["path"] == "/missing" and got["headers"]["accept"] == "*/*" and "content-type" not in got["headers"]
    for seen in (posted, got):
        assert seen["headers"]["user-agent"] == USER_AGENT and seen["headers"]["connection"] == "close"
        assert seen["headers"]["accept-encoding"] == "identity" and seen["headers"]["host"].startswith(HOST)


def test_live_refusals_carry_their_messages(server):
    f = fetcher(server)
    assert error(f, url(server, "/big-declared"), Limits(max_bytes=1000)).message == "Content-Length 2000 is over the limit of 1000 bytes"
    assert error(f, url(server, "/big-streamed"), Limits(max_bytes=1000, deadline=3)).message == "response is larger than 1000 bytes"
    assert f.fetch(Request(url(server, "/big-declared")), Limits(max_bytes=2000)).body == b"x" * 2000  # exactly the limit
    err = error(f, url(server, "/é"))
    assert (err.reason, err.message) == ("bad-url", "request refused: UnicodeEncodeError")


def test_a_certificate_not_trusted_is_a_tls_failure(server):
    port, _ = server
    f = Fetcher(
        LiveTransport(),  # the system's trust store: the test certificate is not in it
        resolver=lambda host, _: ["127.0.0.1"],
        address_ok=lambda a: None,
        extra_ports=frozenset({port}),
        today=dt.date(2026, 11, 27),
    )
    err = error(f, url(server, "/ok"))
    assert err.reason == "tls" and err.message.startswith("TLS failed: ")


def test_a_closed_port_is_unreachable(server):
    import socket

    with socket.socket() as probe:  # a port nothing listens on: bind, note it, close
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    f = fetcher(server)
    f.ports = f.ports | {closed}
    err = error(f, f"https://{HOST}:{closed}/ok")
    assert (err.reason, err.message) == ("unreachable", "request failed: ConnectionRefusedError")


def test_an_answer_cut_off_by_the_deadline_is_a_timeout_not_a_broken_answer(server):
    f = fetcher(server)
    started = time.monotonic()
    err = error(f, url(server, "/drip-status"), Limits(timeout=2, deadline=1.4))
    assert (err.reason, err.message) == ("timeout", "no complete answer within 1 s")
    assert time.monotonic() - started < 10


def test_every_problem_of_a_replay_index_is_named(tmp_path):
    (tmp_path / "index.yaml").write_bytes(b"a: &x 1\r\nb: *x\r\n")  # Windows line endings and an anchor: two problems
    with pytest.raises(FetchError) as exc:
        Replay(tmp_path)
    first, second = exc.value.message.split("; index.yaml:")
    assert first.startswith("index.yaml:1:8: error: file has Windows (CRLF) line endings") and "anchors (&name) are not allowed" in second
