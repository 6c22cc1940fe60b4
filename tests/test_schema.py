"""schema.py: the committed editor schemas are generated from the models and current."""

from __future__ import annotations

import json

import jsonschema

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
