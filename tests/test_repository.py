"""The repository's own hygiene: pinned, least-privilege workflows; issue forms; contributor files."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.yml"))
FORMS = sorted(p for p in (ROOT / ".github/ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")


def _uses(path: Path) -> list[str]:
    return re.findall(r"^\s*-?\s*uses:\s*(\S+.*)$", path.read_text(), re.M)


def test_there_are_workflows_for_checks_deploy_and_weekly():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy.yml", "weekly.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_sha_with_a_version_comment(path):
    uses = _uses(path)
    assert uses
    for line in uses:
        assert re.match(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d", line), line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_top_level_permissions_are_empty_and_checkout_keeps_no_credentials(path):
    data = yaml.safe_load(path.read_text())
    assert data["permissions"] == {}
    assert "concurrency" in data
    for job in data["jobs"].values():
        assert "permissions" in job
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_zizmor_pedantic_finds_nothing():
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
    result = subprocess.run(
        [zizmor, "--offline", "--persona=pedantic", "--no-progress", str(ROOT / ".github/workflows")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_issue_forms_parse_and_have_required_fields():
    config = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/config.yml").read_text())
    assert config["blank_issues_enabled"] is False
    names = set()
    for path in FORMS:
        form = yaml.safe_load(path.read_text())
        assert form["name"] and form["description"] and form["body"], path.name
        names.add(form["name"])
        inputs = [b for b in form["body"] if b["type"] != "markdown"]
        assert any(b.get("validations", {}).get("required") for b in inputs), path.name
        for block in inputs:
            assert block["id"] and block["attributes"]["label"], path.name
    assert {"Suggest a provider", "Correct a claim", "Provider response (right of reply)", "Site problem"} <= names


def test_correction_form_asks_for_provider_criterion_and_source():
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/correct-claim.yml").read_text())
    required = {b["id"] for b in form["body"] if b.get("validations", {}).get("required")}
    assert {"provider", "criterion", "source"} <= required


def test_pull_request_template_has_checklist_and_conflict_of_interest():
    text = (ROOT / ".github/pull_request_template.md").read_text()
    assert "- [ ]" in text and "validate" in text and "Conflict of interest" in text


def test_dependabot_covers_pip_and_actions_with_cooldown():
    config = yaml.safe_load((ROOT / ".github/dependabot.yml").read_text())
    ecosystems = {u["package-ecosystem"]: u for u in config["updates"]}
    assert set(ecosystems) == {"pip", "github-actions"}
    assert all(u["cooldown"]["default-days"] >= 1 for u in ecosystems.values())


def test_vscode_maps_every_schema_to_its_files():
    import json

    mapping = json.loads((ROOT / ".vscode/settings.json").read_text())["yaml.schemas"]
    for schema in (ROOT / "data/schema").glob("*.json"):
        assert f"./data/schema/{schema.name}" in mapping


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"^(python3 dev\.py \w+)", readme, re.M)
    assert commands[:2] == ["python3 dev.py serve", "python3 dev.py test"]
    assert "python3 dev.py test" in (ROOT / ".ci/run").read_text().splitlines()


def test_licences_and_security_policy_exist():
    for name in ("LICENSE", "LICENSE-DATA", "SECURITY.md", "CONTRIBUTING.md"):
        assert (ROOT / name).read_text().strip(), name


def test_suggest_provider_form_asks_which_inclusion_rule_applies_and_the_site_states_the_rules():
    form = yaml.safe_load((ROOT / ".github/ISSUE_TEMPLATE/suggest-provider.yml").read_text())
    fields = {f.get("id"): f for f in form["body"]}
    rule = fields["inclusion"]
    assert rule["type"] == "dropdown" and rule["validations"]["required"] is True
    assert fields["inclusion-evidence"]["validations"]["required"] is True
    about = (ROOT / "docs/about.md").read_text()
    assert "## Who is included" in about
    # Each option names a rule the About page states (user count, guide, hosted offering, recent release).
    for option, phrase in zip(
        rule["attributes"]["options"],
        ["10 million users", "published guide", "hosted offering of software already", "stable release in the last 12 months"],
        strict=True,
    ):
        assert phrase.lower() in option.lower() and phrase in about, (option, phrase)
