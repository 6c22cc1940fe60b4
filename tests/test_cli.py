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


# --- What each command prints, exactly (mutation testing found these unread) -----------------------


def _clear_scorecard_environment(monkeypatch) -> None:
    for name in [k for k in os.environ if k.startswith(("SCORECARD_", "GITHUB_"))]:
        monkeypatch.delenv(name)


def test_help_keeps_the_examples_laid_out_as_written():
    code, out, _ = run("--help")
    assert code == 0
    # RawDescriptionHelpFormatter: the epilog's columns survive (the default formatter would re-flow them into one paragraph).
    assert "\n  scorecard validate                 check every file in data/, print problems as file:line:col\n" in out
    assert "\nenvironment:\n  SCORECARD_AS_OF          default for --as-of (YYYY-MM-DD; otherwise today, UTC)\n" in out


def test_build_and_serve_options_default_to_the_environment(monkeypatch):
    from generator import cli

    _clear_scorecard_environment(monkeypatch)
    for command in ("build", "serve"):
        args = cli.parser().parse_args([command])
        assert (args.site_url, args.repository_url, args.contact_email, args.as_of) == ("", "", "", None), command
    assert cli.parser().parse_args(["serve"]).port == 8000
    monkeypatch.setenv("SCORECARD_SITE_URL", "https://scorecard.example.org/")
    monkeypatch.setenv("SCORECARD_CONTACT_EMAIL", "reply@example.org")
    monkeypatch.setenv("SCORECARD_REPOSITORY_URL", "https://github.com/example/scorecard")
    for command in ("build", "serve"):
        args = cli.parser().parse_args([command])
        assert (args.site_url, args.repository_url, args.contact_email) == (
            "https://scorecard.example.org/",
            "https://github.com/example/scorecard",
            "reply@example.org",
        ), command
    code, _, err = run("build", "--contact-email", "reply@")
    assert code == 2 and "argument --contact-email: 'reply@' is not an email address (expected e.g. reply@example.org)" in err


def test_the_repository_url_is_empty_outside_github_actions(monkeypatch):
    from generator import cli

    _clear_scorecard_environment(monkeypatch)
    assert cli._repository_default() == ""


def test_a_bad_date_in_the_environment_is_a_usage_error_not_a_traceback(project, monkeypatch):
    _clear_scorecard_environment(monkeypatch)
    monkeypatch.setenv("SCORECARD_AS_OF", "2026-13-45")
    code, out, err = run("validate", root=project)
    assert (code, out) == (2, "")
    assert err.startswith("usage: scorecard") and err.endswith("error: SCORECARD_AS_OF: '2026-13-45' is not a date; use YYYY-MM-DD\n")
    assert run("validate", "--as-of", str(AS_OF), root=project)[0] == 0  # the flag wins: the variable is not read


def test_validate_prints_what_it_checked_at_the_date_from_the_environment(project, monkeypatch):
    _clear_scorecard_environment(monkeypatch)
    monkeypatch.setenv("SCORECARD_AS_OF", AS_OF.isoformat())
    assessments = sum(p.read_text().count("\n  - criterion: ") for p in (project / "data/providers").glob("*.yaml"))
    assert assessments == 7  # 5 of fixture-service, 2 of fixture-software
    code, out, err = run("validate", root=project)
    assert (code, out, err) == (0, "ok: 2 providers, 6 criteria, 7 assessments (as of 2026-11-27)\n", "")
    code, out, _ = run("validate", "--as-of", "2026-12-01", root=project)  # the flag wins over the environment
    assert code == 0 and out.endswith("(as of 2026-12-01)\n")


def test_validate_reports_every_problem_and_fails(project):
    path = project / "data/providers/fixture-software.yaml"
    path.write_text(path.read_text().replace("kind: software", "kind: softwar", 1))
    code, out, err = run("validate", "--as-of", str(AS_OF), root=project)
    assert code == 1 and out == ""
    assert err.startswith("data/providers/fixture-software.yaml:") and err.endswith("1 problem(s) in 1 file(s).\n"), err


