"""The "Add evidence" issue form, and turning such an issue into an assessment block.

`form_yaml(criteria)` generates `.github/ISSUE_TEMPLATE/add-evidence.yml` (the criterion dropdown
comes from data/criteria; `scorecard schema` rewrites it and a test keeps it in sync).

`parse(body)` reads the Markdown body GitHub makes from a submitted form ("### Label" headings,
"_No response_" for empty fields). The body is hostile input: it is size-limited, may not repeat or
add headings, may not carry control or invisible characters, and every field is checked as the
validator would check it. Nothing from it is ever executed or interpolated into a shell command.
`scorecard from-issue` then appends the block with `scaffold.append_assessment`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import yaml

from . import rules
from .model import Criterion
from .problems import Problem
from .scaffold import Evidence

FORM_PATH = ".github/ISSUE_TEMPLATE/add-evidence.yml"
MAX_BODY = 20_000
NO_RESPONSE = "_No response_"

SOURCE_KINDS = {
    "The provider's own site or repository (primary)": "primary",
    "Someone else: press, researchers, auditors, platforms (secondary)": "secondary",
}
DATE_KINDS = {
    "The page states the date of the statement (published)": "published",
    "A living page without a date of its own, seen current on the date below (seen current)": "seen_current",
    "An undated document that is not a living page (undated)": "undated",
}

# (id, label, kind, required, description). Labels are what GitHub prints as "### Label" in the body.
FIELDS = [
    ("provider", "Provider", "input", True, "The provider's id, as in its page address /providers/<id>/ (e.g. signal)."),
    ("criterion", "Criterion", "dropdown", True, "The criterion this fact is about. Each criterion's page says what counts."),
    (
        "requirements",
        "Requirements the source shows",
        "textarea",
        True,
        "The id(s) of the criterion's requirements this page shows, one per line, as listed on the criterion's page.",
    ),
    ("url", "Source URL", "input", True, "The exact https:// address of the page you read. Never a guessed or shortened one."),
    ("title", "Source title", "input", True, "The page's title, in full."),
    ("publisher", "Publisher", "input", True, "Who published the page: the provider, a newspaper, a researcher, an auditor."),
    ("source_kind", "Whose page is it", "dropdown", True, ""),
    ("date_kind", "Date of the statement", "dropdown", True, "Never borrow a date from elsewhere."),
    ("date", "Date", "input", False, "YYYY-MM-DD: the date stated on the page, or the day you saw a living page current. Empty if undated."),
    ("language", "Language", "input", False, "Only if the page is not in English: its language tag (de, pt-BR). Prefer the English original."),
    ("summary", "Summary", "textarea", True, "In your own neutral words: what the page shows, and what it does not. Quote only short phrases."),
    ("coi", "Conflicts of interest", "checkboxes", False, ""),
    ("coi_details", "Conflict of interest details", "textarea", False, "If you ticked the box: how you are connected to the provider."),
]
COI_OPTION = "I work for, am paid by, or compete with this provider."
READ_OPTION = "I read this page myself, and the address is exactly as I found it."


def criterion_option(c: Criterion) -> str:
    return f"{c.id}: {c.title}"


def form(criteria: list[Criterion]) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {
            "type": "markdown",
            "attributes": {
                "value": (
                    "One fact, one source: no YAML needed. A maintainer turns this issue into a pull request "
                    "(the *Evidence issue to pull request* workflow) and a second person checks it against the source before "
                    "it is merged. Rules for evidence: CONTRIBUTING.md."
                )
            },
        }
    ]
    for fid, label, kind, required, description in FIELDS:
        attrs: dict[str, Any] = {"label": label}
        if description:
            attrs["description"] = description
        if fid == "criterion":
            attrs["options"] = [criterion_option(c) for c in criteria]
        elif fid == "source_kind":
            attrs["options"] = list(SOURCE_KINDS)
        elif fid == "date_kind":
            attrs["options"] = list(DATE_KINDS)
        elif fid == "coi":
            attrs["options"] = [{"label": COI_OPTION}]
        elif fid == "url":
            attrs["placeholder"] = "https://"
        elif fid == "date":
            attrs["placeholder"] = "YYYY-MM-DD"
        block = {"type": kind, "id": fid, "attributes": attrs}
        if required:
            block["validations"] = {"required": True}
        body.append(block)
    body.append({"type": "checkboxes", "id": "read", "attributes": {"label": "Your check", "options": [{"label": READ_OPTION, "required": True}]}})
    return {
        "name": "Add evidence",
        "description": "Know one fact about a provider, with a public source? Submit it here; no YAML needed.",
        "title": "Evidence: ",
        "labels": ["evidence"],
        "body": body,
    }


def form_yaml(criteria: list[Criterion]) -> str:
    head = (
        "# Generated by `scorecard schema` from data/criteria and generator/issue.py. Do not edit:\n"
        "# a test fails when the criterion list here differs from data/criteria.\n"
    )
    return head + yaml.safe_dump(form(criteria), sort_keys=False, allow_unicode=True, width=100)


# --- Parsing a submitted issue --------------------------------------------------------------------


@dataclass
class Submission:
    provider: str
    criterion: str
    evidence: Evidence
    requirements: list[str]
    conflict: bool
    conflict_details: str


def _sections(body: str, where: str) -> tuple[dict[str, str], list[Problem]]:
    labels = {label: fid for fid, label, *_ in FIELDS} | {"Your check": "read"}
    found: dict[str, str] = {}
    problems: list[Problem] = []
    current: str | None = None
    lines: list[str] = []
    line_of: dict[str, int] = {}

    def close() -> None:
        if current is not None:
            found[current] = "\n".join(lines).strip()

    for number, line in enumerate(body.split("\n"), start=1):
        heading = re.match(r"^### (.+?)\s*$", line)
        if heading:
            close()
            label = heading.group(1)
            fid = labels.get(label)
            if fid is None:
                problems.append(
                    Problem(
                        where,
                        number,
                        1,
                        f"heading {label!r} is not part of the Add evidence form",
                        "edit the issue so that it has only the form's headings",
                    )
                )
                current, lines = None, []
                continue
            if fid in found or fid == current:
                problems.append(
                    Problem(
                        where,
                        number,
                        1,
                        f"heading {label!r} appears twice (first at line {line_of[fid]})",
                        "edit the issue so that each field appears once",
                    )
                )
            current, lines = fid, []
            line_of.setdefault(fid, number)
        elif current is not None:
            lines.append(line)
    close()
    return {k: ("" if v == NO_RESPONSE else v) for k, v in found.items()}, problems


def parse(body: str, criteria: dict[str, Criterion], where: str = "issue") -> tuple[Submission | None, list[Problem]]:
    """Read an Add evidence issue body; every problem names the field and the fix."""
    if len(body.encode("utf-8")) > MAX_BODY:
        return None, [Problem(where, 1, 1, f"the issue body is longer than {MAX_BODY} bytes", "shorten the summary")]
    body = body.replace("\r\n", "\n")
    for index, ch in enumerate(body):
        what = rules.bad_character(ch) if ch not in "\n" else None
        if what or ch == "\t":
            line = body.count("\n", 0, index) + 1
            return None, [Problem(where, line, 1, f"{what or 'a tab character'} in the issue", "delete it and submit again")]
    fields, problems = _sections(body, where)

    def field_problem(fid: str, message: str, hint: str) -> None:
        label = next(label for f, label, *_ in FIELDS if f == fid) if fid != "read" else "Your check"
        problems.append(Problem(where, 1, 1, f"{label}: {message}", hint))

    for fid, _label, _kind, required, _ in FIELDS:
        if required and not fields.get(fid):
            field_problem(fid, "missing", "fill in this field of the form")
    if "- [x]" not in fields.get("read", "").lower():
        field_problem("read", "the submitter did not confirm reading the page", "only pages the submitter read are accepted")
    one_line = ["provider", "criterion", "url", "title", "publisher", "source_kind", "date_kind", "date", "language"]
    for fid in one_line:
        if "\n" in fields.get(fid, ""):
            field_problem(fid, "must be a single line", "put it on one line")
    if problems:
        return None, problems

    provider = fields["provider"].strip().strip("/").removeprefix("providers/").strip("/")
    if not rules.is_slug(provider):
        field_problem("provider", f"{provider!r} is not a provider id", "use the id from the provider's page address, e.g. signal")
    cid = fields["criterion"].split(":", 1)[0].strip()
    crit = criteria.get(cid)
    if crit is None:
        field_problem("criterion", f"unknown criterion {cid!r}", "choose it from the form's list")
    url = fields["url"].strip()
    why = rules.url_problem(url, allow_mailto=False)
    if why:
        field_problem("url", why, "copy the https:// address exactly as it appears in the browser")
    title, publisher = fields["title"].strip(), fields["publisher"].strip()
    for fid, value in (("title", title), ("publisher", publisher)):
        if len(value) > rules.SHORT_TEXT_MAX:
            field_problem(fid, f"longer than {rules.SHORT_TEXT_MAX} characters", "shorten it")
    summary = " ".join(fields["summary"].split())
    if len(summary) > rules.TEXT_MAX:
        field_problem("summary", f"longer than {rules.TEXT_MAX} characters", "shorten it")
    source_kind = SOURCE_KINDS.get(fields["source_kind"])
    if source_kind is None:
        field_problem("source_kind", "not one of the form's options", "choose one of the options")
    date_kind = DATE_KINDS.get(fields["date_kind"])
    if date_kind is None:
        field_problem("date_kind", "not one of the form's options", "choose one of the options")
    date = None
    raw_date = fields.get("date", "").strip()
    if date_kind in ("published", "seen_current"):
        try:
            date = dt.date.fromisoformat(raw_date)
        except ValueError:
            field_problem("date", f"{raw_date or 'empty'}: not a date", "write it as YYYY-MM-DD, e.g. 2026-01-31")
    elif raw_date:
        field_problem("date", "given for an undated document", "leave the date empty, or choose another kind of date")
    language = fields.get("language", "").strip()
    if language and not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", language):
        field_problem("language", f"{language!r} is not a language tag", "write a tag such as de or pt-BR, or leave it empty")
    # One id per line or comma, as typed: a list bullet ("- ", "* ") first, then `code` backticks.
    wanted = [r.strip().lstrip("-* ").strip().strip("`").strip() for r in re.split(r"[\n,]", fields["requirements"])]
    wanted = [r for r in wanted if r]
    if crit is not None:
        known = [r.id for r in crit.requirements]
        for req in wanted:
            short = req.removeprefix(f"{cid}/")
            if short not in known:
                field_problem("requirements", f"{req!r} is not a requirement of {cid}", f"use the ids on the criterion's page: {', '.join(known)}")
        wanted = [r.removeprefix(f"{cid}/") for r in wanted]
    if problems:
        return None, problems
    coi = "- [x]" in fields.get("coi", "").lower()
    note = "From an Add evidence issue: check every field against the source before merging."
    ev = Evidence(
        summary=summary,
        url=url,
        title=title,
        publisher=publisher,
        kind=source_kind or "primary",
        supports=wanted,
        date_kind=date_kind or "published",
        date=date,
        language=language,
        provenance="vendor-asserted" if source_kind == "primary" else "third-party",
        note=note,
    )
    return Submission(provider, cid, ev, wanted, coi, " ".join(fields.get("coi_details", "").split())[:1000]), []


def pull_request_body(sub: Submission, issue: int | None, path: str, line: int) -> str:
    ref = f"#{issue}" if issue else "an Add evidence issue"
    lines = [
        f"Evidence from {ref}, appended to `{path}` at line {line} by `scorecard from-issue`.",
        "",
        "## Reviewer checklist",
        "",
        "- [ ] The source exists at this exact address and says what the summary says.",
        "- [ ] The requirements marked as met are the ones the source shows; the date is the statement's date.",
        "- [ ] The summary is neutral and in the submitter's own words.",
        "",
        "## Conflict of interest",
        "",
    ]
    if sub.conflict:
        lines.append(
            f"- [x] The submitter declared a conflict of interest: {sub.conflict_details.rstrip('.') or '(no details given)'}. "
            "A reviewer without a conflict must approve."
        )
    else:
        lines.append("- [ ] The submitter declared no conflict of interest.")
    if issue:
        lines += ["", f"Closes #{issue}"]
    return "\n".join(lines) + "\n"
