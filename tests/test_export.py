"""export.py and outputs/, history.py, preview.py: API, CSV, badges, feeds, redirects, link previews, change history."""

from __future__ import annotations

import csv
import io
import json
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import jsonschema
import pytest
from PIL import Image

from generator import export, history, render, score
from generator.check import check_tree

from .conftest import AS_OF, git, git_repo, run

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(project) -> Path:
    code, _, err = run(
        "build",
        "--as-of",
        str(AS_OF),
        "--site-url",
        "https://scorecard.example.org/",
        "--repository-url",
        "https://github.com/example/scorecard",
        root=project,
    )
    assert code == 0, err
    return project / "site"


def test_json_outputs_validate_against_the_published_schema(site):
    schema = json.loads((site / "api/v1/schema.json").read_text())
    defs = schema["$defs"]
    for name, model in (
        ("api/v1/index.json", "Index"),
        ("api/v1/criteria.json", "CriteriaList"),
        ("api/v1/providers/fixture-service.json", "ProviderDetail"),
        ("api/v1/providers/fixture-software.json", "ProviderDetail"),
    ):
        data = json.loads((site / name).read_text())
        jsonschema.validate(data, {"$defs": defs, "$ref": f"#/$defs/{model}"})
        assert data["methodology_version"] == score.METHODOLOGY_VERSION and data["as_of"] == str(AS_OF)


def test_index_json_withholds_gated_scores(site):
    index = json.loads((site / "api/v1/index.json").read_text())
    service = next(p for p in index["providers"] if p["id"] == "fixture-service")
    assert service["structural"]["score"] is None and service["functions"]["govern"]["score"] == 100


def test_csv_has_one_row_per_provider_and_applicable_criterion(site):
    rows = list(csv.DictReader(io.StringIO((site / "downloads/scorecard.csv").read_text())))
    assert len(rows) == 6 + 3
    stale = next(r for r in rows if r["provider"] == "fixture-service" and r["criterion"] == "rc-status-page")
    assert (stale["level"], stale["stale"], stale["points"], stale["as_of"]) == ("full", "true", "50", str(AS_OF))
    assert (stale["requirements_met"], stale["requirements_total"], stale["evidence_date"], stale["reviewed"]) == (
        "2",
        "2",
        "2020-01-10",
        "2026-01-10",
    )
    gov = next(r for r in rows if r["provider"] == "fixture-software" and r["criterion"] == "gv-security-ownership")
    assert (gov["level"], gov["points"], gov["requirements_met"], gov["second_review"]) == ("partial", "66.67", "2", "")
    nki = next(r for r in rows if r["criterion"] == "rs-postmortems")
    assert (nki["level"], nki["points"], nki["summary"]) == ("no-known-incidents", "", "No incident found in the fixture's blog.")


def test_requirements_csv_has_a_row_per_requirement_with_matching_columns(site):
    rows = list(csv.DictReader(io.StringIO((site / "downloads/requirements.csv").read_text())))
    # fixture-service: 3+2+2+3+2+2 requirements of its 6 applicable criteria; fixture-software: 3+2+2.
    assert len(rows) == 14 + 7
    claim_columns = set(csv.DictReader(io.StringIO((site / "downloads/scorecard.csv").read_text())).fieldnames)
    shared = {
        "provider",
        "provider_name",
        "kind",
        "criterion",
        "function",
        "level",
        "stale",
        "evidence_date",
        "reviewed",
        "second_review",
        "source_urls",
        "methodology_version",
        "as_of",
    }
    assert shared <= claim_columns and shared <= set(rows[0])
    contact = [r for r in rows if r["provider"] == "fixture-service" and r["criterion"] == "id-security-contact"]
    assert [(r["requirement"], r["status"], r["source_urls"], r["level"]) for r in contact] == [
        ("id-security-contact/dedicated-contact", "met", "https://service.example.org/contact", "partial"),
        ("id-security-contact/security-txt", "not-found", "", "partial"),
    ]
    unassessed = [r for r in rows if r["provider"] == "fixture-service" and r["criterion"] == "pr-e2ee-default"]
    assert [(r["status"], r["level"]) for r in unassessed] == [("", "unassessed"), ("", "unassessed")]


def test_requirements_csv_cells_are_inert_in_every_row(project):
    """A requirement's wording is made inert once and reused for every provider, a claim's columns once
    for all its rows: a formula in either never reaches a cell."""
    from generator.outputs import tables

    dataset, _ = check_tree(project, AS_OF)
    scores = score.score_all(dataset.published(), AS_OF)
    crit = dataset.criteria["gv-security-ownership"]  # applies to both fixture providers
    object.__setattr__(crit.requirements[0], "text", '=HYPERLINK("https://example.org")')
    for ps in scores.values():
        object.__setattr__(ps.provider, "name", "@" + ps.provider.name)
    rows = list(csv.DictReader(io.StringIO(bytes(tables.requirements_csv(scores, AS_OF)).decode())))
    wording = [r["requirement_text"] for r in rows if r["requirement"] == f"{crit.id}/{crit.requirements[0].id}"]
    assert wording == ['\'=HYPERLINK("https://example.org")'] * 2
    assert rows and all(r["provider_name"].startswith("'@") for r in rows)


