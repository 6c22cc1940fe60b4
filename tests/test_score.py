"""score.py: levels from statuses, evidence dates, freshness, points, means, coverage gate."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from generator import score
from generator.check import check_tree
from generator.model import Assessment, Level, Status

from .conftest import AS_OF

M, N, C = Status.met, Status.not_found, Status.contradicted


@pytest.fixture
def scored(project):
    dataset, problems = check_tree(project, AS_OF)
    assert not problems
    return dataset, score.score_all(dataset, AS_OF)


def test_methodology_version():
    assert score.METHODOLOGY_VERSION == "2.0"


@pytest.mark.parametrize(
    "statuses, level",
    [
        ([M, M, M], Level.full),
        ([M], Level.full),
        ([M, N, N], Level.partial),
        ([M, C], Level.partial),  # something met: partial, even with a contradiction
        ([N, C, N], Level.no),
        ([C, C], Level.no),
        ([N, N], Level.not_disclosed),
    ],
)
def test_level_follows_from_statuses(statuses, level):
    assert score.derive_level(statuses) is level


@pytest.mark.parametrize(
    "stated, statuses, expected",
    [
        (
            "full",
            {"a": M, "b": N, "c": C},
            "level full needs every requirement met, but 'b' is not-found; 'c' is contradicted (the computed level is partial)",
        ),
        ("partial", {"a": M, "b": M}, "level partial needs a requirement that is not met, but all of 'a', 'b' are met (the computed level is full)"),
        ("partial", {"a": N, "b": C}, "level partial needs a met requirement, but none of 'a', 'b' is met (the computed level is no)"),
        ("no", {"a": M, "b": C}, "level no needs no requirement met, but 'a' is met (the computed level is partial)"),
        (
            "no",
            {"a": N, "b": N},
            "level no needs a contradicted requirement, but none of 'a', 'b' is contradicted (the computed level is not-disclosed)",
        ),
        ("not-disclosed", {"a": M, "b": M}, "level not-disclosed needs no requirement met, but 'a', 'b' are met (the computed level is full)"),
        (
            "not-disclosed",
            {"a": N, "b": C},
            "level not-disclosed needs no contradicted requirement, but 'b' is contradicted (the computed level is no)",
        ),
        # Singular and plural, both ways (the message names exactly what disagrees).
        ("no", {"a": M, "b": M, "c": C}, "level no needs no requirement met, but 'a', 'b' are met (the computed level is partial)"),
        ("not-disclosed", {"a": M, "b": N}, "level not-disclosed needs no requirement met, but 'a' is met (the computed level is partial)"),
        (
            "not-disclosed",
            {"a": C, "b": C},
            "level not-disclosed needs no contradicted requirement, but 'a', 'b' are contradicted (the computed level is no)",
        ),
    ],
)
def test_disagreeing_level_names_the_requirements(stated, statuses, expected):
    assert score.level_disagreement(stated, statuses) == expected


def test_agreeing_level_is_no_problem():
    assert score.level_disagreement("partial", {"a": M, "b": N}) is None


def _assessment(statuses: dict, sources: list[dict]) -> Assessment:
    base = {"url": "https://example.org/x", "title": "T", "publisher": "P", "kind": "primary", "accessed": "2026-11-01"}
    return Assessment.model_validate(
        {
            "criterion": "c",
            "requirements": statuses,
            "summary": "s",
            "reviewed": "2026-11-01",
            "provenance": "vendor-asserted",
            "sources": [{**base, **s} for s in sources],
        }
    )


def test_evidence_date_is_the_newest_date_behind_met_requirements():
    a = _assessment(
        {"a": "met", "b": "met", "c": "not-found"},
        [
            {"supports": ["a"], "published": "2019-05-01"},
            {"supports": ["b"], "seen_current": "2025-03-01"},
            {"supports": ["c"], "published": "2026-10-01"},  # behind a not-found requirement: ignored
            {"supports": [], "seen_current": "2026-10-02"},  # supports nothing: ignored
        ],
    )
    assert score.evidence_date(a, Level.partial) == dt.date(2025, 3, 1)


def test_evidence_date_of_no_comes_from_the_contradicting_sources():
    a = _assessment({"a": "contradicted", "b": "not-found"}, [{"supports": ["a"], "published": "2024-02-02"}])
    assert score.evidence_date(a, Level.no) == dt.date(2024, 2, 2)


def test_undated_sources_give_no_evidence_date():
    a = _assessment({"a": "met", "b": "not-found"}, [{"supports": ["a"], "undated": True}])
    assert score.evidence_date(a, Level.partial) is None


@pytest.mark.parametrize(
    "evidence, has_met, stale",
    [
        (dt.date(2025, 11, 27), True, False),  # exactly 12 months before as-of: still fresh
        (dt.date(2025, 11, 26), True, True),  # a day older: stale
        (None, True, True),  # met requirements but nothing dated behind them
        (None, False, False),  # not-disclosed: nothing to date
        (dt.date(2017, 1, 1), False, True),  # an old contradiction is stale too
    ],
)
def test_staleness_counts_from_the_evidence_date(scored, evidence, has_met, stale):
    dataset, _ = scored
    crit = dataset.criteria["rc-status-page"]  # 12-month window
    assert score.is_stale(evidence, has_met, crit, AS_OF) is stale


@pytest.mark.parametrize(
    "met, total, stale, points",
    [
        (3, 3, False, 100),
        (2, 3, False, Fraction(200, 3)),
        (1, 4, False, 25),
        (0, 5, False, 0),
        (3, 3, True, 50),
        (1, 3, True, Fraction(50, 3)),
    ],
)
def test_criterion_points(met, total, stale, points):
    assert score.criterion_points(met, total, stale) == points


def test_points_as_published():
    assert score.points_number(Fraction(200, 3)) == 66.67 and score.points_number(Fraction(50)) == 50


@pytest.mark.parametrize(
    "total, scored, assessed, applicable, expected",
    [
        (Fraction(300), 4, 4, 5, 75),  # coverage 80 %: shown
        (Fraction(300), 4, 3, 4, None),  # coverage 75 %: gated
        (Fraction(100, 2), 3, 3, 3, 17),  # mean 16.67 rounds to 17
        (Fraction(50), 4, 4, 4, 13),  # mean 12.5 rounds half up to 13
        (Fraction(0), 0, 2, 2, None),  # all outcomes: nothing to score
        (Fraction(0), 0, 0, 0, None),  # nothing applicable
    ],
)
def test_score_is_the_mean_of_criterion_points_behind_the_gate(total, scored, assessed, applicable, expected):
    assert score.Score(total, scored, assessed, applicable).value == expected


def test_months_before_clamps_month_end():
    assert score.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert score.months_before(dt.date(2026, 11, 27), 24) == dt.date(2024, 11, 27)


def test_fixture_claims(scored):
    _, scores = scored
    s = scores["fixture-service"]
    status = s.claim("rc-status-page")  # both met, seen current 2020-01-10, window 12 months
    assert (status.level, status.evidence_date, status.stale, status.points) == ("full", dt.date(2020, 1, 10), True, 50)
    contact = s.claim("id-security-contact")  # 1 of 2 met, published 2025-12-01
    assert (contact.level, contact.evidence_date, contact.stale, contact.points) == ("partial", dt.date(2025, 12, 1), False, 50)
    assert [(r.full_id, r.status, r.source_numbers) for r in contact.requirements] == [
        ("id-security-contact/dedicated-contact", M, (1,)),
        ("id-security-contact/security-txt", N, ()),
    ]
    nki = s.claim("rs-postmortems")
    assert (nki.level, nki.points, nki.stale, nki.requirements) == ("no-known-incidents", None, False, [])
    soft = scores["fixture-software"]
    gov = soft.claim("gv-security-ownership")  # 2 of 3 met, newest supporting source 2025-09-15
    assert (gov.level, gov.evidence_date, gov.points) == ("partial", dt.date(2025, 9, 15), Fraction(200, 3))
    e2ee = soft.claim("pr-e2ee-default")  # contradicted, undated source: no evidence date, not stale
    assert (e2ee.level, e2ee.evidence_date, e2ee.stale, e2ee.points) == ("no", None, False, 0)


def test_fixture_service_scores(scored):
    _, scores = scored
    s = scores["fixture-service"]
    # Applicable: the 5 service criteria of the fixture catalogue plus pr-e2ee-default (both kinds).
    assert s.overall.applicable == 6 and s.overall.assessed == 5
    assert (s.functions["govern"].scored, s.functions["govern"].value) == (1, 100)
    assert s.functions["detect"].value == 0  # not-disclosed scores 0
    rs = s.functions["respond"]  # no-known-incidents: assessed, not scored
    assert (rs.assessed, rs.scored, rs.value) == (1, 0, None)
    pr = s.functions["protect"]  # unassessed: coverage 0 -> gated
    assert pr.coverage == 0 and pr.value is None
    structural = s.groups["structural"]  # gv 100 + id 50; pr unassessed: 2 of 3 assessed -> gated
    assert (structural.total, structural.scored, structural.assessed, structural.applicable) == (150, 2, 2, 3)
    assert structural.value is None
    situational = s.groups["situational"]  # de 0, rs outcome (not scored), rc 50 stale: mean 25
    assert (situational.scored, situational.value) == (2, 25)
    assert s.overall.value == 50  # (100 + 50 + 0 + 50) / 4


def test_software_only_gets_software_criteria(scored):
    _, scores = scored
    ids = [c.criterion.id for c in scores["fixture-software"].claims]
    assert ids == ["gv-security-ownership", "id-security-contact", "pr-e2ee-default"]


def test_level_counts_are_exact_per_level(scored):
    """The criterion page's distribution: each provider counted once, at its own level."""
    _, scores = scored
    assert score.level_counts(scores, "id-security-contact") == [("partial", 1), ("unassessed", 1)]
    assert score.level_counts(scores, "rs-postmortems") == [("no-known-incidents", 1)]  # software: not applicable
    twice = {"a": scores["fixture-service"], "b": scores["fixture-service"], "c": scores["fixture-software"]}
    assert score.level_counts(twice, "id-security-contact") == [("partial", 2), ("unassessed", 1)]
    assert score.level_counts(twice, "pr-e2ee-default") == [("no", 1), ("unassessed", 2)]


