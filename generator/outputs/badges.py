"""Embeddable badges: `badges/<id>.svg` (template `badge.svg.j2`)."""

from __future__ import annotations

from .. import history, render, score
from ..check import Dataset


def files(dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options, changes: dict[str, history.History]) -> dict[str, bytes]:
    template = render.environment().get_template("badge.svg.j2")
    return {f"badges/{pid}.svg": template.render(s=ps, as_of=options.as_of).encode() for pid, ps in scores.items()}
