"""Incremental page rendering for `scorecard serve`: a provider page is rendered again only when its inputs changed.

A provider page is a function of the provider's own data, its history entry, the framework and
criteria, the site options (as-of date included), the templates, and what it reads of the other
providers: their kinds, shown group scores and whether they are ranked (its rank and the medians)
and their names (a successor's). Pages of every other kind
(home, matrix, criterion pages, indexes) depend on all providers and are always rendered.
tests/test_serve.py checks that pages regenerated this way equal a fresh full generation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import render, standing

if TYPE_CHECKING:
    from .check import Dataset
    from .history import History
    from .score import ProviderScore


def _templates_state() -> tuple[tuple[str, int, int], ...]:
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in render.TEMPLATES.iterdir() if p.is_file()))


class PageCache:
    def __init__(self) -> None:
        self.entries: dict[str, tuple[Any, str]] = {}

    def render_pages(
        self, dataset: Dataset, scores: dict[str, ProviderScore], options: render.Options, changes: dict[str, History] | None = None
    ) -> dict[str, str]:
        env = render.environment()
        others = tuple(
            (pid, s.provider.name, s.provider.kind.value, s.groups["structural"].value, s.groups["situational"].value, standing.ranked_in_kind(s))
            for pid, s in scores.items()
        )
        common = (
            _templates_state(),
            options,
            dataset.framework.model_dump_json(),
            tuple(c.model_dump_json() for c in dataset.criteria.values()),
            others,
        )
        out: dict[str, str] = {}
        seen = set()
        for page in render.pages(dataset, scores, options, changes):
            key = None
            provider = page.context.get("p") if page.template == "provider.md.j2" else None
            if provider is not None:
                key = (common, provider.model_dump_json(), repr(page.context["history"].get(provider.id)))
                cached = self.entries.get(page.path)
                if cached is not None and cached[0] == key:
                    out[page.path] = cached[1]
                    seen.add(page.path)
                    continue
            text = env.get_template(page.template).render(**page.context, page_path=page.path)
            if key is not None:
                self.entries[page.path] = (key, text)
                seen.add(page.path)
            out[page.path] = text
        for path in set(self.entries) - seen:  # removed providers
            del self.entries[path]
        return out
