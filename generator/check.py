"""Check: turn loaded documents into typed models and apply the rules across files.

`check_tree(root, as_of)` returns a `Dataset` and every problem found, all at once.
Each rule below is a small function whose docstring is the rule; they run in order
and never stop at the first problem.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import functools
import gc
import inspect
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ValidationError

from . import parallel, registry, rules, score
from .load import Document, load_file, releasable
from .model import (
    SITE_PATTERN,
    Assessment,
    Criterion,
    Framework,
    Funder,
    Funders,
    Maintainer,
    Maintainers,
    Outcome,
    Provider,
    Source,
    SourcePolicy,
    Status,
    text_fields,
)
from .problems import Problem

M = TypeVar("M", Criterion, Provider)
P = TypeVar("P", bound=BaseModel)
Loc = tuple[str | int, ...]  # a path into a data file: keys and list positions
Model = type[BaseModel]


@dataclass
class Dataset:
    framework: Framework
    criteria: dict[str, Criterion]
    providers: dict[str, Provider]
    docs: dict[str, Document] = field(default_factory=dict)  # keyed by "provider:<id>" / "criterion:<id>"
    # Files with schema problems are kept without their invalid parts (see `salvage`), so the other
    # rules still run in the same pass; here: "provider:<id>" -> top-level fields left out or replaced.
    incomplete: dict[str, set[str]] = field(default_factory=dict)
    # Who runs and funds the project (data/maintainers.yaml, data/funders.yaml; empty when absent).
    maintainers: list[Maintainer] = field(default_factory=list)
    funders: list[Funder] = field(default_factory=list)

    def applicable_to(self, kind: str) -> list[Criterion]:
        """Criteria whose scope covers a kind of provider, in catalogue order."""
        kinds = {"service", "software"} if kind == "both" else {kind}
        return [c for c in self.criteria.values() if kinds & set(c.scope)]

    def applicable(self, provider: Provider) -> list[Criterion]:
        return self.applicable_to(provider.kind.value)

    def published(self) -> Dataset:
        """The dataset the site is built from: providers marked `draft: true` are left out."""
        if not any(p.draft for p in self.providers.values()):
            return self
        published = {k: p for k, p in self.providers.items() if not p.draft}
        return Dataset(self.framework, self.criteria, published, self.docs, maintainers=self.maintainers, funders=self.funders)


def did_you_mean(word: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean {match[0]!r}?" if match else ""


def _types_in(annotation: object) -> Iterator[type]:
    args = getattr(annotation, "__args__", None)
    if isinstance(annotation, type):
        yield annotation
    for arg in args or ():
        yield from _types_in(arg)


def _inner_model(annotation: object) -> Model | None:
    """The model inside an annotation (`list[Source]`, `VendorResponse | None`), if any."""
    return next((t for t in _types_in(annotation) if issubclass(t, BaseModel)), None)


def _model_at(model: Model, loc: Loc) -> Model | None:
    """The model that holds the fields at `loc` (list positions are skipped)."""
    here: Model | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = here.model_fields.get(part) if here else None
        here = _inner_model(info.annotation) if info else None
        if here is None:
            return None
    return here


@functools.cache
def _field_places(root: Model) -> dict[str, list[str]]:
    """Every field name reachable from a model, with where it is written (e.g. notes -> ['context.notes'])."""
    places: dict[str, list[str]] = {}

    def visit(model: Model, prefix: str, seen: frozenset[Model]) -> None:
        for name, info in model.model_fields.items():
            places.setdefault(name, []).append(prefix + name)
            inner = _inner_model(info.annotation)
            if inner is not None and inner not in seen:
                is_list = "list" in repr(info.annotation)
                visit(inner, prefix + name + ("[…]." if is_list else "."), seen | {inner})

    visit(root, "", frozenset({root}))
    return places


def _unknown_field_hint(root: Model, loc: Loc, name: str) -> str:
    here = _model_at(root, loc[:-1])
    local = list(here.model_fields) if here else []
    suggestion = did_you_mean(name, [f for f in local if f != name])
    if suggestion:
        return suggestion
    elsewhere = _field_places(root).get(name)
    if elsewhere:
        return f"{name!r} is not a field here; it belongs at {' or '.join(elsewhere)}. Fields here: {', '.join(local)}"
    return f"remove it; the fields here are: {', '.join(local)}" if local else "remove it, or check the field list in CONTRIBUTING.md"


def _site_suggestion(value: str) -> str:
    """'https://github.com/deltachat/' -> 'github.com/deltachat'; 'https://www.example.org/a' -> 'example.org'."""
    parts = urlsplit(value if "//" in value else "//" + value)
    host = (parts.hostname or "").lower()
    segments = [seg for seg in parts.path.split("/") if seg]
    if host in rules.CODE_FORGES and segments:
        return f"{host}/{segments[0]}"
    return host.removeprefix("www.")


def _schema_problems(doc: Document, exc: ValidationError, model: Model) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        name = loc[-1] if loc else ""
        kind = err["type"]
        ctx = err.get("ctx") or {}
        if kind == "extra_forbidden" and name in rules.RENAMED_FIELDS:
            problems.append(doc.problem(loc, f"unknown field {name!r}: {rules.RENAMED_FIELDS[name][1]}", "see the data file reference", on_key=True))
        elif kind == "missing" and any(new == name and loc[:-1] + (old,) in doc.keys for old, (new, _) in rules.RENAMED_FIELDS.items()):
            continue  # already reported as the old name, with the new one
        elif kind == "extra_forbidden":
            problems.append(doc.problem(loc, f"unknown field {name!r}", _unknown_field_hint(model, loc, str(name)), on_key=True))
        elif kind == "missing":
            problems.append(doc.problem(loc[:-1], f"missing required field {name!r}", f"add `{name}:` here"))
        elif kind.startswith("date"):
            problems.append(doc.problem(loc, f"{_dotted(loc)}: not a valid date", "write dates as YYYY-MM-DD, e.g. 2026-01-31"))
        elif kind == "literal_error" and name == "level" and err.get("input") in {o.value for o in Outcome}:
            problems.append(
                doc.problem(
                    loc,
                    f"{_dotted(loc)}: {err['input']} is an outcome, not a level",
                    f"write `outcome: {err['input']}` with a `reason:`, and no `level:` or `requirements:`",
                )
            )
        elif kind == "enum" or kind == "literal_error":
            problems.append(doc.problem(loc, f"{_dotted(loc)}: {err['msg']}", "use one of the listed values exactly"))
        elif kind == "string_pattern_mismatch" and "https" in str(ctx.get("pattern", "")):
            why = rules.url_problem(str(err["input"]), allow_mailto=False) or "not an https:// URL"
            problems.append(doc.problem(loc, f"{_dotted(loc)}: {why}", "links must be https:// addresses with a host, copied exactly from the page"))
        elif kind == "string_pattern_mismatch" and name == "language":
            problems.append(
                doc.problem(loc, f"{_dotted(loc)}: {err['input']!r} is not a BCP 47 language tag", "write e.g. de, fr or pt-BR; omit it for English")
            )
        elif kind == "string_pattern_mismatch" and ctx.get("pattern") == SITE_PATTERN:
            suggestion = _site_suggestion(str(err["input"]))
            problems.append(
                doc.problem(
                    loc,
                    f"{_dotted(loc)}: {err['input']!r} is not a site name",
                    "write a host (example.org), or host/owner for a code forge (github.com/owner), "
                    "without https:// or a path" + (f": {suggestion}" if suggestion else ""),
                )
            )
        elif kind == "string_pattern_mismatch" and ctx.get("pattern") == rules.SLUG_PATTERN:
            problems.append(
                doc.problem(loc, f"{_dotted(loc)}: {err['input']!r} is not a valid id", "use lowercase letters, digits and single hyphens")
            )
        elif kind == "string_pattern_mismatch":
            problems.append(
                doc.problem(
                    loc,
                    f"{_dotted(loc)}: {err['input']!r} does not have the expected form",
                    f"it must match {ctx.get('pattern')}; see the field reference",
                )
            )
        elif kind == "string_too_long":
            limit = ctx.get("max_length")
            problems.append(
                doc.problem(
                    loc,
                    f"{_dotted(loc)}: {len(str(err['input']))} characters; the limit is {limit}",
                    f"shorten it to at most {limit} characters (CONTRIBUTING.md lists every limit)",
                )
            )
        else:
            hint = HINTS.get(kind, "see CONTRIBUTING.md for the expected shape")
            problems.append(doc.problem(loc, f"{_dotted(loc)}: {err['msg']}", hint))
    return problems


def _dotted(loc: Loc) -> str:
    """A readable path; list positions count from 1, as everywhere in messages: assessments #3 › sources #1 › url."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f" #{part + 1}"
        else:
            out += f" › {part}" if out else str(part)
    return out or "file"