def test_heatmap_cell_filters_by_function_and_asset(scored):
    """A cell holds only the criteria of its function that concern its asset class."""
    dataset, scores = scored
    s = scores["fixture-service"]
    for fn in dataset.framework.functions:
        for asset in dataset.framework.asset_classes:
            expected = [c for c in s.claims if c.criterion.function == fn.id and asset.id in c.criterion.assets]
            cell = s.cell(fn.id, asset.id)
            points = sum((c.points for c in expected if c.points is not None), Fraction(0))
            assert (cell.applicable, cell.assessed, cell.total) == (len(expected), sum(c.assessed for c in expected), points)
    # de-monitoring concerns networks, applications and devices; rc-status-page applications and networks.
    assert [s.cell("detect", a).applicable for a in ("devices", "users", "data")] == [1, 0, 0]
    assert [s.cell("recover", a).applicable for a in ("applications", "devices")] == [1, 0]
    assert (s.cell("recover", "networks").total, s.cell("detect", "networks").total) == (50, 0)


def test_heatmap_cells_at_once_equal_each_cell(scored):
    """`cells` (one pass, used by the provider page) gives every function × asset pair the same score as `cell`."""
    dataset, scores = scored
    functions = [f.id for f in dataset.framework.functions]
    assets = [a.id for a in dataset.framework.asset_classes]
    for s in scores.values():
        cells = s.cells(iter(functions), iter(assets))  # any iterables, e.g. the template's map filter
        assert list(cells) == [(f, a) for f in functions for a in assets]
        assert cells == {(f, a): s.cell(f, a) for f in functions for a in assets}
        assert any(cell.applicable for cell in cells.values())


