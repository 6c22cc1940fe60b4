"""Link-preview images: `previews/<id>.png` per provider and `previews/site.png`, the home page's per-kind charts (drawn by preview.py)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import history, preview, registry, render, score
from ..check import Dataset


def files(
    dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options, changes: dict[str, history.History]
) -> Iterator[tuple[str, bytes]]:
    as_of = options.as_of.isoformat()
    for pid, ps in scores.items():
        yield f"previews/{pid}.png", preview.provider_png(ps, registry.KIND_LABEL[ps.provider.kind.value], as_of)
    yield "previews/site.png", preview.site_png(preview.site_charts(scores), as_of)
