"""Site assets generated from the registry: `assets/registry.css` (palette custom properties, level,
status, group and distribution classes) and `assets/registry.js` (the same facts as JSON)."""

from __future__ import annotations

from .. import history, registry, render, score
from ..check import Dataset


def files(dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options, changes: dict[str, history.History]) -> dict[str, bytes]:
    return {registry.CSS_PATH: registry.css().encode(), registry.JS_PATH: registry.js().encode()}