def test_claims_by_function_keep_catalogue_order(scored):
    dataset, scores = scored
    one, other = scores["fixture-service"], scores["fixture-software"]
    for s in (one, score.ProviderScore(one.provider, one.claims + other.claims)):  # two claims in some functions, in a known order
        expected = {f.id: [c for c in s.claims if c.criterion.function == f.id] for f in dataset.framework.functions}
        assert s.by_function() == {f: claims for f, claims in expected.items() if claims}


def test_published_points_are_exact_when_whole_else_two_decimals():
    """points_number keeps the numbers it has worked out (pages ask for the same few values again and again)."""
    expected = {}
    for total in range(1, 13):
        for met in range(total + 1):
            for stale in (False, True):
                points = score.criterion_points(met, total, stale)
                expected[points] = int(points) if points.denominator == 1 else float(round(points, 2))
    for _ in range(2):  # computed, then remembered
        assert {points: score.points_number(points) for points in expected} == expected
    assert (score.points_number(Fraction(100, 3)), score.points_number(Fraction(200, 3)), score.points_number(Fraction(50))) == (33.33, 66.67, 50)
    assert isinstance(score.points_number(Fraction(50)), int)


def test_exact_sum_equals_adding_fractions_one_by_one():
    import random

    rng = random.Random(15)
    for size in (0, 1, 2, 5, 40):
        values = [score.criterion_points(rng.randint(0, 7), rng.randint(1, 7), rng.random() < 0.5) for _ in range(size)]
        values += [Fraction(rng.randint(-50, 50), rng.randint(1, 12)) for _ in range(size)]
        assert score.exact_sum(values) == sum(values, Fraction(0))
        assert isinstance(score.exact_sum(values), Fraction)


