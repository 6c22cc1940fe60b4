"""Link-preview images: `previews/<id>.png` per provider and `previews/site.png`, the home page's per-kind charts (drawn by preview.py)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import history, preview, registry, render, score
from ..check import Dataset


def common_files(dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options) -> Iterator[tuple[str, bytes]]:
    """`site.png`: the image that is not one provider's."""
    yield "previews/site.png", preview.site_png(preview.site_charts(scores), options.as_of.isoformat())


def provider_file(pid: str, ps: score.ProviderScore, options: render.Options) -> tuple[str, bytes]:
    return f"previews/{pid}.png", preview.provider_png(ps, registry.KIND_LABEL[ps.provider.kind.value], options.as_of.isoformat())


def files(
    dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options, changes: dict[str, history.History]
) -> Iterator[tuple[str, bytes]]:
    for pid, ps in scores.items():
        yield provider_file(pid, ps, options)
    yield from common_files(dataset, scores, options)
