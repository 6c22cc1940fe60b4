"""Render: turn the checked, scored dataset into plain Markdown pages (Jinja2 templates).

The output is a mapping {relative path: text} written before MkDocs runs, so the site
builds with a plain `mkdocs build` (or Zensical) and no hooks or content plugins.
Templates live in `generator/templates/`; every generated page says "do not edit".
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import jinja2.compiler
import jinja2.nodes
import markupsafe

from . import check, history, registry, reply, rules, safe, schema, score, standing, visual
from .check import Dataset
from .model import Level

TEMPLATES = Path(__file__).parent / "templates"

# How levels, statuses, kinds and provenance are shown: generator/registry.py.
KIND_LABEL = registry.KIND_LABEL


@dataclass(frozen=True)
class Options:
    as_of: dt.date
    repository_url: str = ""  # e.g. https://github.com/org/repo; empty: no edit links
    site_url: str = ""  # absolute base for canonical links; empty: relative only
    contact_email: str = ""  # right of reply without a GitHub account; empty: the form only


def escape_text(value: object) -> str:
    """`markupsafe.escape(value)` as plain text: the same characters, without the Markup object around them."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_inner(str(value))


def _escape_markupsafe(text: str) -> str:
    return str(markupsafe.escape(text))


try:
    from markupsafe._speedups import _escape_inner  # what markupsafe.escape runs for a str, in C
except ImportError:  # pragma: no cover - markupsafe without its compiled speedups
    _escape_inner = _escape_markupsafe


class _CodeGenerator(jinja2.compiler.CodeGenerator):
    """Compiles each autoescaped `{{ value }}` to `environment.escape_text(value)` instead of Jinja's
    `escape(value)`: the same text, but without a Markup object made for every value, which is then
    only joined into the page (a quarter of the time a provider page took to render)."""

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: jinja2.compiler.Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escape_text(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)


class _Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator
    escape_text = staticmethod(escape_text)


@functools.lru_cache(maxsize=1)  # compiled once per process; Jinja reloads a template whose file changed
def environment() -> jinja2.Environment:
    env = _Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(prose=safe.prose, md=safe.md, text=safe.text, yamlstr=safe.yaml_string, href=safe.href, pct=_pct, iso=_iso)
    env.globals.update(
        Level=Level,
        rules=rules,
        LEVEL=registry.LEVEL,
        STATUS=registry.STATUS,
        KIND=registry.KIND_LABEL,
        PROVENANCE=registry.PROVENANCE_LABEL,
        REGISTRY=registry,
        score=score,
        standing=standing,
        visual=visual,
        reply=reply,
        zip=zip,
    )
    return env


def _iso(value: dt.date) -> str:
    """`{{ day|iso }}`: a date (or time) as ISO 8601. A filter is a plain call; `{{ day.isoformat() }}` goes
    through Jinja's checked call, which made dates a tenth of a provider page's time."""
    return value.isoformat()


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"


@dataclass(frozen=True)
class Page:
    path: str
    template: str
    context: dict[str, Any]


def pages(
    dataset: Dataset, scores: dict[str, score.ProviderScore], options: Options, changes: dict[str, history.History] | None = None
) -> Iterator[Page]:
    """Every generated page, in a fixed order."""
    common = {
        "history": changes or {},
        "data": dataset,
        "scores": scores,
        "options": options,
        "as_of": options.as_of,
        "models": schema.field_reference(),
        "validation_rules": check.rule_docs(),
    }
    fixed: list[tuple[str, str]] = [
        ("index.md", "home.md.j2"),
        ("matrix.md", "matrix.md.j2"),
        ("providers/index.md", "providers_index.md.j2"),
        ("criteria/index.md", "criteria_index.md.j2"),
        ("methodology/index.md", "methodology.md.j2"),
        ("methodology/grid.md", "grid.md.j2"),
        ("self-hosting.md", "self_hosting.md.j2"),
        ("reference.md", "fields.md.j2"),
        ("validation-rules.md", "validation_rules.md.j2"),
        ("who-we-are.md", "who_we_are.md.j2"),
    ]
    for path, template in fixed:
        yield Page(path, template, common)
    for pid, provider in dataset.providers.items():
        yield Page(f"providers/{pid}.md", "provider.md.j2", {**common, "p": provider, "s": scores[pid]})
    for cid, crit in dataset.criteria.items():
        yield Page(f"criteria/{cid}.md", "criterion.md.j2", {**common, "c": crit})


def render_pages(
    dataset: Dataset, scores: dict[str, score.ProviderScore], options: Options, changes: dict[str, history.History] | None = None
) -> dict[str, str]:
    env = environment()
    return {
        page.path: env.get_template(page.template).render(**page.context, page_path=page.path) for page in pages(dataset, scores, options, changes)
    }