def test_round_half_up_in_integers_equals_floor_of_value_plus_a_half():
    import math

    values = [Fraction(n, d) for d in range(1, 25) for n in range(-60, 2500, 7)] + [Fraction(5, 2), Fraction(-5, 2), Fraction(1, 2), Fraction(0)]
    assert [score.round_half_up(v) for v in values] == [math.floor(v + Fraction(1, 2)) for v in values]
    assert (score.round_half_up(Fraction(5, 2)), score.round_half_up(Fraction(-5, 2)), score.round_half_up(Fraction(149, 2))) == (3, -2, 75)
    assert (score.round_half_up(74.5), score.round_half_up(75.0), score.round_half_up(7)) == (75, 75, 7)  # a mean of whole numbers is a float


def test_months_before_clamps_to_the_last_day_of_a_shorter_month():
    assert score.months_before(dt.date(2026, 5, 31), 1) == dt.date(2026, 4, 30)  # 31 -> 30, not 29
    assert score.months_before(dt.date(2028, 3, 31), 1) == dt.date(2028, 2, 29)  # leap year: 29, not 28


def test_due_soon_margin_moves_the_staleness_line_earlier():
    crit = type("C", (), {"freshness_months": 12})()
    as_of = dt.date(2026, 11, 27)
    evidence = dt.date(2025, 12, 1)  # within 12 months, but older than 11
    assert not score.is_stale(evidence, True, crit, as_of)
    assert score.is_stale(evidence, True, crit, as_of, margin_months=1)


def _claim(statuses: dict[str, Status], sources: list[dict]) -> score.Claim:
    from generator.model import Criterion

    crit = Criterion.model_validate(
        {
            "id": "pr-x",
            "title": "X",
            "function": "protect",
            "csf_categories": ["PR.AA"],
            "assets": ["data"],
            "scope": ["service"],
            "question": "Q?",
            "why": "W.",
            "how_assessed": "H.",
            "remediation": "R.",
            "freshness_months": 12,
            "requirements": [{"id": r, "text": f"{r}."} for r in statuses],
        }
    )
    a = Assessment.model_validate(
        {
            "criterion": "pr-x",
            "requirements": {k: v.value for k, v in statuses.items()},
            "summary": "S.",
            "sources": [
                {"url": "https://example.org/a", "title": "T", "publisher": "P", "kind": "primary", "accessed": "2026-11-01", **s} for s in sources
            ],
            "reviewed": "2026-11-01",
            "provenance": "vendor-asserted",
        }
    )
    return score.claim_for(crit, a, AS_OF)