def test_coverage_of_named_providers_only_and_unknown_ones_exactly(project):
    code, out, err = run("coverage", "--as-of", str(AS_OF), "fixture-software", root=project)
    assert code == 0 and err == ""
    assert out.splitlines()[1:] == [
        "fixture-software       software         2    3       67%  published as insufficient coverage",
        "1 providers: 1 below the 80% coverage gate (published without scores), 0 draft(s). "
        "This is a report, not a failure: scores appear once 80% of the applicable criteria are assessed.",
    ]
    code, out, err = run("coverage", "--as-of", str(AS_OF), "fixture-servce", "zzz", root=project)
    assert (code, out) == (2, "")
    assert err == "scorecard: unknown provider 'fixture-servce'; did you mean 'fixture-service'?\nscorecard: unknown provider 'zzz'\n"
    code, out, _ = run("coverage", "--markdown", "--as-of", str(AS_OF), "fixture-service", root=project)
    assert code == 0 and "fixture-software" not in out and "| `fixture-service` | service | 5 | 6 | 83% | published with scores |" in out


def test_an_interrupted_command_exits_130_and_debug_leaves_no_logging_behind(project, monkeypatch):
    import logging

    from generator import cli

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setitem(cli.COMMANDS, "validate", interrupted)
    assert run("validate", root=project)[0] == 130
    assert run("--debug", "validate", root=project)[0] == 130
    logger = logging.getLogger("scorecard")
    assert logger.handlers == [] and logger.level == logging.NOTSET


def test_debug_sends_the_generator_log_to_stderr(project, monkeypatch):
    import logging

    from generator import cli

    def logs(*args):
        logging.getLogger("scorecard.test").debug("a detail")
        logging.getLogger("other").warning("not ours")
        return 0

    monkeypatch.setitem(cli.COMMANDS, "validate", logs)
    assert run("validate", root=project) == (0, "", "")
    code, out, err = run("--debug", "validate", root=project)
    assert (code, out) == (0, "") and "debug: a detail\n" in err and "not ours" not in err.replace("debug:", "")


def test_a_failed_build_says_the_previous_site_stays_and_how_to_see_why(project, monkeypatch):
    from generator import build
    from generator.problems import DataError, Problem

    def fails(*args):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(build, "build", fails)
    code, out, err = run("build", "--as-of", str(AS_OF), root=project)
    assert (code, out) == (1, "")
    assert err == "build failed: disk on fire\nthe previous site was left untouched\n(run `scorecard --debug build ...` to see the traceback)\n"

    def bad_data(*args):
        raise DataError([Problem("data/providers/x.yaml", 3, 5, "wrong", "fix it")])

    monkeypatch.setattr(build, "build", bad_data)
    code, out, err = run("build", "--as-of", str(AS_OF), root=project)
    assert (code, out) == (1, "")
    assert err == (
        "build stopped: the previous site was left untouched\ndata/providers/x.yaml:3:5: error: wrong\n  hint: fix it\n1 problem(s) in 1 file(s).\n"
    )


def test_build_and_serve_pass_the_options_on(project, monkeypatch):
    from generator import build, serve

    seen = {}

    def fake_build(settings, site_dir, progress):
        seen["build"] = (settings, site_dir)

    def fake_serve(settings, port, progress):
        seen["serve"] = (settings, port)
        progress("regenerating")  # a timed line on stderr, as the build's steps
        return 7

    monkeypatch.setattr(build, "build", fake_build)
    monkeypatch.setattr(serve, "serve", fake_serve)
    options = ["--as-of", "2026-11-20", "--site-url", "https://s.example.org/", "--repository-url", "https://github.com/o/r"]
    options += ["--contact-email", "reply@example.org"]
    assert run("build", *options, "--site-dir", "out", root=project) == (0, "", "")
    code, out, err = run("serve", *options, "--port", "8123", root=project)
    assert (code, out) == (7, "") and re.fullmatch(r"\[ *\d+\.\ds\] regenerating\n", err), err
    for command, extra in (("build", Path("out")), ("serve", 8123)):
        settings, value = seen[command]
        assert value == extra
        assert (settings.root, settings.as_of, settings.site_url, settings.repository_url, settings.contact_email) == (
            project.resolve(),
            __import__("datetime").date(2026, 11, 20),
            "https://s.example.org/",
            "https://github.com/o/r",
            "reply@example.org",
        )