def test_requirements_csv_is_what_csv_writer_writes_for_every_row(project):
    """requirements.csv puts a claim's cells into CSV form once for all its rows and each row's own cells
    (requirement, wording, status, source URLs) one by one: the same bytes as csv.writer writing each
    whole row, also for cells csv must quote (commas, quotes, line breaks) or not ("\r" alone)."""
    from generator import safe
    from generator.outputs import tables

    dataset, _ = check_tree(project, AS_OF)
    scores = score.score_all(dataset.published(), AS_OF)
    crit = dataset.criteria["gv-security-ownership"]
    for req, text in zip(crit.requirements, ['A "quoted" word', "a line\nbreak", "carriage\rreturn"], strict=True):
        object.__setattr__(req, "text", text)
    for ps in scores.values():
        object.__setattr__(ps.provider, "name", 'Name, "with" quotes\nand lines')
        for c in ps.claims:
            for src in c.assessment.sources if c.assessment else ():
                object.__setattr__(src, "url", src.url + "?a=1,2")

    fields = tables.REQUIREMENT_CSV_FIELDS
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(fields)
    for pid, ps in scores.items():
        for c in ps.claims:
            claim = tables._inert(tables._claim_columns(pid, ps, c, AS_OF))
            results = {r.requirement.id: r for r in c.requirements}
            for req in c.criterion.requirements:
                r = results.get(req.id)
                own = {
                    "requirement": f"{c.criterion.id}/{req.id}",
                    "requirement_text": req.text,
                    "status": r.status.value if r and r.status else "",
                    "source_urls": " ".join(s.url for s in r.sources) if r else "",
                }
                writer.writerow([claim[f] if f in claim else safe.csv_cell(own[f]) for f in fields])
    made = bytes(tables.requirements_csv(scores, AS_OF))
    assert made == buf.getvalue().encode()
    assert b',"A ""quoted"" word",' in made and b',"a line\nbreak",' in made and b",carriage\rreturn," in made and b'?a=1,2"' in made


def test_requirements_csv_cells_in_csv_form_are_those_of_a_row_of_several():
    """A run of a claim's cells may be one cell: an empty one is empty between commas, not "" (csv
    writes a row of one empty cell as "")."""
    from generator.outputs import tables

    line = tables._Line()
    for cells in ([""], ["", ""], ["a"], ['a"b'], ["a", "", "b,c"], ["x\ny", "\r"]):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(["z", *cells, "z"])
        assert f"z,{line.cells(cells)},z\n" == buf.getvalue()


def test_api_files_point_to_their_own_schema_part(site):
    schema = json.loads((site / "api/v1/schema.json").read_text())
    for name, part in (
        ("api/v1/index.json", "Index"),
        ("api/v1/criteria.json", "CriteriaList"),
        ("api/v1/providers/fixture-service.json", "ProviderDetail"),
    ):
        data = json.loads((site / name).read_text())
        assert data["$schema"] == f"https://scorecard.example.org/api/v1/schema.json#/$defs/{part}"
        assert part in schema["$defs"] and "$schema" in schema["$defs"][part]["properties"]


