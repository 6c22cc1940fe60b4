"""Collectors: each source kind on good, malformed and hostile recordings; the mapping to
requirements; `scorecard collect --offline` end to end; escaping of fetched text."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import markdown
import pytest

from generator.collect import advisories, bounty, checks, csaf, endoflife, insights, matrix, run, securitytxt, statuspage
from generator.collect.fetch import Limits, replay_fetcher
from generator.collect.text import code

from .conftest import AS_OF, FIXTURES, ROOT, tree_bytes
from .conftest import run as cli

RECORDED = FIXTURES / "collect"


@pytest.fixture
def fetcher():
    return replay_fetcher(RECORDED, AS_OF)


def only(findings):
    assert len(findings) == 1
    return findings[0]


# --- security.txt ---------------------------------------------------------------------


def test_security_txt_good(fetcher):
    f = only(securitytxt.collect("https://example.com", fetcher, AS_OF))
    assert f.signals == {"served", "contact-security", "expires-future"}
    assert not f.problems
    assert ("Contact", "mailto:security@example.com") in f.facts


def test_security_txt_signed_is_unwrapped_and_dash_unescaped(fetcher):
    f = only(securitytxt.collect("https://www.example.com", fetcher, AS_OF))
    assert f.signals == {"served", "contact-security", "expires-future"}
    assert ("Canonical", "https://www.example.com/.well-known/security.txt") in f.facts
    assert ("OpenPGP cleartext signature", "present (not verified)") in f.facts


def test_security_txt_expired(fetcher):
    f = only(securitytxt.collect("https://example.org", fetcher, AS_OF))
    assert "expires-past" in f.signals and "expires-future" not in f.signals
    assert any("expired" in m for m, _ in f.problems)


def test_security_txt_expires_is_judged_against_the_fetch_date(fetcher):
    early = replay_fetcher(RECORDED, dt.date(2024, 1, 1))
    f = only(securitytxt.collect("https://example.org", early, dt.date(2024, 1, 1)))
    assert "expires-future" in f.signals


@pytest.mark.parametrize("origin", ["https://malformed.example.org", "https://spa.example.org"])
def test_security_txt_malformed_or_html_proves_nothing(fetcher, origin):
    f = only(securitytxt.collect(origin, fetcher, AS_OF))
    assert not f.signals & {"served", "expires-future"}
    assert f.problems


def test_security_txt_parser_rules():
    parsed = securitytxt.parse("Contact: mailto:a@b.example\nEXPIRES: 2027-01-01T00:00:00+01:00\nnot a field\nExpires: 2028-01-01T00:00:00Z\n")
    assert parsed.values("expires") == ["2027-01-01T00:00:00+01:00", "2028-01-01T00:00:00Z"]
    assert any("not a `Field: value`" in m for m, _ in parsed.errors) and any("allows it once" in m for m, _ in parsed.errors)
    assert securitytxt.expires("2027-01-01T00:00:00Z") and securitytxt.expires("2027-01-01") is None
    assert securitytxt.expires("2027-01-01T00:00:00") is None  # RFC 3339 needs an offset
    assert securitytxt.contact_problem("http://example.com/report") and securitytxt.contact_problem("javascript:alert(1)")
    assert securitytxt.is_security_contact("mailto:security@example.com")
    assert securitytxt.is_security_contact("https://hackerone.com/example")
    assert not securitytxt.is_security_contact("mailto:support@example.com")
    assert not securitytxt.is_security_contact("https://example.com/contact")


@pytest.mark.parametrize(
    "origin, reason",
    [
        ("https://big.example.org", "oversized"),
        ("https://moved.example.org", "not-https"),
        ("https://internal.example.org", "private-address"),
        ("https://cloud.example.org", "private-address"),
        ("https://loop.example.org", "redirect-loop"),
        ("https://unrecorded.example.org", "not-recorded"),
    ],
)
def test_security_txt_refused_responses(fetcher, origin, reason):
    f = only(securitytxt.collect(origin, fetcher, AS_OF))
    assert f.error is not None and f.error.reason == reason and not f.signals


def test_gone_source_is_marked(fetcher):
    f = only(securitytxt.collect("https://gone.example.org", fetcher, AS_OF))
    assert f.gone and not f.signals


# --- the other kinds ------------------------------------------------------------------


def test_matrix_support(fetcher):
    assert only(matrix.collect("https://example.com", fetcher, AS_OF)).signals == {"security-contact"}
    admin_only = only(matrix.collect("https://example.org", fetcher, AS_OF))
    assert not admin_only.signals and admin_only.problems
    broken = only(matrix.collect("https://matrix.example.org", fetcher, AS_OF))
    assert not broken.signals and any("JSON" in m for m, _ in broken.problems)


def test_statuspage(fetcher):
    summary, incidents = statuspage.collect("https://status.example.com", fetcher, AS_OF, ("Example Chat", "example.com"))
    assert summary.signals == {"live-status"}
    assert incidents.signals == {"history-90-days", "timestamped-updates", "incident-12-months"}
    other = statuspage.collect("https://status.example.com", fetcher, AS_OF, ("Unrelated Messenger", "unrelated.test"))
    assert not other[0].signals and any("shares no word" in m for m, _ in other[0].problems)


def test_statuspage_hostile(fetcher):
    summary, incidents = statuspage.collect("https://status.example.org", fetcher, AS_OF, ("Example Broken", "example.org"))
    assert not summary.signals and any("own URL" in m for m, _ in summary.problems)
    assert not incidents.signals and any("too deeply" in m for m, _ in incidents.problems)


def test_statuspage_recent_window(fetcher):
    late = dt.date(2028, 1, 1)
    _, incidents = statuspage.collect("https://status.example.com", replay_fetcher(RECORDED, late), late, ("Example Chat",))
    assert "incident-12-months" not in incidents.signals and "history-90-days" in incidents.signals


def test_github_advisories(fetcher):
    good = only(advisories.github("example-chat/server", fetcher, AS_OF))
    assert good.signals == advisories.SIGNALS[advisories.KIND_GITHUB]
    incomplete = only(advisories.github("example-broken/server", fetcher, AS_OF))
    assert incomplete.signals == {"advisories-published"}  # no fixed version: documents no fix
    assert only(advisories.github("../../etc", fetcher, AS_OF)).problems


def test_osv(fetcher):
    f = only(advisories.osv("PyPI", "example-chat-server", fetcher, AS_OF))
    assert f.signals == advisories.SIGNALS[advisories.KIND_OSV]


def test_endoflife(fetcher):
    assert only(endoflife.collect("example-chat", fetcher, AS_OF)).signals == {"maintained-lines", "eol-dates"}
    missing = only(endoflife.collect("example-broken", fetcher, AS_OF))
    assert missing.gone and not missing.signals
    assert only(endoflife.collect("../x", fetcher, AS_OF)).problems


def test_bounty_targets(fetcher):
    assert only(bounty.targets("https://hackerone.com/example_chat", fetcher, AS_OF)).signals == {"listed", "pays", "scope-published"}
    assert not only(bounty.targets("https://hackerone.com/not_listed_here", fetcher, AS_OF)).signals
    assert only(bounty.targets("https://bounty.example.org/programme", fetcher, AS_OF)).problems


def test_diodb(fetcher):
    assert only(bounty.diodb("Example Chat", fetcher, AS_OF)).signals == {"listed", "safe-harbour-full"}
    assert only(bounty.diodb("example broken", fetcher, AS_OF)).signals == {"listed"}


def test_csaf(fetcher):
    assert only(csaf.collect("https://example.com", fetcher, AS_OF)).signals == {"provider-metadata"}
    http_only = only(csaf.collect("https://example.org", fetcher, AS_OF))
    assert not http_only.signals and any("https distribution" in m for m, _ in http_only.problems)


def test_security_insights(fetcher):
    url = "https://raw.githubusercontent.com/example-chat/server/main/SECURITY-INSIGHTS.yml"
    assert only(insights.collect(url, fetcher, AS_OF)).signals == {"reporting-contact"}
    hostile = only(insights.collect("https://example.org/SECURITY-INSIGHTS.yml", fetcher, AS_OF))
    assert not hostile.signals and any("anchors" in str(d) for _, d in hostile.problems)


# --- the mapping ----------------------------------------------------------------------


def test_security_txt_must_be_on_the_website_domain_other_checks_on_any_official_site(fetcher):
    mapping, _ = checks.load(ROOT)
    provider = SimpleNamespace(name="Example", website="https://example.org/", official_sites=["elsewhere.example.net", "example.com"])
    txt = securitytxt.collect("https://elsewhere.example.net", fetcher, AS_OF)
    proposals, _ = run.propose(provider, txt, mapping)
    assert not proposals and any("website" in m for m, _ in txt[0].problems)
    support = matrix.collect("https://example.com", fetcher, AS_OF)
    proposals, _ = run.propose(provider, support, mapping)
    assert [(p.criterion, p.requirement, p.status) for p in proposals] == [("id-security-contact", "dedicated-contact", "met")]
    stranger = SimpleNamespace(name="Stranger", website="https://example.net/", official_sites=[])
    support = matrix.collect("https://example.com", fetcher, AS_OF)
    assert run.propose(stranger, support, mapping)[0] == []


def test_disagreeing_sources_propose_nothing_for_that_requirement(fetcher):
    mapping, _ = checks.load(ROOT)
    provider = SimpleNamespace(name="Example", website="https://example.org/", official_sites=[])
    findings = securitytxt.collect("https://example.org", fetcher, AS_OF)  # expired
    findings += securitytxt.collect("https://example.org", replay_fetcher(RECORDED, dt.date(2024, 1, 1)), dt.date(2024, 1, 1))
    proposals, notes = run.propose(provider, findings, mapping)
    assert "security-txt-expires" not in {p.requirement for p in proposals}
    assert any("sources disagree" in n for n in notes)


def test_every_signal_the_code_emits_is_mapped_and_nothing_else():
    mapping, _ = checks.load(ROOT)
    code_signals = run.signals_by_kind()
    assert set(mapping.checks) == set(code_signals)
    for kind, signals in code_signals.items():
        assert set(mapping.checks[kind].signals) == signals, kind


def real_criteria() -> dict:
    from generator.load import load_file
    from generator.model import Criterion

    out = {}
    for path in sorted((ROOT / "data" / "criteria").glob("*.yaml")):
        doc, problems = load_file(path, ROOT)
        assert doc is not None, problems
        out[doc.data["id"]] = Criterion.model_validate(doc.data)
    return out


def test_the_mapping_names_only_real_requirements():
    criteria = real_criteria()
    mapping, doc = checks.load(ROOT)
    assert checks.problems(mapping, criteria, doc) == []


def test_a_wrong_requirement_id_in_the_mapping_is_a_located_problem():
    mapping, doc = checks.load(ROOT)
    criteria = {"id-security-contact": SimpleNamespace(requirements=[SimpleNamespace(id="security-txt")])}
    found = checks.problems(mapping, criteria, doc)
    assert found and all(p.path == "data/collect/checks.yaml" and p.line > 1 for p in found)
    assert any("has no requirement 'security-txt-expires'" in p.message for p in found)
    assert any("unknown criterion 'rc-status-page'" in p.message for p in found)


# --- end to end -----------------------------------------------------------------------


@pytest.fixture
def collect_project(project: Path) -> Path:
    for p in (project / "data" / "providers").glob("*.yaml"):
        p.unlink()
    for name in ("example-chat.yaml", "example-broken.yaml"):
        shutil.copy(RECORDED / "providers" / name, project / "data" / "providers" / name)
    shutil.copytree(ROOT / "data" / "criteria", project / "data" / "criteria", dirs_exist_ok=True)
    shutil.copytree(ROOT / "data" / "collect", project / "data" / "collect")
    return project


def offline(project: Path, *extra: str) -> tuple[int, str, str]:
    return cli("collect", "--offline", "--fixtures", str(RECORDED), "--as-of", AS_OF.isoformat(), *extra, root=project)


def test_offline_run_proposes_for_every_source_kind_and_changes_nothing(collect_project):
    before = tree_bytes(collect_project / "data")
    code_, out, err = offline(collect_project)
    assert code_ == 0, err
    assert tree_bytes(collect_project / "data") == before
    kinds = set(re.findall(r"^### ([a-z-]+): .*$", out, re.M))
    proposing = set()
    block = None
    for line in out.splitlines():
        if line.startswith("### "):
            block = line[4:].split(":", 1)[0]
        elif line.startswith("- proposes ") and block:
            proposing.add(block)
    assert proposing == set(run.signals_by_kind()) == kinds
    assert "Nothing under `data/` was changed" in out


def test_offline_report_matches_its_golden_copy(collect_project, request):
    """The whole report a maintainer reads (facts, signals, problems and proposals of every source
    kind, on good, malformed and hostile recordings), byte for byte. After an intended change:
    pytest tests/test_collect.py --update-golden, and review git diff tests/golden."""
    code_, out, err = offline(collect_project)
    assert code_ == 0, err
    golden = Path(__file__).resolve().parent / "golden" / "collect" / "offline-report.md"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), out.splitlines(True), "golden", "generated", n=1))
    assert out == expected, diff[:4000]


def test_offline_run_for_one_provider(collect_project):
    code_, out, _ = offline(collect_project, "--provider", "example-chat")
    assert code_ == 0 and "example-broken" not in out
    code_, _, err = offline(collect_project, "--provider", "example-chta")
    assert code_ == 2 and "did you mean 'example-chat'" in err


def test_fetched_text_cannot_act_in_the_report(collect_project):
    _, out, _ = offline(collect_project, "--provider", "example-broken")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", out)
    html = markdown.markdown(out)
    for bad in ("<script", "<img", "<h1>Injected", 'javascript:alert(1)"', 'href="javascript'):
        assert bad not in html, bad
    assert "&lt;script&gt;" in html  # shown, as text
    for line in out.splitlines():  # every hostile marker sits inside a code span
        for marker in ("@octocat", "<script>", "#1 ", "${{"):
            if marker in line:
                assert re.search(r"(`+) .*?" + re.escape(marker) + r".*?\1|(`+)[^`]*" + re.escape(marker), line), line
    assert max(len(line) for line in out.splitlines()) < 600


def test_code_span_fence_outgrows_backticks_inside():
    assert code("a ``` b") == "````a ``` b````"
    assert code("`x`") == "`` `x` ``"
    assert code("") == "(empty)"
    assert code("a\nb\u202ec\x00d") == "`a bcd`"
    assert markdown.markdown(code("<b>x</b> ``` y")).count("<b>") == 0


def test_weekly_workflow_collects_without_a_write_token_and_proposes_one_pull_request():
    import yaml

    flow = yaml.safe_load((ROOT / ".github/workflows/weekly.yml").read_text())
    collect, propose = flow["jobs"]["collect"], flow["jobs"]["propose"]
    assert collect["permissions"] == {"contents": "read"}
    assert propose["permissions"] == {"contents": "write", "pull-requests": "write"} and propose["needs"] == "collect"
    collect_runs = "\n".join(s.get("run", "") for s in collect["steps"])
    assert "scorecard collect --write --archive" in collect_runs
    propose_runs = "\n".join(s.get("run", "") for s in propose["steps"])
    assert "--include='data/providers/*.yaml'" in propose_runs and "gh pr create" in propose_runs and "gh pr edit" in propose_runs
    assert "--body-file" in propose_runs and ".venv" not in propose_runs and "python" not in propose_runs  # runs no project code with the write token
    for job in (collect, propose):
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step  # nothing interpolated into shell


def test_current_providers_name_their_machine_sources():
    from generator.check import check_tree

    dataset, problems = check_tree(ROOT, dt.date.today())
    assert not problems
    wired = {pid: p.machine_sources for pid, p in dataset.providers.items() if p.machine_sources}
    assert {"matrix-org", "synapse", "zulip", "mattermost", "rocket-chat", "nextcloud-talk", "jitsi-meet", "wire"} <= set(wired)
    assert wired["matrix-org"].security_txt == ["https://matrix.org"] and wired["matrix-org"].statuspage == ["https://status.matrix.org"]
    assert "element-hq/synapse" in wired["synapse"].github_advisories
    assert wired["element"].statuspage == ["https://status.element.io"]
    assert run.extra_sources(ROOT) == {}  # no wiring outside the provider files


def test_wiring_outside_provider_files_is_read(tmp_path):
    (tmp_path / "data" / "collect").mkdir(parents=True)
    (tmp_path / "data" / "collect" / "sources.yaml").write_text("providers:\n  p:\n    endoflife: [b]\n")
    assert run.extra_sources(tmp_path)["p"].endoflife == ["b"]


def test_sources_in_the_provider_file_and_the_wiring_file_are_merged():
    from generator.model import MachineSources

    provider = SimpleNamespace(id="p", machine_sources=MachineSources(endoflife=["a"], security_txt=["https://example.com"]))
    merged = run.sources_of(provider, {"p": MachineSources(endoflife=["a", "b"], osv=[{"ecosystem": "PyPI", "name": "x"}])})
    assert merged.endoflife == ["a", "b"] and merged.security_txt == ["https://example.com"] and merged.osv[0].name == "x"
    assert run.sources_of(SimpleNamespace(id="q", machine_sources=None), {}) is None


def test_offline_write_needs_explicit_recordings(collect_project):
    before = tree_bytes(collect_project / "data")
    code_, _, err = cli("collect", "--offline", "--write", root=collect_project)
    assert code_ == 2 and "crafted test data" in err
    assert tree_bytes(collect_project / "data") == before


def test_offline_run_on_the_real_data_changes_nothing():
    before = tree_bytes(ROOT / "data")
    code_, out, err = cli("collect", "--offline", root=ROOT)
    assert code_ == 0, err
    assert tree_bytes(ROOT / "data") == before
    assert "## " in out and "matrix-org" in out  # wired providers are read; their live sources are not recorded
    assert "crafted test data: nothing in this report is evidence about a real provider" in out
    assert "no recorded response" in out


def test_a_json_document_of_the_wrong_shape_is_a_problem_not_a_crash():
    from generator.collect.fetch import Response

    class Answers:  # every URL answers the same well-formed JSON object where a list is expected
        def fetch(self, request, limits):
            return Response(request, request.url, 200, "application/json", b'{"programmes": []}', AS_OF)

    found = [
        only(advisories.github("o/r", Answers(), AS_OF)),
        only(bounty.targets("https://hackerone.com/x", Answers(), AS_OF)),
        only(bounty.diodb("x", Answers(), AS_OF)),
    ]
    assert [(f.problems, f.signals) for f in found] == [
        ([("expected a list of advisories", "")], set()),
        ([("expected a list of programmes", "")], set()),
        ([("expected a list of programmes", "")], set()),
    ]


class _Answer:
    """A fetcher whose every URL answers `body` (JSON)."""

    def __init__(self, body: bytes, content_type: str = "application/json", status: int = 200) -> None:
        self.body, self.content_type, self.status = body, content_type, status
        self.calls: list = []  # (request, limits) of every fetch

    def fetch(self, request, limits):
        from generator.collect.fetch import Response

        self.calls.append((request, limits))
        return Response(request, request.url, self.status, self.content_type, self.body, AS_OF)


def test_matrix_security_contact_without_a_valid_address_is_named_with_the_address():
    body = b'{"contacts": [{"role": "m.role.security", "email_address": "not an address"}]}'
    found = only(matrix.collect("https://example.net", _Answer(body), AS_OF))
    assert found.problems == [("security contact without a valid e-mail address or Matrix ID", "not an address")]
    assert not found.signals


@pytest.mark.parametrize(
    ("programme", "record"),
    [
        ("https://app.intigriti.com/programs/examplecorp/examplechat", '{"handle": "ExampleChat", "name": "Example Chat"}'),
        ("https://yeswehack.com/programs/example-chat", '{"id": "example-chat", "name": "Example Chat"}'),
        ("https://hackerone.com/example_chat", '{"handle": "example_chat", "name": "Example Chat"}'),
    ],
)
def test_bounty_programme_found_by_its_platform_handle_when_the_address_differs(programme, record):
    found = only(bounty.targets(programme, _Answer(f'[{{"handle": "other"}}, {record}]'.encode()), AS_OF))
    assert "listed" in found.signals and ("listed as", "Example Chat") in found.facts
    # Bugcrowd records are found by their address only.
    bugcrowd = only(bounty.targets("https://bugcrowd.com/examplechat", _Answer(b'[{"handle": "examplechat", "name": "Example Chat"}]'), AS_OF))
    assert "listed" not in bugcrowd.signals


def test_security_txt_without_a_contact_is_not_served_and_optional_fields_are_shown():
    no_contact = only(securitytxt.collect("https://example.net", _Answer(b"Expires: 2030-01-01T00:00:00Z\n", "text/plain"), AS_OF))
    assert "served" not in no_contact.signals
    assert ("no usable Contact field (RFC 9116 requires one)", "") in no_contact.problems
    text = b"Contact: mailto:security@example.net\nExpires: 2027-06-01T00:00:00Z\nBug-Bounty: https://example.net/bounty\nCSAF: https://example.net/csaf/provider-metadata.json\n"
    full = only(securitytxt.collect("https://example.net", _Answer(text, "text/plain; charset=utf-8"), AS_OF))
    assert "served" in full.signals and not full.problems
    assert ("Bug-Bounty", "https://example.net/bounty") in full.facts
    assert ("CSAF", "https://example.net/csaf/provider-metadata.json") in full.facts


def test_a_status_page_without_an_incidents_list_says_so():
    body = b'{"page": {"name": "Example"}, "status": {"indicator": "none", "description": "All Systems Operational"}}'
    found = statuspage.collect("https://status.example.net", _Answer(body), AS_OF, ("Example", "example.net"))
    assert any(problem == ("no `incidents` list", "") for f in found for problem in f.problems), [f.problems for f in found]


def test_a_huge_integer_is_invalid_json_with_the_reason_cut_to_80_characters():
    found = only(matrix.collect("https://example.net", _Answer(b"[" + b"1" * 5000 + b"]"), AS_OF))
    (message, detail), *_ = found.problems
    assert message == "not valid JSON" and detail.startswith("Exceeds the limit") and len(detail) == 80


def test_a_signed_security_txt_cut_off_in_its_armor_headers_is_empty_not_a_crash():
    parsed = securitytxt.parse("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256")
    assert parsed.signed and parsed.values("contact") == []


def test_security_insights_version_1():
    v1 = (
        b"header:\n  schema-version: 1.0.0\n"
        b"vulnerability-reporting:\n  accepts-vulnerability-reports: true\n  email-contact: security@example.net\n"
        b"  security-policy: https://example.net/SECURITY.md\n  bug-bounty-available: false\n"
    )
    found = only(insights.collect("https://example.net/SECURITY-INSIGHTS.yml", _Answer(v1, "text/plain"), AS_OF))
    assert found.signals == {"reporting-contact"}
    assert found.facts == [
        ("schema-version", "1.0.0"),
        ("reports accepted", "yes"),
        ("contact e-mail", "security@example.net"),
        ("security policy", "https://example.net/SECURITY.md"),
        ("bug bounty available", "False"),
    ]
    listed = v1.replace(b"  security-policy: https://example.net/SECURITY.md\n", b"  security-policy: [https://example.net/SECURITY.md]\n")
    found = only(insights.collect("https://example.net/SECURITY-INSIGHTS.yml", _Answer(listed, "text/plain"), AS_OF))
    assert not any(name == "security policy" for name, _ in found.facts)  # not text: not shown


def test_osv_ranges_of_the_wrong_shape_are_ignored_not_a_crash():
    body = b'{"vulns": [{"id": "OSV-1", "published": "2026-10-01T00:00:00Z", "affected": [{"ranges": 5}]}]}'
    found = only(advisories.osv("PyPI", "example", _Answer(body), AS_OF))
    assert found.facts and found.url == "https://api.osv.dev/v1/query"


def test_csaf_metadata_of_another_version_is_named():
    body = b'{"metadata_version": "1.2", "role": "csaf_provider", "publisher": {"name": "Example"}}'
    found = only(csaf.collect("https://example.net", _Answer(body), AS_OF))
    assert ("metadata_version is not 2.0", "1.2") in found.problems


def test_a_status_page_claiming_another_host_is_named():
    body = b'{"page": {"name": "Example", "url": "https://status.other.example"}, "status": {"indicator": "none"}, "incidents": []}'
    found = statuspage.collect("https://status.example.net", _Answer(body), AS_OF, ("Example", "example.net"))
    assert ("the page's own URL is not the fetched host", "https://status.other.example") in found[0].problems


def test_a_status_page_url_that_is_not_text_is_not_its_own():
    body = b'{"page": {"name": "Example", "url": 5}, "status": {"indicator": "none"}, "incidents": []}'
    found = statuspage.collect("https://status.example.net", _Answer(body), AS_OF, ("Example", "example.net"))
    assert ("the page's own URL is not the fetched host", "") in found[0].problems


def test_a_status_page_url_without_a_host_is_not_its_own():
    # "https:///" has no host: it matches no fetched host, even a one-label one like "xxxx"
    body = b'{"page": {"name": "Example", "url": "https:///"}, "status": {"indicator": "none"}, "incidents": []}'
    found = statuspage.collect("https://xxxx", _Answer(body), AS_OF, ("Example", "example.net"))
    assert ("the page's own URL is not the fetched host", "https:///") in found[0].problems
    assert "live-status" not in found[0].signals


# --- text: cleaning and quoting fetched text --------------------------------------------


def test_clean_cuts_only_what_is_longer_than_the_limit_and_trims_before_the_ellipsis():
    from generator.collect.text import clean

    assert clean("a" * 160) == "a" * 160
    assert clean("a" * 161) == "a" * 159 + "…"
    assert clean("a" * 158 + " bcdef") == "a" * 158 + "…"  # the cut falls after a space: no space before "…"
    assert clean("  x \t\n y  ") == "x y"
    assert clean("abcdef", 4) == "abc…"
    assert code("x" * 170, 200) == "`" + "x" * 170 + "`"  # a longer limit is passed on
    assert code("x" * 170) == "`" + "x" * 159 + "…`"


def test_a_code_span_starting_or_ending_with_a_backtick_is_padded():
    assert code("`x") == "`` `x ``"
    assert code("x`") == "`` x` ``"
    assert code("x`y") == "``x`y``"
    for value in ("`x", "x`", "``a`"):
        html = markdown.markdown(code(value))
        assert f"<code>{value}</code>" in html, html


# --- base: the JSON every collector reads ------------------------------------------------


def _finding(body: bytes, status: int = 200):
    from generator.collect.base import Finding
    from generator.collect.fetch import Request, Response

    finding = Finding("k", "https://example.net/", "t")
    finding.response = Response(Request("https://example.net/"), "https://example.net/", status, "application/json", body, AS_OF)
    return finding


def test_json_document_reads_utf8_with_or_without_a_byte_order_mark():
    from generator.collect.base import json_document

    for body in (b'{"a": [1, "\xc3\xa9"]}', b'\xef\xbb\xbf{"a": [1, "\xc3\xa9"]}'):
        finding = _finding(body)
        assert json_document(finding) == {"a": [1, "é"]} and finding.problems == []


@pytest.mark.parametrize(
    ("body", "status", "problems"),
    [
        (b"{}", 500, [("HTTP 500", "")]),
        (b"{}", 404, [("HTTP 404", "")]),
        (b'{"a": "\xff"}', 200, [("not UTF-8 text", "")]),
        (b"[" * 100000, 200, [("JSON nested too deeply", "")]),
        (b'{"a": nul}', 200, [("not valid JSON", "Expecting value: line 1 column 7 (char 6)")]),
    ],
)
def test_json_document_problems(body, status, problems):
    from generator.collect.base import json_document

    finding = _finding(body, status)
    assert json_document(finding) is None and finding.problems == problems


def test_json_document_allows_64_levels_of_nesting_by_default():
    from generator.collect.base import json_document

    deep = _finding(b"[" * 64 + b"1" + b"]" * 64)
    assert json_document(deep) is not None and deep.problems == []
    deeper = _finding(b"[" * 65 + b"1" + b"]" * 65)
    assert json_document(deeper) is None and deeper.problems == [("JSON nested too deeply", "")]
    assert json_document(_finding(b'{"a": {"b": [1]}}'), max_depth=3) == {"a": {"b": [1]}}
    shallow = _finding(b'{"a": {"b": [1]}}')
    assert json_document(shallow, max_depth=2) is None and shallow.problems == [("JSON nested too deeply", "")]
    from generator.collect.base import Finding

    assert json_document(Finding("k", "https://example.net/", "t")) is None  # nothing fetched


def test_depth_counts_nested_containers():
    from generator.collect.base import _depth

    assert [_depth(v) for v in (1, "x", [], {}, [1], {"a": 1}, [[1]], {"a": {"b": [1]}}, [1, [2, [3]]], [[], [[1]]])] == [
        0,
        0,
        0,
        0,
        1,
        1,
        2,
        3,
        3,
        3,
    ]


def test_get_follows_a_path_of_keys_and_indexes_of_the_wanted_type():
    from generator.collect.base import get

    data = {"a": [{"b": 1}, {"b": True}, {"b": 1.5}, "s"], "n": None}
    assert get(data, "a", 0, "b") == 1 and get(data, "a", 0, "b", kind=int) == 1
    assert get(data, "a", -1) == "s" and get(data, "a", -4, "b") == 1
    assert get(data, "a", 4) is None and get(data, "a", -5) is None
    assert get(data, "a", 1, "b", kind=int) is None and get(data, "a", 1, "b", kind=float) is None  # a boolean is no number
    assert get(data, "a", 1, "b", kind=bool) is True and get(data, "a", 1, "b") is True
    assert get(data, "a", 2, "b", kind=float) == 1.5 and get(data, "a", 2, "b", kind=(int, float)) == 1.5
    assert get(data, "a", 0, "b", kind=str) is None and get(data, "a", kind=list) == data["a"]
    assert get(data, 0) is None and get(data["a"], "0") is None and get(data, "a", "b") is None
    assert get(data, "missing") is None and get("text", 0) is None and get(data) is data


def test_a_finding_is_gone_only_on_404_or_410():
    from generator.collect.base import Finding

    assert [_finding(b"", status).gone for status in (200, 301, 403, 404, 410, 500)] == [False, False, False, True, True, False]
    assert Finding("k", "u", "t").gone is False


def test_fetch_json_names_the_expected_shape():
    from generator.collect.base import Finding, fetch_json
    from generator.collect.fetch import Limits, Request

    finding = Finding("k", "https://example.net/", "t")
    assert fetch_json(finding, _Answer(b"[1, 2]"), Request("https://example.net/"), Limits(), dict, "an object") is None
    assert finding.problems == [("expected an object", "")] and finding.response.body == b"[1, 2]"
    finding = Finding("k", "https://example.net/", "t")
    assert fetch_json(finding, _Answer(b"[1, 2]"), Request("https://example.net/"), Limits(), list, "a list") == [1, 2]
    assert fetch_json(finding, _Answer(b"[1, 2]"), Request("https://example.net/"), Limits()) == [1, 2] and finding.problems == []


# --- security.txt in detail (RFC 9116) ------------------------------------------------------


def test_security_txt_parse_reports_each_bad_line_with_its_number():
    parsed = securitytxt.parse(
        "# comment\r\nContact: mailto:security@example.net\r\n  # indented comment\rno colon here\n\nPolicy:\nPolicy:   \t\nContact:\thttps://example.net/report  \n"
    )
    assert parsed.fields == {"contact": ["mailto:security@example.net", "https://example.net/report"]}
    assert parsed.errors == [
        ("line 4 is not a `Field: value` line", "no colon here"),
        ("line 6: field without a value", "policy"),
        ("line 7: field without a value", "policy"),
    ]
    assert parsed.signed is False and parsed.values("policy") == []


def test_security_txt_field_names_are_case_insensitive_and_single_fields_counted():
    parsed = securitytxt.parse(
        "PREFERRED-LANGUAGES: en\npreferred-languages: de\nPreferred-Languages: fr\nExpires: 2027-01-01T00:00:00Z\nX.Y_z~1: v\n"
    )
    assert parsed.values("preferred-languages") == ["en", "de", "fr"] and parsed.values("x.y_z~1") == ["v"]
    assert parsed.errors == [("preferred-languages appears 3 times; RFC 9116 allows it once", "")]
    assert securitytxt.parse("Contact: a\nContact: b\n").errors == []  # Contact may repeat


def test_a_signed_security_txt_numbers_lines_of_the_signed_text():
    text = "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\nComment: x\n\n- Contact: mailto:security@example.net\nbroken\n- - not a field\n-----BEGIN PGP SIGNATURE-----\nContact: mailto:after@example.net\n"
    parsed = securitytxt.parse(text)
    assert parsed.signed is True
    assert parsed.fields == {"contact": ["mailto:security@example.net"]}
    assert parsed.errors == [("line 2 is not a `Field: value` line", "broken"), ("line 3 is not a `Field: value` line", "- not a field")]
    assert securitytxt.parse("  -----BEGIN PGP SIGNED MESSAGE-----  \n\nContact: x\n").signed is True
    unsigned = securitytxt.parse("Contact: x\n-----BEGIN PGP SIGNED MESSAGE-----\n")
    assert unsigned.signed is False and unsigned.errors == [("line 2 is not a `Field: value` line", "-----BEGIN PGP SIGNED MESSAGE-----")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-01-01T00:00:00Z", dt.datetime(2027, 1, 1, tzinfo=dt.UTC)),
        ("2027-01-01t10:20:30z", dt.datetime(2027, 1, 1, 10, 20, 30, tzinfo=dt.UTC)),
        ("2027-01-01 10:20Z", dt.datetime(2027, 1, 1, 10, 20, tzinfo=dt.UTC)),
        ("2027-01-01T10:20:30.250+02:00", dt.datetime(2027, 1, 1, 10, 20, 30, 250000, tzinfo=dt.timezone(dt.timedelta(hours=2)))),
        ("2027-01-01T10:20:30-05:30", dt.datetime(2027, 1, 1, 10, 20, 30, tzinfo=dt.timezone(-dt.timedelta(hours=5, minutes=30)))),
        ("2027-02-30T00:00:00Z", None),
        ("2027-01-01T00:00:00+0100", None),
        ("2027-01-01T00:00:00", None),
        ("x2027-01-01T00:00:00Z", None),
        ("2027-01-01T00:00:00Zx", None),
        ("27-01-01T00:00:00Z", None),
    ],
)
def test_security_txt_expires_accepts_rfc_3339_date_times_only(value, expected):
    assert securitytxt.expires(value) == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("mailto:security@example.net", None),
        ("mailto:security", "mailto: without an address"),
        ("tel:+1-201-555-0123", None),
        ("https://example.net/report", None),
        ("https:///report", "https URL without a host"),
        ("http://example.net/report", "Contact must be a mailto:, tel: or https:// URI"),
        ("security@example.net", "Contact must be a mailto:, tel: or https:// URI"),
    ],
)
def test_security_txt_contact_problems(value, problem):
    assert securitytxt.contact_problem(value) == problem


@pytest.mark.parametrize(
    ("value", "security"),
    [
        ("mailto:security@example.net", True),
        ("mailto:SecurityTeam@example.net", True),
        ("mailto:vuln-reports@example.net", True),
        ("mailto:psirt@example.net", True),
        ("mailto:cert@example.net", True),
        ("mailto:certificates@example.net", False),
        ("mailto:disclosure@example.net", True),
        ("mailto:bugbounty@example.net", True),
        ("mailto:bug-bounty@example.net", True),
        ("mailto:responsible@example.net", True),
        ("mailto:info@security.example.net", False),  # only the mailbox counts, not the domain
        ("https://hackerone.com/example", True),
        ("https://app.intigriti.com/programs/x", True),
        ("https://bugcrowd.com/example", True),
        ("https://yeswehack.com/programs/x", True),
        ("https://nothackerone.com/example", False),
        ("https://example.net/security", False),
        ("tel:+1-201-555-0123", False),
        ("http://hackerone.com/example", False),
    ],
)
def test_security_txt_security_channels(value, security):
    assert securitytxt.is_security_contact(value) is security


def _security_txt(body: str, content_type: str = "text/plain", status: int = 200, origin: str = "https://example.net/"):
    answer = _Answer(body.encode(), content_type, status)
    return only(securitytxt.collect(origin, answer, AS_OF)), answer


def test_security_txt_is_asked_for_as_text_with_a_32_kib_limit():
    f, answer = _security_txt("Contact: mailto:security@example.net\nExpires: 2027-01-01T00:00:00Z\n")
    ((request, limits),) = answer.calls
    assert (request.url, request.accept, request.method, limits.max_bytes) == (
        "https://example.net/.well-known/security.txt",
        "text/plain",
        "GET",
        32 * 1024,
    )
    assert (f.kind, f.url, f.title) == ("security-txt", "https://example.net/.well-known/security.txt", "security.txt of example.net")
    assert f.signals == {"served", "contact-security", "expires-future"} and f.problems == []
    assert f.facts == [("Contact", "mailto:security@example.net"), ("Expires", "2027-01-01T00:00:00Z")]


def test_security_txt_wrong_status_or_encoding_stops_there():
    f, _ = _security_txt("Contact: mailto:security@example.net\n", status=403)
    assert f.problems == [("HTTP 403", "")] and f.facts == [] and not f.signals
    f = only(securitytxt.collect("https://example.net", _Answer(b"Contact: mailto:s\xe9curity@example.net\n", "text/plain"), AS_OF))
    assert f.problems == [("not UTF-8 text", "")] and f.facts == []


def test_security_txt_content_type_is_compared_without_case():
    f, _ = _security_txt("Contact: mailto:security@example.net\nExpires: 2027-01-01T00:00:00Z\n", "Text/Plain; charset=UTF-8")
    assert f.problems == []
    f, _ = _security_txt("Contact: mailto:security@example.net\nExpires: 2027-01-01T00:00:00Z\n", "application/octet-stream")
    assert f.problems == [("not served as text/plain (RFC 9116 requires it)", "application/octet-stream")]
    assert "served" in f.signals


def test_security_txt_shows_ten_malformed_lines_then_counts_the_rest():
    f, _ = _security_txt("Contact: mailto:security@example.net\nExpires: 2027-01-01T00:00:00Z\n" + "".join(f"bad {i}\n" for i in range(13)))
    shown = [p for p in f.problems if p[0].endswith("is not a `Field: value` line")]
    assert shown == [(f"line {i + 3} is not a `Field: value` line", f"bad {i}") for i in range(10)]
    assert ("3 more malformed lines", "") in f.problems
    assert "served" not in f.signals and "contact-security" in f.signals  # a usable contact, but not a clean file
    f, _ = _security_txt("Contact: mailto:security@example.net\n" + "".join(f"bad {i}\n" for i in range(10)))
    assert not any("more malformed" in m for m, _ in f.problems)


def test_security_txt_facts_unknown_fields_and_five_values_per_field():
    body = (
        "Contact: mailto:security@example.net\nContact: https://example.net/report\nContact: http://example.net/x\n"
        "Expires: 2027-01-01T00:00:00Z\nZeta: 1\nAlpha: 2\n" + "".join(f"Policy: https://example.net/p{i}\n" for i in range(7))
    )
    f, _ = _security_txt(body)
    assert f.facts == [
        ("fields outside the IANA registry", "alpha, zeta"),
        ("Contact", "mailto:security@example.net"),
        ("Contact", "https://example.net/report"),
        ("Contact", "http://example.net/x"),
        *[("Policy", f"https://example.net/p{i}") for i in range(5)],
        ("Expires", "2027-01-01T00:00:00Z"),
    ]
    assert f.problems == [("Contact must be a mailto:, tel: or https:// URI", "http://example.net/x")]
    assert f.signals == {"served", "contact-security", "expires-future"}


def test_security_txt_every_registered_field_is_shown_in_a_fixed_order():
    body = (
        "Hiring: https://example.net/jobs\nPreferred-Languages: en\nAcknowledgments: https://example.net/thanks\n"
        "Bug-Bounty: https://example.net/bounty\nCSAF: https://example.net/csaf.json\nCanonical: https://example.net/.well-known/security.txt\n"
        "Encryption: https://example.net/key\nPolicy: https://example.net/policy\nContact: tel:+1-201-555-0123\nExpires: 2027-01-01T00:00:00Z\n"
    )
    f, _ = _security_txt(body)
    assert [label for label, _ in f.facts] == [
        "Contact",
        "Policy",
        "Encryption",
        "Canonical",
        "CSAF",
        "Bug-Bounty",
        "Acknowledgments",
        "Hiring",
        "Preferred-Languages",
        "Expires",
    ]
    assert f.signals == {"served", "expires-future"} and f.problems == []  # a phone number is usable, not security-specific


def test_security_txt_canonical_must_name_the_fetched_or_final_url():
    base = "Contact: mailto:security@example.net\nExpires: 2027-01-01T00:00:00Z\n"
    f, _ = _security_txt(base + "Canonical: https://other.example/.well-known/security.txt\n")
    assert f.problems == [("no Canonical field names the URL it was fetched from", "")]
    f, _ = _security_txt(base + "Canonical: https://other.example/x\nCanonical: https://example.net/.well-known/security.txt\n")
    assert f.problems == []

    class Moved(_Answer):
        def fetch(self, request, limits):
            from dataclasses import replace

            return replace(super().fetch(request, limits), final_url="https://www.example.net/.well-known/security.txt")

    f = only(
        securitytxt.collect(
            "https://example.net", Moved((base + "Canonical: https://www.example.net/.well-known/security.txt\n").encode(), "text/plain"), AS_OF
        )
    )
    assert f.problems == []


def test_security_txt_that_looks_like_html_is_not_served():
    f, _ = _security_txt("\n<html>\nContact: mailto:security@example.net\nExpires: 2027-01-01T00:00:00Z\n")
    assert f.signals == {"contact-security", "expires-future"}
    assert f.problems == [("line 2 is not a `Field: value` line", "<html>")]


def test_security_txt_expires_judged_by_date():
    contact = "Contact: mailto:security@example.net\n"
    f, _ = _security_txt(contact + "Expires: 2026-11-27T23:59:59Z\n")  # the fetch date itself: expired
    assert f.signals == {"served", "contact-security", "expires-past"}
    assert f.problems == [("expired (Expires 2026-11-27 is not after 2026-11-27)", "")]
    f, _ = _security_txt(contact + "Expires: 2026-11-28T00:30:00+01:00\n")  # 2026-11-27 in UTC
    assert "expires-past" in f.signals and f.problems == [("expired (Expires 2026-11-27 is not after 2026-11-27)", "")]
    f, _ = _security_txt(contact + "Expires: 2026-11-28T00:00:00Z\n")
    assert f.signals == {"served", "contact-security", "expires-future"} and f.problems == []
    f, _ = _security_txt(contact + "Expires: 2027-11-28T00:00:00Z\n")  # 366 days ahead: still fine
    assert f.problems == []
    f, _ = _security_txt(contact + "Expires: 2027-11-29T00:00:00Z\n")  # 367 days
    assert "expires-future" in f.signals and f.problems == [("Expires is more than a year ahead (RFC 9116 recommends less)", "")]
    f, _ = _security_txt(contact + "Expires: soon\n")
    assert f.signals == {"served", "contact-security"} and f.problems == [("Expires is not an RFC 3339 date-time", "soon")]
    assert ("Expires", "soon") in f.facts


def test_security_txt_missing_expires():
    f, _ = _security_txt("Contact: mailto:security@example.net\n")
    assert f.signals == {"served", "contact-security", "expires-missing"}
    assert f.problems == [("no Expires field (RFC 9116 requires one)", "")]
    f, _ = _security_txt("Contact: mailto:security@example.net\nbroken line\n")  # not served, but a usable contact
    assert f.signals == {"contact-security", "expires-missing"}
    f, _ = _security_txt("Contact: http://example.net/\n")  # no usable contact: nothing said about Expires
    assert f.signals == set()
    assert f.problems == [
        ("Contact must be a mailto:, tel: or https:// URI", "http://example.net/"),
        ("no usable Contact field (RFC 9116 requires one)", ""),
        ("no Expires field (RFC 9116 requires one)", ""),
    ]


# --- Atlassian Statuspage in detail -------------------------------------------------------


class _ByUrl:
    """A fetcher answering each URL with its own JSON value (status 200), recording what was asked."""

    def __init__(self, answers: dict) -> None:
        self.answers, self.calls = answers, []

    def fetch(self, request, limits):
        import json

        from generator.collect.fetch import Response

        self.calls.append((request, limits))
        value = self.answers[request.url]
        body = value if isinstance(value, bytes) else json.dumps(value).encode()
        return Response(request, request.url, 200, "application/json", body, AS_OF)


SP = "https://status.example.net"


def _summary(**over):
    data = {
        "page": {"name": "Example Talk", "url": "https://status.example.net"},
        "status": {"indicator": "none", "description": "All Systems Operational"},
    }
    data.update(over)
    return data


def _statuspage(summary, incidents, names=("Example Talk", "example.net"), today=AS_OF):
    answers = _ByUrl({f"{SP}/api/v2/summary.json": summary, f"{SP}/api/v2/incidents.json": incidents})
    found = statuspage.collect(SP + "/", answers, today, names)
    return found, answers


def _incident(created, status="resolved", impact="minor", updates=None):
    return {
        "created_at": created,
        "status": status,
        "impact": impact,
        "incident_updates": updates if updates is not None else [{"status": status, "created_at": created}],
    }


def test_statuspage_asks_for_summary_and_incidents_as_json_with_a_4_mib_limit():
    (summary, incidents), answers = _statuspage(_summary(), {"incidents": []})
    assert [(r.url, r.accept, lim.max_bytes) for r, lim in answers.calls] == [
        (f"{SP}/api/v2/summary.json", "application/json", 4 * 1024 * 1024),
        (f"{SP}/api/v2/incidents.json", "application/json", 4 * 1024 * 1024),
    ]
    assert (summary.kind, summary.url, summary.title) == (
        "statuspage-summary",
        f"{SP}/api/v2/summary.json",
        "Status page summary (status.example.net)",
    )
    assert (incidents.kind, incidents.title) == ("statuspage-incidents", "Status page incident history (status.example.net)")
    assert summary.signals == {"live-status"} and summary.problems == []
    assert summary.facts == [("page name", "Example Talk"), ("overall status", "All Systems Operational"), ("components (0)", "")]
    assert incidents.facts == [("incidents listed", "0")] and incidents.signals == set() and incidents.problems == []


def test_statuspage_components_top_level_names_only_fifteen_shown():
    components = [{"name": f"C{i}"} for i in range(16)] + [{"name": "grouped", "group_id": "g1"}, {"group_id": None}, "not an object"]
    (summary, _), _ = _statuspage(_summary(components=components), {"incidents": []})
    assert summary.facts[2] == ("components (18)", ", ".join(f"C{i}" for i in range(15)) + " …")
    (summary, _), _ = _statuspage(_summary(components=components[:14] + components[16:]), {"incidents": []})
    assert summary.facts[2] == ("components (16)", ", ".join(f"C{i}" for i in range(14)) + ", ?")


def test_statuspage_overall_status_falls_back_to_the_indicator():
    (summary, _), _ = _statuspage(_summary(status={"indicator": "minor"}), {"incidents": []})
    assert summary.facts[1] == ("overall status", "minor") and summary.signals == {"live-status"}
    (summary, _), _ = _statuspage({"status": {"indicator": "critical"}, "page": {"url": "https://STATUS.example.net/"}}, {"incidents": []})
    assert summary.facts[:2] == [("page name", "(none)"), ("overall status", "critical")]
    assert summary.problems == [("the page name shares no word with the provider's name or website; check it is theirs", "")]
    (summary, _), _ = _statuspage({"page": {"name": "Example Talk", "url": SP}}, {"incidents": []})
    assert summary.facts[1] == ("overall status", "(none)") and summary.problems == [("no overall status indicator", "")]


@pytest.mark.parametrize("indicator", ["none", "minor", "major", "critical", "maintenance"])
def test_statuspage_indicators(indicator):
    (summary, _), _ = _statuspage(_summary(status={"indicator": indicator}), {"incidents": []})
    assert summary.signals == {"live-status"}


def test_statuspage_name_must_share_a_meaningful_word():
    for name, names, ok in [
        ("Example Talk Status", ("Example Talk", "example.net"), True),
        ("EXAMPLE", ("Example Talk",), True),
        ("Talk", ("Talk",), True),
        ("Chat Status Page", ("Example Chat", "chat.net"), False),  # only generic words in common
        ("Status Services Systems", ("Status Services Systems",), False),
        ("Foo", ("Foo",), False),  # words under four letters do not count
        ("Example Talk", ("Other", "example.net"), True),  # the website's domain counts
    ]:
        (summary, _), _ = _statuspage(_summary(page={"name": name, "url": SP}), {"incidents": []}, names)
        assert ("live-status" in summary.signals) is ok, (name, names)


def test_statuspage_incident_history():
    items = [
        _incident(
            "2026-10-01T10:00:00Z",
            updates=[
                {"status": "investigating", "created_at": "2026-10-01T10:00:00Z"},
                {"status": "postmortem", "created_at": "2026-10-05T10:00:00Z"},
            ],
        ),
        _incident("2026-08-29T10:00:00+02:00", status="postmortem"),  # 90 days before the fetch date
        _incident("2025-11-27T00:00:00", status="completed", impact="maintenance"),  # no offset: UTC
    ]
    (_, incidents), _ = _statuspage(_summary(), {"incidents": items})
    assert incidents.facts == [
        ("incidents listed", "3"),
        ("oldest listed", "2025-11-27"),
        ("newest listed", "2026-10-01"),
        ("updates marked postmortem", "2"),
    ]
    assert incidents.signals == {"history-90-days", "timestamped-updates", "incident-12-months"} and incidents.problems == []


def test_statuspage_history_needs_90_days():
    (_, incidents), _ = _statuspage(_summary(), {"incidents": [_incident("2026-08-30T00:00:00Z")]})
    assert incidents.signals == {"timestamped-updates", "incident-12-months"}
    (_, incidents), _ = _statuspage(_summary(), {"incidents": [_incident("2026-08-29T23:59:00Z")]})
    assert "history-90-days" in incidents.signals


def test_statuspage_recent_incident_is_one_within_365_days_and_not_maintenance():
    (_, incidents), _ = _statuspage(_summary(), {"incidents": [_incident("2025-11-27T12:00:00Z")]})  # 365 days
    assert "incident-12-months" in incidents.signals
    (_, incidents), _ = _statuspage(_summary(), {"incidents": [_incident("2025-11-26T12:00:00Z")]})  # 366 days
    assert "incident-12-months" not in incidents.signals
    (_, incidents), _ = _statuspage(_summary(), {"incidents": [_incident("2026-11-01T12:00:00Z", impact="maintenance")]})
    assert "incident-12-months" not in incidents.signals
    (_, incidents), _ = _statuspage(_summary(), {"incidents": [{"created_at": "2026-11-01T12:00:00Z"}]})  # no impact: counts
    assert incidents.signals == {"incident-12-months"}


def test_statuspage_timestamped_updates_need_a_resolved_incident_and_every_update_dated():
    ok = _incident("2026-10-01T10:00:00Z")
    for extra, signal in [
        ([], True),
        ([_incident("2026-10-02T10:00:00Z", status="investigating")], True),
        ([_incident("2026-10-02T10:00:00Z", updates=[])], False),
        ([_incident("2026-10-02T10:00:00Z", updates=[{"status": "resolved", "created_at": "yesterday"}])], False),
        ([_incident("2026-10-02T10:00:00Z", updates=[{"status": "resolved"}])], False),
    ]:
        (_, incidents), _ = _statuspage(_summary(), {"incidents": [ok, *extra]})
        assert ("timestamped-updates" in incidents.signals) is signal, extra
    (_, incidents), _ = _statuspage(_summary(), {"incidents": [_incident("2026-10-02T10:00:00Z", status="monitoring")]})
    assert "timestamped-updates" not in incidents.signals  # nothing resolved yet


def test_statuspage_incidents_without_a_date_are_named_each_time():
    (_, incidents), _ = _statuspage(
        _summary(), {"incidents": [_incident("2026-10-01T10:00:00Z"), {"created_at": "2026-13-01T00:00:00Z"}, {"created_at": 5}]}
    )
    assert incidents.problems == [("an incident without a valid created_at", "")] * 2
    assert incidents.facts[0] == ("incidents listed", "3") and "timestamped-updates" not in incidents.signals
    (_, incidents), _ = _statuspage(_summary(), {"incidents": [{"created_at": "x"}]})
    assert incidents.facts == [("incidents listed", "1")] and incidents.signals == set()


def test_statuspage_reads_at_most_500_incidents():
    items = [_incident("2026-10-01T10:00:00Z")] * 500 + [_incident("2020-01-01T00:00:00Z")]
    (_, incidents), _ = _statuspage(_summary(), {"incidents": items})
    assert incidents.facts[:2] == [("incidents listed", "501"), ("oldest listed", "2026-10-01")]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10-01T10:00:00Z", dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC)),
        ("2026-10-01T10:00:00.000-04:00", dt.datetime(2026, 10, 1, 10, tzinfo=dt.timezone(-dt.timedelta(hours=4)))),
        ("2026-10-01T10:00:00", dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC)),
        ("2026-10-01", None),
        ("2026-10-01 10:00:00Z", None),
        (" 2026-10-01T10:00:00Z", None),
        ("2026-10-01Tnoon", None),
        (20261001, None),
        (None, None),
    ],
)
def test_statuspage_timestamps(value, expected):
    assert statuspage.timestamp(value) == expected


# --- advisories in detail (GitHub REST security advisories, OSV) ----------------------------


GH = "https://api.github.com/repos/example-chat/server/security-advisories?state=published&per_page=100"


def _ghsa(ghsa, published="2026-06-01T00:00:00Z", cve="CVE-2026-1234", severity="high", vulns=None, **extra):
    item = {
        "ghsa_id": ghsa,
        "cve_id": cve,
        "severity": severity,
        "state": "published",
        "published_at": published,
        "withdrawn_at": None,
        "vulnerabilities": vulns
        if vulns is not None
        else [{"package": {"ecosystem": "pip", "name": "example"}, "vulnerable_version_range": "< 1.2.3", "patched_versions": "1.2.3"}],
    }
    item.update(extra)
    return item


def _github(items, repo="example-chat/server"):
    answers = _ByUrl({f"https://api.github.com/repos/{repo}/security-advisories?state=published&per_page=100": items})
    return only(advisories.github(repo, answers, AS_OF)), answers


def test_github_advisories_request_and_a_complete_record():
    f, answers = _github([_ghsa("GHSA-aaaa-bbbb-cccc")])
    ((request, limits),) = answers.calls
    assert (request.url, request.accept, limits.max_bytes) == (GH, "application/vnd.github+json", 8 * 1024 * 1024)
    assert (f.kind, f.url, f.title) == ("github-advisories", GH, "GitHub security advisories of example-chat/server")
    assert f.facts == [("advisories", "1 listed, 1 published in the last 24 months"), ("advisory 2026-06-01", "GHSA-aaaa-bbbb-cccc")]
    assert f.signals == {"advisories-published", "recent-advisories", "recent-cve-ids", "recent-severity", "recent-versions"} and f.problems == []


@pytest.mark.parametrize("repo", ["../../etc", "owner", "owner/name/extra", "own er/name", "owner/na?me"])
def test_github_advisories_need_an_owner_name_id(repo):
    answers = _ByUrl({})
    f = only(advisories.github(repo, answers, AS_OF))
    assert (f.url, f.title, f.problems) == (
        "https://api.github.com/",
        f"GitHub security advisories of {repo}",
        [("not an owner/name repository id", repo)],
    )
    assert answers.calls == []
    assert (
        only(
            advisories.github(
                "Owner_1/name.js-2",
                _ByUrl({"https://api.github.com/repos/Owner_1/name.js-2/security-advisories?state=published&per_page=100": []}),
                AS_OF,
            )
        ).problems
        == []
    )


def test_github_withdrawn_draft_and_nameless_advisories_are_not_counted():
    items = [
        _ghsa("GHSA-0000-0000-0001", withdrawn_at="2026-07-01T00:00:00Z"),
        _ghsa("GHSA-0000-0000-0002", state="draft"),
        _ghsa("", state="published"),
        {"cve_id": "CVE-2026-1"},
        "not an object",
        _ghsa("GHSA-0000-0000-0003", state=None),
    ]
    f, _ = _github(items)
    assert f.facts == [("advisories", "1 listed, 1 published in the last 24 months"), ("advisory 2026-06-01", "GHSA-0000-0000-0003")]
    f, _ = _github(items[:5])
    assert f.facts == [("advisories", "0 listed, 0 published in the last 24 months")] and f.signals == set() and f.problems == []


def test_github_recent_means_730_days_and_the_newest_eight_are_named():
    items = [_ghsa(f"GHSA-0000-0000-{i:04d}", published=f"2026-0{1 + i % 9}-1{i % 10}T00:00:00Z") for i in range(10)]
    items += [_ghsa("GHSA-old0-0000-0000", published="2024-11-27T00:00:00Z"), _ghsa("GHSA-old1-0000-0000", published="2024-11-26T23:00:00Z")]
    items += [_ghsa("GHSA-nodate-000-0000", published=None)]
    f, _ = _github(items)
    assert f.facts[0] == ("advisories", "13 listed, 11 published in the last 24 months")
    dated = sorted(((i["published_at"][:10], i["ghsa_id"]) for i in items[:11]), reverse=True)[:8]
    assert f.facts[1:] == [(f"advisory {day}", ghsa) for day, ghsa in dated]


def test_github_old_advisories_alone_prove_nothing_recent():
    f, _ = _github([_ghsa("GHSA-old0-0000-0000", published="2024-01-01T00:00:00Z", cve=None)])
    assert f.signals == {"advisories-published"} and f.problems == []


def test_github_recent_advisories_missing_cve_severity_or_versions_are_counted_and_named():
    items = [
        _ghsa("GHSA-0000-0000-0001", cve="CVE-2026-123"),  # too few digits
        _ghsa("GHSA-0000-0000-0002", cve="cve-2026-1234"),
        _ghsa("GHSA-0000-0000-0003", cve="CVE-2026-12345", severity="MODERATE"),
        _ghsa("GHSA-0000-0000-0004", severity="unknown"),
        _ghsa("GHSA-0000-0000-0005", severity=None, vulns=[]),
        _ghsa("GHSA-0000-0000-0006", vulns=[{"vulnerable_version_range": "< 2", "patched_versions": None}]),
        _ghsa(
            "GHSA-0000-0000-0007",
            vulns=[{"vulnerable_version_range": "< 2", "patched_versions": "2"}, {"vulnerable_version_range": "", "patched_versions": "3"}],
        ),
        _ghsa("GHSA-0000-0000-0008", cve="xCVE-2026-1234"),
        _ghsa("GHSA-0000-0000-0009", cve=None),
        _ghsa("GHSA-0000-0000-0010", severity="low", cve="CVE-2026-99999"),
    ]
    f, _ = _github(items)
    assert f.problems == [
        ("4 recent advisories without a CVE id", "GHSA-0000-0000-0001, GHSA-0000-0000-0002, GHSA-0000-0000-0008, GHSA-0000-0000-0009"),
        ("2 recent advisories without a severity", "GHSA-0000-0000-0004, GHSA-0000-0000-0005"),
        ("3 recent advisories without affected and fixed versions", "GHSA-0000-0000-0005, GHSA-0000-0000-0006, GHSA-0000-0000-0007"),
    ]
    assert f.signals == {"advisories-published", "recent-advisories"}
    f, _ = _github([_ghsa(f"GHSA-0000-0000-000{i}", cve=None) for i in range(7)])
    assert f.problems == [("7 recent advisories without a CVE id", ", ".join(f"GHSA-0000-0000-000{i}" for i in range(5)))]
    assert f.signals == {"advisories-published", "recent-advisories", "recent-severity", "recent-versions"}


@pytest.mark.parametrize("severity", ["critical", "high", "moderate", "medium", "low", "Critical"])
def test_github_severities(severity):
    f, _ = _github([_ghsa("GHSA-0000-0000-0001", severity=severity)])
    assert "recent-severity" in f.signals


def test_github_reads_at_most_1000_advisories():
    f, _ = _github([_ghsa(f"GHSA-{i:04d}-0000-0000") for i in range(1001)])
    assert f.facts[0] == ("advisories", "1000 listed, 1000 published in the last 24 months")


OSV = "https://api.osv.dev/v1/query"


def _osv_vuln(vid, published="2026-06-01T00:00:00Z", aliases=("CVE-2026-1234",), severity=True, fixed=True, **extra):
    item = {
        "id": vid,
        "aliases": list(aliases),
        "published": published,
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "example"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, *([{"fixed": "1.2.3"}] if fixed else [])]}],
            }
        ],
    }
    if severity:
        item["severity"] = [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]
    item.update(extra)
    return item


def _osv(data):
    answers = _ByUrl({OSV: data})
    return only(advisories.osv("PyPI", "example", answers, AS_OF)), answers


def test_osv_request_and_a_complete_record():
    f, answers = _osv({"vulns": [_osv_vuln("PYSEC-2026-1")]})
    ((request, limits),) = answers.calls
    assert (request.url, request.method, request.json_body, request.accept, limits.max_bytes) == (
        OSV,
        "POST",
        {"package": {"ecosystem": "PyPI", "name": "example"}},
        "application/json",
        8 * 1024 * 1024,
    )
    assert (f.kind, f.url, f.title) == ("osv", OSV, "OSV.dev vulnerability records for PyPI package example")
    assert f.facts == [("advisories", "1 listed, 1 published in the last 24 months"), ("advisory 2026-06-01", "PYSEC-2026-1")]
    assert f.signals == {"recent-advisories", "recent-cve-ids", "recent-severity", "recent-versions"} and f.problems == []


def test_osv_an_empty_answer_means_no_records():
    f, _ = _osv({})
    assert f.facts == [("advisories", "0 listed, 0 published in the last 24 months")] and f.problems == [] and f.signals == set()
    for data in ({"results": []}, [], {"vulns": {}}):
        f, _ = _osv(data)
        assert f.problems == [("no `vulns` list", "")] and f.facts == []


def test_osv_reads_one_page_and_says_so():
    f, _ = _osv({"vulns": [_osv_vuln("PYSEC-2026-1")], "next_page_token": "abc"})
    assert f.problems == [("more records than one page; only the first page was read", "")]
    f, _ = _osv({"vulns": [_osv_vuln("PYSEC-2026-1")], "next_page_token": ""})
    assert f.problems == []


def test_osv_fields_that_make_a_record_complete():
    vulns = [
        _osv_vuln("CVE-2026-0001", aliases=()),  # the id itself is a CVE
        _osv_vuln("PYSEC-2026-2", aliases=("GHSA-xxxx-xxxx-xxxx", 5)),
        _osv_vuln("PYSEC-2026-3", severity=False, database_specific={"severity": "MODERATE"}),
        _osv_vuln("PYSEC-2026-4", severity=False, database_specific={"severity": "none"}),
        _osv_vuln("PYSEC-2026-5", severity=[]),
        _osv_vuln("PYSEC-2026-6", fixed=False),
        _osv_vuln("PYSEC-2026-7", affected=[]),
        _osv_vuln("PYSEC-2026-8", affected=[{"ranges": [{"events": ["fixed"]}]}, "x"]),
        _osv_vuln("PYSEC-2026-9", withdrawn="2026-07-01T00:00:00Z"),
        {"aliases": ["CVE-2026-1111"]},
        _osv_vuln("PYSEC-2024-1", published="2024-11-26T00:00:00Z"),
    ]
    f, _ = _osv({"vulns": vulns})
    assert f.facts[0] == ("advisories", "9 listed, 8 published in the last 24 months")
    assert f.problems == [
        ("1 recent advisories without a CVE id", "PYSEC-2026-2"),
        ("2 recent advisories without a severity", "PYSEC-2026-4, PYSEC-2026-5"),
        ("3 recent advisories without affected and fixed versions", "PYSEC-2026-6, PYSEC-2026-7, PYSEC-2026-8"),
    ]
    assert f.signals == {"recent-advisories"}
    f, _ = _osv({"vulns": [_osv_vuln("PYSEC-2026-6", fixed=False)]})
    assert f.signals == {"recent-cve-ids", "recent-severity"}  # no fixed version documented: no recent-advisories


def test_osv_reads_at_most_2000_records():
    f, _ = _osv({"vulns": [_osv_vuln(f"PYSEC-{i}") for i in range(2001)]})
    assert f.facts[0] == ("advisories", "2000 listed, 2000 published in the last 24 months")


# --- bounty directories in detail ---------------------------------------------------------


TARGETS = "https://raw.githubusercontent.com/arkadiyt/bounty-targets-data/main/data/"
DIODB = "https://raw.githubusercontent.com/disclose/diodb/master/program-list.json"


def _targets(programme, platform_file, records):
    answers = _ByUrl({TARGETS + platform_file: records})
    return only(bounty.targets(programme, answers, AS_OF)), answers


def test_bounty_targets_hackerone_record():
    record = {
        "handle": "example_talk",
        "name": "Example Talk",
        "url": "https://hackerone.com/example_talk",
        "offers_bounties": True,
        "submission_state": "open",
        "targets": {"in_scope": [{"asset_identifier": "example.net"}], "out_of_scope": []},
    }
    f, answers = _targets("https://hackerone.com/example_talk", "hackerone_data.json", [record])
    ((request, limits),) = answers.calls
    assert (request.url, request.accept, limits.max_bytes, limits.deadline) == (
        TARGETS + "hackerone_data.json",
        "application/json",
        96 * 1024 * 1024,
        120.0,
    )
    assert (f.kind, f.url, f.title) == ("bounty-targets", TARGETS + "hackerone_data.json", "bounty-targets-data: hackerone programmes")
    assert f.facts == [
        ("programme", "https://hackerone.com/example_talk"),
        ("listed as", "Example Talk"),
        ("submission state", "open"),
        ("pays bounties", "yes"),
        ("targets in scope", "1"),
    ]
    assert f.signals == {"listed", "pays", "scope-published"} and f.problems == []
    f, _ = _targets("https://hackerone.com/example_talk", "hackerone_data.json", [{"handle": "example_talk", "offers_bounties": "true"}])
    assert f.facts == [
        ("programme", "https://hackerone.com/example_talk"),
        ("listed as", "(no name)"),
        ("pays bounties", "not marked"),
        ("targets in scope", "0"),
    ]
    assert f.signals == {"listed"}


def test_bounty_targets_bugcrowd_pays_by_its_maximum_payout():
    for payout, pays in [
        (5000, True),
        ({"value": 300, "currency": "USD"}, True),
        (0, False),
        ({"value": 0}, False),
        (True, False),
        ("5000", False),
        (None, False),
        ({"amount": 5}, False),
        (0.5, True),
    ]:
        record = {
            "name": "Example Talk",
            "url": "https://bugcrowd.com/example-talk",
            "max_payout": payout,
            "safe_harbor": "full",
            "targets": {"in_scope": []},
        }
        f, _ = _targets("https://www.bugcrowd.com/example-talk/", "bugcrowd_data.json", [record])
        assert ("pays" in f.signals) is pays, payout
        assert f.facts == [
            ("programme", "https://www.bugcrowd.com/example-talk/"),
            ("listed as", "Example Talk"),
            ("safe harbour (Bugcrowd)", "full"),
            ("pays bounties", "yes" if pays else "not marked"),
            ("targets in scope", "0"),
        ]


def test_bounty_targets_intigriti_and_yeswehack_pay_by_maximum_bounty():
    record = {"handle": "examplechat", "name": "Example Chat", "max_bounty": {"value": 10000, "currency": "EUR"}}
    f, answers = _targets("https://app.intigriti.com/programs/examplecorp/examplechat/detail", "intigriti_data.json", [record])
    assert "listed" not in f.signals  # the last path segment is "detail"
    f, answers = _targets("https://app.intigriti.com/programs/examplecorp/examplechat", "intigriti_data.json", [record])
    assert f.signals == {"listed", "pays"} and answers.calls[0][0].url == TARGETS + "intigriti_data.json"
    f, _ = _targets("https://yeswehack.com/programs/example-chat", "yeswehack_data.json", [{"id": "Example-Chat", "max_bounty": 0}])
    assert f.signals == {"listed"}


def test_bounty_targets_matches_addresses_loosely_and_handles_exactly():
    for record, listed in [
        ({"url": "https://HackerOne.com/Example_Talk/"}, True),
        ({"url": "https://www.hackerone.com/example_talk"}, True),
        ({"url": "https://hackerone.com/example_talk_2"}, False),
        ({"handle": "EXAMPLE_TALK"}, True),
        ({"handle": "example"}, False),
        ({"id": "example_talk"}, False),  # HackerOne records are matched by handle
    ]:
        f, _ = _targets("https://hackerone.com/example_talk", "hackerone_data.json", ["x", record])
        assert ("listed" in f.signals) is listed, record
    f, _ = _targets("https://hackerone.com/", "hackerone_data.json", [{"handle": ""}])
    assert f.signals == set() and f.problems == [("programme not listed in the directory (it may be private or renamed)", "")]


def test_bounty_targets_programme_must_be_on_a_known_platform():
    answers = _ByUrl({})
    for programme in ("https://bounty.example.org/programme", "https://evilhackerone.com/x", "not a url"):
        f = only(bounty.targets(programme, answers, AS_OF))
        assert (f.kind, f.url, f.title) == ("bounty-targets", TARGETS, "bounty-targets-data")
        assert f.problems == [("programme URL is not on HackerOne, Bugcrowd, Intigriti or YesWeHack", programme)]
    assert answers.calls == []
    f, answers = _targets("https://sub.yeswehack.com/programs/x", "yeswehack_data.json", [])
    assert f.problems == [("programme not listed in the directory (it may be private or renamed)", "")]


def _diodb(program, records):
    answers = _ByUrl({DIODB: records})
    return only(bounty.diodb(program, answers, AS_OF)), answers


def test_diodb_record_facts_and_safe_harbour():
    record = {
        "program_name": "Example Talk",
        "policy_url": "https://example.net/security",
        "contact_url": "mailto:security@example.net",
        "launch_date": "",
        "offers_bounty": "yes",
        "safe_harbor": "Full",
        "public_disclosure": "",
        "hiring": "yes",
    }
    f, answers = _diodb("  example talk ", [{"program_name": "Other"}, record])
    ((request, limits),) = answers.calls
    assert (request.url, request.accept, limits.max_bytes) == (DIODB, "application/json", 96 * 1024 * 1024)
    assert (f.kind, f.url, f.title) == ("diodb", DIODB, "disclose.io diodb programme list")
    assert f.facts == [
        ("programme", "  example talk "),
        ("policy_url", "https://example.net/security"),
        ("contact_url", "mailto:security@example.net"),
        ("safe_harbor", "Full"),
        ("offers_bounty", "yes"),
    ]
    assert f.signals == {"listed", "safe-harbour-full"} and f.problems == []
    f, _ = _diodb("Example Talk", [dict(record, safe_harbor="partial", bug_bounty=False)])
    assert f.signals == {"listed"} and ("bug_bounty", False) in f.facts


def test_diodb_finds_a_programme_by_its_policy_address():
    records = [{"program_name": "Talk", "policy_url": "https://www.example.net/Security/"}]
    f, _ = _diodb("https://example.net/security", records)
    assert f.signals == {"listed"}
    f, _ = _diodb("example.net/security", records)  # not an address: compared as a name
    assert f.signals == set() and f.problems == [("programme not listed in diodb", "")]
    f, _ = _diodb("https://example.net/other", records)
    assert f.signals == set()


# --- CSAF provider metadata in detail -----------------------------------------------------------


def _csaf(data):
    answers = _ByUrl({"https://example.net/.well-known/csaf/provider-metadata.json": data})
    return only(csaf.collect("https://example.net/", answers, AS_OF)), answers


def _metadata(**over):
    data = {
        "canonical_url": "https://example.net/.well-known/csaf/provider-metadata.json",
        "distributions": [{"directory_url": "https://example.net/.well-known/csaf/white/"}],
        "last_updated": "2026-11-01T00:00:00.000Z",
        "metadata_version": "2.0",
        "publisher": {"category": "vendor", "name": "Example Talk Ltd", "namespace": "https://example.net"},
        "role": "csaf_provider",
    }
    data.update(over)
    return data


def test_csaf_provider_metadata_request_and_facts():
    f, answers = _csaf(_metadata())
    ((request, limits),) = answers.calls
    assert (request.url, request.accept, limits.max_bytes) == (
        "https://example.net/.well-known/csaf/provider-metadata.json",
        "application/json",
        256 * 1024,
    )
    assert (f.kind, f.title) == ("csaf", "CSAF provider metadata of example.net")
    assert f.facts == [
        ("publisher", "Example Talk Ltd"),
        ("role", "csaf_provider"),
        ("distribution", "https://example.net/.well-known/csaf/white/"),
        ("last_updated", "2026-11-01T00:00:00.000Z"),
    ]
    assert f.signals == {"provider-metadata"} and f.problems == []


def test_csaf_rolie_feeds_count_as_distributions_five_shown():
    feeds = [{"tlp_label": "WHITE", "url": f"https://example.net/feed{i}.json"} for i in range(6)]
    f, _ = _csaf(_metadata(distributions=[{"rolie": {"feeds": feeds}}], last_updated=None))
    assert [v for k, v in f.facts if k == "distribution"] == [f"https://example.net/feed{i}.json" for i in range(5)]
    assert f.signals == {"provider-metadata"} and not any(k == "last_updated" for k, _ in f.facts)
    f, _ = _csaf(_metadata(distributions=[{"directory_url": "http://example.net/csaf/", "rolie": {"feeds": [{"url": "ftp://example.net/f"}, {}]}}]))
    assert [v for k, v in f.facts if k == "distribution"] == ["http://example.net/csaf/", "ftp://example.net/f", ""]
    assert f.problems == [("no https distribution (directory_url or ROLIE feed)", "")] and f.signals == set()


@pytest.mark.parametrize("role", ["csaf_publisher", "csaf_provider", "csaf_trusted_provider"])
def test_csaf_roles(role):
    f, _ = _csaf(_metadata(role=role))
    assert f.signals == {"provider-metadata"}


def test_csaf_problems_in_order():
    f, _ = _csaf(_metadata(metadata_version=2.0, role="x"))
    assert f.problems == [("metadata_version is not 2.0", "")]
    f, _ = _csaf(_metadata(role="csaf_aggregator"))
    assert f.problems == [("not a CSAF role", "csaf_aggregator")]
    f, _ = _csaf(_metadata(role=None, publisher={}))
    assert f.problems == [("not a CSAF role", "")] and f.facts[:2] == [("publisher", "(none)"), ("role", "(none)")]
    f, _ = _csaf(_metadata(publisher={"name": ""}, distributions=[]))
    assert f.problems == [("no publisher name", "")]
    f, _ = _csaf(_metadata(distributions=[]))
    assert f.problems == [("no https distribution (directory_url or ROLIE feed)", "")]


# --- Matrix support in detail ---------------------------------------------------------------


def _matrix(data):
    answers = _ByUrl({"https://example.net/.well-known/matrix/support": data})
    return only(matrix.collect("https://example.net/", answers, AS_OF)), answers


def test_matrix_support_request_and_contacts():
    data = {
        "contacts": [
            {"role": "m.role.admin", "email_address": "admin@example.net", "matrix_id": "@admin:example.net"},
            {"role": "m.role.security", "matrix_id": "@security:example.net"},
            {"email_address": "noone@example.net"},
            {"role": "m.role.x" + "y" * 50},
        ],
        "support_page": "https://example.net/support",
    }
    f, answers = _matrix(data)
    ((request, limits),) = answers.calls
    assert (request.url, request.accept, limits.max_bytes) == ("https://example.net/.well-known/matrix/support", "application/json", 64 * 1024)
    assert (f.kind, f.title) == ("matrix-support", "Matrix server support information of example.net")
    assert f.facts == [
        ("contact (m.role.admin)", "admin@example.net"),
        ("contact (m.role.security)", "@security:example.net"),
        ("contact (" + ("m.role.x" + "y" * 50)[:40] + ")", "(no address)"),
        ("support_page", "https://example.net/support"),
    ]
    assert f.signals == {"security-contact"} and f.problems == [("a contact without a role", "")]


@pytest.mark.parametrize(
    ("contact", "ok"),
    [
        ({"email_address": "security@example.net"}, True),
        ({"email_address": "security@localhost"}, False),
        ({"email_address": "a b@example.net"}, False),
        ({"email_address": "a@b@example.net"}, False),
        ({"matrix_id": "@security:example.net"}, True),
        ({"matrix_id": "security:example.net"}, False),
        ({"matrix_id": "@security"}, False),
        ({"matrix_id": "@sec urity:example.net"}, False),
        ({"email_address": "bad", "matrix_id": "@security:example.net"}, True),
    ],
)
def test_matrix_security_contact_addresses(contact, ok):
    f, _ = _matrix({"contacts": [{"role": "m.role.security", **contact}]})
    assert ("security-contact" in f.signals) is ok
    if not ok:
        assert f.problems == [
            ("security contact without a valid e-mail address or Matrix ID", contact.get("email_address") or contact.get("matrix_id"))
        ]


def test_matrix_without_a_security_role_says_so_once():
    f, _ = _matrix({"contacts": [{"role": "m.role.admin", "email_address": "admin@example.net"}]})
    assert f.problems == [("no contact with role m.role.security", "")]
    f, _ = _matrix({"support_page": "https://example.net/help"})
    assert f.problems == [("no `contacts` list", "")] and f.facts == [("support_page", "https://example.net/help")]
    f, _ = _matrix({"contacts": [{"role": "m.role.admin"}] * 25 + [{"role": "m.role.security", "email_address": "s@example.net"}]})
    assert len(f.facts) == 20 and f.signals == set()  # the first 20 contacts are read


@pytest.mark.parametrize("page", [["https://example.net/help"], {"url": "https://example.net/help"}, 7, True])
def test_matrix_support_page_that_is_not_a_string_is_not_a_fact(page):
    f, _ = _matrix({"support_page": page})
    assert f.facts == [] and f.problems == [("no `contacts` list", "")]


# --- run: proposals, their plan, link-rot flags ----------------------------------------------


def _fetched(kind, url, signals=(), status=200, final=None, body=b"x"):
    from generator.collect.base import Finding
    from generator.collect.fetch import Request, Response

    finding = Finding(kind, url, f"{kind} title")
    finding.response = Response(Request(url), final or url, status, "text/plain", body, AS_OF)
    finding.signals = set(signals)
    return finding


TALK = SimpleNamespace(
    id="example-talk", name="Example Talk", website="https://example.net/", official_sites=["github.com/example-talk"], assessments=[]
)


def test_propose_maps_signals_to_requirements_with_publisher_and_provenance():
    from generator.collect.base import Finding

    mapping, _ = checks.load(ROOT)
    findings = [
        _fetched("security-txt", "https://example.net/.well-known/security.txt", {"served"}, status=410),
        Finding("matrix-support", "https://example.net/.well-known/matrix/support", "not fetched"),
        _fetched("no-such-check", "https://example.net/x", {"served"}),
        _fetched("matrix-support", "https://example.net/.well-known/matrix/support", {"security-contact"}),
        _fetched("github-advisories", GH, {"recent-cve-ids", "advisories-published"}),
        _fetched("osv", OSV, {"recent-advisories", "recent-severity"}),
    ]
    proposals, notes = run.propose(TALK, findings, mapping)
    assert notes == []
    assert [(p.criterion, p.requirement, p.status, p.signal, p.finding.kind, p.provenance, p.publisher, p.action, p.note) for p in proposals] == [
        ("id-security-contact", "dedicated-contact", "met", "security-contact", "matrix-support", "vendor-asserted", "Example Talk", "", ""),
        ("rs-security-advisories", "dedicated-channel", "met", "advisories-published", "github-advisories", "vendor-asserted", "GitHub", "", ""),
        ("rs-security-advisories", "cve-ids", "met", "recent-cve-ids", "github-advisories", "vendor-asserted", "GitHub", "", ""),
        ("rs-fix-track-record", "fixes-documented", "met", "recent-advisories", "osv", "third-party", "OSV.dev", "", ""),
    ]
    assert all(f.problems == [] for f in findings)


def test_propose_checks_the_final_address_against_the_website_and_official_sites():
    mapping, _ = checks.load(ROOT)
    moved = _fetched("security-txt", "https://example.net/.well-known/security.txt", {"served"}, final="https://cdn.example.org/security.txt")
    on_github = _fetched("security-txt", "https://github.com/example-talk/.well-known/security.txt", {"served"})
    support = _fetched(
        "matrix-support",
        "https://example.net/.well-known/matrix/support",
        {"security-contact"},
        final="https://matrix.example.org/.well-known/matrix/support",
    )
    sub = _fetched("matrix-support", "https://github.com/example-talk/x", {"security-contact"})
    proposals, _ = run.propose(TALK, [moved, on_github, support, sub], mapping)
    assert moved.problems == [("not on the domain of Example Talk's website; nothing proposed", "cdn.example.org")]
    assert on_github.problems == [("not on the domain of Example Talk's website; nothing proposed", "github.com")]
    assert support.problems == [("not on Example Talk's own site; nothing proposed", "matrix.example.org")]
    assert sub.problems == [] and [p.finding for p in proposals] == [sub]


def test_disagreeing_sources_are_noted_once_and_agreeing_ones_kept():
    mapping, _ = checks.load(ROOT)
    url = "https://example.net/.well-known/security.txt"
    findings = [
        _fetched("security-txt", url, {"served", "expires-past"}),
        _fetched("security-txt", url, {"served", "expires-future"}),
        _fetched("security-txt", url, {"expires-missing"}),
    ]
    proposals, notes = run.propose(TALK, findings, mapping)
    assert notes == ["id-security-contact/security-txt-expires: sources disagree (met and contradicted); nothing proposed"]
    assert [(p.requirement, p.status) for p in proposals] == [("security-txt", "met"), ("security-txt", "met")]


def _dataset(applicable=("id-security-contact",)):
    criteria = {
        "id-security-contact": SimpleNamespace(
            id="id-security-contact",
            requirements=[SimpleNamespace(id=r) for r in ("dedicated-contact", "security-txt", "security-txt-contact", "security-txt-expires")],
        ),
        "rc-status-page": SimpleNamespace(id="rc-status-page", requirements=[SimpleNamespace(id="status-page")]),
    }
    return SimpleNamespace(criteria=criteria, applicable=lambda provider: [criteria[c] for c in applicable])


def _proposal(criterion, requirement, status="met", finding=None):
    finding = finding or _fetched("security-txt", "https://example.net/.well-known/security.txt")
    return run.Proposal(criterion, requirement, status, "served", finding, "vendor-asserted", "Example Talk")


def _claim(criterion, requirements=None, outcome=None, sources=(), reviewed="2026-06-01", **extra):
    return SimpleNamespace(criterion=criterion, requirements=requirements, outcome=outcome, sources=list(sources), reviewed=reviewed, **extra)


def test_plan_sorts_each_proposal():
    claim = _claim("id-security-contact", {"dedicated-contact": "met", "security-txt": "not-found", "security-txt-expires": "contradicted"})
    provider = SimpleNamespace(id="example-talk", name="Example Talk", kind=SimpleNamespace(value="service"), assessments=[claim])
    result = run.ProviderResult(provider)
    result.proposals = [
        _proposal("id-security-contact", "dedicated-contact"),
        _proposal("id-security-contact", "security-txt"),
        _proposal("id-security-contact", "security-txt-contact"),  # not in the claim's statuses
        _proposal("id-security-contact", "security-txt-expires"),
        _proposal("id-security-contact", "no-such-requirement"),
        _proposal("no-such-criterion", "x"),
        _proposal("rc-status-page", "status-page"),
    ]
    run.plan(result, _dataset())
    assert [(p.action, p.note) for p in result.proposals] == [
        ("refresh", ""),
        ("fill", ""),
        ("fill", ""),
        ("conflict", "recorded as contradicted; the check says met; a person should look"),
        ("skip", "requirement not in the criteria (update data/collect/checks.yaml)"),
        ("skip", "requirement not in the criteria (update data/collect/checks.yaml)"),
        ("skip", "criterion does not apply to a provider of kind service"),
    ]
    assert result.flags == []


def test_plan_new_claims_and_claims_with_an_outcome():
    provider = SimpleNamespace(
        kind=SimpleNamespace(value="both"), assessments=[_claim("rc-status-page", outcome=SimpleNamespace(value="no-known-incidents"))]
    )
    result = run.ProviderResult(provider)
    result.proposals = [_proposal("id-security-contact", "security-txt"), _proposal("rc-status-page", "status-page")]
    run.plan(result, _dataset(("id-security-contact", "rc-status-page")))
    assert [(p.action, p.note) for p in result.proposals] == [
        ("new-claim", ""),
        ("conflict", "the claim is recorded as no-known-incidents; a person should look"),
    ]
    provider = SimpleNamespace(kind=SimpleNamespace(value="both"), assessments=[_claim("rc-status-page", requirements=None)])
    result = run.ProviderResult(provider)
    result.proposals = [_proposal("rc-status-page", "status-page")]
    run.plan(result, _dataset(("rc-status-page",)))
    assert result.proposals[0].action == "fill"


def test_plan_flags_gone_and_changed_sources():
    url = "https://example.net/.well-known/security.txt"
    old = SimpleNamespace(url=url, content_sha256="0" * 64)
    moved = SimpleNamespace(url="https://example.net/new", content_sha256="0" * 64)
    same = SimpleNamespace(url="https://example.net/same", content_sha256=hashlib.sha256(b"same").hexdigest())
    unhashed = SimpleNamespace(url="https://example.net/unhashed", content_sha256=None)
    claims_ = [
        _claim("id-security-contact", {}, sources=[old, same, unhashed]),
        _claim("rc-status-page", {}, sources=[moved], reviewed=None, verified="2026-05-01"),
    ]
    provider = SimpleNamespace(kind=SimpleNamespace(value="both"), assessments=claims_)
    result = run.ProviderResult(provider)
    from generator.collect.base import Finding

    result.findings = [
        _fetched("security-txt", url, status=410),
        _fetched("x", "https://example.net/old", final="https://example.net/new", body=b"other"),
        _fetched("x", "https://example.net/same", body=b"same"),
        _fetched("x", "https://example.net/unhashed", status=404),
        Finding("x", url, "not fetched"),
    ]
    run.plan(result, _dataset())
    assert [(f.criterion, f.url, f.reason) for f in result.flags] == [
        ("id-security-contact", url, "answers HTTP 410: re-review the claim"),
        ("rc-status-page", "https://example.net/new", "content changed since it was reviewed (2026-05-01): re-review the claim"),
        ("id-security-contact", "https://example.net/unhashed", "answers HTTP 404: re-review the claim"),
    ]


def test_signals_by_kind_merges_the_collectors():
    kinds = run.signals_by_kind()
    assert kinds["statuspage-incidents"] == {"history-90-days", "timestamped-updates", "incident-12-months"}
    assert kinds["osv"] == {"recent-advisories", "recent-cve-ids", "recent-severity", "recent-versions"}
    assert set(kinds) == {
        "security-txt",
        "matrix-support",
        "statuspage-summary",
        "statuspage-incidents",
        "github-advisories",
        "osv",
        "endoflife",
        "bounty-targets",
        "diodb",
        "csaf",
        "security-insights",
    }
    assert kinds["github-advisories"] == kinds["osv"] | {"advisories-published"}


def test_official_sites_are_the_website_domain_and_the_listed_sites():
    assert run.official("https://example.net/x", TALK) and run.official("https://status.example.net/x", TALK)
    assert run.official("https://github.com/example-talk/server", TALK)
    assert not run.official("https://github.com/someone-else", TALK) and not run.official("https://example.org/", TALK)


def test_wiring_file_problems_are_data_errors(tmp_path):
    from generator.problems import DataError

    (tmp_path / "data" / "collect").mkdir(parents=True)
    (tmp_path / "data" / "collect" / "sources.yaml").write_text("providers: [unclosed\n")
    with pytest.raises(DataError):
        run.extra_sources(tmp_path)
    (tmp_path / "data" / "collect" / "sources.yaml").write_text("providers:\n")
    assert run.extra_sources(tmp_path) == {}


def test_wiring_file_alone_supplies_the_sources():
    from generator.model import MachineSources

    more = MachineSources(endoflife=["b"])
    assert run.sources_of(SimpleNamespace(id="p", machine_sources=None), {"p": more}) is more
    own = MachineSources(csaf=["https://example.net"])
    assert run.sources_of(SimpleNamespace(id="p", machine_sources=own), {"q": more}) is own


# --- OpenSSF Security Insights in detail ------------------------------------------------------

SI = "https://raw.githubusercontent.com/example-talk/server/main/SECURITY-INSIGHTS.yml"

SI_V2 = """header:
  schema-version: 2.0.0
  last-updated: '2026-10-01'
