"""Site assets generated from the registry: `assets/registry.css` (palette custom properties, level,
status, group and distribution classes) and `assets/registry.js` (the same facts as JSON)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import history, registry, render, score
from ..check import Dataset


def files(
    dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options, changes: dict[str, history.History]
) -> Iterator[tuple[str, bytes]]:
    yield registry.CSS_PATH, registry.css().encode()
    yield registry.JS_PATH, registry.js().encode()