def test_api_files_are_written_as_the_json_module_would_write_them():
    """api._dump writes with pydantic's encoder: the bytes are those of json.dumps(indent=2,
    ensure_ascii=False, sort_keys=True), for any text and the numbers the API publishes."""
    from pydantic import BaseModel

    from generator.outputs import api

    class Sample(BaseModel):
        zeta: list[dict[str, object]]
        alpha: str
        middle: dict[str, object]

    text = "".join(map(chr, range(0x250))) + "\u2028\u2029\ufeff😀</script>&<>'\"\\/"
    numbers = [0.0, 1.0, 0.0001, 0.3333, 66.67, 7.14, 100, -3, 10**20, True, False, None]
    sample = Sample(zeta=[{"b": [], "a": {}, "é": text}, {}], alpha=text, middle={"z": numbers, "A": [[], [{}]], "a": {"y": 1, "x": [text]}})
    expected = (json.dumps(sample.model_dump(mode="json"), indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
    assert api._dump(sample) == expected


def test_provider_api_files_are_their_model_dumped(tmp_path):
    """provider_file writes each claim from plain data instead of through the ProviderDetail model that
    schema.json publishes: the bytes are those of the model, for assessed, unassessed, stale, outcome and
    discontinued claims, with and without a site URL."""
    import shutil

    from generator.outputs import api

    from .conftest import FIXTURES, copy_project

    providers = tmp_path / "providers"
    shutil.copytree(FIXTURES / "providers", providers)
    shutil.copy(FIXTURES / "discontinued/fixture-retired.yaml", providers)
    project = copy_project(tmp_path / "project", providers)
    dataset, problems = check_tree(project, AS_OF)
    assert not problems
    scores = score.score_all(dataset.published(), AS_OF)
    assert len(scores) == 3
    for options in (render.Options(AS_OF), render.Options(AS_OF, site_url="https://scorecard.example.org/")):
        for pid, ps in scores.items():
            assert api.provider_file(pid, ps, options) == (f"api/v1/providers/{pid}.json", api._dump(api.provider_detail(pid, ps, options)))


def test_api_schema_refs_are_relative_without_a_site_url(project):
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    assert json.loads((project / "site/api/v1/providers/fixture-service.json").read_text())["$schema"] == "../schema.json#/$defs/ProviderDetail"
    assert json.loads((project / "site/api/v1/index.json").read_text())["$schema"] == "schema.json#/$defs/Index"


def test_criteria_json_lists_requirements_with_full_ids(site):
    criteria = {c["id"]: c for c in json.loads((site / "api/v1/criteria.json").read_text())["criteria"]}
    assert criteria["id-security-contact"]["requirements"][1] == {
        "id": "id-security-contact/security-txt",
        "text": "An RFC 9116 security.txt is served on the main domain and its Expires date is in the future.",
    }
    assert "levels" not in criteria["id-security-contact"]


def test_provider_json_claims_carry_requirements_levels_and_dates(site):
    data = json.loads((site / "api/v1/providers/fixture-service.json").read_text())
    claims = {c["criterion"]: c for c in data["claims"]}
    contact = claims["id-security-contact"]
    assert (contact["level"], contact["evidence_date"], contact["reviewed"], contact["second_review"], contact["stale"], contact["points"]) == (
        "partial",
        "2025-12-01",
        "2026-01-10",
        None,
        False,
        50,
    )
    assert contact["requirements"] == [
        {"id": "id-security-contact/dedicated-contact", "status": "met", "sources": ["https://service.example.org/contact"]},
        {"id": "id-security-contact/security-txt", "status": "not-found", "sources": []},
    ]
    source = contact["sources"][0]
    assert (source["supports"], source["published"], source["seen_current"], source["undated"], source["language"]) == (
        ["dedicated-contact"],
        "2025-12-01",
        None,
        False,
        "de",
    )
    assert claims["gv-security-ownership"]["second_review"] == "2026-01-12"
    assert (claims["rc-status-page"]["stale"], claims["rc-status-page"]["points"]) == (True, 50)
    assert (claims["rs-postmortems"]["level"], claims["rs-postmortems"]["points"], claims["rs-postmortems"]["requirements"]) == (
        "no-known-incidents",
        None,
        [],
    )
    assert (claims["pr-e2ee-default"]["level"], claims["pr-e2ee-default"]["reviewed"]) == ("unassessed", None)


PUBLISHED = ["fixture-service", "fixture-software"]  # the fixture's providers (none is a draft)


def test_badges_are_well_formed_accessible_svg(site):
    badges = sorted((site / "badges").glob("*.svg"))
    assert [p.stem for p in badges] == PUBLISHED  # one per published provider: none missing, none extra
    for path in badges:
        root = ET.fromstring(path.read_text())
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
        title = root.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and "situational" in title.text and "structural" in title.text


def test_alias_redirects_to_an_existing_page(site):
    html = (site / "providers/old-fixture-service/index.html").read_text()
    target = re.search(r'url=([^"]+)"', html).group(1)
    assert (site / "providers/old-fixture-service" / target / "index.html").resolve().is_file()
    assert '<link rel="canonical" href="https://scorecard.example.org/providers/fixture-service/">' in html


def test_every_page_has_link_preview_metadata(site):
    pages = [p for p in site.rglob("index.html") if "old-fixture-service" not in str(p)]
    assert len(pages) > 15
    for page in pages:
        html = page.read_text()
        for prop in ("og:title", "og:description", "og:image", "og:url", "twitter:card"):
            assert f'property="{prop}"' in html or f'name="{prop}"' in html, (page, prop)
    provider = (site / "providers/fixture-service/index.html").read_text()
    assert 'content="https://scorecard.example.org/previews/fixture-service.png"' in provider
    assert 'og:url" content="https://scorecard.example.org/providers/fixture-service/"' in provider


def test_preview_images_are_1200_by_630_png(site):
    previews = sorted((site / "previews").glob("*.png"))
    assert [p.stem for p in previews] == [*PUBLISHED, "site"]  # one per provider and one for the site
    for path in previews:
        with Image.open(path) as image:
            assert image.format == "PNG" and image.size == (1200, 630)


def test_feeds_parse_as_atom(site):
    per_provider = sorted((site / "feeds/providers").glob("*.xml"))
    assert [p.stem for p in per_provider] == PUBLISHED
    for path in [site / "feeds/changes.xml", *per_provider]:
        root = ET.fromstring(path.read_bytes())
        assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}id").text and root.find(f"{ATOM}updated").text


def test_security_txt_has_contact_and_expiry_from_as_of(site):
    text = (site / ".well-known/security.txt").read_text()
    assert "Contact: https://github.com/example/scorecard/security/advisories/new" in text
    assert "Expires: 2027-11-27T00:00:00Z" in text


def test_provider_page_offers_badge_snippets_and_citation(site):
    html = (site / "providers/fixture-service/index.html").read_text()
    assert "[![Messenger Defense Scorecard: Fixture Service](https://scorecard.example.org/badges/fixture-service.svg)]" in html
    assert (
        "&lt;img src=&#34;https://scorecard.example.org/badges/fixture-service.svg&#34;" in html
        or '&lt;img src="https://scorecard.example.org/badges/fixture-service.svg"' in html
    )
    citation = html.split('id="cite"')[1].split("</p>")[0]
    assert "data as of 2026-11-27" in citation and "https://scorecard.example.org/providers/fixture-service/" in citation
    assert 'class="sc-access-date"' in citation  # the reader's access date (scorecard.js fills it in)
    assert 'href="https://github.com/example/scorecard/edit/main/data/providers/fixture-service.yaml"' in html


def test_history_from_git_lists_level_changes(project):
    path = project / "data/providers/fixture-service.yaml"
    git_repo(project)
    path.write_text(
        path.read_text()
        .replace("security-txt: not-found", "security-txt: met")
        .replace("supports: [dedicated-contact]", "supports: [dedicated-contact, security-txt]")
    )
    git(project, "commit", "-q", "-am", "Security contact: security.txt found", date="2026-02-01T09:00:00+00:00")
    h = history.collect(project, ["fixture-service"])["fixture-service"]
    assert h.note == ""
    assert [e.subject for e in h.entries] == ["Security contact: security.txt found", "Add fixtures"]
    newest = h.entries[0]
    assert [(c.criterion, c.old, c.new) for c in newest.changes] == [("id-security-contact", "partial", "full")]
    assert h.entries[1].created
    # The built page and the feeds show it.
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    page = (project / "site/providers/fixture-service/index.html").read_text()
    assert "Security contact: security.txt found" in page and "Partial → Full" in page
    feed = ET.fromstring((project / "site/feeds/changes.xml").read_bytes())
    assert len(feed.findall(f"{ATOM}entry")) == 3  # two commits for one provider, one for the other


def test_history_outside_git_says_so(project):
    h = history.collect(project, ["fixture-service"])["fixture-service"]
    assert h.entries == [] and "No git history" in h.note


def test_history_across_the_methodology_2_format_change(project):
    """An old file states its levels; the new one gives statuses. Only a real change of level is listed."""
    path = project / "data/providers/fixture-software.yaml"
    new_text = path.read_text()
    old_text = (
        "# yaml-language-server: $schema=../schema/provider.schema.json\nid: fixture-software\nname: Fixture\nkind: software\n"
        "website: https://github.com/example-org/fixture\nsummary: Old format.\nassessments:\n"
        "  - criterion: gv-security-ownership\n    level: full\n    verified: 2026-01-10\n    provenance: vendor-asserted\n"
        "  - criterion: pr-e2ee-default\n    level: no\n    verified: 2026-01-10\n    provenance: vendor-asserted\n"
    )
    path.write_text(old_text)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "Old format", date="2026-01-10T10:00:00+00:00")
    path.write_text(new_text)
    git(project, "commit", "-q", "-am", "Methodology 2", date="2026-02-01T09:00:00+00:00")
    newest = history.collect(project, ["fixture-software"])["fixture-software"].entries[0]
    # gv-security-ownership: stated full before, 2 of 3 met now -> partial; pr-e2ee-default stays no (all contradicted).
    assert [(c.criterion, c.old, c.new) for c in newest.changes] == [("gv-security-ownership", "full", "partial")]


