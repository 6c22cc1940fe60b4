"""Atom feeds of evidence changes: `feeds/providers/<id>.xml` and `feeds/changes.xml` (template `feed.xml.j2`)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import history, render, score
from ..check import Dataset

_NO_HISTORY = history.History()


def files(
    dataset: Dataset, scores: dict[str, score.ProviderScore], options: render.Options, changes: dict[str, history.History]
) -> Iterator[tuple[str, bytes]]:
    template = render.environment().get_template("feed.xml.j2")
    titles = {cid: c.title for cid, c in dataset.criteria.items()}  # entries name a claim by its criterion's title
    for pid, ps in scores.items():
        yield (
            f"feeds/providers/{pid}.xml",
            template.render(
                feed_id=f"providers/{pid}",
                title=f"{ps.provider.name}: evidence changes",
                as_of=options.as_of,
                options=options,
                titles=titles,
                items=[(ps.provider, e) for e in changes.get(pid, _NO_HISTORY).entries],
            ).encode(),
        )
    everything = sorted(
        ((scores[pid].provider, e) for pid, h in changes.items() for e in h.entries), key=lambda item: (item[1].date, item[0].id), reverse=True
    )
    yield (
        "feeds/changes.xml",
        template.render(
            feed_id="changes",
            title="Messenger Defense Scorecard: evidence changes",
            as_of=options.as_of,
            options=options,
            items=everything,
            titles=titles,
        ).encode(),
    )