def test_a_no_claim_is_dated_by_its_contradicting_sources():
    c = _claim({"a": C, "b": N}, [{"supports": ["a"], "published": "2026-01-05"}])
    assert (c.level, c.evidence_date, c.stale, c.points) == ("no", dt.date(2026, 1, 5), False, 0)


def test_one_met_requirement_without_a_dated_source_is_stale():
    c = _claim({"a": M, "b": N}, [{"supports": ["a"], "undated": True}])
    assert (c.level, c.evidence_date, c.stale, c.points) == ("partial", None, True, 25)


# --- standing.py: what a score means to a reader (rank, median, leaders, extremes, findings) ---


def _fake_provider(name: str, kind: str, value: int | None, claims: tuple = (), discontinued: object = None):
    from types import SimpleNamespace

    return SimpleNamespace(
        provider=SimpleNamespace(name=name, kind=SimpleNamespace(value=kind), discontinued=discontinued),
        groups={"situational": SimpleNamespace(value=value)},
        claims=list(claims),
    )


def _fake_claim(cid: str, points, level: str = "full", function: str = "detect"):
    from types import SimpleNamespace

    return SimpleNamespace(criterion=SimpleNamespace(id=cid, title=cid.upper(), function=function), points=points, level=level)


def test_ordinals_in_english():
    from generator import standing

    cases = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 10: "10th", 11: "11th", 12: "12th", 13: "13th", 20: "20th", 21: "21st"}
    cases |= {22: "22nd", 23: "23rd", 101: "101st", 111: "111th", 112: "112th", 113: "113th", 121: "121st", 1002: "1002nd"}
    assert {n: standing.ordinal(n) for n in cases} == cases


def test_names_are_joined_with_commas_and_a_final_and():
    from generator import standing

    assert standing.names(["A"]) == "A"
    assert standing.names(["A", "B"]) == "A and B"
    assert standing.names(["A", "B", "C", "D"]) == "A, B, C and D"


def test_ranked_best_first_unshown_last_ties_by_name_ignoring_case():
    from generator import standing

    scores = {
        "low": _fake_provider("Low", "service", 20),
        "none": _fake_provider("Hidden", "service", None),
        "b": _fake_provider("bravo", "service", 50),
        "a": _fake_provider("Alpha", "service", 50),
        "bracket": _fake_provider("[matrix] bridge", "service", 50),  # '[' sorts before letters only in lower case
        "top": _fake_provider("Top", "service", 90),
        "other": _fake_provider("Other kind", "software", 100),
    }
    assert [pid for pid, _ in standing.ranked(scores, "service", "situational")] == ["top", "bracket", "a", "b", "low", "none"]


def test_rank_is_competition_ranking_within_the_kind():
    from generator import standing

    scores = {
        "top": _fake_provider("Top", "service", 90),
        "a": _fake_provider("A", "service", 50),
        "b": _fake_provider("B", "service", 50),
        "low": _fake_provider("Low", "service", 20),
        "none": _fake_provider("Hidden", "service", None),
        "soft": _fake_provider("Soft", "software", 95),
        "gone": _fake_provider("Gone", "service", 99, discontinued="2025-01-01"),  # keeps its page, leaves the ranking
    }
    ranks = {pid: standing.rank(scores, pid, "situational") for pid in scores}
    assert ranks["gone"] is None and [pid for pid, _ in standing.ranked(scores, "service", "situational")] == ["top", "a", "b", "low", "none"]
    assert ranks["top"] == standing.Rank(1, False, 4, "service") and ranks["top"].text == "1st of 4 hosted services"
    assert ranks["a"] == ranks["b"] == standing.Rank(2, True, 4, "service") and ranks["a"].text == "joint 2nd of 4 hosted services"
    assert ranks["low"] == standing.Rank(4, False, 4, "service") and ranks["none"] is None
    assert ranks["soft"].text == "1st of 1 self-hostable servers"
    assert standing.median(scores, "service", "situational") == 50 and standing.median(scores, "both", "situational") is None
    two = {"x": _fake_provider("X", "software", 41), "y": _fake_provider("Y", "software", 44)}
    assert standing.median(two, "software", "situational") == 43  # 42.5 rounded half up