# The fix to suggest for each kind of schema error not given its own message above; the models'
# own checks raise kinds of their own (model.py: a link, a one-line text).
HINTS = {
    "https_url": "links must be https:// addresses with a host",
    "one_line": "write it on one line, without line breaks or tabs",
    "string_too_short": "write some text here",
    "too_short": "add at least one entry",
    "string_type": "put the text in quotes",
    "list_type": "write a list: one `- item` per line",
    "model_type": "write the fields indented below this key",
    "dict_type": "write the fields indented below this key",
}


def _parse(doc: Document, model: type[P]) -> tuple[P | None, list[Problem]]:
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        return None, _schema_problems(doc, exc, model)


# --- One pass: schema problems must not hide the other rules ---------------------------------

# Stand-ins for a provider's required top-level fields when their value is invalid, so the rest of
# the file is still checked. Rules that depend on a replaced field are skipped (see DEPENDS).
PLACEHOLDERS = {"id": None, "name": "(invalid name)", "kind": "both", "website": "https://invalid.invalid/", "summary": "(invalid summary)"}


def _removal_point(model: Model, loc: Loc) -> Loc | None:
    """The smallest part of the data to leave out so that the error at `loc` goes away:
    the innermost list item, or the innermost optional field, on the way to it."""
    for j in range(len(loc) - 1, -1, -1):
        part = loc[j]
        if isinstance(part, int):
            return loc[: j + 1]
        holder = _model_at(model, loc[:j])
        info = holder.model_fields.get(part) if holder else None
        if info is None or not info.is_required():  # unknown fields and optional fields can go
            return loc[: j + 1]
    return None


def _without(data: object, doc: Document, removals: set[Loc]) -> tuple[object, Document]:
    """A copy of `data` (and a Document with positions to match) with the given paths left out."""

    def rebuild(value: object, loc: Loc) -> object:
        if isinstance(value, dict):
            return {k: rebuild(v, loc + (k,)) for k, v in value.items() if loc + (k,) not in removals}
        if isinstance(value, list):
            return [rebuild(v, loc + (i,)) for i, v in enumerate(value) if loc + (i,) not in removals]
        return value

    def moved(path: Loc) -> Loc | None:
        new: list[str | int] = []
        for j, part in enumerate(path):
            if path[: j + 1] in removals:
                return None
            if isinstance(part, int):
                part -= sum(1 for r in removals if len(r) == j + 1 and r[:j] == path[:j] and isinstance(k := r[j], int) and k < part)
            new.append(part)
        return tuple(new)

    copy = Document(doc.path, rebuild(data, ()), doc.first_line)
    for source, target in ((doc.values, copy.values), (doc.keys, copy.keys)):
        for path, pos in source.items():
            now = moved(path)
            if now is not None:
                target[now] = pos
    return copy.data, copy


