"""cli.py and scaffold.py: help, exit codes, the `new provider` scaffold."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import AS_OF, run


def test_help_lists_commands_and_examples():
    code, out, _ = run("--help")
    assert code == 0
    for word in ("validate", "coverage", "build", "serve", "schema", "new", "examples:", "SCORECARD_AS_OF"):
        assert word in out


def test_bad_as_of_is_a_usage_error():
    code, _, err = run("validate", "--as-of", "27/11/2026")
    assert code == 2 and "YYYY-MM-DD" in err


def test_validate_ok(project):
    code, out, _ = run("validate", "--as-of", str(AS_OF), root=project)
    assert code == 0 and out.startswith("ok: 2 providers, 6 criteria")


def test_coverage_table_and_unknown_provider(project):
    code, out, _ = run("coverage", "--as-of", str(AS_OF), root=project)
    assert code == 0 and "fixture-service" in out and "published as insufficient coverage" in out
    code, _, err = run("coverage", "fixture-servce", root=project)
    assert code == 2 and "did you mean 'fixture-service'" in err


def test_scaffold_new_provider_then_fill_one_assessment_validates(project):
    code, out, err = run("new", "provider", "Delta Chat", "--kind", "service", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    path = project / "data/providers/delta-chat.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/provider.schema.json")
    assert "# --- rc-status-page" in text and "gv-supported" not in text  # only criteria for the kind
    # As a contributor would: fill the header, uncomment one stub and fill it.
    text = text.replace("website: https://   #", "website: https://delta.chat/   #")
    stub = text.split("# --- de-monitoring")[1].split("\n#\n# ---")[0].split("\n", 1)[1]
    filled = "\n".join(line[2:] for line in stub.splitlines())  # what an editor's "toggle comment" does
    filled = (
        filled.replace('summary: ""', 'summary: "Looked at the help pages; nothing about monitoring."')
        .replace("url: https://  #", "url: https://delta.chat/en/help  #")
        .replace('title: ""', "title: Help")
        .replace('publisher: ""', "publisher: Delta Chat")
    )
    filled = re.sub(r"published:  #.*", "seen_current: 2026-11-27", filled, count=1)  # a living help page
    assert "scope: not-found" in filled and "on-call: not-found" in filled  # every requirement, as not-found
    path.write_text(text.split("\n#\n# --- ")[0] + "\n" + filled + "\n")
    code, out, err = run("validate", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    code, out, err = run("build", "--as-of", str(AS_OF), root=project)
    assert code == 0, err
    assert "Delta Chat" in (project / "site/providers/delta-chat/index.html").read_text()
    # A newcomer's typical mistakes are reported at their line and column.
    broken = path.read_text().replace("scope: not-found", "scope: not found").replace("accessed: 2026-11-27", "accessed: 27.11.2026")
    path.write_text(broken)
    code, out, err = run("validate", "--as-of", str(AS_OF), root=project)
    lines = broken.splitlines()
    level_line = next(i for i, text in enumerate(lines, 1) if "not found" in text)
    date_line = next(i for i, text in enumerate(lines, 1) if "27.11.2026" in text)
    assert code == 1
    assert f"data/providers/delta-chat.yaml:{level_line}:" in err and f"data/providers/delta-chat.yaml:{date_line}:" in err
    assert err.count("hint:") >= 2


def test_scaffold_refuses_existing_ids_and_aliases(project):
    code, _, err = run("new", "provider", "Fixture Service", root=project)
    assert code == 1 and "already used" in err
    code, _, err = run("new", "provider", "Old fixture service", root=project)
    assert code == 1 and "already used by provider 'fixture-service'" in err


def test_python_dash_m_generator_works():
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "scorecard" in result.stdout


def _describe(parser: argparse.ArgumentParser) -> dict[str, Any]:
    """What `--help` shows of a parser and its subcommands (names, flags, help texts, choices, types),
    independent of how a Python version lays the help out."""
    out: dict[str, Any] = {"prog": parser.prog, "description": parser.description, "epilog": parser.epilog, "arguments": [], "commands": {}}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                out["commands"][name] = {"help": helps.get(name), **_describe(sub)}
        elif not isinstance(action, argparse._HelpAction):
            default = action.default if isinstance(action.default, (bool, int, list)) or action.default is None else type(action.default).__name__
            out["arguments"].append(
                {
                    "flags": action.option_strings or [action.dest],
                    "dest": action.dest,
                    "help": action.help,
                    "nargs": action.nargs,
                    "choices": list(action.choices) if action.choices else None,
                    "required": action.required,
                    "action": type(action).__name__,
                    "type": getattr(action.type, "__name__", None),
                    "metavar": action.metavar,
                    "const": action.const if isinstance(action.const, (str, int, bool)) or action.const is None else repr(action.const),
                    "default": default,  # a string default may come from the environment or git: only its type
                }
            )
    return out


def test_command_line_interface_matches_its_golden_description(monkeypatch, request):
    """Every command, flag, help text and choice (what `scorecard <command> --help` shows). After an
    intended change: pytest tests/test_cli.py --update-golden, and review git diff tests/golden."""
    from generator import cli

    for name in [k for k in os.environ if k.startswith("SCORECARD_")]:
        monkeypatch.delenv(name)
    actual = json.dumps(_describe(cli.parser()), indent=1, sort_keys=True) + "\n"
    golden = Path(__file__).resolve().parent / "golden" / "cli" / "parser.json"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    assert actual == expected, "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), "golden", "generated", n=2))[:4000]


def test_scorecard_without_a_command_is_a_usage_error():
    code, _, err = run()
    assert code == 2
    assert "the following arguments are required: COMMAND" in err


def test_the_repository_url_defaults_to_the_github_actions_repository(monkeypatch):
    from generator import cli

    monkeypatch.delenv("SCORECARD_REPOSITORY_URL", raising=False)
    monkeypatch.delenv("GITHUB_SERVER_URL", raising=False)
    monkeypatch.setenv("GITHUB_REPOSITORY", "example/scorecard")
    assert cli._repository_default() == "https://github.com/example/scorecard"
    monkeypatch.setenv("GITHUB_SERVER_URL", "https://git.example.org")
    assert cli._repository_default() == "https://git.example.org/example/scorecard"
    monkeypatch.setenv("SCORECARD_REPOSITORY_URL", "https://github.com/other/repo")
    assert cli._repository_default() == "https://github.com/other/repo"
