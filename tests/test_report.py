"""report.py: stale evidence and dead links, for the weekly check."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from typing import ClassVar

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


class _Recording(http.server.BaseHTTPRequestHandler):
    """Answers by path; records each request's method, path and User-Agent."""

    seen: ClassVar[list[tuple[str, str, str]]] = []
    answers: ClassVar[dict[str, tuple[int, int]]] = {
        "/ok": (200, 200),
        "/nohead": (405, 200),
        "/forbidden-head": (403, 200),
        "/gone": (404, 404),
        "/broken": (500, 503),
        "/hangs-up-on-head": (0, 200),
    }

    def _answer(self, which: int) -> None:
        type(self).seen.append((self.command, self.path, self.headers.get("User-Agent", "")))
        if self.path == "/hangs-up-on-head" and self.command == "HEAD":
            self.close_connection = True  # no answer at all: the client sees the connection closed
            return
        if self.path == "/elsewhere":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:1/admin")
        else:
            self.send_response(self.answers[self.path][which])
        self.end_headers()

    def do_HEAD(self):
        self._answer(0)

    def do_GET(self):
        self._answer(1)

    def log_message(self, *args):
        pass


def test_link_check_tries_get_after_a_refused_head_and_says_why_a_link_is_dead(monkeypatch):
    monkeypatch.setattr(_Recording, "seen", [])  # mutmut runs a test more than once in one process
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recording)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    check = functools.partial(report.check_url, timeout=5, guard=lambda url: None)
    try:
        paths = ("/ok", "/nohead", "/forbidden-head", "/gone", "/broken", "/elsewhere", "/hangs-up-on-head")
        results = {path: check(base + path) for path in paths}
    finally:
        server.shutdown()
    assert results == {
        "/ok": None,
        "/nohead": None,
        "/forbidden-head": None,
        "/gone": "HTTP 404",
        "/broken": "HTTP 503",
        "/elsewhere": f"redirect refused: {report.refused('http://127.0.0.1:1/admin')}",
        # Unreachable, not an HTTP error: GET is not tried (a server that times out would be waited for twice).
        "/hangs-up-on-head": "unreachable (Remote end closed connection without response)",
    }
    assert [(method, path) for method, path, _ in _Recording.seen] == [
        ("HEAD", "/ok"),
        ("HEAD", "/nohead"),
        ("GET", "/nohead"),
        ("HEAD", "/forbidden-head"),
        ("GET", "/forbidden-head"),
        ("HEAD", "/gone"),
        ("GET", "/gone"),
        ("HEAD", "/broken"),
        ("GET", "/broken"),
        ("HEAD", "/elsewhere"),
        ("HEAD", "/hangs-up-on-head"),
    ]
    assert {agent for _, _, agent in _Recording.seen} == {report.USER_AGENT}
    closed = check("http://127.0.0.1:1/")  # nothing listens on port 1
    assert closed.startswith("unreachable (") and "refused" in closed.lower(), closed
    assert report.check_url("https://127.0.0.1/") == f"not requested: {report.refused('https://127.0.0.1/')}"


def test_dead_links_keeps_only_the_failures_sorted_by_url():
    answers = {"https://b.example.org/": "HTTP 404", "https://a.example.org/": None, "https://c.example.org/": "unreachable (timed out)"}
    assert report.dead_links(list(answers), answers.get, workers=2) == {
        "https://b.example.org/": "HTTP 404",
        "https://c.example.org/": "unreachable (timed out)",
    }
    assert list(report.dead_links(sorted(answers, reverse=True), answers.get)) == ["https://b.example.org/", "https://c.example.org/"]


def test_the_link_check_names_every_non_public_address_a_host_resolves_to(monkeypatch):
    asked = []

    def resolve(host, port, **kw):
        asked.append((host, port, kw))
        return [
            (2, 1, 6, "", ("192.168.1.5", 443)),
            (2, 1, 6, "", ("93.184.215.14", 443)),
            (10, 1, 6, "", ("fe80::1%eth0", 443, 0, 2)),
            (2, 1, 6, "", ("10.0.0.2", 443)),
        ]

    monkeypatch.setattr(report, "_resolve", resolve)
    assert report.refused("https://mixed.example.org/page") == "host resolves to a non-public address (10.0.0.2, 192.168.1.5, fe80::1%eth0)"
    assert asked == [("mixed.example.org", 443, {"proto": __import__("socket").IPPROTO_TCP})]

    def unresolvable(host, port, **kw):
        raise OSError("no such host")

    monkeypatch.setattr(report, "_resolve", unresolvable)
    assert report.refused("https://nowhere.example.org/") is None  # the request fails on its own, reported as unreachable
    assert report.refused("mailto:security@example.org") is not None  # only web pages are requested


def test_report_says_none_where_nothing_is_listed(project):
    from generator.check import check_tree

    dataset, _ = check_tree(project, AS_OF)
    early = report.markdown(dataset, dt.date(2020, 1, 11), {})
    cited = report.source_urls(dataset)
    assert early.startswith("# Evidence check, as of 2020-01-11\n\n## Stale evidence (0)\n\n")
    assert "counts half until re-checked.\n\nNone.\n\n## Due for re-checking within 2 months (" in early
    assert early.endswith(f"## Dead or unreachable source links (0 of {len(cited)})\n\nNone.\n")
    assert list(cited) == sorted(cited) and cited["https://status.example.org/"] == ["fixture-service#rc-status-page"]


def test_met_requirements_without_a_dated_source_are_stale_and_the_report_is_exact(project):
    path = project / "data/providers/fixture-software.yaml"
    text = path.read_text()
    assert "default-one-to-one: contradicted\n      default-groups: contradicted" in text and "undated: true" in text
    path.write_text(
        text.replace("default-one-to-one: contradicted", "default-one-to-one: met")
        .replace("default-groups: contradicted", "default-groups: met")
        .replace("messages are not end-to-end encrypted", "messages are end-to-end encrypted by default")
    )
    dataset, problems = check_tree(project, AS_OF)
    assert problems == []
    assert [(s.provider, s.criterion, s.evidence_date, s.window_months, s.stale) for s in report.freshness(dataset, AS_OF)] == [
        ("fixture-service", "id-security-contact", dt.date(2025, 12, 1), 12, False),
        ("fixture-service", "rc-status-page", dt.date(2020, 1, 10), 12, True),
        ("fixture-software", "pr-e2ee-default", None, 24, True),
    ]
    assert report.markdown(dataset, AS_OF, None) == (
        "# Evidence check, as of 2026-11-27\n"
        "\n"
        "## Stale evidence (2)\n"
        "\n"
        "Evidence dated longer ago than its criterion's window (or met requirements without a dated source) counts half until re-checked.\n"
        "\n"
        "- `fixture-service` / `rc-status-page`: evidence dated 2020-01-10, window 12 months\n"
        "- `fixture-software` / `pr-e2ee-default`: no dated source behind its met requirements, window 24 months\n"
        "\n"
        "## Due for re-checking within 2 months (1)\n"
        "\n"
        "- `fixture-service` / `id-security-contact`: evidence dated 2025-12-01, window 12 months\n"
    )
    # Due once the evidence is older than its 12-month window less the 2-month margin: from 2026-10-02 on.
    due_from = dt.date(2026, 10, 2)
    assert [s.criterion for s in report.freshness(dataset, due_from) if not s.stale] == ["id-security-contact"]
    assert [s.criterion for s in report.freshness(dataset, due_from - dt.timedelta(days=1)) if not s.stale] == []