def salvage(doc: Document, model: type[P]) -> tuple[P | None, Document, set[str]]:
    """The valid part of a file that has schema problems: a model built without the invalid parts,
    a Document whose positions match it, and the top-level fields that were left out or replaced.
    (None, doc, set()) when nothing usable is left."""
    data, current, touched = doc.data, doc, set[str]()
    for _ in range(8):
        try:
            return model.model_validate(data), current, touched
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        removals: set[Loc] = set()
        for err in errors:
            loc = tuple(err["loc"])
            if not loc:
                return None, doc, set()
            point = _removal_point(model, loc)
            touched.add(str(loc[0]))
            if point is not None:
                removals.add(point)
            elif model is Provider and loc[0] in PLACEHOLDERS and isinstance(data, dict):
                data = {**data, loc[0]: PLACEHOLDERS[loc[0]] or Path(doc.path).stem}
            else:
                return None, doc, set()
        # An item inside a removed item need not be removed on its own.
        removals = {r for r in removals if not any(r[: len(o)] == o and r != o for o in removals)}
        if removals:
            data, current = _without(data, current, removals)
    return None, doc, set()


# --- Rules: one registry, one signature --------------------------------------------------------

Scope = Literal["file", "item", "criterion", "provider", "claim"]


@dataclass(frozen=True)
class Context:
    """What every rule may consult besides its own file."""

    as_of: dt.date
    framework: Framework | None
    criteria: dict[str, Criterion]
    policy: SourcePolicy
    dataset: Dataset | None = None  # None while the criteria are checked (before the providers are read)

    @functools.cached_property
    def alias_owner(self) -> dict[str, str]:
        """Who an id or alias belongs to: a provider's current id is its own; otherwise the first
        provider (in id order) that lists it as an alias."""
        owner: dict[str, str] = {}
        providers = self.dataset.providers if self.dataset else {}
        for pid, provider in providers.items():
            for alias in provider.aliases:
                owner.setdefault(alias, pid)
        return owner | {pid: pid for pid in providers}


@dataclass(frozen=True)
class Target:
    """What a rule looks at: one file as checked (`doc`, without the parts that failed the schema) and
    as written (`raw`), the object read from it, and for a claim rule the claim and its criterion."""

    doc: Document
    raw: Document
    schema: str  # which kind of file: framework, criterion, provider or source-policy
    ctx: Context
    item: Criterion | Provider | None = None
    touched: frozenset[str] = frozenset()  # top-level fields left out or replaced (schema problems)
    here: Loc = ()
    assessment: Assessment | None = None
    criterion: Criterion | None = None


