"""Collectors: each source kind on good, malformed and hostile recordings; the mapping to
requirements; `scorecard collect --offline` end to end; escaping of fetched text."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest

from generator.collect import advisories, bounty, checks, csaf, endoflife, insights, matrix, run, securitytxt, statuspage
from generator.collect.fetch import replay_fetcher
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

    def __init__(self, body: bytes, content_type: str = "application/json") -> None:
        self.body, self.content_type = body, content_type

    def fetch(self, request, limits):
        from generator.collect.fetch import Response

        return Response(request, request.url, 200, self.content_type, self.body, AS_OF)


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
