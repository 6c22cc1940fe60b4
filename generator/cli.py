"""The `scorecard` command: a thin layer over the library modules.

Exit codes: 0 success, 1 problems in the data or a failed build, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from pathlib import Path

from . import build, coverage, registry, rules, scaffold, schema
from .check import check_tree, did_you_mean
from .problems import DataError, report

EPILOG = """\
examples:
  scorecard validate                 check every file in data/, print problems as file:line:col
  scorecard coverage                 how many applicable criteria each provider has assessed (a report)
  scorecard build --as-of 2026-11-27 build the site into site/ (reproducible for that date)
  scorecard serve                    preview on http://127.0.0.1:8000/, rebuilding on changes
  scorecard report --links           stale evidence and dead source links, as Markdown
  scorecard collect --offline        proposals from recorded machine-readable sources (nothing written)
  scorecard collect --write --archive  fetch live, archive new sources, apply proposals to data/
  scorecard new provider "Delta Chat" --kind service
  scorecard new evidence delta-chat id-security-contact
  scorecard from-issue body.md --issue 42   append the evidence from an "Add evidence" issue
environment:
  SCORECARD_AS_OF          default for --as-of (YYYY-MM-DD; otherwise today, UTC)
  SCORECARD_SITE_URL       absolute site URL for canonical links and security.txt
  SCORECARD_REPOSITORY_URL https://github.com/OWNER/REPO, for "suggest a correction" links
  SCORECARD_CONTACT_EMAIL  the project's contact address (right of reply, Who we are, footer)
"""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; use YYYY-MM-DD") from None


def _email(value: str) -> str:
    from .reply import email_problem

    problem = email_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _default_as_of() -> dt.date:
    env = os.environ.get("SCORECARD_AS_OF")
    return _date(env) if env else dt.datetime.now(dt.UTC).date()


def _repository_default() -> str:
    if os.environ.get("SCORECARD_REPOSITORY_URL"):
        return os.environ["SCORECARD_REPOSITORY_URL"]
    if os.environ.get("GITHUB_REPOSITORY"):
        return f"{os.environ.get('GITHUB_SERVER_URL', 'https://github.com')}/{os.environ['GITHUB_REPOSITORY']}"
    return ""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="scorecard",
        description="Messenger Defense Scorecard: validate the evidence in data/, score it and build the site.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: current folder)")
    p.add_argument("--debug", action="store_true", help="on an unexpected error, show the full traceback")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def with_as_of(sp: argparse.ArgumentParser) -> argparse.ArgumentParser:
        sp.add_argument("--as-of", type=_date, default=None, help="the date the data is judged at (default: $SCORECARD_AS_OF or today)")
        return sp

    with_as_of(sub.add_parser("validate", help="check all data files; print every problem as file:line:col"))
    cov = with_as_of(sub.add_parser("coverage", help="print a per-provider coverage table"))
    cov.add_argument("providers", nargs="*", help="provider ids (default: all)")
    cov.add_argument("--markdown", action="store_true", help="print a Markdown table (CI appends it to the pull request's summary)")
    for name, helptext in (("build", "validate, generate Markdown and build the site"), ("serve", "build, serve locally, rebuild on changes")):
        sp = with_as_of(sub.add_parser(name, help=helptext))
        sp.add_argument("--site-url", default=os.environ.get("SCORECARD_SITE_URL", ""), help="absolute URL the site is published at")
        sp.add_argument("--repository-url", default=_repository_default(), help="https://github.com/OWNER/REPO for edit links")
        sp.add_argument(
            "--contact-email",
            type=_email,
            default=os.environ.get("SCORECARD_CONTACT_EMAIL", ""),
            help="the project's contact address: right of reply, Who we are page, footer (default: $SCORECARD_CONTACT_EMAIL)",
        )
        if name == "build":
            sp.add_argument("--site-dir", type=Path, default=Path("site"), help="output folder (default: site)")
        else:
            sp.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    rp = with_as_of(sub.add_parser("report", help="list stale evidence (and dead source links with --links) as Markdown"))
    rp.add_argument("--links", action="store_true", help="also request every source URL (needs internet)")
    rp.add_argument("--output", type=Path, help="write the report to this file instead of printing it")
    co = with_as_of(sub.add_parser("collect", help="read machine-readable disclosures and propose evidence (Markdown report)"))
    co.add_argument("--offline", action="store_true", help="replay recorded responses instead of the network")
    co.add_argument("--fixtures", type=Path, default=None, help="recorded responses for --offline (default: tests/fixtures/collect)")
    co.add_argument("--write", action="store_true", help="apply the proposals to data/providers/ (validated; rolled back on problems)")
    co.add_argument("--archive", action="store_true", help="request Wayback Machine captures of new or changed sources")
    co.add_argument("--provider", action="append", default=[], metavar="ID", help="only this provider (repeatable)")
    co.add_argument("--output", type=Path, help="write the report to this file instead of printing it")
    sc = with_as_of(
        sub.add_parser(
            "schema",
            help="write what is generated from the models and criteria: editor JSON Schemas, "
            "CONTRIBUTING's list of limits, the Add evidence issue form",
        )
    )
    sc.add_argument("--check", action="store_true", help="only check that the committed schemas are current")
    fi = with_as_of(sub.add_parser("from-issue", help='append the evidence from an "Add evidence" issue body to the provider\'s file'))
    fi.add_argument("body", type=Path, help="file with the issue body (Markdown, as GitHub stores it)")
    fi.add_argument("--issue", type=int, help="issue number, for the comment and the pull request text")
    fi.add_argument("--pr-body", type=Path, help="write a pull request description here")
    new = sub.add_parser("new", help="scaffold a new data file")
    new_sub = new.add_subparsers(dest="what", required=True, metavar="WHAT")
    np = with_as_of(new_sub.add_parser("provider", help="create data/providers/<id>.yaml with every applicable criterion as a stub"))
    np.add_argument("name", help='display name, e.g. "Delta Chat"')
    np.add_argument("--id", dest="provider_id", help="id (default: made from the name)")
    np.add_argument("--kind", choices=registry.KIND_ORDER, default="service", help="default: service")
    ne = with_as_of(new_sub.add_parser("evidence", help="append an assessment block for one criterion to a provider's file"))
    ne.add_argument("provider", help="provider id, e.g. delta-chat")
    ne.add_argument("criterion", help="criterion id, e.g. id-security-contact")
    return p


def main(argv: list[str] | None = None) -> int:
    cli = parser()
    args = cli.parse_args(argv)
    root: Path = args.root.resolve()
    try:
        as_of = getattr(args, "as_of", None) or _default_as_of()
    except argparse.ArgumentTypeError as exc:  # from the environment, which argparse does not read
        cli.error(f"SCORECARD_AS_OF: {exc}")
    debug = _debug_log() if args.debug else None
    try:
        return COMMANDS[args.command](args, root, as_of)
    except DataError as exc:
        report(exc.problems, sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if debug:
            logging.getLogger("scorecard").removeHandler(debug)
            logging.getLogger("scorecard").setLevel(logging.NOTSET)


def _debug_log() -> logging.Handler:
    """With --debug, the generator's own log (the "scorecard" loggers, e.g. a skipped old file version
    in the history with its traceback) goes to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("debug: %(message)s"))
    logging.getLogger("scorecard").addHandler(handler)
    logging.getLogger("scorecard").setLevel(logging.DEBUG)
    return handler