def test_changes_are_per_claim_and_feeds_carry_only_real_changes(project):
    path = project / "data/providers/fixture-service.yaml"
    git_repo(project)
    path.write_text(path.read_text().replace("A contact address, no security.txt.", "A contact address; no security.txt file."))
    git(project, "commit", "-q", "-am", "Reword a summary", date="2026-01-20T09:00:00+00:00")
    path.write_text(
        path.read_text()
        .replace("security-txt: not-found", "security-txt: met")
        .replace("supports: [dedicated-contact]", "supports: [dedicated-contact, security-txt]")
    )
    git(project, "commit", "-q", "-am", "Security contact: security.txt found", date="2026-02-01T09:00:00+00:00")
    code, _, err = run("build", "--as-of", str(AS_OF), "--repository-url", "https://github.com/example/scorecard", root=project)
    assert code == 0, err
    feed = ET.fromstring((project / "site/feeds/providers/fixture-service.xml").read_bytes())
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert len(titles) == 2 and "Reword" not in " ".join(titles) and "No level changed" not in " ".join(titles)
    assert titles[0].endswith(": Partial → Full")
    page = (project / "site/providers/fixture-service/index.html").read_text()
    changes = page.split('id="changes"')[1].split("<h2")[0]
    assert "Partial → Full" in changes and "1 other edit to the evidence changed no level" in changes
    assert 'href="https://github.com/example/scorecard/commit/' in changes
    dataset, _ = check_tree(project, AS_OF)
    criterion = dataset.criteria["id-security-contact"].title
    assert titles[0] == f"{dataset.providers['fixture-service'].name} — {criterion}: Partial → Full"  # the claim named by its criterion
    assert titles[1].startswith(f"{dataset.providers['fixture-service'].name}: first assessed")
    everything = ET.fromstring((project / "site/feeds/changes.xml").read_bytes())
    assert everything.find(f"{ATOM}id").text == "urn:messenger-defense-scorecard:feed:changes"
    assert "evidence changes" in everything.find(f"{ATOM}title").text
    entries = everything.findall(f"{ATOM}entry")
    # Every provider's first version and the one level change, newest first; same date: by provider id, descending.
    assert len(entries) == len(dataset.providers) + 1
    assert entries[0].find(f"{ATOM}title").text == titles[0]
    keys = [(e.find(f"{ATOM}updated").text, e.find(f"{ATOM}id").text.split(":")[2]) for e in entries]
    assert keys == sorted(keys, reverse=True) and len({k[0] for k in keys}) == 2