def test_report_writes_a_file_or_prints_and_checks_links_only_when_asked(project, monkeypatch, tmp_path):
    from generator import report

    expected = run("report", "--as-of", str(AS_OF), root=project)[1]
    assert expected.startswith("# Evidence check, as of 2026-11-27\n\n## Stale evidence (1)\n") and expected.endswith("window 12 months\n")
    out_file = tmp_path / "report.md"
    code, out, err = run("report", "--as-of", str(AS_OF), "--output", str(out_file), root=project)
    assert (code, out, err) == (0, "", f"wrote {out_file}\n")
    assert out_file.read_text(encoding="utf-8") == expected
    asked = []

    def fake_dead_links(urls):
        asked.extend(urls)
        return {urls[0]: "HTTP 404"}

    monkeypatch.setattr(report, "dead_links", fake_dead_links)
    code, out, err = run("report", "--as-of", str(AS_OF), "--links", root=project)
    cited = report.source_urls(__import__("generator.check", fromlist=["x"]).check_tree(project, AS_OF)[0])
    assert code == 0 and asked == list(cited) and err == f"checking {len(cited)} source URLs…\n"
    assert out.startswith(expected) and f"## Dead or unreachable source links (1 of {len(cited)})" in out
    assert f"- <{asked[0]}> — HTTP 404; cited by {', '.join(cited[asked[0]])}\n" in out


def test_schema_writes_what_is_missing_then_reports_it_current(project):
    form, template = ".github/ISSUE_TEMPLATE/add-evidence.yml", "data/templates/provider.yaml"
    assert not (project / ".github").exists()  # written with its folders
    stale_form = (
        f"{form}:1:1: error: out of date with data/criteria\n  hint: run `scorecard schema`\n"
        f"{template}:1:1: error: out of date with data/criteria\n  hint: run `scorecard schema`\n"
    )
    assert run("schema", "--check", "--as-of", str(AS_OF), root=project) == (1, "", stale_form)
    assert not (project / form).exists()  # --check writes nothing
    code, out, err = run("schema", "--as-of", str(AS_OF), root=project)
    assert (code, out, err) == (0, f"updated {form}\nupdated {template}\nwrote 0 schema file(s) (all current)\n", "")
    assert (project / form).read_text(encoding="utf-8").startswith("# Generated by `scorecard schema` from data/criteria")
    assert run("schema", "--as-of", str(AS_OF), root=project) == (0, "wrote 0 schema file(s) (all current)\n", "")
    assert run("schema", "--check", "--as-of", str(AS_OF), root=project) == (0, "", "")
    committed = (project / "data/schema/provider.schema.json").read_bytes()
    (project / "data/schema/provider.schema.json").unlink()
    assert run("schema", "--check", "--as-of", str(AS_OF), root=project) == (
        1,
        "",
        "data/schema/provider.schema.json:1:1: error: out of date with generator/model.py\n  hint: run `scorecard schema`\n",
    )
    assert run("schema", "--as-of", str(AS_OF), root=project) == (0, "wrote 1 schema file(s): provider.schema.json\n", "")
    assert (project / "data/schema/provider.schema.json").read_bytes() == committed
    for name in ("provider.schema.json", "criterion.schema.json"):
        (project / "data/schema" / name).write_text("{}\n")
    code, out, _ = run("schema", "--as-of", str(AS_OF), root=project)
    assert (code, sorted(out.removeprefix("wrote 2 schema file(s): ").rstrip("\n").split(", "))) == (
        0,
        ["criterion.schema.json", "provider.schema.json"],
    )
    (project / template).write_text("edited by hand\n", encoding="utf-8")
    code, _, err = run("schema", "--check", "--as-of", str(AS_OF), root=project)
    assert code == 1 and err == f"{template}:1:1: error: out of date with data/criteria\n  hint: run `scorecard schema`\n"
    assert run("schema", "--as-of", str(AS_OF), root=project) == (0, f"updated {template}\nwrote 0 schema file(s) (all current)\n", "")