def test_median_follows_another_mapping_of_the_same_size():
    from generator import standing

    first = {"x": _fake_provider("X", "software", 40), "y": _fake_provider("Y", "software", 60)}
    second = {"x": _fake_provider("X", "software", 10), "y": _fake_provider("Y", "software", 20)}
    assert standing.median(first, "software", "situational") == 50
    assert standing.median(second, "software", "situational") == 15  # not the first mapping's cached scores
    assert standing.median(first, "software", "situational") == 50


def test_shown_scores_are_collected_once_per_mapping_and_again_when_it_grows(monkeypatch):
    from generator import standing

    monkeypatch.setattr(standing, "_SHOWN", [])
    scores = {"x": _fake_provider("X", "software", 60), "y": _fake_provider("Y", "software", 40), "s": _fake_provider("S", "service", 5)}
    first = standing._shown(scores, "software", "situational")
    assert first == [40, 60] and standing._shown(scores, "software", "situational") is first  # every page asks: collected once
    scores["z"] = _fake_provider("Z", "software", 90)  # the same mapping object, one provider more
    assert standing._shown(scores, "software", "situational") == [40, 60, 90]
    assert standing.median(scores, "software", "situational") == 60


def test_leaders_name_everyone_tied_at_the_top_and_the_bottom():
    from generator import standing

    scores = {p: _fake_provider(p.upper(), "service", v) for p, v in {"c": 80, "a": 80, "b": 30, "d": 30, "e": 55, "f": None}.items()}
    scores["g"] = _fake_provider("G", "software", 99)
    assert standing.leaders(scores, "service", "situational") == standing.Leaders(["A", "C"], 80, ["B", "D"], 30)
    assert standing.leaders({"f": _fake_provider("F", "service", None)}, "service", "situational") is None


def test_extremes_strongest_and_weakest_never_overlap():
    from generator import standing

    claims = [
        _fake_claim("c1", 100),
        _fake_claim("c2", 0),
        _fake_claim("c3", 50),
        _fake_claim("c4", None),
        _fake_claim("c5", 100),
        _fake_claim("c6", 25),
        _fake_claim("c7", 75),
    ]
    strongest, weakest = standing.extremes(_fake_provider("P", "service", 50, tuple(claims)), n=2)
    assert [c.criterion.id for c in strongest] == ["c1", "c5"]  # ties in catalogue order
    assert [c.criterion.id for c in weakest] == ["c2", "c6"]
    strongest, weakest = standing.extremes(_fake_provider("P", "service", 50, (_fake_claim("a", 50), _fake_claim("b", 0))), n=3)
    assert [c.criterion.id for c in strongest] == ["a"] and [c.criterion.id for c in weakest] == ["b"]  # a is not weakest too


def test_findings_count_disclosing_providers_per_criterion():
    from generator import standing

    scores = {
        "p": _fake_provider(
            "P",
            "service",
            1,
            (_fake_claim("x", 100, "full"), _fake_claim("y", 0, "no"), _fake_claim("z", 50, "partial"), _fake_claim("w", 0, "full", "govern")),
        ),
        "q": _fake_provider("Q", "service", 1, (_fake_claim("x", 50, "partial"), _fake_claim("y", 0, "not-disclosed"), _fake_claim("z", 0, "no"))),
        "r": _fake_provider("R", "software", 1, (_fake_claim("y", 100, "full"),)),
    }
    most, least = standing.findings(scores, "service", ["detect"], n=1)
    assert most == [standing.Finding("x", "X", ["P", "Q"], 2)]
    assert least == [standing.Finding("y", "Y", [], 2)]
    most, least = standing.findings(scores, "service", ["detect"], n=3)
    assert [f.criterion_id for f in most] == ["x", "z", "y"] and least == []  # each criterion in one list only


def test_findings_name_disclosing_providers_in_sorted_order():
    """Names are gathered per criterion and sorted once (sorting after every provider made the home page
    quadratic in the number of providers)."""
    from generator import standing

    names = ["Zed", "Alpha", "Mid", "Beta"]
    scores = {n.lower(): _fake_provider(n, "service", 1, (_fake_claim("x", 100, "full" if n != "Mid" else "no"),)) for n in names}
    most, _ = standing.findings(scores, "service", ["detect"], n=1)
    assert most == [standing.Finding("x", "X", ["Alpha", "Beta", "Zed"], 4)]


