"""schema.py: the committed editor schemas are generated from the models and current."""

from __future__ import annotations

import json

import jsonschema
import pytest

from generator import schema
from generator.load import load_text

from .conftest import ROOT


def test_committed_schemas_are_current():
    assert schema.stale(ROOT / "data" / "schema") == [], "run `scorecard schema` and commit the result"


def test_stale_schema_is_detected(tmp_path):
    schema.write(tmp_path)
    (tmp_path / "provider.schema.json").write_text("{}")
    assert schema.stale(tmp_path) == ["provider.schema.json"]


def test_schemas_carry_descriptions_for_editor_completion():
    provider = json.loads((ROOT / "data/schema/provider.schema.json").read_text())
    assessment = provider["$defs"]["Assessment"]["properties"]
    names = ("criterion", "requirements", "outcome", "reason", "level", "summary", "sources", "reviewed", "second_review", "provenance", "collected")
    assert all(assessment[name].get("description") for name in names)
    source = provider["$defs"]["Source"]["properties"]
    assert all(source[name].get("description") for name in ("supports", "published", "seen_current", "undated", "accessed", "language"))
    assert "verified" not in assessment


def test_fixture_files_validate_against_the_editor_schemas():
    for kind, folder in (("provider", "providers"), ("criterion", "criteria")):
        validator = jsonschema.Draft202012Validator(json.loads((ROOT / f"data/schema/{kind}.schema.json").read_text()))
        for path in sorted((ROOT / "tests/fixtures" / folder).glob("*.yaml")):
            doc, problems = load_text(path.name, path.read_bytes())
            assert not problems
            errors = list(validator.iter_errors(doc.data))
            assert not errors, (path.name, errors[0].message)


def test_real_data_files_validate_against_the_editor_schemas():
    # The editor's view (JSON Schema) and the validator's view (models) agree on real files.
    for kind, pattern in (("provider", "providers/*.yaml"), ("criterion", "criteria/*.yaml")):
        validator = jsonschema.Draft202012Validator(json.loads((ROOT / f"data/schema/{kind}.schema.json").read_text()))
        for path in sorted((ROOT / "data").glob(pattern)):
            # Our YAML 1.2 loader: PyYAML's safe_load would turn the key `no:` into False.
            doc, problems = load_text(path.name, path.read_bytes())
            assert not problems
            data = doc.data
            errors = list(validator.iter_errors(data))
            assert not errors, (path.name, errors[0].message)


def test_field_reference_follows_the_model():
    models = {m["title"]: {f["name"]: f for f in m["fields"]} for m in schema.field_reference()}
    assessment = models["Assessment"]
    assert assessment["requirements"]["type"] == "map of id → met | not-found | contradicted (optional)"
    assert assessment["outcome"]["type"] == "n/a | no-known-incidents (optional)"
    assert assessment["reviewed"]["required"] and not assessment["second_review"]["required"]
    assert "verified" not in assessment and "levels" not in models["Criterion"]
    assert set(models["Requirement"]) == {"id", "text"}
    assert {"supports", "published", "seen_current", "undated", "language"} <= set(models["Source"])


def test_type_text_names_each_kind_of_property():
    defs = {"Kind": {"enum": ["service", "both"]}, "Source": {"properties": {}}}
    cases = [
        ({"anyOf": [{"type": "string"}, {"type": "null"}]}, "string (optional)"),
        ({"anyOf": [{"type": "integer"}, {"type": "string"}]}, "integer or string"),
        ({"$ref": "#/$defs/Kind"}, "service | both"),
        ({"$ref": "#/$defs/Source"}, "Source"),
        ({"enum": ["a", 1]}, "a | 1"),
        ({"const": "x"}, "x"),
        ({"type": "object", "patternProperties": {"^a$": {"type": "boolean"}}}, "map of id → boolean"),
        ({"type": "object"}, "object"),
        ({"type": "array", "items": {"$ref": "#/$defs/Source"}}, "list of Source"),
        ({"type": "array"}, "list of value"),
        ({"type": "string", "format": "date"}, "date (YYYY-MM-DD)"),
        ({"type": "string", "pattern": "^https://\\S+$"}, "https:// URL"),
        ({"type": "string", "pattern": "^[a-z]+$"}, "string"),
        ({}, "value"),
    ]
    assert [schema._type_text(prop, defs) for prop, _ in cases] == [text for _, text in cases]
    assert schema._type_text({"anyOf": [{"type": "null"}, {"enum": ["x"]}]}) == "x (optional)"  # no definitions needed


