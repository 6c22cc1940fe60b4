"""Incremental page rendering for `scorecard serve`: a provider page is rendered again only when its inputs changed.

A provider page is a function of the provider's own data, its history entry, the framework and
criteria, the site options (as-of date included), the templates, and what it reads of the other
providers: their kinds, shown group scores and whether they are ranked (its rank and the medians)
and their names (a successor's). Pages of every other kind
(home, matrix, criterion pages, indexes) depend on all providers and are always rendered.
tests/test_serve.py checks that pages regenerated this way equal a fresh full generation.
"""

from __future__ import annotations

from collections.abc import Callable
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
        # Receives the provider pages rendered anew (an edited provider's) before the pages that
        # depend on every provider are rendered: `serve` writes and builds them at once.
        self.on_fresh: Callable[[dict[str, str]], None] | None = None
        # Called before each of those pages: `serve` stops there (by raising) when a newer save arrived.
        self.go_on: Callable[[], None] | None = None

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
        fresh: dict[str, str] = {}
        rest = []
        seen = set()
        every = list(render.pages(dataset, scores, options, changes))
        for page in every:
            provider = page.context.get("p") if page.template == "provider.md.j2" else None
            if provider is None:
                rest.append(page)
                continue
            key = (common, provider.model_dump_json(), repr(page.context["history"].get(provider.id)))
            seen.add(page.path)
            cached = self.entries.get(page.path)
            if cached is not None and cached[0] == key:
                out[page.path] = cached[1]
                continue
            text = env.get_template(page.template).render(**page.context, page_path=page.path)
            self.entries[page.path] = (key, text)
            out[page.path] = fresh[page.path] = text
        for path in set(self.entries) - seen:  # removed providers
            del self.entries[path]
        if fresh and self.on_fresh is not None:
            self.on_fresh(fresh)
        for page in rest:
            if self.go_on is not None:
                self.go_on()
            out[page.path] = env.get_template(page.template).render(**page.context, page_path=page.path)
        return {page.path: out[page.path] for page in every}
