"""The only way collectors reach the network: one request at a time, with hard limits.

Every response is hostile until parsed. The fetcher enforces, for every hop:
- https only, default port only (tests may allow one more port), no user:password@ in URLs;
- the host name is resolved first and every address it resolves to must be public
  (no private, loopback, link-local, shared, reserved, multicast or unspecified address,
  also not as an IPv4-mapped IPv6 address); the connection then goes to the checked address,
  so a second DNS answer cannot swap in an internal one;
- redirects are followed by hand (at most `Limits.max_redirects`), each hop checked as above,
  so a redirect to http:// or to an internal address is refused;
- a per-operation timeout and an overall deadline; a size cap (also against Content-Length);
- no credentials, no cookies (nothing is stored or sent), no compression (`identity`).

Replay mode (`Replay`) serves recorded responses from a folder instead of the network
and goes through the same checks, so offline runs exercise the same limits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import http.client
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

USER_AGENT = "MessengerDefenseScorecard-collect/1.0 (machine-readable disclosure collector)"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 1024 * 1024
    timeout: float = 15.0  # seconds per connect or read
    deadline: float = 45.0  # seconds for the whole request, redirects included
    max_redirects: int = 3


@dataclass(frozen=True)
class Request:
    url: str
    method: str = "GET"
    json_body: dict[str, Any] | None = None  # POST bodies are small JSON objects we build ourselves (OSV queries)
    accept: str = "*/*"
    follow: bool = True  # False: return a redirect as the response (Save Page Now answers with one)

    @property
    def key(self) -> str:
        body = "" if self.json_body is None else " " + json.dumps(self.json_body, sort_keys=True, separators=(",", ":"))
        return f"{self.method} {self.url}{body}"


@dataclass(frozen=True)
class Response:
    request: Request
    final_url: str
    status: int
    content_type: str
    body: bytes
    fetched: dt.date
    redirects: tuple[str, ...] = ()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def url(self) -> str:
        return self.request.url


class FetchError(Exception):
    """A request refused or failed. `reason` is a short code; the message may quote hostile text."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Raw:
    status: int
    headers: dict[str, str]  # lower-case names; only the few we use
    body: bytes


class Transport(Protocol):
    def send(self, request: Request, url: str, address: str | None, limits: Limits, deadline: float) -> Raw: ...


def address_problem(address: str) -> str | None:
    """Why a resolved address must not be contacted, or None if it is a public unicast address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return f"{address!r} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_multicast or not ip.is_global:
        return f"{ip} is not a public address (private, loopback, link-local, reserved or multicast)"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError("dns", f"cannot resolve {host}: {exc}") from None
    return sorted({str(info[4][0]) for info in infos})


class Fetcher:
    """Fetch with the limits above. One instance per run; it keeps no state between requests
    except a cache of responses by request key (the same directory file is fetched once per run)."""

    def __init__(
        self,
        transport: Transport | None = None,
        *,
        resolver: Callable[[str, int], list[str] | None] = system_resolver,
        address_ok: Callable[[str], str | None] = address_problem,
        extra_ports: frozenset[int] = frozenset(),
        today: dt.date | None = None,
    ):
        self.transport = transport or LiveTransport()
        self.resolver = resolver
        self.address_ok = address_ok
        self.ports = frozenset({443}) | extra_ports
        self.today = today or dt.datetime.now(dt.UTC).date()
        self._cache: dict[tuple[str, Limits], Response | FetchError] = {}

    def check_url(self, url: str) -> tuple[str, int, str | None]:
        """(host, port, checked address) for an acceptable URL; raise FetchError otherwise."""
        if any(ord(ch) < 33 or ord(ch) == 127 for ch in url):
            raise FetchError("bad-url", "URL contains whitespace or control characters")
        parts = urlsplit(url)
        if parts.scheme != "https":
            raise FetchError("not-https", f"refused non-https URL (scheme {parts.scheme or 'none'})")
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            raise FetchError("credentials", "refused a URL with credentials (user@host)")
        try:
            host, port = parts.hostname, parts.port or 443
        except ValueError:
            raise FetchError("bad-url", "URL has an invalid port") from None
        if not host:
            raise FetchError("bad-url", "URL has no host")
        if port not in self.ports:
            raise FetchError("port", f"refused port {port}; only 443")
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        addresses = [str(literal)] if literal else self.resolver(host, port)
        if addresses is None:  # replay without a recorded DNS answer: nothing to check
            return host, port, None
        if not addresses:
            raise FetchError("dns", f"{host} has no address")
        for address in addresses:
            problem = self.address_ok(address)
            if problem:
                raise FetchError("private-address", f"refused {host}: {problem}")
        return host, port, addresses[0]

    def fetch(self, request: Request, limits: Limits = Limits()) -> Response:
        key = (request.key, limits)
        cached = self._cache.get(key)
        if cached is None:
            try:
                cached = self._fetch(request, limits)
            except FetchError as exc:
                cached = exc
            self._cache[key] = cached
        if isinstance(cached, FetchError):
            raise cached
        return cached

    def _fetch(self, request: Request, limits: Limits) -> Response:
        deadline = time.monotonic() + limits.deadline
        url, hops = request.url, []
        for _ in range(limits.max_redirects + 1):
            _, _, address = self.check_url(url)
            raw = self.transport.send(request, url, address, limits, deadline)
            if raw.status in (301, 302, 303, 307, 308) and request.follow:
                location = raw.headers.get("location", "")
                if not location:
                    raise FetchError("redirect", f"HTTP {raw.status} without a Location")
                hops.append(url)
                url = urljoin(url, location.strip())
                if url in hops:
                    raise FetchError("redirect-loop", "redirect loop")
                continue
            if len(raw.body) > limits.max_bytes:  # transports stop early; this is the last line of defence
                raise FetchError("oversized", f"response is larger than {limits.max_bytes} bytes")
            return Response(request, url, raw.status, raw.headers.get("content-type", ""), raw.body, self.today, tuple(hops))
        raise FetchError("too-many-redirects", f"more than {limits.max_redirects} redirects")


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the already checked address while verifying the certificate for the host name."""

    def __init__(self, host: str, port: int, address: str, context: ssl.SSLContext, timeout: float):
        super().__init__(host, port, context=context, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]  # HTTPSConnection keeps its context there; typeshed omits it


