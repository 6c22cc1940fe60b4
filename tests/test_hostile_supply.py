"""Issue 10, finding 10 (CI history) and 11 (link check, Zensical job, lock tool): the pipeline
treats fetched pages and installed tools as hostile too."""

from __future__ import annotations

import http.server
import re
import threading
import urllib.error
import urllib.request
from typing import ClassVar

import pytest
import yaml

from generator import report

from .conftest import ROOT


class _Redirect(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self):
        _Redirect.hits.append(self.path)
        self.send_response(302)
        self.send_header("Location", "http://127.0.0.1:1/admin")
        self.end_headers()

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "https://127.0.0.1/",
        "https://10.0.0.1/",
        "http://example.org/",
        "https://user@example.org/",
        "https://example.org:8443/",
        "https://169.254.169.254/latest/",
    ],
)
def test_link_check_refuses_non_https_and_private_targets(url):
    assert report.refused(url)
    assert report.check_url(url).startswith("not requested")


def test_link_check_refuses_hosts_that_resolve_to_private_addresses(monkeypatch):
    monkeypatch.setattr(report, "_resolve", lambda host, port, **kw: [(2, 1, 6, "", ("192.168.1.5", 443))])
    assert "non-public" in report.refused("https://intranet.example.org/")
    monkeypatch.setattr(report, "_resolve", lambda host, port, **kw: [(10, 1, 6, "", ("::1", 443, 0, 0))])
    assert "non-public" in report.refused("https://loopback.example.org/")
    monkeypatch.setattr(report, "_resolve", lambda host, port, **kw: [(2, 1, 6, "", ("93.184.215.14", 443))])
    assert report.refused("https://public.example.org/") is None


def test_redirects_to_http_or_private_addresses_are_not_followed(monkeypatch):
    """An https page that redirects to http://127.0.0.1 must not be followed (it was, by urllib's default)."""
    monkeypatch.setattr(_Redirect, "hits", [])  # this run's requests only: mutmut runs the tests twice in one process
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirect)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        handler = report._PublicHttpsRedirects()
        request = urllib.request.Request(f"http://127.0.0.1:{server.server_address[1]}/start")
        with pytest.raises(urllib.error.HTTPError, match="redirect refused"):
            handler.redirect_request(request, None, 302, "Found", {}, "http://127.0.0.1:1/admin")
        # End to end through the same opener the link check uses (the first hop is allowed here only
        # because the test bypasses `refused` for its own loopback server).
        with pytest.raises(urllib.error.HTTPError, match="redirect refused"):
            report._opener.open(request, timeout=5)
        assert _Redirect.hits == ["/start"]
    finally:
        server.shutdown()


def _workflow(name: str) -> dict:
    return yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def test_ci_checks_pull_requests_with_full_history():
    ci = _workflow("ci.yml")
    assert "pull_request" in ci[True]  # PyYAML reads the key `on` as True
    for job in ci["jobs"].values():
        checkouts = [s for s in job["steps"] if str(s.get("uses", "")).startswith("actions/checkout@")]
        assert checkouts and all(s["with"].get("fetch-depth") == 0 for s in checkouts)


def test_every_pip_install_in_workflows_is_hash_checked():
    for path in (ROOT / ".github" / "workflows").glob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "pip install" in line:
                assert "--require-hashes" in line, (path.name, line)


def test_lock_tool_is_pinned_and_hash_checked():
    dev = (ROOT / "dev.py").read_text(encoding="utf-8")
    lock = dev[dev.index("def cmd_lock") : dev.index("COMMANDS =")]
    assert '"uv.txt"' in lock and "--require-hashes" in lock
    assert not re.search(r'"install",[^\n]*"uv"\)', lock)
    pinned = (ROOT / "requirements" / "uv.txt").read_text(encoding="utf-8")
    assert re.search(r"^uv==\d+\.\d+\.\d+ \\$", pinned, re.M) and "--hash=sha256:" in pinned
    zensical = (ROOT / "requirements" / "zensical.txt").read_text(encoding="utf-8")
    assert re.search(r"^zensical==0\.0\.73 \\$", zensical, re.M) and "--hash=sha256:" in zensical