RuleCheck = Callable[[Target], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    id: str
    scope: Scope  # file: every data file; item: every criterion and provider; claim: every assessment of a known criterion
    check: RuleCheck
    # A provider rule that compares providers runs once every provider is read; the others run as each
    # file is read, after which the file's positions are released (memory stays flat at 1,000 providers).
    needs_every_provider: bool = False

    @property
    def text(self) -> str:
        """The rule in words: its docstring (the generated "Validation rules" page and CONTRIBUTING.md)."""
        return " ".join((inspect.getdoc(self.check) or "").split())


RULES: list[Rule] = []


def rule(rule_id: str, scope: Scope, *, needs_every_provider: bool = False) -> Callable[[RuleCheck], RuleCheck]:
    """Register a validation rule. Every rule takes a Target and yields Problems; the docstring is the rule."""

    def register(check: RuleCheck) -> RuleCheck:
        assert rule_id not in {r.id for r in RULES}, rule_id
        RULES.append(Rule(rule_id, scope, check, needs_every_provider))
        return check

    return register


RULE_DOCS = Path(__file__).parent / "validation_rules.yaml"


@dataclass(frozen=True)
class RuleDoc:
    id: str
    scope: Scope
    text: str  # the rule (its docstring)
    title: str
    why: str


def rule_docs() -> list[RuleDoc]:
    """Every registered rule with its documentation (generator/validation_rules.yaml), in registry order.
    A rule without documentation, or documentation without a rule, is an error (and a failing test)."""
    docs = yaml.safe_load(RULE_DOCS.read_text(encoding="utf-8")) or {}
    missing = [r.id for r in RULES if r.id not in docs]
    unknown = sorted(set(docs) - {r.id for r in RULES})
    if missing or unknown:
        raise ValueError(f"{RULE_DOCS.name} is out of step with check.RULES: undocumented {missing}, no such rule {unknown}")
    return [RuleDoc(r.id, r.scope, r.text, str(docs[r.id]["title"]), str(docs[r.id]["why"])) for r in RULES]


def apply(scope: Scope, target: Target, every_provider: bool | None = None) -> Iterator[Problem]:
    """Run the rules of one scope on a target; `every_provider` True or False: only the rules that do
    (or do not) need every provider read first."""
    for r in RULES:
        if r.scope == scope and every_provider in (None, r.needs_every_provider):
            yield from r.check(target)


def _provider(t: Target) -> Provider:
    assert isinstance(t.item, Provider)
    return t.item


def _criterion(t: Target) -> Criterion:
    assert isinstance(t.item, Criterion)
    return t.item


def _claim(t: Target) -> tuple[Loc, Assessment, Criterion]:
    assert t.assessment is not None and t.criterion is not None
    return t.here, t.assessment, t.criterion


# --- Rules on every file --------------------------------------------------


@rule("line-endings", "file")
def rule_line_endings(t: Target) -> Iterator[Problem]:
    """Lines end with LF only (not Windows CRLF); the file is still checked."""
    yield from t.doc.line_endings


@rule("schema-modeline", "file")
def rule_modeline(t: Target) -> Iterator[Problem]:
    """Every data file starts with a yaml-language-server modeline pointing at its schema."""
    doc = t.doc
    depth = doc.path.count("/") - 1  # data/x.yaml -> 0, data/providers/x.yaml -> 1
    expected = f"# yaml-language-server: $schema={'../' * depth}schema/{t.schema}.schema.json"
    if doc.first_line.strip() != expected:
        yield Problem(doc.path, 1, 1, "first line must be the schema modeline", f"make line 1: {expected}")


@rule("no-truncating-comments", "file")
def rule_no_truncating_comments(t: Target) -> Iterator[Problem]:
    """A plain (unquoted) text value followed by ` #` on its line is cut there: YAML reads the rest as a comment.
    Text fields (titles, summaries, publishers...) must quote such values."""
    doc, names = t.doc, text_fields()
    for loc, (line, col) in sorted(doc.plain_then_comment.items(), key=lambda kv: kv[1]):
        name = next((part for part in reversed(loc) if isinstance(part, str)), "")
        if name in names:
            value: Any = doc.data
            for part in loc:
                value = value[part]
            if not isinstance(value, str):  # null, true, a number: nothing was cut
                continue
            yield Problem(
                doc.path,
                line,
                col,
                f"{_dotted(loc)}: text after ' #' is read as a YAML comment, so the value ends at {str(value)!r}",
                'put the whole value in quotes ("...") or use a block scalar (>-)',
            )


@rule("declared-interests", "file")
def rule_declared_interests(t: Target) -> Iterator[Problem]:
    """In data/maintainers.yaml and data/funders.yaml, a declared interest names a provider by its id
    in data/providers/, and no funder's website lies on an assessed provider's website domain or
    official sites (the funding policy: no money from a provider the scorecard assesses)."""
    dataset = t.ctx.dataset
    if t.schema not in ("maintainers", "funders") or dataset is None:
        return
    people: list[Maintainer | Funder] = [*(dataset.maintainers if t.schema == "maintainers" else dataset.funders)]
    for i, person in enumerate(people):
        for j, interest in enumerate(person.interests):
            if interest.provider is not None and interest.provider not in dataset.providers:
                hint = did_you_mean(interest.provider, list(dataset.providers))
                yield t.doc.problem(
                    (t.schema, i, "interests", j, "provider"),
                    f"no provider with id {interest.provider!r}",
                    hint or "use the id of a file in data/providers/, or leave `provider` out for a tie to no assessed provider",
                )
        if isinstance(person, Funder) and person.url:
            for provider in dataset.providers.values():
                sites = [rules.own_domain(provider.website), *provider.official_sites]
                if any(rules.site_matches(person.url, site) for site in sites):
                    yield t.doc.problem(
                        (t.schema, i, "url"),
                        f"this funder's website belongs to {provider.name}, an assessed provider",
                        "the project takes no money or services from a provider it assesses (see the Who we are page)",
                    )
                    break


# --- Rules on every criterion and provider ---------------------------------


@rule("id-matches-file", "item")
def rule_id_matches_file(t: Target) -> Iterator[Problem]:
    """A provider's or criterion's id is its file name."""
    if t.item is None or "id" in t.touched:
        return
    stem = Path(t.doc.path).stem
    if t.item.id != stem:
        yield t.doc.problem(
            ("id",), f"id {t.item.id!r} does not match the file name {stem!r}", f"rename the file to {t.item.id}.yaml or set id: {stem}"
        )


@rule("reserved-ids", "item")
def rule_reserved_ids(t: Target) -> Iterator[Problem]:
    """No id or alias may be one that a generated path already uses (providers/index.md is the
    listing, previews/site.png the site's preview): it would silently replace that page or file."""
    if t.item is None or "id" in t.touched:
        return
    if t.item.id in rules.RESERVED_IDS:
        yield t.doc.problem(
            ("id",),
            f"id {t.item.id!r} is reserved (the site generates a page or file with that name)",
            f"choose another id, e.g. {t.item.id}-chat, and rename the file to match",
        )
    for k, alias in enumerate(t.item.aliases if isinstance(t.item, Provider) else []):
        if alias in rules.RESERVED_IDS:
            yield t.doc.problem(("aliases", k), f"alias {alias!r} is reserved (the site generates a page or file with that name)", "remove it")


# --- Rules on criteria -----------------------------------------------------


@rule("criterion-prefix", "criterion")
def rule_criterion_prefix(t: Target) -> Iterator[Problem]:
    """A criterion id starts with its function's code (gv-, id-, pr-, de-, rs-, rc-)."""
    crit, framework = _criterion(t), t.ctx.framework
    if framework is None:
        return
    code = next(f.code for f in framework.functions if f.id == crit.function).lower()
    if not crit.id.startswith(code + "-"):
        yield t.doc.problem(
            ("id",),
            f"criterion of function {crit.function!r} must have an id starting with '{code}-'",
            f"rename to {code}-{crit.id.split('-', 1)[-1]}",
        )


@rule("requirement-ids-unique", "criterion")
def rule_requirement_ids_unique(t: Target) -> Iterator[Problem]:
    """A criterion's requirement ids are unique within it (they become `<criterion>/<id>`)."""
    seen: dict[str, int] = {}
    for k, req in enumerate(_criterion(t).requirements):
        if req.id in seen:
            yield t.doc.problem(
                ("requirements", k, "id"),
                f"requirement id {req.id!r} is used twice (first at item {seen[req.id] + 1})",
                "give each requirement its own id",
            )
        seen.setdefault(req.id, k)


# --- Rules on providers ----------------------------------------------------


def _dates(provider: Provider) -> Iterator[tuple[Loc, str, dt.date]]:
    if provider.discontinued:
        yield ("discontinued", "since"), "discontinued since", provider.discontinued.since
    for i, a in enumerate(provider.assessments):
        yield ("assessments", i, "reviewed"), "reviewed", a.reviewed
        if a.second_review:
            yield ("assessments", i, "second_review"), "second review", a.second_review
        for j, s in enumerate(a.sources):
            yield ("assessments", i, "sources", j, "accessed"), "accessed", s.accessed
            if s.published:
                yield ("assessments", i, "sources", j, "published"), "published", s.published
            if s.seen_current:
                yield ("assessments", i, "sources", j, "seen_current"), "seen_current", s.seen_current
        if a.vendor_response:
            yield ("assessments", i, "vendor_response", "date"), "vendor response", a.vendor_response.date


@rule("no-future-dates", "provider")
def rule_no_future_dates(t: Target) -> Iterator[Problem]:
    """No date lies after the as-of date of the build (nothing can be read or published in the future)."""
    for loc, label, value in _dates(_provider(t)):
        if value > t.ctx.as_of:
            yield t.doc.problem(loc, f"{label} date {value} is after the as-of date {t.ctx.as_of}", "use the date you actually read or checked it")


@rule("dated-before-accessed", "provider")
def rule_dated_before_accessed(t: Target) -> Iterator[Problem]:
    """A source cannot be read before its statement was published, or seen current after it was read."""
    for i, a in enumerate(_provider(t).assessments):
        for j, s in enumerate(a.sources):
            for name in ("published", "seen_current"):
                value = getattr(s, name)
                if value and value > s.accessed:
                    yield t.doc.problem(("assessments", i, "sources", j, name), f"{name} {value} is after accessed {s.accessed}", "check both dates")


def _raw_items(value: object, key: str) -> list[Any]:
    items = value.get(key) if isinstance(value, dict) else None
    return items if isinstance(items, list) else []


@rule("one-date-per-source", "provider")
def rule_one_date_per_source(t: Target) -> Iterator[Problem]:
    """Each source says how it is dated, exactly once: `published` (the statement's date), `seen_current`
    (a living page, the date it was seen current) or `undated: true` (never borrow a date)."""
    # Checked on the file as written, so a source left out for another problem (an unfilled URL) is checked too.
    doc = t.raw
    for i, item in enumerate(_raw_items(doc.data, "assessments")):
        for j, s in enumerate(_raw_items(item, "sources")):
            if not isinstance(s, dict):
                continue
            here: Loc = ("assessments", i, "sources", j)
            given = [n for n in ("published", "seen_current", "undated") if s.get(n) not in (None, False, "")]
            if not given:
                yield doc.problem(
                    (*here, "url"),
                    "source has no date: give one of published, seen_current or undated: true",
                    "published: the date the page states; seen_current: a living page, the day you saw it current; undated: true otherwise",
                )
            for extra in given[1:]:
                yield doc.problem(
                    (*here, extra),
                    f"source has both {given[0]} and {extra}; give exactly one",
                    "published if the page states a date, else seen_current for a living page, else undated: true",
                    on_key=True,
                )


@rule("assessment-criteria", "provider")
def rule_assessment_criteria(t: Target) -> Iterator[Problem]:
    """Each assessment names a known criterion that applies to the provider's kind, at most once."""
    # Checked on the file as written, so a schema problem elsewhere in an assessment does not hide it.
    doc, criteria = t.raw, t.ctx.criteria
    kind = None if "kind" in t.touched else _provider(t).kind.value
    items = doc.data.get("assessments") if isinstance(doc.data, dict) else None
    applicable = {c.id for c in t.ctx.dataset.applicable_to(kind)} if kind and t.ctx.dataset else set(criteria)
    seen: dict[str, int] = {}
    for i, item in enumerate(items if isinstance(items, list) else []):
        cid = item.get("criterion") if isinstance(item, dict) else None
        if not isinstance(cid, str) or not rules.is_slug(cid):
            continue  # reported as a schema problem
        here: Loc = ("assessments", i, "criterion")
        crit = criteria.get(cid)
        if crit is None:
            yield doc.problem(here, f"unknown criterion {cid!r}", did_you_mean(cid, list(criteria)) or "see the criteria in data/criteria/")
        elif cid not in applicable:
            yield doc.problem(
                here,
                f"criterion {cid!r} applies to {', '.join(crit.scope)}, not to kind {kind!r}",
                "remove this assessment, or change the provider's kind",
            )
        if cid in seen:
            yield doc.problem(
                here, f"criterion {cid!r} is assessed twice (first at assessments #{seen[cid] + 1})", "merge the two assessments into one"
            )
        seen.setdefault(cid, i)


def _sources(provider: Provider) -> Iterator[tuple[Loc, Source]]:
    for i, a in enumerate(provider.assessments):
        for j, s in enumerate(a.sources):
            yield ("assessments", i, "sources", j, "url"), s


@rule("blocked-hosts", "provider")
def rule_blocked_hosts(t: Target) -> Iterator[Problem]:
    """No source lies on a blocked host (data/source-policy.yaml): proxies, mirrors, re-hosted copies, content farms."""
    blocked = {b.host: b.reason for b in t.ctx.policy.blocked_hosts}
    for loc, src in _sources(_provider(t)):
        for suffix in rules.host_suffixes(urlsplit(src.url).hostname or ""):
            if suffix in blocked:
                yield t.doc.problem(
                    loc,
                    f"sources on {suffix} are not accepted ({blocked[suffix]})",
                    "cite the original page on the publisher's own site, or drop this source",
                )
                break


@rule("primary-is-official", "provider")
def rule_primary_is_official(t: Target) -> Iterator[Problem]:
    """A source marked primary lies on the provider's own website domain or one of its `official_sites`
    (this catches lookalike domains)."""
    provider = _provider(t)
    if t.touched & {"website", "official_sites"}:  # a left-out site would make sources on it look unofficial
        return
    sites = [rules.own_domain(provider.website), *provider.official_sites]
    for loc, src in _sources(provider):
        if src.kind == "primary" and not any(rules.site_matches(src.url, site) for site in sites):
            host = urlsplit(src.url).hostname
            yield t.doc.problem(
                loc,
                f"source marked primary is not on an official site of {provider.name}: {host}",
                "mark it `kind: secondary`, or add the site to `official_sites` if it really is the provider's own "
                "(check the spelling of the domain: lookalike domains exist)",
            )


@rule("unique-ids-and-aliases", "provider", needs_every_provider=True)
def rule_unique_ids_and_aliases(t: Target) -> Iterator[Problem]:
    """Ids and aliases are unique across all providers; an alias is never a current id."""
    provider, owner = _provider(t), t.ctx.alias_owner
    for k, alias in enumerate(provider.aliases):
        other = owner.get(alias, provider.id)
        if other != provider.id or alias == provider.id:
            yield t.doc.problem(
                ("aliases", k), f"alias {alias!r} is already used by provider {other!r}", "an alias must be a former id nobody else uses"
            )


@rule("successor", "provider", needs_every_provider=True)
def rule_successor(t: Target) -> Iterator[Problem]:
    """A discontinued provider's `successor` is the current id of another published provider (not itself,
    not a former id, not a draft): its page links there."""
    provider, dataset = _provider(t), t.ctx.dataset
    successor = provider.discontinued.successor if provider.discontinued else None
    if successor is None or dataset is None:
        return
    here: Loc = ("discontinued", "successor")
    other = dataset.providers.get(successor)
    if successor == provider.id:
        yield t.doc.problem(here, f"{provider.id!r} cannot be its own successor", "name the provider that replaces it, or remove `successor:`")
    elif other is None and successor in t.ctx.alias_owner:
        owner = t.ctx.alias_owner[successor]
        yield t.doc.problem(here, f"successor {successor!r} is a former id of {owner!r}", f"write the current id: successor: {owner}")
    elif other is None:
        published = [pid for pid, p in dataset.providers.items() if not p.draft and pid != provider.id]
        yield t.doc.problem(
            here,
            f"successor {successor!r} is not a known provider",
            did_you_mean(successor, published) or "use the id of a provider in data/providers/, or remove `successor:`",
        )
    elif other.draft:
        yield t.doc.problem(
            here, f"successor {successor!r} is a draft and not published", "remove `successor:` until that provider is published (no `draft: true`)"
        )


# --- Rules on every claim (an assessment of a known criterion) -----------------------------------


@rule("outcome", "claim")
def rule_outcome(t: Target) -> Iterator[Problem]:
    """An outcome (n/a, no-known-incidents) has a reason and no requirements or level;
    no-known-incidents only where the criterion allows it. A claim without an outcome has requirements
    and a summary, and no reason."""
    here, a, crit = _claim(t)
    doc = t.doc
    if a.outcome is None:
        written = _as_written(t.raw, a.criterion)  # a field left out for a schema problem is reported there, not as missing
        if a.requirements is None and "requirements" not in written:
            yield doc.problem(
                (*here, "criterion"),
                f"missing `requirements:` for {crit.id}",
                f"add every requirement with met | not-found | contradicted: {', '.join(r.id for r in crit.requirements)}; "
                "or give an `outcome:` with a `reason:`",
            )
        if not a.summary and "summary" not in written:
            yield doc.problem(
                (*here, "criterion"), "missing `summary:`", "say in your own words what is met and what was not found (and where you looked)"
            )
        if a.reason:
            yield doc.problem(
                (*here, "reason"), "`reason:` is only for an outcome (n/a, no-known-incidents)", "move the text into `summary:`", on_key=True
            )
        return
    if not a.reason:
        yield doc.problem((*here, "outcome"), f"outcome {a.outcome.value} needs a reason", "add `reason:` saying why")
    if a.requirements is not None:
        yield doc.problem(
            (*here, "requirements"), f"outcome {a.outcome.value} has no requirements", "remove `requirements:`, or remove `outcome:`", on_key=True
        )
    if a.level is not None:
        yield doc.problem((*here, "level"), f"outcome {a.outcome.value} has no level", "remove `level:`", on_key=True)
    if a.outcome is Outcome.no_known_incidents and not crit.allows_no_known_incidents:
        yield doc.problem(
            (*here, "outcome"),
            f"outcome no-known-incidents is only for incident-based criteria, not {crit.id!r}",
            "assess the requirements instead (not-found where nothing was found)",
        )
    for j, s in enumerate(a.sources):
        if s.supports:
            yield doc.problem((*here, "sources", j, "supports"), "a source of an outcome supports no requirement", "remove `supports:`", on_key=True)


def _as_written(raw: Document, criterion_id: str) -> dict[str, Any]:
    """The assessment of a criterion as written in the file (before invalid parts were left out): the
    first one naming it. Claim rules ask for every claim of a file in turn, so the last file's
    assessments are kept by criterion (instead of a search through all of them for each claim)."""
    data = raw.data
    if _WRITTEN[0] is not data:
        items = data.get("assessments") if isinstance(data, dict) else None
        index: dict[str, dict[str, Any]] = {}
        for item in items or []:
            if isinstance(item, dict) and isinstance(named := item.get("criterion"), str):
                index.setdefault(named, item)
        _WRITTEN[:] = [data, index]
    found: dict[str, Any] = _WRITTEN[1].get(criterion_id, {})
    return found


_WRITTEN: list[Any] = [None, {}]  # the data of the file `_as_written` last looked at, and its assessments by criterion


@rule("statuses", "claim")
def rule_statuses(t: Target) -> Iterator[Problem]:
    """Every requirement of the criterion has a status, and no other requirement id appears."""
    here, a, crit = _claim(t)
    if a.requirements is None:
        return
    known = [r.id for r in crit.requirements]
    for rid in a.requirements:
        if rid not in known:
            hint = did_you_mean(rid, known) or f"{crit.id} has: {', '.join(known)}"
            yield t.doc.problem((*here, "requirements", rid), f"{crit.id} has no requirement {rid!r}", hint, on_key=True)
    written = _as_written(t.raw, a.criterion).get("requirements")
    for rid in known:
        if rid not in a.requirements and not (isinstance(written, dict) and rid in written):  # else: reported as a schema problem
            yield t.doc.problem(
                (*here, "requirements"),
                f"requirement {rid!r} of {crit.id} has no status",
                f"add `{rid}: met | not-found | contradicted`",
                on_key=True,
            )


@rule("support", "claim")
def rule_support(t: Target) -> Iterator[Problem]:
    """Each met or contradicted requirement has a source whose `supports` lists it; `supports` names only
    requirements of this criterion; a source supporting nothing appears only on a not-disclosed claim."""
    here, a, crit = _claim(t)
    if a.requirements is None:
        return
    known = [r.id for r in crit.requirements]
    supported = {rid for s in a.sources for rid in s.supports}
    for rid, status in a.requirements.items():
        if status in (Status.met, Status.contradicted) and rid not in supported:
            yield t.doc.problem(
                (*here, "requirements", rid),
                f"requirement {rid!r} is {status.value} but no source supports it",
                f"list {rid!r} in `supports:` of the source that shows it",
            )
    level = score.derive_level(a.requirements.values())
    for j, s in enumerate(a.sources):
        for k, rid in enumerate(s.supports):
            if rid not in known:
                hint = did_you_mean(rid, known) or f"{crit.id} has: {', '.join(known)}"
                yield t.doc.problem((*here, "sources", j, "supports", k), f"{crit.id} has no requirement {rid!r}", hint)
        if not s.supports and registry.LEVEL[level.value].needs_sources:
            yield t.doc.problem(
                (*here, "sources", j, "url"),
                f"this source supports no requirement, on a {level.value} claim",
                "add `supports: [...]` with the requirements it shows, or drop it (only a not-disclosed claim "
                "keeps sources that document where you looked)",
            )


@rule("stated-level", "claim")
def rule_stated_level(t: Target) -> Iterator[Problem]:
    """A stated `level` must agree with the level computed from the statuses (the statuses are the truth)."""
    here, a, crit = _claim(t)
    if a.level is None or a.requirements is None or set(a.requirements) != {r.id for r in crit.requirements}:
        return
    why = score.level_disagreement(a.level, {r.id: a.requirements[r.id] for r in crit.requirements})
    if why:
        yield t.doc.problem((*here, "level"), why, "remove `level:` (it is computed), or correct the statuses")


def claim_targets(t: Target) -> Iterator[Target]:
    """One target per assessment of a known criterion (the claim rules run on each)."""
    for i, a in enumerate(_provider(t).assessments):
        crit = t.ctx.criteria.get(a.criterion)
        if crit is not None:
            yield Target(t.doc, t.raw, t.schema, t.ctx, t.item, t.touched, here=("assessments", i), assessment=a, criterion=crit)


def file_name_problem(rel: str) -> Problem | None:
    """A data file is named `<lowercase id>.yaml`: `Signal.yaml` or `signal.yml` next to `signal.yaml`
    would otherwise be reported as the existing file's duplicate."""
    name = Path(rel).name
    stem, _, ext = name.partition(".")
    if ext != "yaml" or not rules.is_slug(stem):
        return Problem(
            rel,
            1,
            1,
            f"file name {name!r} is not a lowercase id followed by .yaml",
            f"rename it to {rules.slugify(stem) or 'its-id'}.yaml (the id inside must match)",
        )
    return None


def _present(path: Path) -> bool:
    return os.path.lexists(path)  # a dangling symbolic link is present (and refused), not missing


def check_tree(root: Path, as_of: dt.date) -> tuple[Dataset | None, list[Problem]]:
    """Load and check everything under `root/data`. The dataset is None if any problem was found."""
    dataset, problems = load_tree(root, as_of)
    return (None if problems else dataset), problems


def load_tree(root: Path, as_of: dt.date) -> tuple[Dataset | None, list[Problem]]:
    """Load and check everything under `root/data`, in one pass: every problem of every file.
    The dataset holds what is valid (files with schema problems without their invalid parts) and is
    None only when the framework itself is unusable; use `check_tree` unless you need the partial data."""
    with _fewer_collections():
        return _load_tree(root, as_of)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Reading makes millions of short-lived objects and keeps the models: Python's cycle collector,
    run every 700 new objects, kept walking the growing dataset (a fifth of the time at 1,000
    providers). Reading makes almost no cycles, so it runs every GC_YOUNG new objects instead."""
    old = gc.get_threshold()
    if old[0]:  # 0: automatic collection is off, and stays so
        gc.set_threshold(max(old[0], GC_YOUNG), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


GC_YOUNG = 50_000


def _load_tree(root: Path, as_of: dt.date) -> tuple[Dataset | None, list[Problem]]:
    problems: list[Problem] = []
    data = root / "data"
    files: list[tuple[Document, str]] = []  # every loaded file and its schema, for the file rules

    def load(path: Path, schema: str) -> Document | None:
        doc, found = load_file(path, root)
        problems.extend(found)
        if doc is not None:
            files.append((doc, schema))
        return doc

    framework: Framework | None = None
    fw_doc = load(data / "framework.yaml", "framework") if _present(data / "framework.yaml") else None
    if fw_doc is None and not _present(data / "framework.yaml"):
        problems.append(Problem("data/framework.yaml", 1, 1, "file is missing", "restore data/framework.yaml from git"))
    if fw_doc is not None:
        parsed_fw, found = _parse(fw_doc, Framework)
        framework = parsed_fw if isinstance(parsed_fw, Framework) else None
        problems.extend(found)

    # Per "<schema>:<id>": the file as checked, as written, and the top-level fields salvage left out.
    loaded: dict[str, tuple[Document, Document, frozenset[str]]] = {}
    streamed: set[int] = set()  # the documents whose file rules already ran as they were read
    criteria: dict[str, Criterion] = {}
    policy = SourcePolicy()

    def read(path: Path, schema: str, model: type[M], each: Callable[[Target], list[Problem] | None] | None) -> _Read[M]:
        """Everything about one file that does not depend on the other files of its folder."""
        misnamed = file_name_problem(path.relative_to(root).as_posix())
        if misnamed:
            return _Read([misnamed])
        raw, found = load_file(path, root)
        if raw is None:
            return _Read(found)
        item, found = _parse(raw, model)
        doc, touched = raw, set[str]()
        if found:
            item, doc, touched = salvage(raw, model)
        if not isinstance(item, model):
            return _Read(found, raw)
        # Item rules see each file, even one whose id a later file repeats (both are reported).
        found.extend(apply("item", Target(doc, raw, schema, Context(as_of, framework, {}, SourcePolicy()), item, frozenset(touched))))
        target = Target(doc, raw, schema, Context(as_of, framework, criteria, policy), item, frozenset(touched))
        return _Read(found, raw, item, doc, frozenset(touched), each(target) if each is not None else None)

    def load_folder(folder: str, schema: str, model: type[M], each: Callable[[Target], list[Problem] | None] | None = None) -> dict[str, M]:
        """Every file of one kind, keyed by id; ids match file names and are unique. `each` runs the
        remaining rules on a file as soon as it is read (returning their problems, or None if it ran none)."""
        paths = sorted((data / folder).glob("*.y*ml"))
        if each is not None and len(paths) >= PARALLEL_FROM and releasable() and _workers() > 1:
            # Two processes (issue 15) take the files one at a time from a shared list. The forked one sends
            # each result back pickled as soon as it is read (the released document, the model, the
            # problems); this one takes in what has arrived after each file of its own, so neither waits
            # for the other at the end (unpickling a model takes a tenth of reading its file).
            share = parallel.Share(len(paths))

            def produce(send: Callable[[tuple[int, _Read[M]]], None]) -> None:
                for i in share:
                    send((i, read(paths[i], schema, model, each)))

            by_index: dict[int, _Read[M]] = {}
            with parallel.Stream(produce) as worker:  # stopped if this process fails before the end
                for i in share:
                    by_index[i] = read(paths[i], schema, model, each)
                    by_index.update(worker.arrived())
                by_index.update(worker.rest())
            results = [by_index[i] for i in range(len(paths))]
        else:
            results = [read(path, schema, model, each) for path in paths]
        found_items: dict[str, M] = {}
        for result in results:  # in file order, as if read one after the other
            problems.extend(result.problems)
            if result.raw is not None:
                files.append((result.raw, schema))
            item, doc, raw = result.item, result.doc, result.raw
            if item is None or doc is None or raw is None:
                continue
            if item.id in found_items:
                problems.append(doc.problem(("id",), f"duplicate {schema} id {item.id!r}", "ids must be unique"))
            found_items[item.id] = item
            loaded[f"{schema}:{item.id}"] = (doc, raw, result.touched)
            if result.rules is not None:
                problems.extend(result.rules)
                streamed.add(id(doc))
        return found_items

    criteria = load_folder("criteria", "criterion", Criterion)
    criteria = dict(sorted(criteria.items(), key=lambda kv: (_order(framework, kv[1]), kv[0])))

    if _present(data / "source-policy.yaml"):
        policy_doc = load(data / "source-policy.yaml", "source-policy")
        parsed, found = _parse(policy_doc, SourcePolicy) if policy_doc else (None, [])
        problems.extend(found)
        policy = parsed if isinstance(parsed, SourcePolicy) else policy

    maintainers, funders = Maintainers(), Funders()
    for name, model in (("maintainers", Maintainers), ("funders", Funders)):
        if _present(data / f"{name}.yaml"):
            people_doc = load(data / f"{name}.yaml", name)
            parsed_people, found = _parse(people_doc, model) if people_doc else (None, [])
            problems.extend(found)
            if isinstance(parsed_people, Maintainers):
                maintainers = parsed_people
            elif isinstance(parsed_people, Funders):
                funders = parsed_people

    # Provider files are checked as they are read (file, provider and claim rules), then their
    # positions are released; rules that compare providers run below, once all are read.
    def check_provider(t: Target) -> list[Problem] | None:
        if framework is None:
            return None  # without a framework no provider rule runs (as below)
        t = dataclasses.replace(t, ctx=dataclasses.replace(t.ctx, dataset=Dataset(framework, criteria, _NotAllRead())))
        found = [*apply("file", Target(t.doc, t.doc, t.schema, t.ctx)), *apply("provider", t, every_provider=False)]
        for claim in claim_targets(t):
            found.extend(apply("claim", claim))
        if t.doc is t.raw and releasable():
            t.doc.release(_Reload(root / t.doc.path, root))
        return found

    providers = load_folder("providers", "provider", Provider, check_provider)
    dataset = None
    if framework is not None:
        incomplete = {key: set(touched) for key, (_, _, touched) in loaded.items() if touched}
        dataset = Dataset(
            framework,
            criteria,
            dict(sorted(providers.items())),
            {key: doc for key, (doc, _, _) in loaded.items()},
            incomplete,
            maintainers.maintainers,
            funders.funders,
        )
    ctx = Context(as_of, framework, criteria, policy, dataset)

    for doc, schema in files:
        if id(doc) not in streamed:
            problems.extend(apply("file", Target(doc, doc, schema, ctx)))
    for cid, crit in criteria.items():
        doc, raw, touched = loaded[f"criterion:{cid}"]
        problems.extend(apply("criterion", Target(doc, raw, "criterion", ctx, crit, touched)))
    for pid, provider in sorted(providers.items()):
        doc, raw, touched = loaded[f"provider:{pid}"]
        if dataset is None:
            continue
        target = Target(doc, raw, "provider", ctx, provider, touched)
        problems.extend(apply("provider", target, every_provider=True))
    return dataset, sorted(set(problems))


# From this many provider files on, a second process reads part of them (when the build may use two).
PARALLEL_FROM = 64


def _workers() -> int:
    from .build import workers  # the build's setting (SCORECARD_WORKERS, else the cores); build imports check

    return workers()


@dataclass
class _Read(Generic[M]):
    """One file as read on its own: its problems, the document as written, and when it holds a usable
    item, the item, the document as checked, what salvage left out, and the problems of the rules
    run as it was read (None if none ran)."""

    problems: list[Problem]
    raw: Document | None = None
    item: M | None = None
    doc: Document | None = None
    touched: frozenset[str] = frozenset()
    rules: list[Problem] | None = None


@dataclass(frozen=True)
class _Reload:
    """Reads a released file again (a plain object, not a closure: it travels back from the worker process)."""

    path: Path
    root: Path

    def __call__(self) -> Document | None:
        return load_file(self.path, self.root)[0]


class _NotAllRead(dict[str, Provider]):
    """The providers, while they are still being read: a rule that looks at them must be registered
    with `needs_every_provider=True` (it then runs once all are read); asking here is an error."""

    def _refuse(self, *_args: object, **_kwargs: object) -> Any:
        raise RuntimeError("this rule compares providers: register it with needs_every_provider=True")

    __getitem__ = __contains__ = __iter__ = __len__ = get = items = keys = values = _refuse


def _order(framework: Framework | None, crit: Criterion) -> int:
    if framework is None:
        return 0
    return [f.id for f in framework.functions].index(crit.function)