def _abort(conn: http.client.HTTPSConnection) -> None:
    sock = conn.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


@dataclass
class LiveTransport:
    context: ssl.SSLContext = field(default_factory=ssl.create_default_context)

    def send(self, request: Request, url: str, address: str | None, limits: Limits, deadline: float) -> Raw:
        parts = urlsplit(url)
        if address is None:  # pragma: no cover - the live resolver always answers
            raise FetchError("dns", "no checked address")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"User-Agent": USER_AGENT, "Accept": request.accept, "Accept-Encoding": "identity", "Connection": "close"}
        body = None
        if request.json_body is not None:
            body = json.dumps(request.json_body).encode()
            headers["Content-Type"] = "application/json"
        conn = _PinnedHTTPSConnection(parts.hostname or "", parts.port or 443, address, self.context, limits.timeout)
        # The per-operation timeout does not stop a server that drips bytes (headers included);
        # a watchdog shuts the socket down when the overall deadline passes.
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _abort, args=(conn,))
        watchdog.daemon = True
        watchdog.start()
        try:
            conn.request(request.method, path, body=body, headers=headers)
            resp = conn.getresponse()
            wanted = {k.lower(): v for k, v in resp.getheaders() if k.lower() in ("location", "content-type", "content-length")}
            declared = wanted.get("content-length", "")
            if declared.isdigit() and int(declared) > limits.max_bytes:
                raise FetchError("oversized", f"Content-Length {declared} is over the limit of {limits.max_bytes} bytes")
            chunks, total = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise FetchError("timeout", f"no complete answer within {limits.deadline:.0f} s")
                chunk = resp.read1(65536)
                if not chunk:
                    break
                total += len(chunk)
                if total > limits.max_bytes:
                    raise FetchError("oversized", f"response is larger than {limits.max_bytes} bytes")
                chunks.append(chunk)
            return Raw(resp.status, wanted, b"".join(chunks))
        except FetchError:
            raise
        except TimeoutError:
            raise FetchError("timeout", f"no answer within {limits.timeout:.0f} s") from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if time.monotonic() >= deadline:
                raise FetchError("timeout", f"no complete answer within {limits.deadline:.0f} s") from None
            if isinstance(exc, ssl.SSLError):
                raise FetchError("tls", f"TLS failed: {exc.reason or exc}") from None
            if isinstance(exc, ValueError):  # http.client refuses the URL (e.g. non-ASCII path)
                raise FetchError("bad-url", f"request refused: {type(exc).__name__}") from None
            raise FetchError("unreachable", f"request failed: {type(exc).__name__}") from None
        finally:
            watchdog.cancel()
            conn.close()


class Replay:
    """Recorded responses from a folder: `index.yaml` lists each request with its answer.

    index.yaml:
        hosts: {host: [addresses]}   # DNS answers for the offline resolver (checked like live ones)
        responses:
          - request: GET https://...   # or "POST https://... {json}" (keys sorted, no spaces)
            status: 200
            content_type: text/plain
            location: https://...      # for redirects
            body: path/relative/to/folder   # raw bytes served as recorded
    """

    def __init__(self, folder: Path):
        from ..load import load_text  # the strict YAML loader (no anchors, no custom tags)

        self.folder = folder.resolve()
        doc, problems = load_text("index.yaml", (folder / "index.yaml").read_bytes())
        if doc is None:
            raise FetchError("replay", "; ".join(p.format() for p in problems))
        self.crafted = doc.data.get("crafted") is True  # test content, never evidence
        self.hosts: dict[str, list[str]] = {k: [str(a) for a in v] for k, v in (doc.data.get("hosts") or {}).items()}
        self.responses: dict[str, dict[str, Any]] = {}
        for item in doc.data.get("responses") or []:
            self.responses[str(item["request"])] = item

    def resolver(self, host: str, port: int) -> list[str] | None:  # noqa: ARG002 - the Fetcher interface
        return self.hosts.get(host)

    def send(self, request: Request, url: str, address: str | None, limits: Limits, deadline: float) -> Raw:  # noqa: ARG002 - the Transport interface
        key = Request(url, request.method, request.json_body).key
        item = self.responses.get(key)
        if item is None:
            raise FetchError("not-recorded", "no recorded response for this request (offline)")
        headers = {}
        if item.get("content_type"):
            headers["content-type"] = str(item["content_type"])
        if item.get("location"):
            headers["location"] = str(item["location"])
        body = b""
        if item.get("body"):
            path = (self.folder / str(item["body"])).resolve()
            if not path.is_relative_to(self.folder):
                raise FetchError("replay", "recorded body lies outside the fixture folder")
            if path.stat().st_size > limits.max_bytes:
                raise FetchError("oversized", f"response is larger than {limits.max_bytes} bytes")
            body = path.read_bytes()
        return Raw(int(item.get("status", 200)), headers, body)


def replay_fetcher(folder: Path, today: dt.date) -> Fetcher:
    replay = Replay(folder)
    return Fetcher(replay, resolver=replay.resolver, today=today)