def cmd_validate(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    dataset, problems = check_tree(root, as_of)
    if problems or dataset is None:
        raise DataError(problems)
    print(
        f"ok: {len(dataset.providers)} providers, {len(dataset.criteria)} criteria, "
        f"{sum(len(p.assessments) for p in dataset.providers.values())} assessments (as of {as_of})"
    )
    return 0


def cmd_coverage(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    settings = build.Settings(root, as_of)
    dataset = build.load_checked(settings)
    unknown = [p for p in args.providers if p not in dataset.providers]
    for pid in unknown:
        hint = did_you_mean(pid, list(dataset.providers))
        print(f"scorecard: unknown provider {pid!r}{'; ' + hint if hint else ''}", file=sys.stderr)
    if unknown:
        return 2
    print((coverage.markdown if args.markdown else coverage.table)(dataset, as_of, args.providers or None))
    return 0


def _settings(args: argparse.Namespace, root: Path, as_of: dt.date) -> build.Settings:
    return build.Settings(root, as_of, repository_url=args.repository_url, site_url=args.site_url, contact_email=args.contact_email)


def cmd_build(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    progress = build.Progress()
    try:
        build.build(_settings(args, root, as_of), args.site_dir, progress)
    except DataError:
        print("build stopped: the previous site was left untouched", file=sys.stderr)
        raise
    except Exception as exc:  # MkDocs aborts (strict warnings) arrive here; say so plainly.
        print(f"build failed: {exc}\nthe previous site was left untouched", file=sys.stderr)
        if args.debug:
            raise
        print("(run `scorecard --debug build ...` to see the traceback)", file=sys.stderr)
        return 1
    return 0


def cmd_report(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    from . import report

    dataset = build.load_checked(build.Settings(root, as_of))
    dead = None
    if args.links:
        urls = list(report.source_urls(dataset))
        print(f"checking {len(urls)} source URLs…", file=sys.stderr, flush=True)
        dead = report.dead_links(urls)
    text = report.markdown(dataset, as_of, dead)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def cmd_collect(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    from .collect import archive, checks, report, run, write
    from .collect.fetch import Fetcher, replay_fetcher
    from .problems import DataError

    dataset = build.load_checked(build.Settings(root, as_of))
    unknown = [p for p in args.provider if p not in dataset.providers]
    for pid in unknown:
        hint = did_you_mean(pid, list(dataset.providers))
        print(f"scorecard: unknown provider {pid!r}{'; ' + hint if hint else ''}", file=sys.stderr)
    if unknown:
        return 2
    mapping, doc = checks.load(root)
    if run.M2:
        problems = checks.problems(mapping, dataset.criteria, doc)
        if problems:
            raise DataError(problems)
    if args.offline and args.write and args.fixtures is None:
        print("scorecard: --offline --write needs --fixtures DIR: the default recordings are crafted test data, never evidence", file=sys.stderr)
        return 2
    if args.offline:
        fixtures = (args.fixtures or root / "tests" / "fixtures" / "collect").resolve()
        if not (fixtures / "index.yaml").is_file():
            print(f"scorecard: no recorded responses at {fixtures}/index.yaml", file=sys.stderr)
            return 2
        fetcher = replay_fetcher(fixtures, as_of)
        mode = "offline replay of recorded responses"
        if getattr(fetcher.transport, "crafted", False):
            mode += " (crafted test data: nothing in this report is evidence about a real provider)"
    else:
        fetcher, mode = Fetcher(today=as_of), "live"
    results = run.run(dataset, mapping, fetcher, as_of, args.provider or None, run.extra_sources(root))
    archived, notes = archive.archive_sources(results, fetcher, as_of) if args.archive else ({}, [])
    rolled_back: list[str] = []
    written = write.write(root, results, dataset, as_of, archived, rolled_back) if args.write else None
    text = report.markdown(results, as_of, mode, written, archived, notes, rolled_back)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        print(text, end="")
    return 0


def cmd_serve(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    from . import serve

    return serve.serve(_settings(args, root, as_of), args.port, build.Progress())


def cmd_from_issue(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    from . import issue
    from .check import load_tree
    from .problems import Problem

    where = f"issue #{args.issue}" if args.issue else str(args.body)
    raw = args.body.read_bytes()
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DataError([Problem(where, 1, 1, "the issue body is not UTF-8", "")]) from None
    dataset, _ = load_tree(root, as_of)
    submission, problems = issue.parse(body, dataset.criteria if dataset else {}, where)
    if submission is None:
        raise DataError(problems)
    path, line = scaffold.append_assessment(root, submission.provider, submission.criterion, as_of, submission.evidence)
    rel = path.relative_to(root).as_posix()
    if args.pr_body:
        args.pr_body.write_text(issue.pull_request_body(submission, args.issue, rel, line), encoding="utf-8")
    print(f"added {submission.criterion} to {rel} at line {line}")
    return 0


def _stale_from_criteria(root: Path, as_of: dt.date) -> list[tuple[str, str]]:
    """(path, new text) of each file generated from data/criteria that differs from its committed
    version: the Add evidence form and the web-editor provider template."""
    from . import issue
    from .check import load_tree

    dataset, _ = load_tree(root, as_of)
    if dataset is None:
        return []
    criteria = list(dataset.criteria.values())
    wanted = {issue.FORM_PATH: issue.form_yaml(criteria), scaffold.TEMPLATE_PATH: scaffold.web_template(criteria)}
    return [(rel, text) for rel, text in wanted.items() if not (root / rel).exists() or (root / rel).read_text(encoding="utf-8") != text]


def cmd_schema(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    from . import limits

    form = _stale_from_criteria(root, as_of)
    for rel, text in form:
        if args.check:
            print(f"{rel}:1:1: error: out of date with data/criteria\n  hint: run `scorecard schema`", file=sys.stderr)
        else:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
            print(f"updated {rel}")

    directory = root / "data" / "schema"
    if args.check:
        stale = schema.stale(directory)
        for name in stale:
            print(f"data/schema/{name}:1:1: error: out of date with generator/model.py\n  hint: run `scorecard schema`", file=sys.stderr)
        if limits.stale(root):
            print(f"{limits.TARGET}:1:1: error: the generated list of limits is out of date\n  hint: run `scorecard schema`", file=sys.stderr)
        return 1 if stale or limits.stale(root) or form else 0
    if limits.write(root):
        print(f"updated the list of limits in {limits.TARGET}")
    changed = schema.write(directory)
    print(f"wrote {len(changed)} schema file(s)" + (f": {', '.join(changed)}" if changed else " (all current)"))
    return 0


def cmd_new(args: argparse.Namespace, root: Path, as_of: dt.date) -> int:
    if args.what == "evidence":
        path, line = scaffold.append_assessment(root, args.provider, args.criterion, as_of)
        print(f"added {args.criterion} to {path.relative_to(root)} at line {line}: fill it in, then run `scorecard validate`")
        return 0
    pid = args.provider_id or rules.slugify(args.name)
    path = scaffold.new_provider(root, args.name, pid, args.kind, as_of)
    print(f"created {path.relative_to(root)}: fill in the stubs, then run `scorecard validate`")
    return 0


COMMANDS = {
    "validate": cmd_validate,
    "coverage": cmd_coverage,
    "report": cmd_report,
    "collect": cmd_collect,
    "build": cmd_build,
    "serve": cmd_serve,
    "schema": cmd_schema,
    "new": cmd_new,
    "from-issue": cmd_from_issue,
}

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
