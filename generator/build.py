"""Build: validate → score → render → export → MkDocs, then swap the new site in.

The generated Markdown and data files are written to `build/docs/` (a build artifact,
git-ignored) together with the hand-written pages from `docs/`. MkDocs then builds a
temporary site directory; only when everything succeeded does it replace `site/`, so a
failed build leaves the previous site untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import filecmp
import gc
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import yaml

from . import export, history, incremental, parallel, render, reply, rules, score, search
from .check import Dataset, check_tree
from .load import UnsafeFile, read_regular
from .outputs import Chunks, Content
from .problems import DataError, Problem

STAGING = Path("build/docs")


@dataclass(frozen=True)
class Settings:
    root: Path
    as_of: dt.date
    repository_url: str = ""
    site_url: str = ""
    contact_email: str = ""

    @property
    def options(self) -> render.Options:
        return render.Options(self.as_of, self.repository_url.rstrip("/"), _with_slash(self.site_url), self.contact_email)


def _with_slash(url: str) -> str:
    return url if not url or url.endswith("/") else url + "/"


class Progress:
    """One line per step on stderr, with elapsed time, so long builds show they are alive."""

    def __init__(self, out: TextIO | None = None):
        self.out = out or sys.stderr
        self.start = time.monotonic()

    def __call__(self, message: str) -> None:
        print(f"[{time.monotonic() - self.start:5.1f}s] {message}", file=self.out, flush=True)


def load_checked(settings: Settings) -> Dataset:
    dataset, problems = check_tree(settings.root, settings.as_of)
    if problems or dataset is None:
        raise DataError(problems)
    return dataset


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml for a check only: any tag (e.g. !!python/name) becomes None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def check_settings(settings: Settings) -> None:
    """Values that reach every page outside the data: the site and repository URLs (from options or
    the environment) must be plain https URLs, and mkdocs.yml's site_name and site_description, which
    the theme prints without escaping, must not contain markup characters."""
    problems: list[Problem] = []
    email_problem = reply.email_problem(settings.contact_email)
    if email_problem:
        problems.append(Problem("--contact-email", 1, 1, f"--contact-email: {email_problem}", "give one plain address, e.g. reply@example.org"))
    for flag, value in (("--site-url", settings.site_url), ("--repository-url", settings.repository_url)):
        why = rules.url_problem(value, allow_mailto=False) if value else None
        if why or any(ch in value for ch in "<>\"'`"):
            problems.append(
                Problem(
                    flag,
                    1,
                    1,
                    f"{flag} {value!r}: {why or 'contains markup characters'}",
                    "give a plain https:// address, e.g. https://example.org/scorecard/",
                )
            )
    config_path = settings.root / "mkdocs.yml"
    config: object
    try:
        config = yaml.load(config_path.read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}  # noqa: S506 - a SafeLoader that turns every tag into None
    except (OSError, yaml.YAMLError):
        config = {}
    for key in ("site_name", "site_description"):
        setting = config.get(key) if isinstance(config, dict) else None
        if isinstance(setting, str) and any(ch in setting for ch in '<>&"{}'):
            problems.append(
                Problem(
                    "mkdocs.yml", 1, 1, f'{key} contains a markup character (< > & " {{ }})', "the theme prints it without escaping: use plain words"
                )
            )
    if problems:
        raise DataError(problems)


def _prepared(
    settings: Settings, progress: Callable[[str], None], on_checked: Callable[[], None] = lambda: None
) -> tuple[Dataset, dict[str, score.ProviderScore], dict[str, history.History]]:
    """Checked data (drafts left out), scores and change history. `on_checked` runs once the data is checked."""
    check_settings(settings)
    checked = load_checked(settings)
    progress(f"checked {len(checked.providers)} providers and {len(checked.criteria)} criteria: no problems")
    dataset = checked.published()
    if len(dataset.providers) != len(checked.providers):
        progress(f"left out {len(checked.providers) - len(dataset.providers)} draft provider(s)")
    checked.docs.clear()  # positions of every YAML value: needed for problem reports only, and large
    on_checked()
    scores = score.score_all(dataset, settings.as_of)
    changes = history.collect(settings.root, list(dataset.providers), settings.as_of)
    return dataset, scores, changes


def _refuse_clashes(pages: Iterable[str], exported: Iterable[str]) -> None:
    clashes = sorted(set(pages) & set(exported))
    if clashes:  # rules.RESERVED_IDS should make this impossible; never let one output replace another
        raise DataError(
            [
                Problem(
                    "data/providers", 1, 1, f"generated file {c} would be written twice", "an id or alias collides with a generated path; rename it"
                )
                for c in clashes
            ]
        )


def generate(
    settings: Settings,
    progress: Callable[[str], None] = lambda m: None,
    background: bool = True,
    pages_cache: incremental.PageCache | None = None,
    on_pages: Callable[[dict[str, bytes]], None] | None = None,
    go_on: Callable[[], None] | None = None,
) -> dict[str, bytes]:
    """Everything the generator writes before MkDocs runs: {path relative to docs_dir: bytes}.
    `background`: write the exports in a second process (a one-off build); `serve` keeps them in
    its own process instead, where the caches of earlier rounds (images, templates) live.
    `on_pages` receives the pages (and search index) before the exports are made: `serve` writes
    them at once, so MkDocs rebuilds an edited page while the exports are still being made.
    `go_on` is called before each export made in this process (`serve` stops there when a newer save arrived)."""
    dataset, scores, changes = _prepared(settings, progress)
    # The data exports (JSON, images, feeds) are written in a second process while the pages render.
    exports = parallel.Background(lambda: export.export_all(dataset, scores, settings.options, changes, go_on), enabled=background and workers() > 1)
    rendered = (pages_cache or render).render_pages(dataset, scores, settings.options, changes)
    pages = search.exclude_from_plugin(rendered)
    files = {path: text.encode("utf-8") for path, text in pages.items()}
    files[search.DATA_INDEX] = search.data_index(pages, dataset, scores)
    if on_pages is not None:
        on_pages(files)
    page_count = len(pages)
    del rendered, pages
    exported = exports.result()
    _refuse_clashes(files, exported)
    files.update(exported)
    progress(f"generated {page_count} pages and {len(files) - page_count} data files")
    return files


MAX_DOC_BYTES = 4 * 1024 * 1024


def hand_written(root: Path) -> dict[str, bytes]:
    """Every regular file under docs/. Symbolic links (to a file outside the checkout, to /dev/zero),
    devices and oversized files are problems, never published or read without bound."""
    docs = root / "docs"
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for folder, dirs, names in os.walk(docs, followlinks=False):
        for name in sorted(dirs):
            if os.path.islink(os.path.join(folder, name)):  # os.walk lists linked folders but does not enter them
                problems.append(
                    Problem(
                        Path(folder, name).relative_to(root).as_posix(),
                        1,
                        1,
                        "symbolic links are not accepted",
                        "replace the link with the folder itself",
                    )
                )
        for name in names:
            path = Path(folder, name)
            try:
                content = read_regular(path, root, MAX_DOC_BYTES)
            except UnsafeFile as exc:
                problems.append(exc.problem)
                continue
            if len(content) > MAX_DOC_BYTES:
                problems.append(
                    Problem(path.relative_to(root).as_posix(), 1, 1, f"file is larger than {MAX_DOC_BYTES} bytes", "keep large files out of docs/")
                )
                continue
            files[path.relative_to(docs).as_posix()] = content
    for rel, content in files.items():
        if rel.endswith(".md"):
            problems.extend(_theme_printed_markup(f"docs/{rel}", content))
    if problems:
        raise DataError(problems)
    return dict(sorted(files.items()))


_THEME_PRINTED = re.compile(r"^(?:(title|description):.*|#[ \t].*)$")


def _theme_printed_markup(path: str, content: bytes) -> list[Problem]:
    """Material prints a page's title (front matter or first heading) and description without
    escaping; in hand-written pages they must not contain markup characters (< > ")."""
    problems = []
    lines = content.decode("utf-8", "replace").split("\n")
    in_front = bool(lines) and lines[0].strip() == "---"
    first_heading = True
    for number, line in enumerate(lines, 1):
        if in_front and number > 1 and line.strip() == "---":
            in_front = False
            continue
        match = _THEME_PRINTED.match(line)
        if not match or (match.group(1) and not in_front) or (not match.group(1) and (in_front or not first_heading)):
            continue
        if not match.group(1):
            first_heading = False
        bad = next((i for i, ch in enumerate(line) if ch in '<>"'), None)
        if bad is not None:
            problems.append(
                Problem(
                    path,
                    number,
                    bad + 1,
                    f"markup character {line[bad]!r} in the page title or description",
                    "the theme prints titles and descriptions without escaping: write plain words",
                )
            )
    return problems


def assemble(
    settings: Settings,
    progress: Callable[[str], None] = lambda m: None,
    background: bool = True,
    pages_cache: incremental.PageCache | None = None,
    early: Callable[[dict[str, bytes]], None] | None = None,
    go_on: Callable[[], None] | None = None,
) -> dict[str, bytes]:
    """Hand-written pages plus generated files; a generated file may not overwrite a hand-written one.
    `early` receives the generated pages before the exports are made (never one a hand-written file has)."""
    manual = hand_written(settings.root)

    def on_pages(pages: dict[str, bytes]) -> None:
        if early is not None and not set(manual) & set(pages):  # a clash is reported below
            early(pages)

    generated = generate(settings, progress, background, pages_cache, on_pages, go_on)
    clashes = sorted(set(manual) & set(generated))
    if clashes:
        raise DataError(
            [
                Problem(f"docs/{c}", 1, 1, "this path is generated; a hand-written file cannot use it", "rename or remove the hand-written file")
                for c in clashes
            ]
        )
    return {**manual, **generated}


def write_if_changed(dest: Path, rel: str, content: Content) -> bool:
    """Write one file under `dest` unless it already holds exactly `content` (atomically). Bytes are
    compared before writing; `Chunks` are written as they come, then compared with the file there."""
    path = dest / rel
    if isinstance(content, bytes) and path.is_file() and path.read_bytes() == content:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as out:
        for chunk in content if isinstance(content, Chunks) else (content,):
            out.write(chunk)
    if isinstance(content, Chunks) and path.is_file() and filecmp.cmp(tmp, path, shallow=False):
        tmp.unlink()
        return False
    os.replace(tmp, path)
    return True


def remove_others(dest: Path, keep: set[str] | dict[str, bytes]) -> int:
    """Delete every file under `dest` not in `keep`, and the folders left empty (children first). One
    directory listing per folder, no Path object per file: a build's thousands of files are walked once."""
    removed = 0
    for folder, _dirs, names in os.walk(dest, topdown=False):
        rel = os.path.relpath(folder, dest).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        for name in names:
            path = os.path.join(folder, name)
            if prefix + name not in keep and os.path.isfile(path):
                os.unlink(path)
                removed += 1
        if prefix and not os.listdir(folder):
            os.rmdir(folder)
    return removed


def sync_tree(files: dict[str, bytes], dest: Path) -> int:
    """Make `dest` contain exactly `files`, rewriting only what changed (keeps `serve` reloads cheap)."""
    dest.mkdir(parents=True, exist_ok=True)
    changed = sum(write_if_changed(dest, rel, content) for rel, content in files.items())
    return changed + remove_others(dest, files)


def generate_into(settings: Settings, staging: Path, progress: Callable[[str], None] = lambda m: None) -> int:
    """`sync_tree(assemble(settings), staging)` for a one-off build, holding one page at a time: pages
    are written as they are rendered and the exports by a second process (tests/test_build.py checks
    that both give the same tree). Returns the number of files."""
    staging.mkdir(parents=True, exist_ok=True)
    manual = hand_written(settings.root)
    # The checked dataset (then the scores and history) lives until the end of generation: the garbage
    # collector is told so (gc.freeze) instead of walking all of it again in every full collection while
    # pages and exports make many short-lived objects (at 1,000 providers that doubled the API files'
    # time). The export process forked below inherits it, and shares more memory pages with this one.
    # Templates do not change during a build: Jinja need not check their files before every page and
    # every include (four times per provider page).
    env = render.environment()
    reload, env.auto_reload = env.auto_reload, False
    try:
        dataset, scores, changes = _prepared(settings, progress, on_checked=gc.freeze)
        gc.freeze()
        return _generate_into(settings, staging, progress, manual, dataset, scores, changes)
    finally:
        gc.unfreeze()
        env.auto_reload = reload


def _generate_into(
    settings: Settings,
    staging: Path,
    progress: Callable[[str], None],
    manual: dict[str, bytes],
    dataset: Dataset,
    scores: dict[str, score.ProviderScore],
    changes: dict[str, history.History],
) -> int:
    # Each provider's preview image and API file (the slowest exports) are made by whichever process
    # is free: the export process after its other files, this one after the pages.
    pids = list(scores)
    share = parallel.Share(len(pids))

    def write_shared() -> list[str]:
        written = []
        for i in share:
            for rel, content in export.provider_files(pids[i], scores[pids[i]], settings.options):
                write_if_changed(staging, rel, content)
                written.append(rel)
        return written

    def write_exports() -> list[str]:
        written = []
        for rel, content in export.stream(dataset, scores, settings.options, changes, per_provider=False):
            write_if_changed(staging, rel, content)
            written.append(rel)
        return written + write_shared()

    exports = parallel.Background(write_exports, enabled=workers() > 1)
    env = render.environment()
    written: set[str] = set()
    heads: dict[str, str] = {}  # what the search index needs from generated pages: the top (front matter, title)
    for page in render.pages(dataset, scores, settings.options, changes):
        text = search.exclude_from_plugin({page.path: env.get_template(page.template).render(**page.context, page_path=page.path)})[page.path]
        if search.is_excluded(page.path):
            heads[page.path] = text[:4096]
        write_if_changed(staging, page.path, text.encode("utf-8"))
        written.add(page.path)
    page_count = len(written)
    write_if_changed(staging, search.DATA_INDEX, search.data_index(heads, dataset, scores))
    written.add(search.DATA_INDEX)  # a data file, as in `generate`
    shared_here = write_shared()
    exported = exports.result() + shared_here
    assert len(set(exported)) == len(exported), "two outputs write one file"
    _refuse_clashes(written, exported)
    generated = written | set(exported)
    clashes = sorted(set(manual) & generated)
    if clashes:
        raise DataError(
            [
                Problem(f"docs/{c}", 1, 1, "this path is generated; a hand-written file cannot use it", "rename or remove the hand-written file")
                for c in clashes
            ]
        )
    for rel, content in manual.items():
        write_if_changed(staging, rel, content)
    keep = generated | set(manual)
    remove_others(staging, keep)
    progress(f"generated {page_count} pages and {len(generated) - page_count} data files")
    return len(keep)


def theme_extra(settings: Settings) -> dict[str, str]:
    """What the footer of every page shows from the build's settings (overrides/partials/copyright.html):
    the data's as-of date, the repository and the contact address (checked by `check_settings`)."""
    return {"as_of": settings.as_of.isoformat(), "repository_url": settings.repository_url.rstrip("/"), "contact_email": settings.contact_email}


def source_date_epoch(as_of: dt.date) -> str:
    return str(int(dt.datetime(as_of.year, as_of.month, as_of.day, tzinfo=dt.UTC).timestamp()))


def mkdocs_build(settings: Settings, docs_dir: Path, site_dir: Path) -> None:
    """Run MkDocs in strict mode. Warnings become errors; the build date is the as-of date.
    Pages are built on every available core (mkbuild.py), with the same result as `mkdocs build`."""
    from mkdocs.config import load_config

    from . import mkbuild

    overrides: dict[str, Any] = {"docs_dir": str(docs_dir), "site_dir": str(site_dir), "strict": True}
    if settings.site_url:
        overrides["site_url"] = _with_slash(settings.site_url)
    with scoped_environ(SOURCE_DATE_EPOCH=source_date_epoch(settings.as_of), NO_MKDOCS_2_WARNING=os.environ.get("NO_MKDOCS_2_WARNING", "1")):
        config = load_config(config_file=str(settings.root / "mkdocs.yml"), **overrides)
        config.extra["scorecard"] = theme_extra(settings)
        logging.getLogger("mkdocs").setLevel(logging.WARNING)
        # As `mkdocs build` does: MkDocs keeps plugin instances for the whole process, and a preview
        # server in this process may have left Material's search plugin in its incremental mode.
        config.plugins.on_startup(command="build", dirty=False)
        mkbuild.build(config, workers())


@contextlib.contextmanager
def scoped_environ(**values: str) -> Iterator[None]:
    """Set environment variables for the duration of a build and restore the previous values after
    (a build inside a longer-lived process, such as the tests or `serve`, must not leak them)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, old in saved.items():
            if old is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = old


def workers() -> int:
    """Processes for the build: SCORECARD_WORKERS if set (1 = plain `mkdocs build`), else the usable cores (at most 4)."""
    value = os.environ.get("SCORECARD_WORKERS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(4, cores))


MARKER = ".scorecard-site"  # written into every built site: only such a folder may be replaced
_PROJECT_PARTS = ("data", "docs", "generator", "overrides", "tests", "build", ".git", ".github", "requirements")


def check_site_dir(root: Path, site_dir: Path) -> None:
    """Refuse an output folder that a build did not make: the build replaces it wholesale, so
    `--site-dir docs` or `--site-dir .` would delete hand-written pages or the checkout."""
    target, project = site_dir.resolve(), root.resolve()
    inside_project_part = any(target == (project / part).resolve() or target.is_relative_to((project / part).resolve()) for part in _PROJECT_PARTS)
    made_by_build = (target / MARKER).is_file() or (  # sites built before the marker existed
        (target / "search" / "search_index.json").is_file() and (target / "404.html").is_file() and not (target / ".git").exists()
    )
    empty = target.is_dir() and not any(target.iterdir())
    why = None
    if target == project or project.is_relative_to(target):
        why = "is the project folder (or contains it)"
    elif inside_project_part:
        why = "lies inside a folder of the project"
    elif target.exists() and not target.is_dir():
        why = "is a file"
    elif target.exists() and not empty and not made_by_build:
        why = "is not empty and was not made by `scorecard build`"
    if why:
        shown = site_dir.as_posix()
        raise DataError(
            [
                Problem(
                    shown,
                    1,
                    1,
                    f"output folder {shown} {why}; the build replaces its whole content",
                    "choose a new folder for --site-dir (the default is site/)",
                )
            ]
        )


def build(settings: Settings, site_dir: Path, progress: Callable[[str], None] = lambda m: None) -> None:
    site_dir = site_dir if site_dir.is_absolute() else settings.root / site_dir
    check_site_dir(settings.root, site_dir)
    staging = settings.root / STAGING
    # Generation runs in a child process: the memory it needs for the whole dataset goes back to
    # the system before MkDocs starts (and before MkDocs forks its own workers).
    count = parallel.Background(lambda: generate_into(settings, staging, progress), enabled=workers() > 1).result()
    progress(f"wrote {count} files to {STAGING}/; running MkDocs (strict, {workers()} processes)")
    tmp = Path(tempfile.mkdtemp(prefix=site_dir.name + ".", dir=site_dir.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the published site must be world-readable
    try:
        mkdocs_build(settings, staging, tmp)
        (tmp / MARKER).write_text("Made by `scorecard build`; the next build replaces this folder.\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    old = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(old)
    tmp.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
    progress(f"site written to {site_dir}")