def test_band_words_and_their_stated_ranges():
    from generator import standing

    assert [standing.band(v) for v in (None, 0, 24, 25, 49, 50, 74, 75, 100)] == [
        None, "minimal", "minimal", "limited", "limited", "substantial", "substantial", "extensive", "extensive"
    ]  # fmt: skip
    assert standing.band_ranges() == [("minimal", 0, 24), ("limited", 25, 49), ("substantial", 50, 74), ("extensive", 75, 100)]
    assert standing.band_css(80) == "sc-band--extensive" and standing.band_css(None) == "sc-band--none"
    with pytest.raises(ValueError, match="score -1 is below every band"):
        standing.band(-1)


def test_ranks_follow_the_scores_asked_about_not_an_earlier_mapping_of_the_same_size():
    from generator import standing

    first = {"a": _fake_provider("A", "service", 10), "b": _fake_provider("B", "service", 20)}
    second = {"a": _fake_provider("A", "service", 30), "b": _fake_provider("B", "service", 20)}
    assert standing.rank(first, "a", "situational").position == 2
    assert standing.rank(second, "a", "situational").position == 1 and standing.median(second, "service", "situational") == 25


def test_ties_of_score_and_name_are_ordered_by_id_and_discontinued_listed_per_kind():
    from generator import standing

    scores = {
        "z-same": _fake_provider("Same", "service", 40),
        "a-same": _fake_provider("same", "service", 40),
        "old": _fake_provider("Old", "service", 40, discontinued="2024-01-01"),
        "old-server": _fake_provider("Old server", "software", 40, discontinued="2024-01-01"),
    }
    assert [pid for pid, _ in standing.ranked(scores, "service", "situational")] == ["a-same", "z-same"]
    assert list(standing.not_ranked(scores, "service")) == ["old"] and list(standing.not_ranked(scores, "software")) == ["old-server"]


def test_a_full_claim_is_never_among_the_weakest():
    from generator import standing

    strongest, weakest = standing.extremes(_fake_provider("P", "service", 100, (_fake_claim("a", 100), _fake_claim("b", 100))), n=1)
    assert [c.criterion.id for c in strongest] == ["a"] and weakest == []


@pytest.mark.parametrize("requirements", [None, {}])
def test_a_claim_without_statuses_scores_nothing(requirements):
    """Only a file with problems has a claim with neither statuses nor an outcome (the validator reports
    it); its partial data scores no points, rather than zero."""
    crit = _claim({"a": Status.met, "b": Status.not_found}, []).criterion
    bare = Assessment.model_validate(
        {"criterion": "pr-x", "requirements": requirements, "summary": "S.", "reviewed": "2026-11-01", "provenance": "vendor-asserted"}
    )
    c = score.claim_for(crit, bare, dt.date(2026, 11, 27))
    assert (c.level, c.points, c.met, c.evidence_date, c.stale) == ("not-disclosed", None, 0, None, False)
    assert [r.status for r in c.requirements] == ([] if requirements is None else [None, None])


def test_a_provider_score_keeps_its_provider_and_counts_met_requirements(scored):
    dataset, scores = scored
    s = scores["fixture-service"]
    assert s.provider is dataset.providers["fixture-service"]
    # gv-security-ownership: 3 of 3 met; id-security-contact: 1 of 2; de-monitoring: none; rs-postmortems: an outcome.
    assert [(c.criterion.id, c.met) for c in s.claims if c.assessed] == [
        ("gv-security-ownership", 3),
        ("id-security-contact", 1),
        ("de-monitoring", 0),
        ("rs-postmortems", 0),
        ("rc-status-page", 2),
    ]
    part = s.cells(["detect"], ["networks"])  # a part of the grid: the other claims belong to no cell asked for
    assert list(part) == [("detect", "networks")] and part[("detect", "networks")] == s.cell("detect", "networks")