def test_outputs_without_history_have_empty_feeds_and_two_outputs_never_write_one_path(project, monkeypatch):
    dataset, _ = check_tree(project, AS_OF)
    scores = score.score_all(dataset, AS_OF)
    files = export.export_all(dataset, scores, render.Options(AS_OF))  # no change history given
    for pid in dataset.providers:
        assert ET.fromstring(files[f"feeds/providers/{pid}.xml"]).findall(f"{ATOM}entry") == []
    monkeypatch.setattr(export, "OUTPUTS", (export.tables.files, export.tables.files))
    with pytest.raises(AssertionError, match="two outputs write"):
        export.export_all(dataset, scores, render.Options(AS_OF))


def test_every_output_yields_one_file_at_a_time():
    # The build writes each output file as it comes: no output holds all of its files at once.
    import inspect

    from generator import export

    assert all(inspect.isgeneratorfunction(output) for output in export.OUTPUTS)


def test_exports_split_per_provider_make_the_same_files(project):
    """A one-off build shares each provider's preview and API file out between its two processes: the
    other files (per_provider=False) and every provider's files together are exactly the whole export."""
    dataset, _ = check_tree(project, AS_OF)
    dataset = dataset.published()
    scores = score.score_all(dataset, AS_OF)
    options = render.Options(AS_OF, site_url="https://scorecard.example.org/")
    whole = export.export_all(dataset, scores, options)
    parts = list(export.stream(dataset, scores, options, per_provider=False))
    for pid, ps in scores.items():
        parts += export.provider_files(pid, ps, options)
    assert len(parts) == len(dict(parts)) and {path: bytes(content) for path, content in parts} == whole
    assert {f"previews/{pid}.png" for pid in scores} <= set(whole) - dict(export.stream(dataset, scores, options, per_provider=False)).keys()


def test_shared_jobs_are_each_taken_once_across_processes():
    from generator import parallel

    share = parallel.Share(3000)
    other = parallel.Background(lambda: list(share), enabled=True)  # a forked process takes from the same list
    here = list(share)
    there = other.result()
    assert sorted(here + there) == list(range(3000))
    assert list(share) == []  # nothing is handed out twice


def test_preview_images_are_kept_only_while_serving(project):
    from generator import preview, score
    from generator.check import check_tree

    dataset, _ = check_tree(project, AS_OF)
    ps = next(iter(score.score_all(dataset.published(), AS_OF).values()))
    first = preview.provider_png(ps, "Hosted service", "2026-01-01")
    assert preview._DRAWN is None and preview.provider_png(ps, "Hosted service", "2026-01-01") is not first  # a build keeps none
    preview.remember_drawn(True)
    try:
        kept = preview.provider_png(ps, "Hosted service", "2026-01-01")
        assert kept == first and preview.provider_png(ps, "Hosted service", "2026-01-01") is kept  # serve redraws nothing unchanged
    finally:
        preview.remember_drawn(False)


PREVIEW_CASES = [
    ("Fixture Service", "Hosted service", (72, 40), "2026-11-27"),
    ("Élan — ünïcode 名前 😀 gjpqy", "Self-hostable server", (None, 100), "2026-11-27"),
    ("A very long provider name that is shrunk step by step until it fits the width of the image", "Service and software", (0, None), "1999-01-01"),
    ("", "Hosted service", (None, None), "2026-11-27"),
]


def _drawn_in_full(case: tuple[str, str, tuple[int | None, int | None], str]) -> Image.Image:
    from generator import preview

    return preview._quantized(preview._drawn(preview._provider_steps(*case)))


def _png_pixels(png: bytes) -> tuple[bytes, bytes]:
    """A palette PNG's pixels (palette indices, row by row) and palette, read strictly: every chunk's
    CRC, and the zlib stream of its IDAT chunks read to its end (Adler-32 checked)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = {}, 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        assert struct.unpack(">I", png[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + data), kind
        chunks[kind] = chunks.get(kind, b"") + data
        at += 12 + length
    width, height, depth, colour_type, *_ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    assert (depth, colour_type) == (8, 3) and list(chunks)[-1] == b"IEND"
    decompressor = zlib.decompressobj()
    rows = decompressor.decompress(chunks[b"IDAT"]) + decompressor.flush()
    assert decompressor.eof and not decompressor.unused_data and len(rows) == height * (width + 1)
    assert all(rows[y * (width + 1)] == 0 for y in range(height))  # filter "none" on every row
    pixels = b"".join(rows[y * (width + 1) + 1 : (y + 1) * (width + 1)] for y in range(height))
    assert max(pixels) < len(chunks[b"PLTE"]) // 3  # every index has a colour
    with Image.open(io.BytesIO(png)) as image:  # and Pillow reads the same
        assert image.size == (width, height) and image.tobytes() == pixels
    return pixels, chunks[b"PLTE"]


def _same_image(png: bytes, image: Image.Image) -> bool:
    """The PNG shows `image`, a quantized image: the same palette indices and each index's colour."""
    pixels, palette = _png_pixels(png)
    return pixels == image.tobytes() and palette == bytes(image.getpalette()[: len(palette)])


@pytest.mark.parametrize("case", PREVIEW_CASES)
def test_preview_image_drawn_in_parts_equals_drawn_in_full(case):
    """preview.py draws what every image shares once, then only each image's own parts into their boxes:
    the same pixels as drawing every step in order on a blank image."""
    from generator import preview

    assert preview._stampable(preview._provider_steps(*case))
    assert _same_image(preview._provider_png(*case), _drawn_in_full(case))
    assert _same_image(preview._png(_drawn_in_full(case)), _drawn_in_full(case))