def test_new_provider_with_an_id_and_kind_then_evidence_for_it(project):
    code, out, err = run("new", "provider", "Delta Chat", "--id", "dc", "--kind", "software", "--as-of", str(AS_OF), root=project)
    assert (code, out, err) == (0, "created data/providers/dc.yaml: fill in the stubs, then run `scorecard validate`\n", "")
    text = (project / "data/providers/dc.yaml").read_text()
    assert '\nid: dc\nname: "Delta Chat"\nkind: software   # service | software | both\n' in text
    assert "# --- rc-status-page" not in text and "# --- gv-security-ownership" in text  # the software criteria only
    code, out, err = run("new", "evidence", "dc", "de-monitoring", "--as-of", str(AS_OF), root=project)
    assert (code, out) == (1, "")
    assert err == (
        "data/providers/dc.yaml:1:1: error: criterion 'de-monitoring' applies to service, not to kind 'software'\n"
        "  hint: choose an applicable criterion\n1 problem(s) in 1 file(s).\n"
    )
    code, out, err = run("new", "evidence", "dc", "id-security-contact", "--as-of", str(AS_OF), root=project)
    line = int(
        re.fullmatch(r"added id-security-contact to data/providers/dc\.yaml at line (\d+): fill it in, then run `scorecard validate`\n", out).group(1)
    )
    assert (code, err) == (0, "")
    lines = (project / "data/providers/dc.yaml").read_text().splitlines()
    assert lines[line - 1] == "  - criterion: id-security-contact" and lines[line - 2].startswith("#")  # after the commented stubs
    assert lines[-2:] == [
        "    reviewed: 2026-11-27  # when you checked this claim against its sources",
        "    provenance: vendor-asserted  # vendor-asserted | third-party | independently-verified",
    ]


def test_from_issue_without_a_number_names_the_file_and_prints_where_it_added(project, tmp_path):
    from .test_contributor import issue_body

    body = tmp_path / "body.md"
    body.write_bytes(b"\xff" + issue_body().encode())
    code, out, err = run("from-issue", str(body), "--as-of", str(AS_OF), root=project)
    assert (code, out, err) == (1, "", f"{body}:1:1: error: the issue body is not UTF-8\n1 problem(s) in 1 file(s).\n")
    body.write_text(issue_body(Provider="fixture-servic"), encoding="utf-8")
    code, out, err = run("from-issue", str(body), "--as-of", str(AS_OF), root=project)
    assert (code, out) == (1, "") and err.startswith("data/providers/fixture-servic.yaml:1:1: error: there is no provider 'fixture-servic'\n")
    body.write_text(issue_body(Date="someday"), encoding="utf-8")
    code, out, err = run("from-issue", str(body), "--as-of", str(AS_OF), root=project)
    assert (code, out) == (1, "") and err.startswith(f"{body}:1:1: error: Date: someday: not a date\n")
    body.write_text(issue_body(), encoding="utf-8")
    code, out, err = run("from-issue", str(body), "--as-of", str(AS_OF), root=project)
    line = int(re.fullmatch(r"added pr-e2ee-default to data/providers/fixture-service\.yaml at line (\d+)\n", out).group(1))
    assert (code, err) == (0, "")
    lines = (project / "data/providers/fixture-service.yaml").read_text().splitlines()
    assert lines[line - 1 : line + 1] == [
        "  # From an Add evidence issue: check every field against the source before merging.",
        "  - criterion: pr-e2ee-default",
    ]
    assert "    reviewed: 2026-11-27  # when you checked this claim against its sources" in lines[line:]


def test_without_a_date_the_day_is_today_in_utc(monkeypatch):
    import datetime as dt

    from generator import cli

    class LateEvening(dt.datetime):  # 23:30 UTC on 27 November: already 28 November east of UTC
        @classmethod
        def now(cls, tz=None):
            instant = dt.datetime(2026, 11, 27, 23, 30, tzinfo=dt.UTC)
            return instant.astimezone(tz) if tz else instant.astimezone(dt.timezone(dt.timedelta(hours=9))).replace(tzinfo=None)

    monkeypatch.delenv("SCORECARD_AS_OF", raising=False)
    monkeypatch.setattr(cli.dt, "datetime", LateEvening)
    assert cli._default_as_of() == dt.date(2026, 11, 27)
