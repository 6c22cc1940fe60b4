"""Redirects from former ids: `providers/<alias>/index.html` (template `redirect.html.j2`)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import history, render, score
from ..check import Dataset


def files(
    dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options, changes: dict[str, history.History]
) -> Iterator[tuple[str, bytes]]:
    template = render.environment().get_template("redirect.html.j2")
    for pid, ps in scores.items():
        canonical = (options.site_url + f"providers/{pid}/") if options.site_url else f"../{pid}/"
        for alias in ps.provider.aliases:
            yield f"providers/{alias}/index.html", template.render(target=f"../{pid}/", canonical=canonical, name=ps.provider.name).encode()
