"""The level registry (generator/registry.py) is the one definition of levels, statuses, kinds and colours."""

from __future__ import annotations

import json
import re
import typing
from pathlib import Path

import yaml

from generator import registry, score
from generator.model import Assessment, Kind, Level, Status

from .conftest import ROOT

TEMPLATES = ROOT / "generator" / "templates"


def test_every_level_and_status_has_exactly_one_entry():
    assert sorted(registry.ORDER) == sorted([lv.value for lv in Level] + [registry.UNASSESSED])
    assert len(set(registry.ORDER)) == len(registry.ORDER)
    assert [s.id for s in registry.STATUSES] == [s.value for s in Status]
    assert list(registry.KIND_ORDER) == list(registry.KIND_LABEL) == [k.value for k in Kind]
    for facts in (registry.KIND_LABEL, registry.KIND_PLURAL, registry.KIND_ANCHOR):  # every kind named, no two alike
        assert list(facts) == list(registry.KIND_ORDER) and len(set(facts.values())) == len(facts)
    assert len({info.css for info in registry.LEVELS}) == len(registry.LEVELS)  # classes never shared by two levels


def test_levels_that_follow_from_statuses_are_the_scored_ones():
    assert typing.get_args(registry.StatedLevel) == registry.STATED  # derived at runtime, so pydantic validates exactly these
    field = Assessment.model_json_schema()["properties"]["level"]
    assert [option.get("enum") for option in field["anyOf"] if "enum" in option] == [list(registry.STATED)]
    derived = {
        score.derive_level(s).value
        for s in ([Status.met] * 2, [Status.met, Status.not_found], [Status.not_found], [Status.contradicted, Status.not_found])
    }
    assert derived == set(registry.STATED) == {lv.value for lv in registry.SCORED}
    assert {info.id for info in registry.LEVELS if info.needs_sources} == {"full", "partial", "no"}


def test_level_counts_follow_the_registry_order():
    class Fake:
        def __init__(self, level):
            self.level = level

    class Scores:
        def __init__(self, level):
            self._claim = Fake(level)

        def claim(self, _):
            return self._claim

    scores = {str(i): Scores(level) for i, level in enumerate(reversed(registry.ORDER))}
    assert [lv for lv, _ in score.level_counts(scores, "x")] == list(registry.ORDER)


def test_generated_css_defines_every_class_and_the_hand_written_css_no_level_colour():
    css = registry.css()
    for info in registry.LEVELS:
        assert f".sc-level--{info.css} {{ color: var(--sc-{info.colour}); }}" in css
        assert f".sc-dist--{info.css} {{" in css
    for info in registry.STATUSES:
        assert f".sc-status--{info.css} {{" in css
        # The symbol before a requirement's status comes from the stylesheet, hidden from screen readers.
        assert f'.sc-status--{info.css}::before {{ content: "{info.symbol} "; content: "{info.symbol} " / ""; }}' in css
    for name, (light, dark) in registry.PALETTE.items():
        assert f"--sc-{name}: {light};" in css
        if not name.startswith("dist-"):
            assert f"--sc-{name}: {dark};" in css.split("slate")[1]
    hand = (ROOT / "docs/assets/scorecard.css").read_text()
    assert not re.search(r"\.sc-(level|status|dist)--[a-z-]+[^{]*\{[^}]*(color|background)", hand), "level colours belong in the registry"
    assert not re.search(r"--sc-[a-z-]+\s*:", hand), "custom properties are generated from registry.PALETTE"


def test_generated_js_carries_the_registry_as_json_and_the_hand_written_js_no_labels():
    text = registry.js()
    data = json.loads(text.split("=", 1)[1].strip().rstrip(";"))
    assert data["kinds"] == [{"id": k, "label": label} for k, label in registry.KIND_LABEL.items()]
    assert data["statuses"] == [{"id": s.id, "symbol": s.symbol, "label": s.label, "css": s.css} for s in registry.STATUSES]
    assert data["levels"][0] == {"id": "full", "label": "Full", "symbol": "●", "css": "full"}
    assert [lv["id"] for lv in data["levels"]] == list(registry.ORDER)
    hand = (ROOT / "docs/assets/scorecard.js").read_text()
    for label in [*registry.KIND_LABEL.values(), *(info.label for info in registry.LEVELS if len(info.label) > 3)]:
        assert label not in hand, label


def test_mkdocs_loads_the_generated_assets_before_the_hand_written_ones():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    assert config["extra_css"][:2] == ["assets/registry.css", "assets/scorecard.css"]
    assert config["extra_javascript"][:2] == ["assets/registry.js", "assets/scorecard.js"]


def test_templates_name_no_level_label_or_colour():
    for path in sorted(TEMPLATES.glob("*.j2")):
        text = path.read_text()
        assert not re.search(r'level\("(full|partial|no|not-disclosed|n/a|no-known-incidents|unassessed)"\)', text), path.name
        assert not re.search(r"#[0-9a-fA-F]{6}\b", text), path.name  # colours: registry.PALETTE, SCALE, IMAGE
    assert len(list(TEMPLATES.glob("*.j2"))) > 10


def test_built_site_ships_the_generated_assets(project):
    from generator import build

    from .conftest import AS_OF

    files = build.generate(build.Settings(project, AS_OF), background=False)
    assert files[registry.CSS_PATH].decode() == registry.css()
    assert files[registry.JS_PATH].decode() == registry.js()
    page = files["methodology/index.md"].decode()
    rows = re.findall(r'<tr><th scope="row"><span class="sc-level sc-level--([a-z-]+)"', page)
    assert rows == [info.css for info in registry.LEVELS]
    crit = files["criteria/id-security-contact.md"].decode()  # no outcome no-known-incidents, no unassessed row
    rows = re.findall(r'<tr><th scope="row"><span class="sc-level sc-level--([a-z-]+)"', crit)
    assert rows == ["full", "partial", "not-disclosed", "no", "na"]
    assert "100 × met ÷ 2" in crit


def test_no_literal_level_lists_outside_the_registry():
    pattern = re.compile(r"""["']full["'],\s*["']partial["'],\s*["'](not-disclosed|no)["']""")
    offenders = [
        p.relative_to(ROOT).as_posix()
        for p in sorted((ROOT / "generator").rglob("*.py"))
        if p.name != "registry.py" and pattern.search(p.read_text())
    ]
    assert offenders == []
    colours = [
        p.relative_to(ROOT).as_posix()
        for p in sorted((ROOT / "generator").rglob("*.py"))
        if p.name != "registry.py" and re.search(r"#[0-9a-fA-F]{6}\b", p.read_text())
    ]
    assert colours == []
    assert Path(registry.__file__).name == "registry.py"


def test_level_help_for_editors_is_derived_from_the_meanings():
    assert registry.levels_help() == (
        "Optional: the level is computed from the requirement statuses (full: every requirement is met; "
        "partial: at least one requirement is met, but not all; not-disclosed: no requirement is met and none is contradicted; "
        "no: no requirement is met and at least one is contradicted). If you state it, it must agree."
    )