project:
  name: Example Talk
  vulnerability-reporting:
    reports-accepted: true
    bug-bounty-available: true
    contact:
      name: Security team
      email: security@example.net
    security-policy: https://github.com/example-talk/server/blob/main/SECURITY.md
repository:
  security:
    assessments:
      third-party:
        - name: Example audit
          evidence: https://example.net/audit-2026.pdf
          date: '2026-05-01'
        - comment: nameless
"""


def _insights(text, status=200):
    answer = _Answer(text.encode() if isinstance(text, str) else text, "text/plain", status)
    return only(insights.collect(SI, answer, AS_OF)), answer


def test_security_insights_v2_facts_and_signal():
    f, answer = _insights(SI_V2)
    ((request, limits),) = answer.calls
    assert (request.url, request.accept, limits.max_bytes) == (SI, "text/plain", 256 * 1024)
    assert (f.kind, f.url, f.title) == ("security-insights", SI, "OpenSSF Security Insights file")
    assert f.facts == [
        ("schema-version", "2.0.0"),
        ("third-party assessment", "Example audit 2026-05-01 https://example.net/audit-2026.pdf"),
        ("third-party assessment", "?  "),
        ("reports accepted", "yes"),
        ("contact e-mail", "security@example.net"),
        ("security policy", "https://github.com/example-talk/server/blob/main/SECURITY.md"),
        ("bug bounty available", "True"),
    ]
    assert f.signals == {"reporting-contact"} and f.problems == []


def test_security_insights_reports_accepted_needs_a_valid_address():
    f, _ = _insights(SI_V2.replace("security@example.net", "security at example dot net"))
    assert f.signals == set() and f.problems == [("reports accepted but no valid contact e-mail", "")]
    f, _ = _insights(SI_V2.replace("      email: security@example.net\n", ""))
    assert f.problems == [("reports accepted but no valid contact e-mail", "")] and not any(k == "contact e-mail" for k, _ in f.facts)
    f, _ = _insights(SI_V2.replace("reports-accepted: true", "reports-accepted: 'true'"))
    assert f.signals == set() and f.problems == [] and ("reports accepted", "no or not stated") in f.facts
    f, _ = _insights(SI_V2.replace("reports-accepted: true", "reports-accepted: false").replace("    bug-bounty-available: true\n", ""))
    assert f.signals == set() and f.problems == [] and not any(k == "bug bounty available" for k, _ in f.facts)


def test_security_insights_version_and_status_problems():
    f, _ = _insights(SI_V2, status=404)
    assert f.problems == [("HTTP 404", "")] and f.facts == []
    f, _ = _insights(SI_V2.replace("schema-version: 2.0.0", "schema-version: 3.0.0"))
    assert f.problems == [("unknown schema-version", "3.0.0")] and f.facts == [("schema-version", "3.0.0")]
    f, _ = _insights("project: {}\n")
    assert f.problems == [("unknown schema-version", "")] and f.facts == [("schema-version", "(none)")]
    f, _ = _insights("header:\n  schema-version: 2\n")
    assert f.problems == [("unknown schema-version", "2")]


def test_security_insights_yaml_problems_name_their_line_three_at_most():
    f, _ = _insights(b"a: \x01\nb: \x02\nc: \x03\nd: \x04\n")
    assert f.problems == [
        ("not acceptable YAML (line 1)", "control character U+0001 is not allowed"),
        ("not acceptable YAML (line 2)", "control character U+0002 is not allowed"),
        ("not acceptable YAML (line 3)", "control character U+0003 is not allowed"),
    ]
    assert f.facts == []


def test_security_insights_v1_without_a_contact():
    f, _ = _insights("header:\n  schema-version: 1.0.1\nvulnerability-reporting:\n  accepts-vulnerability-reports: true\n")
    assert f.facts == [("schema-version", "1.0.1"), ("reports accepted", "yes")]
    assert f.problems == [("reports accepted but no valid contact e-mail", "")]
    f, _ = _insights("header:\n  schema-version: 1.0.1\nvulnerability-reporting: [x]\n")
    assert f.facts == [("schema-version", "1.0.1"), ("reports accepted", "no or not stated")] and f.problems == []


# --- the report in detail ----------------------------------------------------------------------


def test_report_sections_limits_and_wording():
    from generator.collect import report
    from generator.collect.base import Finding
    from generator.collect.fetch import FetchError

    failed = Finding("security-txt", "https://example.net/.well-known/security.txt", "t")
    failed.error = FetchError("dns", "cannot resolve example.net")
    main = _fetched("security-txt", "https://example.net/a", {"b", "a"}, final="https://example.net/b", body=b"abc")
    from dataclasses import replace

    main.response = replace(main.response, redirects=("https://example.net/a",))
    for i in range(41):
        main.fact(f"f{i}", i)
    main.problem("p0")
    main.problem("p1", None)
    main.problem("p2", "d`etail")
    for i in range(3, 21):
        main.problem(f"p{i}")
    gone = _fetched("matrix-support", "https://example.net/gone", status=410, body=b"")
    provider = SimpleNamespace(id="example-talk", name="Example Talk")
    result = run.ProviderResult(provider, findings=[failed, main, gone], notes=["id-security-contact/security-txt-expires: sources disagree"])
    result.proposals = [
        run.Proposal(
            "id-security-contact",
            "security-txt",
            "met",
            "served",
            main,
            "vendor-asserted",
            "Example Talk",
            "conflict",
            "recorded as contradicted; a person should look",
        ),
        run.Proposal("id-security-contact", "security-txt-contact", "met", "served", main, "vendor-asserted", "Example Talk"),
        run.Proposal("id-security-contact", "dedicated-contact", "contradicted", "served", main, "vendor-asserted", "Example Talk", "new-claim"),
    ]
    result.flags = [run.Flag("id-security-contact", "https://example.net/gone", "answers HTTP 410: re-review the claim")]
    text = report.markdown(
        [result],
        AS_OF,
        "live",
        ["data/providers/example-talk.yaml", "data/providers/other.yaml"],
        {"https://example.net/a": "https://web.archive.org/web/20261127000000/https://example.net/b"},
        notes=["https://example.net/c: no capture available yet"],
    )
    expected = [
        "# Collected evidence, 2026-11-27",
        "",
        "Mode: live. Proposals come from machine checks listed in `data/collect/checks.yaml`; every proposed claim is marked "
        "`collected: true` until a person confirms it. Fetched text is shown in code spans, shortened, and was not interpreted.",
        "",
        "Written: `data/providers/example-talk.yaml`, `data/providers/other.yaml`. `scorecard validate` passed.",
        "",
        "- providers with machine sources: 1",
        "- sources fetched: 3 (1 failed)",
        "- proposals: 3 (1 new-claim, 1 conflict)",
        "- flagged for re-review: 1",
        "",
        "## Needs a person",
        "",
        "- `example-talk` / `id-security-contact/security-txt`: recorded as contradicted; a person should look (security-txt)",
        "",
        "## Archive",
        "",
        "- `https://example.net/c: no capture available yet`",
        "",
        "## Flagged for re-review",
        "",
        "- `example-talk` / `id-security-contact`: `https://example.net/gone` answers HTTP 410: re-review the claim",
        "",
        "## Example Talk (`example-talk`)",
        "",
        "- id-security-contact/security-txt-expires: sources disagree",
        "",
        "### security-txt: `https://example.net/.well-known/security.txt`",
        "",
        "- not fetched: dns (`cannot resolve example.net`)",
        "",
        "### security-txt: `https://example.net/a`",
        "",
        "- HTTP 200, 3 bytes, sha256 `ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad`, fetched 2026-11-27",
        "- redirected to `https://example.net/b`",
        "- archived copy: `https://web.archive.org/web/20261127000000/https://example.net/b`",
        *[f"- f{i}: `{i}`" for i in range(40)],
        "- problem: p0",
        "- problem: p1",
        "- problem: p2 ``d`etail``",
        *[f"- problem: p{i}" for i in range(3, 20)],
        "- signals: `a`, `b`",
        "- proposes `id-security-contact/security-txt`: **met** (served) → needs a person: recorded as contradicted; a person should look",
        "- proposes `id-security-contact/security-txt-contact`: **met** (served) → planned",
        "- proposes `id-security-contact/dedicated-contact`: **contradicted** (served) → new claim (collected)",
        "",
        "### matrix-support: `https://example.net/gone`",
        "",
        "- HTTP 410, 0 bytes, sha256 `e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`, fetched 2026-11-27",
        "- **gone (404/410)**: claims citing it are flagged above",
    ]
    assert text == "\n".join(expected) + "\n"


def test_report_without_results_or_changes():
    from generator.collect import report

    text = report.markdown([], AS_OF, "offline", None, None)
    assert text.endswith(
        "Nothing under `data/` was changed (run with `--write` to apply).\n\n"
        "- providers with machine sources: 0\n- sources fetched: 0 (0 failed)\n- proposals: 0 (none)\n- flagged for re-review: 0\n"
    )
    assert "## " not in text


def test_report_longer_than_60000_characters_is_cut_at_a_line():
    from generator.collect import report

    def sized(extra: int) -> str:
        notes = ["n" * 250] * 233 + ["n" * extra]  # each note is shortened to 300 characters: the last one sets the length
        return report.markdown([], AS_OF, "live", None, None, notes=notes)

    base = len(sized(1)) - 1
    assert base < 60000
    exact = sized(60000 - base)  # a report of exactly 60,000 characters is kept whole
    assert len(exact) == 60000 and exact.endswith("n`\n")
    cut = sized(60000 - base + 1)
    suffix = "\n\n(report shortened; the full report is in the workflow artifact)\n"
    assert cut.endswith(suffix) and cut.startswith("# Collected evidence, 2026-11-27\n")
    kept = cut[: -len(suffix)]
    assert kept == exact[: exact.rindex("\n", 0, 60000 - 1)] and kept.endswith("`")
    assert len(kept.splitlines()) == len(exact.splitlines()) - 1  # only the last note, which no longer fits whole, is left out


# --- archive in detail --------------------------------------------------------------------------


class _Wayback:
    """Save Page Now and the availability API, scripted: {url: Response body (JSON) or FetchError}."""

    def __init__(self, answers):
        self.answers, self.calls = answers, []

    def fetch(self, request, limits):
        from generator.collect.fetch import FetchError, Response

        self.calls.append((request, limits))
        answer = self.answers.get(request.url, FetchError("not-recorded", "no"))
        if isinstance(answer, FetchError):
            raise answer
        status = 302 if request.url.startswith("https://web.archive.org/save/") else 200
        return Response(request, request.url, status, "application/json", json.dumps(answer).encode(), AS_OF)


SAVE = "https://web.archive.org/save/https://example.net/a?b=c"
LOOKUP = "https://archive.org/wayback/available?url=https%3A%2F%2Fexample.net%2Fa%3Fb%3Dc"


def _available(stamp="20261127101500", available=True):
    return {"url": "https://example.net/a?b=c", "archived_snapshots": {"closest": {"status": "200", "available": available, "timestamp": stamp}}}


def test_capture_asks_to_save_then_reads_the_capture_of_the_fetch_date():
    from generator.collect import archive

    wayback = _Wayback({SAVE: {}, LOOKUP: _available()})
    assert archive.capture("https://example.net/a?b=c", wayback, AS_OF) == (
        "https://web.archive.org/web/20261127101500/https://example.net/a?b=c",
        "captured",
    )
    (save, save_limits), (lookup, lookup_limits) = wayback.calls
    assert (save.url, save.follow, lookup.url, lookup.accept, lookup.follow) == (SAVE, False, LOOKUP, "application/json", True)
    assert save_limits == lookup_limits == Limits(max_bytes=256 * 1024, timeout=60.0, deadline=90.0)


@pytest.mark.parametrize(
    ("answers", "what"),
    [
        ({LOOKUP: _available()}, "capture request failed: not-recorded"),
        ({SAVE: {}}, "availability lookup failed: not-recorded"),
        ({SAVE: {}, LOOKUP: _available(available="true")}, "no capture available yet"),
        ({SAVE: {}, LOOKUP: _available(stamp="2026112710150")}, "no capture available yet"),
        ({SAVE: {}, LOOKUP: _available(stamp="x20261127101500")}, "no capture available yet"),
        ({SAVE: {}, LOOKUP: {"archived_snapshots": {}}}, "no capture available yet"),
        ({SAVE: {}, LOOKUP: _available(stamp="20261126235959")}, "newest capture is from 2026-11-26, not the fetch date"),
    ],
)
def test_capture_failures_say_what_happened(answers, what):
    from generator.collect import archive

    assert archive.capture("https://example.net/a?b=c", _Wayback(answers), AS_OF) == (None, what)


def test_archive_sources_captures_each_new_or_changed_source_once():
    from generator.collect import archive

    def wayback_for(*urls):
        answers = {}
        for url in urls:
            answers["https://web.archive.org/save/" + url] = {}
            answers["https://archive.org/wayback/available?url=" + quote(url, safe="")] = _available()
        return _Wayback(answers)

    new = _fetched("security-txt", "https://example.net/.well-known/security.txt", final="https://www.example.net/.well-known/security.txt")
    kept = _fetched("matrix-support", "https://example.net/.well-known/matrix/support", body=b"same")
    changed = _fetched("csaf", "https://example.net/csaf.json", body=b"new")
    skipped = _fetched("osv", OSV)
    failing = _fetched("endoflife", "https://endoflife.date/api/v1/products/x")
    sources = [
        SimpleNamespace(
            url="https://example.net/.well-known/matrix/support",
            archive_url="https://web.archive.org/web/1/x",
            content_sha256=hashlib.sha256(b"same").hexdigest(),
        ),
        SimpleNamespace(url="https://example.net/csaf.json", archive_url="https://web.archive.org/web/1/y", content_sha256="0" * 64),
    ]
    provider = SimpleNamespace(assessments=[SimpleNamespace(sources=sources)])
    result = run.ProviderResult(provider)
    result.proposals = [
        run.Proposal("c", "r", "met", "s", skipped, "p", "q", "conflict"),
        run.Proposal("c", "r", "met", "s", new, "p", "q", "new-claim"),
        run.Proposal("c", "r2", "met", "s", new, "p", "q", "new-claim"),
        run.Proposal("c", "r", "met", "s", kept, "p", "q", "refresh"),
        run.Proposal("c", "r", "met", "s", changed, "p", "q", "fill"),
        run.Proposal("c", "r", "met", "s", failing, "p", "q", "skip"),
        run.Proposal("c", "r", "met", "s", failing, "p", "q", "fill"),
    ]
    wayback = wayback_for("https://www.example.net/.well-known/security.txt", "https://example.net/csaf.json")
    archived, notes = archive.archive_sources([result], wayback, AS_OF)
    assert archived == {
        "https://example.net/.well-known/security.txt": "https://web.archive.org/web/20261127101500/https://www.example.net/.well-known/security.txt",
        "https://example.net/csaf.json": "https://web.archive.org/web/20261127101500/https://example.net/csaf.json",
    }
    assert notes == ["https://endoflife.date/api/v1/products/x: capture request failed: not-recorded"]
    saved = [r.url for r, _ in wayback.calls if r.url.startswith("https://web.archive.org/save/")]
    assert saved == [
        "https://web.archive.org/save/https://www.example.net/.well-known/security.txt",
        "https://web.archive.org/save/https://example.net/csaf.json",
        "https://web.archive.org/save/https://endoflife.date/api/v1/products/x",
    ]


def test_archive_sources_goes_on_after_a_source_already_archived():
    from generator.collect import archive

    kept = _fetched("matrix-support", "https://example.net/kept", body=b"same")
    new = _fetched("csaf", "https://example.net/new")
    provider = SimpleNamespace(
        assessments=[
            SimpleNamespace(
                sources=[
                    SimpleNamespace(
                        url="https://example.net/kept",
                        archive_url="https://web.archive.org/web/1/x",
                        content_sha256=hashlib.sha256(b"same").hexdigest(),
                    )
                ]
            )
        ]
    )
    result = run.ProviderResult(provider)
    result.proposals = [run.Proposal("c", "r", "met", "s", kept, "p", "q", "refresh"), run.Proposal("c", "r", "met", "s", new, "p", "q", "new-claim")]
    archived, notes = archive.archive_sources([result], _Wayback({}), AS_OF)
    assert archived == {} and notes == ["https://example.net/new: capture request failed: not-recorded"]


# --- the check-to-requirement mapping file ---------------------------------------------------


def test_a_mapping_file_that_does_not_parse_or_validate_is_a_located_problem(tmp_path):
    from generator.problems import DataError

    (tmp_path / "data" / "collect").mkdir(parents=True)
    path = tmp_path / "data" / "collect" / "checks.yaml"
    path.write_text("checks: [unclosed\n")
    with pytest.raises(DataError) as exc:
        checks.load(tmp_path)
    assert exc.value.problems[0].path == "data/collect/checks.yaml"
    path.write_text("checks:\n  security-txt:\n    what: x\n    publisher: provider\n    provenance: guessed\n    own_site: true\n    signals: {}\n")
    with pytest.raises(DataError) as exc:
        checks.load(tmp_path)
    (problem,) = exc.value.problems
    assert (problem.path, problem.line, problem.hint) == ("data/collect/checks.yaml", 5, "see the comment at the top of the file")
    path.write_text(
        "checks:\n  security-txt:\n    what: x\n    publisher: provider\n    provenance: third-party\n    own_site: false\n    signals:\n      served:\n        means: m\n"
    )
    mapping, doc = checks.load(tmp_path)
    check = mapping.checks["security-txt"]
    assert (check.website_only, check.signals["served"].proves, doc.path) == (False, {}, "data/collect/checks.yaml")


def test_mapping_problems_name_the_known_requirements():
    mapping, doc = checks.load(ROOT)
    criteria = {
        "id-security-contact": SimpleNamespace(requirements=[SimpleNamespace(id="security-txt"), SimpleNamespace(id="dedicated-contact")]),
        "rc-status-page": SimpleNamespace(requirements=[]),
    }
    found = {(p.message, p.hint) for p in checks.problems(mapping, criteria, doc)}
    assert ("'id-security-contact' has no requirement 'security-txt-expires'", "requirements: security-txt, dedicated-contact") in found
    assert ("'rc-status-page' has no requirement 'status-page'", "requirements: (none)") in found
    assert ("unknown criterion 'rs-security-advisories'", "use an id from data/criteria/") in found
    line = next(p for p in checks.problems(mapping, criteria, doc) if "'status-page'" in p.message)
    text = (ROOT / "data" / "collect" / "checks.yaml").read_text().split("\n")
    assert "rc-status-page/status-page" in text[line.line - 1] and text[line.line - 1][line.col - 1 :].startswith("rc-status-page/status-page")
    assert checks.requirement_ids(SimpleNamespace()) == [] and checks.requirement_ids(SimpleNamespace(requirements=None)) == []


def test_collect_command_messages_and_output_file_exactly(collect_project, tmp_path):
    code_, out, err = cli("collect", "--offline", "--write", root=collect_project)
    assert (code_, out) == (2, "")
    assert err == "scorecard: --offline --write needs --fixtures DIR: the default recordings are crafted test data, never evidence\n"
    code_, out, err = cli("collect", "--offline", "--fixtures", str(tmp_path), root=collect_project)
    assert (code_, out, err) == (2, "", f"scorecard: no recorded responses at {tmp_path.resolve()}/index.yaml\n")
    code_, out, err = offline(collect_project, "--provider", "example-chta", "--provider", "zzz")
    assert (code_, out) == (2, "")
    assert err == "scorecard: unknown provider 'example-chta'; did you mean 'example-chat'?\nscorecard: unknown provider 'zzz'\n"
    expected = offline(collect_project)[1]
    report = tmp_path / "report.md"
    code_, out, err = offline(collect_project, "--output", str(report))
    assert (code_, out, err) == (0, "", f"wrote {report}\n")
    assert report.read_text(encoding="utf-8") == expected
    both = offline(collect_project, "--provider", "example-chat", "--provider", "example-broken")[1]
    assert both == expected  # naming every provider is the same as naming none
    one = offline(collect_project, "--provider", "example-broken")[1]
    assert "example-broken" in one and "example-chat" not in one


def test_without_offline_the_live_fetcher_is_made_for_the_as_of_date(collect_project, monkeypatch):
    """No network in tests: the live Fetcher is replaced by one replaying the recordings, to see what
    the command asks for and what the report says."""
    from generator.collect import fetch

    made, real = [], fetch.Fetcher

    def live(today):
        made.append(today)
        replay = fetch.Replay(RECORDED)
        return real(replay, resolver=replay.resolver, today=today)

    monkeypatch.setattr(fetch, "Fetcher", live)
    code_, out, err = cli("collect", "--as-of", AS_OF.isoformat(), "--provider", "example-chat", root=collect_project)
    assert code_ == 0, err
    assert made == [AS_OF]
    assert "\nMode: live. Proposals come from machine checks" in out and "crafted test data" not in out


# --- endoflife.date in detail ---------------------------------------------------------------------


EOL = "https://endoflife.date/api/v1/products/example-talk"


def _release(name, maintained=True, eol="2027-06-30"):
    return {
        "name": name,
        "label": name,
        "releaseDate": "2025-01-01",
        "isLts": False,
        "isEol": not maintained,
        "eolFrom": eol,
        "isMaintained": maintained,
    }


def _endoflife(data, product="example-talk"):
    answers = _ByUrl({f"https://endoflife.date/api/v1/products/{product}": data})
    return only(endoflife.collect(product, answers, AS_OF)), answers


def test_endoflife_request_and_maintained_lines():
    data = {
        "schema_version": "1.0.0",
        "result": {
            "name": "example-talk",
            "links": {"html": "https://endoflife.date/example-talk", "releasePolicy": "https://example.net/releases"},
            "releases": [
                _release("2.1"),
                _release("2.0", eol=None),
                _release("1.9", maintained=False, eol="2025-06-30"),
                "x",
                _release("1" * 40, eol="2028-01-01"),
            ],
        },
    }
    f, answers = _endoflife(data)
    ((request, limits),) = answers.calls
    assert (request.url, request.accept, limits.max_bytes) == (EOL, "application/json", 2 * 1024 * 1024)
    assert (f.kind, f.url, f.title) == ("endoflife", EOL, "endoflife.date: example-talk")
    assert f.facts == [
        ("release policy linked by endoflife.date", "https://example.net/releases"),
        ("release lines", "5 listed, 3 maintained"),
        ("maintained: 2.1", "end of life 2027-06-30"),
        ("maintained: 2.0", "no end-of-life date"),
        ("maintained: " + "1" * 30, "end of life 2028-01-01"),
    ]
    assert f.signals == {"maintained-lines"} and f.problems == [("a maintained line has no end-of-life date", "")]


def test_endoflife_every_maintained_line_needs_a_date():
    f, _ = _endoflife(
        {"result": {"releases": [_release("2.1"), _release("2.0", eol="2027-06-30T00:00:00Z"), _release("1.0", maintained=False, eol=None)]}}
    )
    assert f.signals == {"maintained-lines"} and f.problems == [("a maintained line has no end-of-life date", "")]
    f, _ = _endoflife({"result": {"releases": [_release("2.1"), _release("1.0", maintained=False, eol=None), _release("0.9", maintained="true")]}})
    assert f.signals == {"maintained-lines", "eol-dates"} and f.problems == [] and f.facts[0] == ("release lines", "3 listed, 1 maintained")
    f, _ = _endoflife({"result": {"releases": [_release("1.0", maintained=False)]}})
    assert f.signals == set() and f.problems == [] and f.facts == [("release lines", "1 listed, 0 maintained")]


def test_endoflife_shows_eight_maintained_lines_and_reads_500():
    f, _ = _endoflife({"result": {"releases": [_release(f"1.{i}") for i in range(9)]}})
    assert [k for k, _ in f.facts[1:]] == [f"maintained: 1.{i}" for i in range(8)]
    f, _ = _endoflife({"result": {"releases": [_release("0", maintained=False)] * 500 + [_release("1.0", eol=None)]}})
    assert f.facts == [("release lines", "501 listed, 0 maintained")] and f.signals == set() and f.problems == []


def test_endoflife_names_a_maintained_line_without_a_text_name_with_a_question_mark():
    nameless = {"isMaintained": True, "eolFrom": "2027-01-31"}
    f, _ = _endoflife({"result": {"releases": [nameless, {**_release("x"), "name": 7}, _release("", eol=None)]}})
    assert f.facts == [
        ("release lines", "3 listed, 3 maintained"),
        ("maintained: ?", "end of life 2027-01-31"),
        ("maintained: ?", "end of life 2027-06-30"),
        ("maintained: ?", "no end-of-life date"),
    ]
    assert f.signals == {"maintained-lines"} and f.problems == [("a maintained line has no end-of-life date", "")]


def test_endoflife_problems():
    f, _ = _endoflife({"result": {"name": "x"}})
    assert f.problems == [("no `result.releases` list", "")] and f.facts == []
    for product in ("Example", "-x", "a/b", "a b", ""):
        answers = _ByUrl({})
        f = only(endoflife.collect(product, answers, AS_OF))
        assert f.problems == [("not an endoflife.date product id", product)] and answers.calls == []
    f, _ = _endoflife({"result": {"releases": []}}, product="a.b_c-9")
    assert f.problems == [] and f.facts == [("release lines", "0 listed, 0 maintained")]


def test_statuspage_components_with_a_group_are_left_out_by_their_text_id():
    components = [{"name": "A", "group_id": "g1"}, {"name": "B", "group_id": 5}, {"name": "C", "group_id": ""}]
    (summary, _), _ = _statuspage(_summary(components=components), {"incidents": []})
    assert summary.facts[2] == ("components (3)", "B, C")


@pytest.mark.parametrize("collector", [securitytxt.collect, matrix.collect, csaf.collect])
def test_an_origin_without_a_host_is_refused_and_named_so(fetcher, collector):
    f = only(collector("https://", fetcher, AS_OF))
    assert f.title.endswith(" of ") and f.error is not None and f.error.reason == "bad-url"


def test_report_shortens_addresses_to_200_characters_notes_to_300_and_put_back_problems_to_400():
    from dataclasses import replace

    from generator.collect import report

    long = "https://example.net/" + "a" * 181  # 201 characters
    assert len(long) == 201
    finding = _fetched("csaf", long, final=long)
    finding.response = replace(finding.response, redirects=(long,))
    result = run.ProviderResult(SimpleNamespace(id="p", name="P"), findings=[finding])
    result.flags = [run.Flag("c", long, "answers HTTP 410: re-review the claim")]
    text = report.markdown([result], AS_OF, "live", [], {long: long}, notes=["n" * 301], rolled_back=["r" * 401])
    cut = "`" + long[:199] + "…`"
    assert f"- `p` / `c`: {cut} answers HTTP 410" in text
    assert f"### csaf: {cut}\n" in text and f"- redirected to {cut}\n" in text and f"- archived copy: {cut}\n" in text
    assert "- `" + "n" * 299 + "…`\n" in text and "- `" + "r" * 399 + "…`\n" in text
    exact = "https://example.net/" + "a" * 180  # 200 characters: shown whole
    finding = _fetched("csaf", exact)
    text = report.markdown([run.ProviderResult(SimpleNamespace(id="p", name="P"), findings=[finding])], AS_OF, "live", None, None)
    assert f"### csaf: `{exact}`\n" in text
