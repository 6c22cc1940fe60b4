"""Export: machine-readable outputs written next to the pages before MkDocs runs, one module each
in `generator/outputs/`:

- `api`: `api/v1/*.json` and their JSON Schema (`api/v1/schema.json`)
- `tables`: `downloads/scorecard.csv` and `downloads/requirements.csv`
- `badges`: `badges/<id>.svg`
- `previews`: `previews/<id>.png` and `previews/site.png` (link previews)
- `feeds`: `feeds/providers/<id>.xml` and `feeds/changes.xml` (Atom)
- `redirects`: `providers/<alias>/index.html` for former ids
- `securitytxt`: `.well-known/security.txt`
- `assets`: `assets/registry.css` and `assets/registry.js`, generated from generator/registry.py

Every output carries the methodology version and the as-of date. Each module has one function,
`files(dataset, scores, options, changes)` yielding (path, content) one file at a time (a build writes
each file as it comes, so memory does not grow with the number of providers); the content is bytes,
or for a large file `outputs.Chunks`, its bytes a piece at a time; two outputs never write one path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import history, render, score
from .check import Dataset
from .outputs import Content, api, assets, badges, feeds, previews, redirects, securitytxt, tables

Output = Callable[[Dataset, dict[str, score.ProviderScore], render.Options, dict[str, history.History]], Iterator[tuple[str, Content]]]
OUTPUTS: tuple[Output, ...] = (api.files, tables.files, badges.files, previews.files, feeds.files, redirects.files, securitytxt.files, assets.files)

# The slowest outputs, the preview images and the API files, are made one provider at a time
# (`provider_files`): a one-off build's two processes share those out between them (build.py), each
# taking the next provider when its own work is done. Without them, these two outputs make only their
# other files (`stream(..., per_provider=False)`).
CommonFiles = Callable[[Dataset, dict[str, score.ProviderScore], render.Options], Iterator[tuple[str, bytes]]]
_OTHER_FILES: dict[Output, CommonFiles] = {api.files: api.common_files, previews.files: previews.common_files}
PER_PROVIDER: tuple[Callable[[str, score.ProviderScore, render.Options], tuple[str, bytes]], ...] = (api.provider_file, previews.provider_file)


def stream(
    dataset: Dataset,
    scores: dict[str, score.ProviderScore],
    options: render.Options,
    changes: dict[str, history.History] | None = None,
    per_provider: bool = True,
) -> Iterator[tuple[str, Content]]:
    """Every output file, one at a time: (path, content); with per_provider=False, all but `provider_files`."""
    seen: set[str] = set()
    for output in OUTPUTS:
        if per_provider or output not in _OTHER_FILES:
            made = output(dataset, scores, options, changes or {})
        else:
            made = _OTHER_FILES[output](dataset, scores, options)
        for path, content in made:
            assert path not in seen, f"two outputs write {path}"
            seen.add(path)
            yield path, content


def provider_files(pid: str, ps: score.ProviderScore, options: render.Options) -> Iterator[tuple[str, bytes]]:
    """One provider's preview image and API file."""
    for output in PER_PROVIDER:
        yield output(pid, ps, options)


def export_all(
    dataset: Dataset,
    scores: dict[str, score.ProviderScore],
    options: render.Options,
    changes: dict[str, history.History] | None = None,
    go_on: Callable[[], None] | None = None,
) -> dict[str, bytes]:
    """Every output file; `go_on` (if given) is called before each, and may stop the export by raising."""
    out = {}
    for path, content in stream(dataset, scores, options, changes):
        if go_on is not None:
            go_on()
        out[path] = bytes(content)
    return out