def test_preview_text_over_a_shared_part_is_blended_with_it(monkeypatch):
    """Text is drawn as coverage mapped to palette indices only where nothing else is under it; a name
    reaching up over the title is blended with the title's pixels, as drawing in order does."""
    from generator import preview

    layout = preview._provider_steps

    def name_higher(*case):
        return [preview._text((60, 40), step.text, step.size, step.fill) if step.xy == (60, 100) else step for step in layout(*case)]

    monkeypatch.setattr(preview, "_provider_steps", name_higher)
    case = ("Fixture Service", "Hosted service", (72, 40), "2026-11-27")
    steps = name_higher(*case)
    assert preview._stampable(steps) and preview._overlap(steps[1].box, steps[2].box)  # the title is drawn first: allowed
    assert _same_image(preview._provider_png(*case), _drawn_in_full(case))


@pytest.mark.parametrize("y", [190, 230])  # the name reaching into the kind line; into the first score's label (the same on every image)
def test_preview_parts_that_overlap_are_drawn_in_full(monkeypatch, y):
    from generator import preview

    layout = preview._provider_steps

    def name_lower(*case):
        steps = layout(*case)
        return [preview._text((60, y), step.text, step.size, step.fill) if step.xy == (60, 100) else step for step in steps]

    monkeypatch.setattr(preview, "_provider_steps", name_lower)
    case = ("Fixture Service gjpqy", "Hosted service", (72, 40), "2026-11-27")
    assert not preview._stampable(name_lower(*case))
    assert preview._provider_png(*case) == preview._png(_drawn_in_full(case))


def test_preview_bands_cover_every_row_once_and_hold_every_step_drawn_per_image():
    """The PNG is written in bands of rows; a band holds every step whose box reaches its rows."""
    from generator import preview

    for case in PREVIEW_CASES:
        steps = preview._provider_steps(*case)
        bands = preview._bands(steps)
        assert [band[0] for band in bands] == [0] + [band[1] for band in bands[:-1]] and bands[-1][1] == preview.HEIGHT
        assert all(top < bottom for top, bottom, _ in bands)
        assert sorted(step.box for band in bands for step in band[2]) == sorted(step.box for step in steps if not step.static)
        for top, bottom, drawn in bands:
            assert all(top <= step.box[1] and step.box[3] <= bottom for step in drawn)
            others = [step for step in steps if not step.static and step not in drawn]
            assert not any(step.box[1] < bottom and top < step.box[3] for step in others)
        assert [len(band[2]) for band in bands] == [0, 1, 0, 1, 0, 2 if case[2][0] is not None else 1, 0, 2 if case[2][1] is not None else 1, 0]


def test_preview_bands_of_boxes_that_touch_have_no_empty_band():
    """A box starting at the top row, or on the row where the one above ends, gets no band of no rows
    between (each band would add an empty deflate block to the PNG). The real layout leaves gaps
    between its boxes; these are drawn by hand."""
    from generator import preview

    top = preview._rect(0, 0, 99, 9, "#000000")  # rows 0-9
    below = preview._rect(10, 10, 99, 19, "#000000", shared=True)  # rows 10-19: touches, does not overlap
    static = preview._rect(0, 5, 99, 29, "#000000", static=True)  # drawn on every image: no band of its own
    assert preview._bands([below, static, top]) == [(0, 10, (top,)), (10, 20, (below,)), (20, preview.HEIGHT, ())]


def test_preview_bands_shared_by_images_are_deflated_once_and_give_the_same_bytes():
    """A band with only shared steps (kind, scores) is kept deflated; an image's bytes do not depend on
    which images were drawn before it."""
    from generator import preview

    case = ("Fixture Service", "Hosted service", (72, 40), "2026-11-27")
    preview._shared_band.cache_clear()
    first = preview._provider_png(*case)
    assert preview._shared_band.cache_info().misses == 8  # the name's band is the image's own
    other = preview._provider_png("Another name", *case[1:])
    assert preview._shared_band.cache_info().hits >= 6 and _same_image(other, _drawn_in_full(("Another name", *case[1:])))
    preview._shared_band.cache_clear()
    assert preview._provider_png(*case) == first


def test_preview_adler32_of_joined_bands_equals_zlib_s():
    from generator import preview

    data = bytes(range(256)) * 700 + b"\xff" * 70000
    for cut in (0, 1, 255, 65520, 65521, 65522, 100000, len(data)):
        first, second = data[:cut], data[cut:]
        assert preview._adler_combined(zlib.adler32(first), zlib.adler32(second), len(second)) == zlib.adler32(data)


def test_preview_palette_indices_are_only_the_palettes_own_colours():
    """Quantizing never gives an index of the padding (the PNG's palette holds only the real colours):
    of equally near palette entries, Pillow takes the first."""
    from generator import preview

    colours = preview._colours()
    exact = Image.frombytes("RGB", (len(colours), 1), bytes(v for colour in colours for v in colour))
    spread = Image.frombytes("RGB", (256, 256), bytes(v for x in range(256) for y in range(256) for v in (x, y, (x * 7 + y * 13) % 256)))
    for image in (exact, spread, Image.new("RGB", (4, 1), (0, 0, 0)), Image.new("RGB", (4, 1), (255, 255, 255))):
        assert preview._quantized(image).getextrema()[1] < len(colours)
    assert _png_pixels(preview._png(preview._quantized(exact)))[1] == bytes(v for colour in colours for v in colour)


