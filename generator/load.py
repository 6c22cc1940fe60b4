"""Load: read the YAML files in `data/` strictly, remembering where every value came from.

The YAML dialect is a strict subset of YAML 1.2 (core schema):
- only `true`/`false` are booleans and only `null`/`~`/empty are null, so `no`, `on`
  and `yes` stay strings (PyYAML alone follows YAML 1.1 and would turn them into booleans);
- dates stay strings and are parsed by the models;
- duplicate keys, anchors, aliases, merge keys (`<<`) and custom tags are errors;
- files must be UTF-8, non-empty, at most `rules.MAX_FILE_BYTES`, without control
  or bidirectional characters.
Every problem becomes a `Problem` with line and column (1-based).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import rules
from .problems import Problem

Path_ = tuple[Any, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_CORE_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


class _Refusal(Exception):
    def __init__(self, mark: yaml.Mark, message: str, hint: str):
        super().__init__(message)
        self.mark, self.message, self.hint = mark, message, hint


# libyaml (C) when available: composing is ~10x faster than pure Python at 1,000 providers.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _refuse_anchors_and_aliases(text: str) -> None:
    """Anchors and aliases hide where a value comes from; scan the events before composing."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, AliasEvent):
            raise _Refusal(event.start_mark, "aliases (*name) are not allowed", "write the value out in full")
        if getattr(event, "anchor", None) is not None:
            raise _Refusal(event.start_mark, "anchors (&name) are not allowed", "remove the anchor; write each value out in full")


@dataclass
class Document:
    """A loaded YAML file: its plain data and where each value and key is."""

    path: str
    data: Any
    first_line: str = ""
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, loc: Path_) -> tuple[int, int]:
        """Line and column for a path, falling back to the nearest enclosing value."""
        loc = tuple(loc)
        while loc:
            if loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1, 1))

    def value_at(self, loc: Path_) -> tuple[int, int]:
        return self.values.get(tuple(loc)) or self.where(loc)

    def problem(self, loc: Path_, message: str, hint: str = "", *, on_key: bool = False) -> Problem:
        line, col = self.where(loc) if on_key else self.value_at(loc)
        return Problem(self.path, line, col, message, hint)


def _pos(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def _scalar(node: ScalarNode) -> Any:
    if node.style not in (None, ""):  # quoted or block scalar: always a string (libyaml marks plain as "")
        return node.value
    value = node.value
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


def _convert(node: Node, loc: Path_, doc: Document) -> Any:
    doc.values[loc] = _pos(node.start_mark)
    if node.tag not in _CORE_TAGS:
        raise _Refusal(node.start_mark, f"custom tag {node.tag!r} is not allowed", "remove the tag")
    if isinstance(node, ScalarNode):
        return _scalar(node)
    if isinstance(node, SequenceNode):
        return [_convert(item, loc + (i,), doc) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or getattr(key_node, "value", None) == "<<":
                raise _Refusal(key_node.start_mark, "merge keys (<<) are not allowed", "write each field out in full")
            if not isinstance(key_node, ScalarNode):
                raise _Refusal(key_node.start_mark, "keys must be plain text", "use a simple name as key")
            key = str(key_node.value)
            if key in result:
                first = doc.keys[loc + (key,)]
                raise _Refusal(
                    key_node.start_mark,
                    f"duplicate key {key!r} (first at line {first[0]})",
                    "YAML keeps only one of them; remove or merge the duplicate",
                )
            doc.keys[loc + (key,)] = _pos(key_node.start_mark)
            result[key] = _convert(value_node, loc + (key,), doc)
        return result
    raise _Refusal(node.start_mark, "unsupported YAML node", "")  # pragma: no cover - PyYAML has no other kinds


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
        return None, [Problem(path, 1, 1, f"file is {len(raw)} bytes; the limit is {rules.MAX_FILE_BYTES}", "split the evidence or shorten summaries")]
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


def load_text(path: str, raw: bytes) -> tuple[Document | None, list[Problem]]:
    """Parse one file's bytes. Returns the document (None if unusable) and its problems."""
    text, problems = _decode(path, raw)
    if text is None:
        return None, problems
    problems = _character_problems(path, text)
    if problems:
        return None, problems
    doc = Document(path, None, first_line=text.split("\n", 1)[0])
    try:
        _refuse_anchors_and_aliases(text)
        node = yaml.compose(text, Loader=_Loader)
        doc.data = _convert(node, (), doc) if node is not None else None
    except _Refusal as exc:
        return None, [Problem(path, *_pos(exc.mark), exc.message, exc.hint)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        message = " ".join(filter(None, [exc.context, exc.problem]))
        at_tab = mark is not None and mark.index < len(text) and text[mark.index] == "\t"
        hint = "indent with spaces, not tabs" if at_tab or "\\t" in message else "check indentation, quotes and colons on this line"
        return None, [Problem(path, line, col, f"YAML syntax: {message}", hint)]
    if not isinstance(doc.data, dict):
        return None, [Problem(path, 1, 1, "file must contain a mapping of fields (key: value)", "see CONTRIBUTING.md for the template")]
    return doc, []


def load_file(path: Path, root: Path) -> tuple[Document | None, list[Problem]]:
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return load_text(rel, path.read_bytes())
