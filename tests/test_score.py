"""score.py: points, coverage gate, freshness."""

from __future__ import annotations

import datetime as dt

import pytest

from generator import score
from generator.check import check_tree
from generator.model import Level

from .conftest import AS_OF


@pytest.fixture
def scored(project):
    dataset, problems = check_tree(project, AS_OF)
    assert not problems
    return dataset, score.score_all(dataset, AS_OF)


def test_points_scale():
    assert score.POINTS == {Level.full: 2, Level.partial: 1, Level.not_disclosed: 0, Level.no: 0}
    assert Level.na not in score.POINTS and Level.no_known_incidents not in score.POINTS


@pytest.mark.parametrize("points, max_points, assessed, applicable, expected", [
    (3, 4, 4, 5, 75),      # coverage 80 %: shown
    (3, 4, 3, 4, None),    # coverage 75 %: gated
    (1, 6, 3, 3, 17),      # 16.67 rounds half up to 17
    (1, 8, 4, 4, 13),      # 12.5 rounds half up to 13
    (0, 0, 2, 2, None),    # all n/a: nothing to score
    (0, 0, 0, 0, None),    # nothing applicable
])
def test_score_value_and_gate(points, max_points, assessed, applicable, expected):
    assert score.Score(points, max_points, assessed, applicable).value == expected


def test_months_before_clamps_month_end():
    assert score.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert score.months_before(dt.date(2026, 11, 27), 24) == dt.date(2024, 11, 27)


def test_stale_full_counts_as_partial(scored):
    _, scores = scored
    status = scores["fixture-service"].claim("rc-status-page")  # verified 2020-01-10, window 12 months
    assert status.level == "full" and status.stale and status.counted_level is Level.partial and status.points == 1


def test_fixture_service_scores(scored):
    dataset, scores = scored
    s = scores["fixture-service"]
    # Applicable: the 5 service criteria of the fixture catalogue (pr-e2ee-default applies to both kinds too).
    assert s.overall.applicable == 6 and s.overall.assessed == 5
    gv = s.functions["govern"]
    assert (gv.points, gv.max_points, gv.value) == (2, 2, 100)
    de = s.functions["detect"]
    assert (de.points, de.max_points, de.value) == (0, 2, 0)
    rs = s.functions["respond"]  # no-known-incidents: assessed, not scored
    assert (rs.assessed, rs.max_points, rs.value) == (1, 0, None)
    pr = s.functions["protect"]  # unassessed: coverage 0 -> gated
    assert pr.coverage == 0 and pr.value is None
    structural = s.groups["structural"]  # gv full 2 + id partial 1, pr unassessed: 2 of 3 assessed -> gated
    assert (structural.points, structural.max_points, structural.assessed, structural.applicable) == (3, 4, 2, 3)
    assert structural.value is None


def test_software_only_gets_software_criteria(scored):
    dataset, scores = scored
    ids = [c.criterion.id for c in scores["fixture-software"].claims]
    assert ids == ["gv-security-ownership", "id-security-contact", "pr-e2ee-default"]
