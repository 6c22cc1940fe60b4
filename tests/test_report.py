"""report.py: stale evidence and dead links, for the weekly check."""

from __future__ import annotations

import functools
import http.server
import threading

from generator import report
from generator.check import check_tree

from .conftest import AS_OF, run


def test_freshness_follows_the_evidence_date(project):
    dataset, _ = check_tree(project, AS_OF)
    items = report.freshness(dataset, AS_OF)
    # rc-status-page: evidence 2020-01-10, stale. id-security-contact: evidence 2025-12-01, within 2 months of its 12-month window.
    assert [(s.provider, s.criterion, s.evidence_date.isoformat(), s.stale) for s in items] == [
        ("fixture-service", "id-security-contact", "2025-12-01", False),
        ("fixture-service", "rc-status-page", "2020-01-10", True),
    ]


def test_report_command_prints_markdown(project):
    code, out, _ = run("report", "--as-of", str(AS_OF), root=project)
    assert code == 0 and "## Stale evidence (1)" in out and "`fixture-service` / `rc-status-page`: evidence dated 2020-01-10" in out
    assert "## Due for re-checking within 2 months (1)" in out
    assert "Dead or unreachable" not in out  # links only with --links


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_HEAD(self):
        self.send_response(200 if self.path == "/ok" else 405 if self.path == "/nohead" else 404)
        self.end_headers()

    def do_GET(self):
        self.send_response(200 if self.path in ("/ok", "/nohead") else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_dead_links_against_a_local_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        # The guard would refuse this loopback http server (test_hostile_supply.py); allow it here.
        dead = report.dead_links(
            [f"{base}/ok", f"{base}/nohead", f"{base}/gone"], functools.partial(report.check_url, timeout=5, guard=lambda url: None)
        )
    finally:
        server.shutdown()
    assert dead == {f"{base}/gone": "HTTP 404"}