def test_security_txt_needs_a_contact_from_the_repository_or_the_site(project):
    from generator.outputs import securitytxt

    dataset, _ = check_tree(project, AS_OF)
    scores = score.score_all(dataset, AS_OF)

    def made(**kw: str) -> str | None:
        return dict(securitytxt.files(dataset, scores, render.Options(AS_OF, **kw), {})).get(".well-known/security.txt", b"").decode() or None

    assert made() is None  # RFC 9116: a security.txt without a Contact is not written
    assert "Contact: https://github.com/o/r/security/advisories/new" in made(repository_url="https://github.com/o/r")
    assert "Contact: https://s.example/security/" in made(site_url="https://s.example/")


def test_the_api_index_carries_each_providers_discontinued_record(tmp_path):
    """Per test (not a module fixture) so that mutation testing credits it with the API code it runs."""
    from generator import build

    from .test_discontinued import retired_project

    project = retired_project(tmp_path)
    generated = build.generate(build.Settings(project, AS_OF, site_url="https://scorecard.example.org/"), background=False)
    index = {p["id"]: p for p in json.loads(generated["api/v1/index.json"])["providers"]}
    assert index["fixture-retired"]["discontinued"]["since"] == "2026-06-30"
    assert index["fixture-retired"]["discontinued"]["successor"] == "fixture-service"
    assert index["fixture-service"]["discontinued"] is None


def _pixels(png: bytes):
    """The decoded image (RGB) of a PNG, checked to be a 1200x630 palette PNG."""
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.mode == "P" and image.size == (1200, 630)
    return image.convert("RGB")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return bytes.fromhex(hex_colour[1:])[0], bytes.fromhex(hex_colour[1:])[1], bytes.fromhex(hex_colour[1:])[2]


def test_preview_image_bars_are_as_long_as_the_scores():
    """Each score is a bar on a 700-pixel track from x=60 (situational at y 346-386, structural at
    y 486-526), under a 16-pixel band across the top; a score not shown leaves the track empty."""
    from generator import preview, registry

    paper, track = _rgb(registry.IMAGE["paper"]), _rgb(registry.IMAGE["track"])
    situational, structural = _rgb(registry.IMAGE["situational"]), _rgb(registry.IMAGE["structural"])
    image = _pixels(preview._provider_png("Fixture", "Hosted service", (40, 75), "2026-11-27"))
    px = image.getpixel
    assert px((0, 0)) == px((1199, 16)) == situational and px((600, 17)) == paper  # the band
    for y in (346, 366, 386):  # situational 40: 280 pixels of 700, x 60..340
        assert [px((x, y)) for x in (59, 60, 340, 341, 760, 761)] == [paper, situational, situational, track, track, paper], y
    assert px((200, 345)) == paper and px((200, 387)) == paper
    for y in (486, 506, 526):  # structural 75: 525 pixels, x 60..585
        assert [px((x, y)) for x in (59, 60, 585, 586, 760, 761)] == [paper, structural, structural, track, track, paper], y
    assert px((200, 485)) == paper and px((200, 527)) == paper
    empty = _pixels(preview._provider_png("Fixture", "Hosted service", (None, 0), "2026-11-27")).getpixel
    assert [empty((x, 366)) for x in (60, 61, 760)] == [track] * 3  # not shown: no bar
    assert [empty((x, 506)) for x in (59, 60, 61, 760)] == [paper, structural, track, track]  # 0: one pixel column
    full = _pixels(preview._provider_png("Fixture", "Hosted service", (100, 100), "2026-11-27")).getpixel
    assert [full((x, 366)) for x in (60, 760, 761)] == [situational, situational, paper]


def _inked(image, box) -> int:
    """Pixels in box (left, top, right, bottom; exclusive) darker than the track: text."""
    crop = image.crop(box).convert("L")
    return sum(1 for v in crop.tobytes() if v < 200)


def test_preview_image_writes_the_score_or_says_it_is_not_shown():
    from generator import preview

    scored = _pixels(preview._provider_png("Fixture", "Hosted service", (40, 75), "2026-11-27"))
    unscored = _pixels(preview._provider_png("Fixture", "Hosted service", (None, None), "2026-11-27"))
    for y in (340, 480):  # right of each track: "40/100" is short, "insufficient coverage" runs much farther
        assert _inked(scored, (790, y, 1000, y + 50)) > 100 and _inked(unscored, (790, y, 1000, y + 50)) > 100
        assert _inked(scored, (1000, y, 1200, y + 50)) == 0 and _inked(unscored, (1000, y, 1200, y + 50)) > 100
    assert _inked(scored, (0, 17, 1200, 40)) == 0 and _inked(scored, (60, 50, 700, 90)) > 100  # the title below the band
    assert _inked(scored, (60, 577, 840, 603)) > 100 and _inked(scored, (0, 604, 1200, 630)) == 0  # the data date line, 60 from the bottom
    assert _inked(scored, (60, 123, 319, 183)) > 100 and _inked(scored, (60, 212, 287, 238)) > 100  # name and kind
    assert _inked(scored, (0, 91, 1200, 120)) == 0 and _inked(scored, (0, 184, 1200, 210)) == 0 and _inked(scored, (340, 200, 1200, 250)) == 0


