"""Embeddable badges: `badges/<id>.svg` (template `badge.svg.j2`)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import history, render, score
from ..check import Dataset


def files(
    dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options, changes: dict[str, history.History]
) -> Iterator[tuple[str, bytes]]:
    template = render.environment().get_template("badge.svg.j2")
    for pid, ps in scores.items():
        yield f"badges/{pid}.svg", template.render(s=ps, as_of=options.as_of).encode()
