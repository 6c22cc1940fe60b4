"""The real data in data/: validates, meets the dataset and catalogue thresholds, follows the evidence rules."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from generator import score
from generator.check import check_tree
from generator.model import Level

from .conftest import ROOT


@pytest.fixture(scope="module")
def dataset():
    # Judged at today's date, as `scorecard validate` does by default.
    data, problems = check_tree(ROOT, dt.date.today())
    assert not problems, "\n".join(p.format() for p in problems[:20])
    return data


def test_catalogue_size_and_function_minimums(dataset):
    assert 28 <= len(dataset.criteria) <= 40
    per_function = Counter(c.function for c in dataset.criteria.values())
    assert set(per_function) == {"govern", "identify", "protect", "detect", "respond", "recover"}
    assert per_function["detect"] >= 4 and per_function["respond"] >= 4 and per_function["recover"] >= 3


def test_every_criterion_field_is_filled(dataset):
    for c in dataset.criteria.values():
        for field in ("title", "question", "why", "how_assessed", "remediation"):
            assert getattr(c, field).strip(), (c.id, field)
        assert 2 <= len(c.requirements) <= 6 and all(r.text.strip() for r in c.requirements), c.id
        assert c.csf_categories and c.assets and c.scope and c.references, c.id


def test_catalogue_has_service_and_software_criteria_and_one_e2ee_baseline(dataset):
    scopes = Counter(tuple(c.scope) for c in dataset.criteria.values())
    assert any("software" in s and "service" not in s for s in scopes) and any("service" in s and "software" not in s for s in scopes)
    e2ee = [c for c in dataset.criteria.values() if "end-to-end" in c.title.lower()]
    assert len(e2ee) == 1 and e2ee[0].function == "protect"
    postmortem = [c for c in dataset.criteria.values() if c.allows_no_known_incidents]
    assert [c.id for c in postmortem] == ["rs-postmortems"]


def test_dataset_size(dataset):
    # Coverage is not checked here: it is a publication rule (below the gate a provider is published
    # as "insufficient coverage"), reported by `scorecard coverage` in the pull request's summary.
    kinds = Counter(p.kind.value for p in dataset.providers.values())
    assert len(dataset.providers) >= 20
    assert kinds["service"] + kinds["both"] >= 14
    assert kinds["software"] + kinds["both"] >= 6


def _level(dataset, a) -> Level:
    return Level(score.claim_for(dataset.criteria[a.criterion], a, dt.date.today()).level)


def test_evidence_rules(dataset):
    for p in dataset.providers.values():
        for a in p.assessments:
            where = (p.id, a.criterion)
            text = a.reason if a.outcome else a.summary
            assert text and len(text) >= 20, where
            if _level(dataset, a) in (Level.full, Level.partial, Level.no):
                assert a.sources, where
                for s in a.sources:
                    assert s.url.startswith("https://") and s.title and s.publisher and s.accessed, where


def test_every_claim_is_graded_by_requirements_or_an_outcome(dataset):
    for p in dataset.providers.values():
        for a in p.assessments:
            assert (a.requirements is None) != (a.outcome is None), (p.id, a.criterion)


def test_not_disclosed_is_not_written_as_a_negative_claim(dataset):
    # "Not publicly disclosed" must not turn into "<Provider> does not ..." unless the provider says so itself.
    for p in dataset.providers.values():
        names = {p.name.lower(), p.name.split()[0].lower()}
        for a in p.assessments:
            if _level(dataset, a) is Level.not_disclosed:
                text = a.summary.lower()
                for name in names:
                    for phrase in (f"{name} does not", f"{name} doesn't"):
                        if phrase in text:
                            sentence = text[text.index(phrase) :].split(".")[0]
                            assert any(w in text for w in ("says", "states", "according to", "note")), (p.id, a.criterion, sentence)
