"""Load: read the YAML files in `data/` strictly, remembering where every value came from.

The YAML dialect is a strict subset of YAML 1.2 (core schema):
- only `true`/`false` are booleans and only `null`/`~`/empty are null, so `no`, `on`
  and `yes` stay strings (PyYAML alone follows YAML 1.1 and would turn them into booleans);
- dates stay strings and are parsed by the models;
- duplicate keys, anchors, aliases, merge keys (`<<`) and custom tags are errors;
- files must be UTF-8, non-empty, at most `rules.MAX_FILE_BYTES`, without control
  or bidirectional characters, neither written nor as escapes (`"\u202e"`) in a value;
- nesting is at most `MAX_DEPTH` levels and numbers at most `MAX_NUMBER_DIGITS` characters
  (deeper nesting and longer numbers are parser bombs, not evidence);
- only regular files inside the checkout are read (no symbolic links, devices or folders),
  and never more than the size limit plus one byte.
Every problem, including any unexpected parser failure, becomes a `Problem` with line and
column (1-based) and a hint; nothing from a data file can end in a traceback.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from . import rules
from .problems import Problem

Path_ = tuple[Any, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
# What `_NULL` and `_BOOL` match in a plain value that cannot be a number (no leading sign, digit or dot)
# and does not end in a line break (where `$` also matches): a dictionary look-up instead of four patterns.
_NUMBER_START = frozenset("+-.0123456789")
_PLAIN_WORDS: dict[str, Any] = {"": None, "~": None, "null": None, "Null": None, "NULL": None, **_BOOL}
MAX_DEPTH = 32
MAX_NUMBER_DIGITS = 40
_CORE_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


class _Refusal(Exception):
    def __init__(self, mark: yaml.Mark, message: str, hint: str):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


# libyaml (C) when available: its events carry the same line and column marks, and are much faster to make.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Document:
    """A loaded YAML file: its plain data and where each value and key is."""

    path: str
    data: Any
    first_line: str = ""
    line_endings: list[Problem] = field(default_factory=list)  # CRLF found (the file was parsed anyway)
    # Plain (unquoted) scalars followed on their last line by ` #`: where the comment starts. YAML cut the
    # value there; check.py decides in which fields that is an error (free text: titles, summaries...).
    plain_then_comment: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list, repr=False)
    # Set by `release`: reads the file again when a position is asked for after it was released.
    reload: Callable[[], Document | None] | None = field(default=None, repr=False, compare=False)
    # The text, until `values` and `keys` are first asked for: most files have no problem and never need
    # them, and finding them is a good part of reading a file (issue 15).
    text: str | None = field(default=None, repr=False, compare=False)
    _values: dict[Path_, tuple[int, int]] = field(default_factory=dict, repr=False)
    _keys: dict[Path_, tuple[int, int]] = field(default_factory=dict, repr=False)

    @property
    def values(self) -> dict[Path_, tuple[int, int]]:
        """Where each value is (line, column), by path: `("assessments", 0, "level")`."""
        self._locate()
        return self._values

    @property
    def keys(self) -> dict[Path_, tuple[int, int]]:
        """Where each key is (line, column), by the path of its value."""
        self._locate()
        return self._keys

    def _locate(self) -> None:
        if self.text is not None:
            text, self.text = self.text, None
            again = Document(self.path, None, lines=text.split("\n"))
            _compose(text, again, positions=True)  # read once already, so it reads again without a problem
            self._values, self._keys = again._values, again._keys

    def release(self, reload: Callable[[], Document | None]) -> None:
        """Forget the plain data and positions of a file whose rules have run (at 1,000 providers they
        are most of the validator's memory; the parsed model keeps what the build needs). A rule that
        reports a problem later (one that needs every file first) gets them back: `reload` parses the
        file again."""
        self.data, self._values, self._keys, self.plain_then_comment, self.text, self.reload = None, {}, {}, {}, None, reload

    def _restore(self) -> None:
        if self.reload is not None:
            again, self.reload = self.reload(), None
            if again is not None:
                self.data, self._values, self._keys, self.plain_then_comment = again.data, again.values, again.keys, again.plain_then_comment

    def where(self, loc: Path_) -> tuple[int, int]:
        """Line and column for a path, falling back to the nearest enclosing value."""
        self._restore()
        keys, values = self.keys, self.values
        loc = tuple(loc)
        while loc:
            if loc in keys:
                return keys[loc]
            if loc in values:
                return values[loc]
            loc = loc[:-1]
        return values.get((), (1, 1))

    def value_at(self, loc: Path_) -> tuple[int, int]:
        self._restore()
        return self.values.get(tuple(loc)) or self.where(loc)

    def problem(self, loc: Path_, message: str, hint: str = "", *, on_key: bool = False) -> Problem:
        line, col = self.where(loc) if on_key else self.value_at(loc)
        return Problem(self.path, line, col, message, hint)


def _pos(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _decoded_characters(value: str, mark: yaml.Mark) -> None:
    """The raw file is checked before parsing; escapes ("\\u202e", "\\x00") only appear once decoded."""
    match = rules.BAD_CHARACTERS.search(value)
    what = match and rules.bad_character(match.group())
    if what:
        raise _Refusal(mark, f"{what} is not allowed (written as an escape in this value)", "remove the escape sequence; write plain text")


def _scalar(value: str, style: str | None, mark: yaml.Mark) -> Any:
    _decoded_characters(value, mark)
    if style not in (None, ""):  # quoted or block scalar: always a string (libyaml marks plain as "")
        return value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if (_INT.match(value) or _FLOAT.match(value)) and len(value) > MAX_NUMBER_DIGITS:
        raise _Refusal(mark, f"number with {len(value)} characters", "numbers here are short; put text in quotes")
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


_STR, _SEQ, _MAP, _MERGE = (f"tag:yaml.org,2002:{t}" for t in ("str", "seq", "map", "merge"))
_RESOLVER = Resolver()
# Plain scalars starting with these characters may resolve to a tag outside the core schema (`<<` merge,
# `=` value), which is refused as PyYAML's composer names it; every other untagged scalar resolves to a core tag
# (unless a resolver applies to any first character: PyYAML has none, but then every scalar is resolved).
_ODD_START = {first for first, found in Resolver.yaml_implicit_resolvers.items() if any(tag not in _CORE_TAGS for tag, _ in found)}
_ANY_ODD = None in _ODD_START


def _scalar_tag(event: ScalarEvent) -> str:
    """The tag PyYAML's composer gives a scalar event (for untagged scalars: some core tag, or the odd one)."""
    tag: str | None = event.tag
    if tag is not None and tag != "!":
        return tag
    value: str = event.value
    if event.implicit[0] and (_ANY_ODD or value[:1] in _ODD_START):
        return str(_RESOLVER.resolve(ScalarNode, value, event.implicit))  # type: ignore[no-untyped-call]
    return _STR


_NO_KEY = object()  # a mapping waiting for its next key


def _custom_tag(mark: yaml.Mark, tag: str) -> _Refusal:
    """A tag outside the core schema, on a key or a value."""
    return _Refusal(mark, f"custom tag {tag!r} is not allowed", "remove the tag")


def _compose(text: str, doc: Document, positions: bool) -> Any:
    """Read the text in one pass over the parser's events into plain data; with `positions`, fill in
    where each value and key is (else only `plain_then_comment`). It gives what composing PyYAML nodes
    and converting them gave, with the same problems in the same order: whatever a scan of the whole
    stream finds (syntax errors, anchors, aliases, deep nesting) comes first, then a second document,
    then the first problem in the data."""
    lines, values, keys, comments = doc.lines, doc._values, doc._keys, doc.plain_then_comment
    depth, documents = 0, 0
    root: Any = None
    root_mark: yaml.Mark | None = None
    refusal: _Refusal | None = None
    second: yaml.MarkedYAMLError | None = None
    building = True  # until the first problem in the data, or a second document
    # The open collections, innermost last: [container, its path, the key waiting for a value (mappings)].
    frames: list[list[Any]] = []
    hashes = {i for i, line in enumerate(lines) if "#" in line}  # lines where a comment may follow a value
    bad_characters = rules.BAD_CHARACTERS.search
    for event in iter(_Loader(text).get_event, None):
        kind = event.__class__
        if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            mark = event.start_mark
            if event.anchor is not None:
                raise _Refusal(mark, "anchors (&name) are not allowed", "remove the anchor; write each value out in full")
            if kind is not ScalarEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Refusal(
                        mark, f"nesting deeper than {MAX_DEPTH} levels", "data files are a few levels deep; check the brackets and indentation"
                    )
            if not building:
                continue
            if not frames:
                if root_mark is None:
                    root_mark = mark
                frame = None
                part: Any = None  # the root's path is ()
            else:
                frame = frames[-1]
                container = frame[0]
                if container.__class__ is list:
                    part = len(container)
                elif frame[2] is _NO_KEY:  # a key
                    if kind is ScalarEvent:
                        key = event.value
                        tag = _STR if event.tag is None and key[:1] not in _ODD_START and not _ANY_ODD else _scalar_tag(event)
                    else:
                        tag = event.tag if event.tag not in (None, "!") else _MAP
                        key = None
                    try:
                        if tag == _MERGE or key == "<<":
                            raise _Refusal(mark, "merge keys (<<) are not allowed", "write each field out in full")
                        if key is None:
                            raise _Refusal(mark, "keys must be plain text", "use a simple name as key")
                        if tag not in _CORE_TAGS:  # refused on a key as on a value (PyYAML's safe loader refuses both)
                            raise _custom_tag(mark, tag)
                        if bad_characters(key):
                            _decoded_characters(key, mark)
                        if key in container:
                            # Without positions the line of the first is unknown: the caller reads the file again with them.
                            first = keys[frame[1] + (key,)] if positions else (0, 0)
                            raise _Refusal(
                                mark,
                                f"duplicate key {key!r} (first at line {first[0]})",
                                "YAML keeps only one of them; remove or merge the duplicate",
                            )
                    except _Refusal as exc:
                        refusal, building = exc, False
                        continue
                    if positions:
                        keys[frame[1] + (key,)] = (mark.line + 1, mark.column + 1)
                    frame[2] = key
                    continue
                else:
                    part = frame[2]
            if kind is ScalarEvent:
                value: Any = event.value
                style = event.style
                tag = _STR if event.tag is None and value[:1] not in _ODD_START and not _ANY_ODD else _scalar_tag(event)
                if positions:
                    values[() if frame is None else frame[1] + (part,)] = (mark.line + 1, mark.column + 1)
                try:
                    if tag not in _CORE_TAGS:
                        raise _custom_tag(mark, tag)
                    if not style:  # plain (None or "")
                        end = event.end_mark
                        if end.line in hashes:  # else no comment can follow
                            rest = lines[end.line][end.column :]
                            if rest.lstrip(" \t").startswith("#") and rest[:1] in (" ", "\t"):
                                loc = () if frame is None else frame[1] + (part,)
                                comments[loc] = (end.line + 1, end.column + 1 + len(rest) - len(rest.lstrip(" \t")))
                        if value[:1] not in _NUMBER_START and value[-1:] != "\n" and not bad_characters(value):
                            value = _PLAIN_WORDS.get(value, value)  # the common case of `_scalar`, inline
                        else:
                            value = _scalar(value, style, mark)
                    elif bad_characters(value):
                        _decoded_characters(value, mark)
                except _Refusal as exc:
                    refusal, building = exc, False
                    continue
            else:
                loc = () if frame is None else frame[1] + (part,)
                if positions:
                    values[loc] = (mark.line + 1, mark.column + 1)
                tag = event.tag if event.tag not in (None, "!") else (_MAP if kind is MappingStartEvent else _SEQ)
                if tag not in _CORE_TAGS:
                    refusal, building = _custom_tag(mark, tag), False
                    continue
                value = {} if kind is MappingStartEvent else []
                frames.append([value, loc, _NO_KEY])
            if frame is None:
                root = value
            elif frame[0].__class__ is list:
                frame[0].append(value)
            else:
                frame[0][part] = value
                frame[2] = _NO_KEY
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            depth -= 1
            if building:
                frames.pop()
        elif kind is AliasEvent:
            raise _Refusal(event.start_mark, "aliases (*name) are not allowed", "write the value out in full")
        elif kind is DocumentStartEvent:
            documents += 1
            if documents == 2:
                # What PyYAML's composer says (after the scan of the whole stream, before the data's problems).
                second = ComposerError("expected a single document in the stream", root_mark, "but found another document", event.start_mark)
                building = False
    if second is not None or refusal is not None:
        try:
            raise second if second is not None else refusal  # type: ignore[misc]  # one of them is set
        finally:
            second = refusal = None  # the frame must not keep its exception: a cycle that only the GC frees
    return root


def _character_problems(path: str, text: str) -> list[Problem]:
    problems = []
    for match in rules.BAD_CHARACTERS.finditer(text):  # a regex: a per-character loop was the slowest step
        what = rules.bad_character(match.group())
        if what:
            line = text.count("\n", 0, match.start()) + 1
            col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
            problems.append(Problem(path, line, col, f"{what} is not allowed", "delete it; retype the text around it if unsure"))
    return problems


def _decode(path: str, raw: bytes) -> tuple[str | None, list[Problem]]:
    if len(raw) > rules.MAX_FILE_BYTES:
        return None, [
            Problem(path, 1, 1, f"file is larger than the limit of {rules.MAX_FILE_BYTES} bytes", "split the evidence or shorten summaries")
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(path, line, col, "file is not valid UTF-8", "save the file with UTF-8 encoding")]
    text = text.removeprefix("\ufeff")
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [Problem(path, 1, 1, "file is empty", "add the fields described in CONTRIBUTING.md, or delete the file")]
    return text, []


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_lines(lines: list[str], before: int) -> Iterator[int]:
    """0-based indexes of the non-blank, non-comment lines above line index `before`, nearest first."""
    for i in range(before - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped and not stripped.startswith("#"):
            yield i


def _item_indent(line: str) -> int:
    """Where the fields of a line start: after the indentation and any `- ` list markers."""
    match = re.match(r"^( *(?:- +)*)", line)
    return len(match.group(1)) if match else _indent(line)


# Something opened and never closed: (words in the parser's context, message, hint), reported where it was opened.
_UNCLOSED = (
    (
        "quoted scalar",
        "YAML syntax: a quote opened here is never closed",
        "end the text with the same quote character; for a quote inside the text use the other kind of quote",
    ),
    ("flow", "YAML syntax: a bracket opened here is never closed", "close it with ] or } on the same line, or write a list as one `- item` per line"),
)


def _open_bracket(text: str) -> tuple[int, int] | None:
    """Where the innermost `[` or `{` still open when the parser stopped was opened, if any."""
    opened: list[tuple[int, int] | None] = []  # the open collections, innermost last (None: a block one)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (SequenceStartEvent, MappingStartEvent)):
                mark = event.start_mark
                opened.append((mark.line + 1, mark.column + 1) if event.flow_style and mark is not None else None)
            elif isinstance(event, (SequenceEndEvent, MappingEndEvent)) and opened:
                opened.pop()
    except yaml.YAMLError:
        pass
    brackets = [where for where in opened if where is not None]
    return brackets[-1] if brackets else None


def syntax_problem(path: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    """Translate a parser error into plain language, at the line that causes it, with the fix."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    line, col = _pos(mark) if mark else (1, 1)
    problem = exc.problem or ""
    for i, ln in enumerate(lines):  # a tab in the indentation is the cause wherever the parser noticed it
        lead = ln[: len(ln) - len(ln.lstrip(" \t"))]
        if "\t" in lead:
            return Problem(
                path,
                i + 1,
                lead.index("\t") + 1,
                "YAML syntax: a tab character is used for indentation",
                "indent with spaces only (2 per level); editors can convert tabs to spaces",
            )
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "mapping values are not allowed" in problem and mark is not None:
        first_colon = re.search(r":( |$)", here)
        if first_colon and first_colon.start() < col - 1:
            key_end = first_colon.end()
            value_col = key_end + (len(here[key_end:]) - len(here[key_end:].lstrip(" "))) + 1
            return Problem(
                path,
                line,
                value_col,
                "YAML syntax: a colon followed by a space inside text that is not in quotes",
                'a colon inside text: put the text in quotes ("..."), or write `>-` after the key and the text on the next line, indented',
            )
    for words, message, hint in _UNCLOSED:
        if exc.context and words in exc.context and exc.context_mark is not None:
            line, col = _pos(exc.context_mark)  # where the quote or bracket was opened
            if words == "flow" and (bracket := _open_bracket(text)):
                line, col = bracket  # "while parsing a flow node" marks where the parser gave up, not the bracket
            return Problem(path, line, col, message, hint)
    if any(
        words in problem
        for words in ("mapping values are not allowed", "did not find expected key", "did not find expected '-' indicator", "expected <block end>")
    ):
        own = _indent(here)
        is_item = here.lstrip(" ").startswith("-")
        candidates: list[tuple[int, int]] = []  # (column a line like this one could start at, line number showing it)
        lowest = own + 10**6
        for i in _content_lines(lines, line - 1):
            above = _indent(lines[i])
            if above >= lowest:
                continue
            lowest = above
            item_above = lines[i].lstrip(" ").startswith("-")
            if is_item == item_above:
                candidates.append((above, i + 1))
            if not is_item:
                candidates.append((_item_indent(lines[i]), i + 1))
            if above == 0:
                break
        if candidates and own not in {c for c, _ in candidates}:
            column, example = min(candidates, key=lambda c: (abs(c[0] - own), -c[1]))
            what = "a list item" if is_item else "a field"
            hint = f"indent it by exactly {column} spaces, like line {example}, if it belongs with that line; use spaces only, 2 per level"
            if own % 2 == 1:
                hint += '. If you uncommented a block, delete the "# " (hash and space) at the start of each of its lines'
            return Problem(
                path,
                line,
                own + 1,
                f"YAML syntax: {what} indented by {own} space{'' if own == 1 else 's'} does not line up with the lines above",
                hint,
            )
    message = " ".join(filter(None, [exc.context, problem]))
    return Problem(path, line, col, f"YAML syntax: {message}", "check indentation, quotes and colons on this line and the one above")


def _line_ending_problems(path: str, text: str) -> list[Problem]:
    """CRLF (Windows) or CR line endings: reported once, at the first line that has one."""
    at = text.find("\r")
    if at < 0:
        return []
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    return [
        Problem(
            path,
            line,
            col,
            "file has Windows (CRLF) line endings",
            'save it with LF line endings (VS Code: click "CRLF" in the status bar and choose LF); '
            "the repository's .gitattributes makes git check data files out with LF",
        )
    ]


def load_text(path: str, raw: bytes) -> tuple[Document | None, list[Problem]]:
    """Parse one file's bytes. Returns the document (None if unusable) and its problems.
    A file with CRLF line endings is still parsed, so its other problems show in the same run: the
    document keeps the problem in `line_endings` (the validator reports it), or it is returned with
    the other problems when the file cannot be used."""
    text, problems = _decode(path, raw)
    if text is None:
        return None, problems
    problems = _character_problems(path, text)
    if problems:
        return None, problems
    endings = _line_ending_problems(path, text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = Document(path, None, first_line=text.split("\n", 1)[0], lines=text.split("\n"))
    try:
        try:
            doc.data = _compose(text, doc, positions=False)
        except _Refusal:  # the same refusal, now with any position its message names (a duplicate key's first line)
            _compose(text, doc, positions=True)
            raise  # pragma: no cover - the second reading refuses the file too
        doc.lines, doc.text = [], text  # lines: only needed while reading; text: to find positions when asked
    except _Refusal as exc:
        return None, [*endings, Problem(path, *_pos(exc.mark), exc.message, exc.hint)]
    except yaml.MarkedYAMLError as exc:
        return None, [*endings, syntax_problem(path, text, exc)]
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError, MemoryError) as exc:
        # A last line of defence: whatever the parser chokes on is a problem in this file, never a traceback.
        return None, [
            *endings,
            Problem(path, 1, 1, f"YAML could not be read ({type(exc).__name__})", "simplify the file: plain keys and values, a few levels deep"),
        ]
    if not isinstance(doc.data, dict):
        return None, [*endings, Problem(path, 1, 1, "file must contain a mapping of fields (key: value)", "see CONTRIBUTING.md for the template")]
    doc.line_endings = endings
    return doc, []


class UnsafeFile(Exception):
    """A path that is not a regular file inside the checkout; `problem` says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.message)
        self.problem = problem


def read_regular(path: Path, root: Path, limit: int) -> bytes:
    """At most `limit` + 1 bytes of a regular file inside `root`: symbolic links (even ones pointing
    inside), devices, pipes and folders are refused, so a data or docs file can neither publish a file
    from outside the checkout nor make the build read /dev/zero until memory runs out."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    real_root = os.path.realpath(root)
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise UnsafeFile(Problem(rel, 1, 1, "symbolic links are not accepted", "replace the link with the file itself"))
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(Problem(rel, 1, 1, "not a regular file", "data and docs entries must be plain files; remove it"))
        if os.path.commonpath([real_root, os.path.realpath(path)]) != real_root:
            raise UnsafeFile(Problem(rel, 1, 1, "file lies outside the project folder", "keep data and docs inside the checkout"))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnsafeFile(Problem(rel, 1, 1, f"file cannot be read ({exc.strerror or exc})", "check that the file exists and is readable")) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # swapped between the checks and the open
            raise UnsafeFile(Problem(rel, 1, 1, "not a regular file", "data and docs entries must be plain files; remove it"))
        return handle.read(limit + 1)


_PARSED: dict[str, tuple[bytes, tuple[Document | None, list[Problem]]]] | None = None


def remember_parsed_files(on: bool) -> None:
    """`scorecard serve`: keep each file's parse result and reuse it while the file's bytes stay the same."""
    global _PARSED
    _PARSED = {} if on else None


def releasable() -> bool:
    """Documents may be released after their rules ran: not while `serve` keeps them between rounds."""
    return _PARSED is None


def load_file(path: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    try:
        raw = read_regular(path, root, rules.MAX_FILE_BYTES)
    except UnsafeFile as exc:
        return None, [exc.problem]
    if _PARSED is None:
        return load_text(rel, raw)
    key = str(path.resolve())
    cached = _PARSED.get(key)
    if cached is None or cached[0] != raw:
        cached = _PARSED[key] = (raw, load_text(rel, raw))
    return cached[1]
