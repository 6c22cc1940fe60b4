"""`.well-known/security.txt` (RFC 9116), written only when a contact is known (repository or site URL)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import history, render, score
from ..check import Dataset


def files(
    dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options, changes: dict[str, history.History]
) -> Iterator[tuple[str, bytes]]:
    if not (options.repository_url or options.site_url):  # RFC 9116 requires a Contact
        return
    yield ".well-known/security.txt", render.environment().get_template("security.txt.j2").render(as_of=options.as_of, options=options).encode()