def test_preview_names_shrink_in_steps_of_four_to_fit_but_not_below_20():
    from generator import preview

    draw = preview._MEASURE
    name = "Messenger with a long name"
    at = {size: draw.textlength(name, font=preview._font(size)) for size in (84, 80, 76, 20)}
    assert at[84] > at[80] > at[76]
    assert preview._fit_size(draw, name, 84, int(at[84]) + 1) == 84
    assert preview._fit_size(draw, name, 84, int(at[80]) + 1) == 80
    assert preview._fit_size(draw, name, 84, int(at[80]) - 1) == 76
    assert preview._fit_size(draw, name * 20, 84, 1080) == 20  # never smaller than 20, even if it does not fit
    assert preview._fit_size(draw, name, 24, 10) == 20 and preview._fit_size(draw, name, 20, 10) == 20
    assert preview._fit(draw, name, 84, int(at[80]) + 1) is preview._font(80)


def test_preview_text_too_long_for_its_panel_is_cut_with_an_ellipsis():
    from generator import preview

    draw, font = preview._MEASURE, preview._font(18)
    width = draw.textlength("Not plot…", font=font)
    assert preview._cut(draw, "Not plotted (insufficient coverage): 3", font, int(width) + 1) == "Not plot…"
    assert preview._cut(draw, "Short", font, 1000) == "Short"
    assert preview._cut(draw, "abcdef", font, 0) == "…"  # down to the ellipsis alone


def test_preview_images_kept_while_serving_are_forgotten_past_the_limit(project, monkeypatch):
    from generator import preview, score
    from generator.check import check_tree

    dataset, _ = check_tree(project, AS_OF)
    ps = next(iter(score.score_all(dataset.published(), AS_OF).values()))
    monkeypatch.setattr(preview, "_DRAWN_MAX", 2)
    preview.remember_drawn(True)
    try:
        sizes = []
        for day in ("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"):
            preview.provider_png(ps, "Hosted service", day)
            sizes.append(len(preview._DRAWN))
        assert sizes == [1, 2, 1, 2]  # full at 2: emptied before the third is kept
    finally:
        preview.remember_drawn(False)


def test_preview_steps_shared_by_every_image_of_a_date_are_marked_static():
    """`static` steps are drawn once per as-of date and `shared` ones kept for other images: the marks must
    match what really is the same from one provider's image to another's."""
    from generator import preview

    a = preview._provider_steps("Alpha", "Hosted service", (10, 20), "2026-11-27")
    b = preview._provider_steps("Bee", "Self-hostable server", (None, 90), "2026-11-27")
    c = preview._provider_steps("Alpha", "Hosted service", (10, 20), "2026-11-28")
    same = [step for step in a if step in b]
    assert len(same) == 7  # band, title, two labels, two tracks, the date line
    assert [step for step in a if step.static] == [step for step in b if step.static] == same
    assert [step for step in c if step.static][:-1] == same[:-1] and c[-1] != a[-1] and c[-1].static  # the date line: per date
    name = next(step for step in a if step.text == "Alpha")
    assert not name.static and not name.shared  # one provider's own
    others = [step for step in a if not step.static and step is not name]
    assert len(others) == 5 and all(step.shared for step in others)  # kind, two bars, two scores
    with pytest.raises(ValueError):
        preview._provider_steps("Alpha", "Hosted service", (10, 20, 30), "2026-11-27")  # two scores, no more


def test_preview_boxes_overlap_only_when_they_share_a_pixel():
    from generator import preview

    box = (10, 20, 30, 40)  # left, top, right, bottom (exclusive)
    assert preview._overlap(box, (29, 39, 50, 50)) and preview._overlap((29, 39, 50, 50), box)
    assert preview._overlap(box, (0, 0, 100, 100)) and preview._overlap(box, (15, 25, 16, 26))
    for apart in [(30, 20, 40, 40), (0, 20, 10, 40), (10, 40, 30, 50), (10, 0, 30, 20), (40, 0, 50, 100), (0, 50, 100, 60)]:
        assert not preview._overlap(box, apart) and not preview._overlap(apart, box), apart


def test_requirements_csv_is_made_one_provider_at_a_time(project):
    """The largest download comes as Chunks (the build writes each piece as it comes, instead of holding a
    file that is 28 MB at 1,000 providers): the header, then each provider's rows, in order."""
    from generator.outputs import Chunks, tables

    dataset, _ = check_tree(project, AS_OF)
    scores = score.score_all(dataset.published(), AS_OF)
    made = dict(tables.files(dataset, scores, render.Options(AS_OF), {}))["downloads/requirements.csv"]
    assert isinstance(made, Chunks)
    pieces = list(made)
    whole = b"".join(pieces)
    lines = whole.decode().splitlines()
    assert pieces[0] == (lines[0] + "\n").encode()
    providers = [pid for pid, ps in scores.items() if any(c.criterion.requirements for c in ps.claims)]
    assert len(providers) >= 2 and len(pieces) == 1 + len(providers)
    for pid, piece in zip(providers, pieces[1:], strict=True):
        assert all(row.startswith(pid + ",") for row in piece.decode().splitlines())
    assert bytes(made) == whole  # the whole file, as export_all and serve take it