def test_every_limit_is_put_in_words():
    from generator import limits

    defs = {"Kind": {"enum": ["service", "both"]}, "Source": {"properties": {}}}
    cases = [
        ({"anyOf": [{"type": "string", "maxLength": 5}, {"type": "null"}]}, ["at most 5 characters"]),
        ({"$ref": "#/$defs/Kind"}, ["one of `service`, `both`"]),
        ({"$ref": "#/$defs/Source"}, []),
        ({"$ref": "#/$defs/Unknown"}, []),
        ({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}, ["an id: lowercase letters, digits and single hyphens"]),
        ({"type": "string", "pattern": "^x+$"}, ["matches ^x+$"]),
        ({"type": "string", "format": "date"}, ["a date YYYY-MM-DD"]),
        ({"type": "string", "minLength": 1, "maxLength": 300}, ["1–300 characters"]),
        ({"type": "string", "minLength": 0, "maxLength": 300}, ["at most 300 characters"]),
        ({"type": "string", "minLength": 3}, []),
        ({"type": "integer", "minimum": 1}, ["a whole number from 1 to …"]),
        ({"type": "integer", "maximum": 120}, ["a whole number from … to 120"]),
        ({"type": "integer", "minimum": 1, "maximum": 120}, ["a whole number from 1 to 120"]),
        ({"type": "array", "minItems": 6, "maxItems": 6}, ["exactly 6 entries"]),
        ({"type": "array", "minItems": 2, "maxItems": 6}, ["2–6 entries"]),
        ({"type": "array", "minItems": 1}, ["at least 1 entry"]),
        ({"type": "array", "minItems": 2}, ["at least 2 entries"]),
        ({"type": "array", "maxItems": 20}, ["at most 20 entries"]),
        ({"type": "array"}, []),
        (
            {"type": "array", "maxItems": 3, "items": {"type": "string", "pattern": "^x+$", "maxLength": 9}},
            ["at most 3 entries", "each entry: matches ^x+$, at most 9 characters"],
        ),
        ({"type": "array", "items": {"enum": ["a"]}}, ["each entry: one of `a`"]),
    ]
    assert [limits._constraints(prop, defs) for prop, _ in cases] == [words for _, words in cases]


def test_the_limits_list_is_written_between_its_markers_and_only_there(tmp_path):
    from generator import limits
    from generator.problems import DataError

    assert limits.write(tmp_path) is False and limits.stale(tmp_path) is False  # no guide: nothing to keep in sync
    guide = tmp_path / "CONTRIBUTING.md"
    guide.write_text(f"# Guide\n\nbefore\n{limits.BEGIN}\nold list\n{limits.END}\nafter\n", encoding="utf-8")
    assert limits.stale(tmp_path) is True
    assert limits.write(tmp_path) is True
    text = guide.read_text(encoding="utf-8")
    assert text == "# Guide\n\nbefore\n" + limits.fragment().rstrip("\n") + "\nafter\n"
    assert text.count(limits.BEGIN) == text.count(limits.END) == 1
    assert limits.stale(tmp_path) is False and limits.write(tmp_path) is False and guide.read_text(encoding="utf-8") == text
    guide.write_text("# Guide without markers\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        limits.write(tmp_path)
    [p] = exc.value.problems
    assert (p.path, p.line, p.col, p.message, p.hint) == (
        "CONTRIBUTING.md",
        1,
        1,
        "the markers for the generated list of limits are missing",
        f"put these two lines where the list belongs: {limits.BEGIN} and {limits.END}",
    )
    guide.write_text(f"only the first marker {limits.BEGIN}\n", encoding="utf-8")
    with pytest.raises(DataError):
        limits.render(guide.read_text(encoding="utf-8"))


def test_the_limits_list_states_the_file_limits_from_the_code():
    from generator import limits

    text = limits.fragment()
    assert text.startswith(limits.BEGIN + "\n\n### Every limit the checker enforces\n") and text.endswith("\n" + limits.END + "\n")
    assert "- UTF-8, at most 262,144 bytes (256 KiB), not empty.\n" in text
    assert "- At most 32 levels of nesting; numbers at most 40 characters.\n" in text
    assert (
        "| Provider | `aliases` | at most 20 entries; each entry: an id: lowercase letters, digits and single hyphens, at most 60 characters |\n"
        in text
    )
    assert "| Provider | `id` | required; an id: lowercase letters, digits and single hyphens; at most 60 characters |\n" in text
    assert "- `id-matches-file`: A provider's or criterion's id is its file name.\n" in text


def test_the_limits_list_and_the_schemas_are_read_and_written_as_utf8_whatever_the_locale(tmp_path):
    import os
    import subprocess
    import sys

    from generator import limits

    guide = tmp_path / "CONTRIBUTING.md"
    guide.write_text(f"# Guide – for contributors\n{limits.BEGIN}\n{limits.END}\n", encoding="utf-8")
    script = (
        "import sys; from pathlib import Path; from generator import limits, schema; root = Path(sys.argv[1]); "
        "print(limits.write(root), limits.stale(root), len(schema.write(root / 's')), schema.stale(root / 's'))"
    )
    ascii_locale = {**os.environ, "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}  # open() would default to ASCII
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, env=ascii_locale, capture_output=True, text=True, encoding="utf-8"
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "True False 6 []\n", "")
    assert guide.read_text(encoding="utf-8") == "# Guide – for contributors\n" + limits.fragment()
    assert schema.stale(tmp_path / "s") == []
