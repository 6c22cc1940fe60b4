"""Validation rules as a registry: one signature, documented once, listed on a generated page (two-way drift test)."""

from __future__ import annotations

import inspect

import pytest
import yaml
from markupsafe import escape

from generator import build, check

from .conftest import AS_OF


def test_every_rule_function_is_registered_with_one_signature():
    functions = {name: f for name, f in inspect.getmembers(check, inspect.isfunction) if name.startswith("rule_") and name != "rule_docs"}
    registered = {r.check.__name__ for r in check.RULES}
    assert set(functions) == registered  # no rule function outside the registry
    for r in check.RULES:
        params = list(inspect.signature(r.check).parameters.values())
        assert [(p.name, p.annotation) for p in params] == [("t", "Target")], r.id
        assert r.text and r.scope in ("file", "item", "criterion", "provider", "claim")
    assert len(check.RULES) == len({r.id for r in check.RULES}) >= 18


def test_documentation_and_registry_agree_both_ways(tmp_path, monkeypatch):
    docs = check.rule_docs()
    assert [d.id for d in docs] == [r.id for r in check.RULES] and all(d.title and d.why.endswith(".") for d in docs)
    entries = yaml.safe_load(check.RULE_DOCS.read_text())
    first = next(iter(entries))
    by_id = {d.id: d for d in docs}
    assert by_id["id-matches-file"] == check.RuleDoc(
        "id-matches-file",
        "item",
        "A provider's or criterion's id is its file name.",
        str(entries["id-matches-file"]["title"]),
        str(entries["id-matches-file"]["why"]),
    )
    assert (by_id["successor"].scope, by_id["line-endings"].scope, by_id["outcome"].scope) == ("provider", "file", "claim")
    # A rule without documentation fails ...
    trimmed = tmp_path / "trimmed.yaml"
    trimmed.write_text(yaml.safe_dump({k: v for k, v in entries.items() if k != first}))
    monkeypatch.setattr(check, "RULE_DOCS", trimmed)
    with pytest.raises(ValueError) as exc:
        check.rule_docs()
    assert str(exc.value) == f"trimmed.yaml is out of step with check.RULES: undocumented ['{first}'], no such rule []"
    # ... and so does documentation of a rule that no longer exists.
    extra = tmp_path / "extra.yaml"
    extra.write_text(yaml.safe_dump({**entries, "retired-rule": {"title": "Gone", "why": "No longer checked."}}))
    monkeypatch.setattr(check, "RULE_DOCS", extra)
    with pytest.raises(ValueError) as exc:
        check.rule_docs()
    assert str(exc.value) == "extra.yaml is out of step with check.RULES: undocumented [], no such rule ['retired-rule']"


def test_generated_page_lists_every_rule_in_registry_order(project):
    files = build.generate(build.Settings(project, AS_OF), background=False)
    page = files["validation-rules.md"].decode()
    positions = [page.index(f"{{: #{r.id} }}") for r in check.RULES]
    assert positions == sorted(positions)
    for d in check.rule_docs():
        assert str(escape(d.why)) in page and str(escape(d.title)) in page
    assert f"applies these {len(check.RULES)} rules" in page


def test_a_rule_reports_through_the_registry(project):
    """Switching one registered rule off silences exactly its problems (the pipeline runs the registry, nothing else)."""
    path = project / "data/providers/fixture-service.yaml"
    path.write_text(path.read_text().replace("accessed: 2026-01-10", "accessed: 2025-11-01", 1))
    _, found = check.check_tree(project, AS_OF)
    assert any("is after accessed" in p.message for p in found)
    kept = [r for r in check.RULES if r.id != "dated-before-accessed"]
    original = list(check.RULES)
    check.RULES[:] = kept
    try:
        _, found = check.check_tree(project, AS_OF)
    finally:
        check.RULES[:] = original
    assert not any("is after accessed" in p.message for p in found)


def test_a_site_on_a_code_forge_matches_its_owner_also_under_orgs():
    from generator.rules import site_matches

    assert site_matches("https://github.com/orgs/Example/discussions", "github.com/example")
    assert site_matches("https://github.com/example/server/security", "github.com/example")
    assert not site_matches("https://github.com/orgs/other/discussions", "github.com/example")
    assert not site_matches("https://github.com/exampleother/x", "github.com/example")
    assert site_matches("https://security.example.org/x", "example.org")


def test_hosts_and_sites_are_compared_without_case_or_a_final_dot():
    from generator import rules

    assert rules.host_suffixes("A.b.Example.org.") == ["a.b.example.org", "b.example.org", "example.org", "org"]
    assert rules.host_suffixes("") == [""]
    assert rules.host_matches("Sub.Example.org.", "EXAMPLE.org") and rules.host_matches("example.org", "example.org")
    assert not rules.host_matches("badexample.org", "example.org") and not rules.host_matches("example.org", "sub.example.org")
    assert rules.site_matches("https://WWW.Example.org/a", "example.org")
    assert not rules.site_matches("https://example.org.evil.example/a", "example.org")
    assert not rules.site_matches("mailto:security@example.org", "example.org")  # no host
    assert rules.site_matches("https://github.com/Example", "github.com/example")  # the owner alone, any case
    assert rules.site_matches("https://github.com/orgs/", "github.com/orgs")  # "orgs" with nothing after it is an owner
    assert not rules.site_matches("https://gitlab.com/example/x", "github.com/example")


@pytest.mark.parametrize(
    "website, site",
    [
        ("https://www.Signal.org/download/", "signal.org"),
        ("https://github.com/deltachat/deltachat-core-rust", "github.com/deltachat"),
        ("https://GitLab.com/fdroid/", "gitlab.com/fdroid"),
        ("https://codeberg.org/forgejo", "codeberg.org/forgejo"),
        ("https://github.com/", "github.com"),
        ("https://wwwx.example.org/", "wwwx.example.org"),
    ],
)
def test_a_providers_own_domain_is_its_host_or_its_owner_on_a_code_forge(website, site):
    from generator import rules

    assert rules.own_domain(website) == site
