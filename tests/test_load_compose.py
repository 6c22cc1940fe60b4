"""load.py reads a file in one pass over libyaml's events (issue 15: it was a scan of the events, then
PyYAML's composer, then a walk over the nodes). The reference below is that former reader, kept here
as the specification: the one-pass reader must give the same data, positions and problems for every
input, including where the scan, the composer and the walk each stopped first."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator import load
from generator.load import Document, load_text

from .conftest import FIXTURES, ROOT
from .test_fuzz import REAL, soup


def _refuse_anchors_and_aliases(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=load._Loader):
        if isinstance(event, AliasEvent):
            raise load._Refusal(event.start_mark, "aliases (*name) are not allowed", "write the value out in full")
        if getattr(event, "anchor", None) is not None:
            raise load._Refusal(event.start_mark, "anchors (&name) are not allowed", "remove the anchor; write each value out in full")
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > load.MAX_DEPTH:
                raise load._Refusal(
                    event.start_mark,
                    f"nesting deeper than {load.MAX_DEPTH} levels",
                    "data files are a few levels deep; check the brackets and indentation",
                )
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _convert(node: Node, loc: tuple[Any, ...], doc: Document) -> Any:
    doc.values[loc] = load._pos(node.start_mark)
    if node.tag not in load._CORE_TAGS:
        raise load._Refusal(node.start_mark, f"custom tag {node.tag!r} is not allowed", "remove the tag")
    if isinstance(node, ScalarNode):
        if node.style in (None, "") and node.end_mark.line < len(doc.lines):
            rest = doc.lines[node.end_mark.line][node.end_mark.column :]
            if rest.lstrip(" \t").startswith("#") and rest[:1] in (" ", "\t"):
                doc.plain_then_comment[loc] = (node.end_mark.line + 1, node.end_mark.column + 1 + len(rest) - len(rest.lstrip(" \t")))
        return load._scalar(node.value, node.style, node.start_mark)
    if isinstance(node, SequenceNode):
        return [_convert(item, loc + (i,), doc) for i, item in enumerate(node.value)]
    assert isinstance(node, MappingNode)
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge" or getattr(key_node, "value", None) == "<<":
            raise load._Refusal(key_node.start_mark, "merge keys (<<) are not allowed", "write each field out in full")
        if not isinstance(key_node, ScalarNode):
            raise load._Refusal(key_node.start_mark, "keys must be plain text", "use a simple name as key")
        if key_node.tag not in load._CORE_TAGS:
            raise load._Refusal(key_node.start_mark, f"custom tag {key_node.tag!r} is not allowed", "remove the tag")
        load._decoded_characters(key_node.value, key_node.start_mark)
        key = str(key_node.value)
        if key in result:
            first = doc.keys[loc + (key,)]
            raise load._Refusal(
                key_node.start_mark, f"duplicate key {key!r} (first at line {first[0]})", "YAML keeps only one of them; remove or merge the duplicate"
            )
        doc.keys[loc + (key,)] = load._pos(key_node.start_mark)
        result[key] = _convert(value_node, loc + (key,), doc)
    return result


def reference_compose(text: str, doc: Document, positions: bool = True) -> Any:
    """The former reader: scan the whole event stream, compose PyYAML nodes, then walk them (always
    filling in the positions)."""
    _refuse_anchors_and_aliases(text)
    node = yaml.compose(text, Loader=load._Loader)
    return _convert(node, (), doc) if node is not None else None


def typed(value: Any) -> Any:
    """Data with its types visible (True == 1 == 1.0 in Python) and NaN comparable."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def outcome(doc: Document | None, problems: list) -> Any:
    if doc is None:
        return None, problems
    fields = (doc.first_line, doc.values, doc.keys, doc.plain_then_comment, doc.line_endings)
    return typed(doc.data), list(doc.data) if isinstance(doc.data, dict) else None, fields, problems


def assert_same_as_reference(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    now = outcome(*load_text("data/providers/x.yaml", raw))
    with monkeypatch.context() as patched:
        patched.setattr(load, "_compose", reference_compose)
        before = outcome(*load_text("data/providers/x.yaml", raw))  # positions too: found on first use
    assert now == before


CASES = [
    "a: 1\nb: [x, {c: d}]\n",
    "a: no\nb: on\nc: yes\nd: true\ne: 2026-01-02\nf: 24\ng: ~\nh: 1.5\ni: .5\nj: -3\nk: +4\nl: NULL\nm: 1e3\n",
    "id: a\nname: b\nid: c\n",  # a duplicate key
    "a: {k: 1, k: 2}\n",
    "a: &x 1\nb: *x\n",
    "a:\n  - 1\nb: *x\n",
    "base: {k: 1}\nc:\n  <<: {k: 2}\n",
    'c:\n  "<<": 1\n',  # a quoted merge key is still refused
    "c:\n  ! <<: 1\n",
    "c: <<\n",  # `<<` as a value: PyYAML's resolver calls it a merge tag
    "c: =\n",  # and `=` a value tag (tag:yaml.org,2002:value)
    'c: ! "<<\\n"\n',  # `$` matches before a final line break: the resolver's merge pattern matches
    'c: ! "=\\n"\n',
    "c: ! =\n",
    "c: '='\n",
    "a: !custom 1\n",
    "a: !!str 1\nb: !!int '2'\nc: !!null ''\nd: !!binary aGk=\n",
    "a: !!set {x}\n",
    "a: !!omap [b: 1]\n",
    "a: !!str [x]\n",
    "a: ! [x]\nb: ! {c: d}\n",
    "? [a, b]\n: c\n",
    "? {a: b}\n: c\n",
    "!!merge [a]: c\n",
    "[a]: 1\n",
    "a: 1\n---\nb: 2\n",  # a second document: the composer's error
    "a: !custom 1\n---\nb: 2\n",  # ... wins over a problem in the data of the first
    "---\n---\n",
    "a: 1\n---\nb: *x\n",  # ... and loses to the scan of the whole stream
    "a: !custom 1\nb: &x 2\n",  # the scan (anchor) wins over the walk (tag)
    "a: !custom 1\nb: [1\n",  # a syntax error anywhere wins
    "a: x \u00e9\u00e9 # comment\nb: 'q' # c\nc: plain\n  continued # c\n",
    "a: 1 #c\nb: t\t# c\n",
    'a: "x\\u202ey"\n',
    '"na\\u202eme": y\n',
    "a: '\\u202e'\n",
    "a: 1" + "0" * 45 + "\n",
    "a: 1" + "0" * 45 + "\n---\n",
    "a: " + "[" * 40 + "]" * 40 + "\n",
    "a: !custom " + "[" * 40 + "]" * 40 + "\n",  # nesting: found by the scan, so it wins over the tag
    "a: |\n  text\n  # not a comment\nb: >-\n  folded\n",
    "- just\n- a list\n",
    "just text\n",
    "...\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a: 1\n\tb: 2\n",
    "k\u00e9y: 'v\u00e4lue' # \u00fc\n\u00e4: 1\n\u00e4: 2\n",  # marks count characters, not bytes
    "a:\n  b:\n    - c: 1\n      d: [1, 2, {e: f}]\n    - null\n    -\n",
    "a: 12\\n\nb: '12\n\n  '\n",
]


@pytest.mark.parametrize("loader", ["libyaml", "pure Python"])
@pytest.mark.parametrize("text", CASES)
def test_the_one_pass_reader_matches_the_composer(text, loader, monkeypatch):
    if loader == "pure Python":  # PyYAML without libyaml (its pure-Python parser marks plain scalars differently)
        monkeypatch.setattr(load, "_Loader", yaml.SafeLoader)
    assert_same_as_reference(text.encode(), monkeypatch)


def test_the_one_pass_reader_matches_the_composer_on_every_data_file(monkeypatch):
    files = sorted({*(ROOT / "data").rglob("*.yaml"), *FIXTURES.rglob("*.yaml")})
    assert len(files) > 20
    for path in files:
        assert_same_as_reference(path.read_bytes(), monkeypatch)


SAME = settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@SAME
@given(soup)
def test_the_one_pass_reader_matches_the_composer_on_token_soup(monkeypatch, text):
    assert_same_as_reference(text.encode("utf-8", "surrogatepass"), monkeypatch)


@SAME
@given(st.integers(0, len(REAL)), st.integers(0, 200), st.sampled_from(["", "&a ", "*a", "!x ", "<<: ", "=", "---\n", " # c", "[", "? ", "\n  - "]))
def test_the_one_pass_reader_matches_the_composer_on_edited_real_files(monkeypatch, at, cut, insert):
    assert_same_as_reference(REAL[:at] + insert.encode() + REAL[at + cut :], monkeypatch)


def test_the_reference_is_the_reader_it_replaced():
    """The reference still reads as the former reader did (a check that the test checks something)."""
    doc = Document("x.yaml", None, lines=["a: 1 # c", "b: [x]"])
    assert reference_compose("a: 1 # c\nb: [x]\n", doc) == {"a": 1, "b": ["x"]}
    assert doc.values == {(): (1, 1), ("a",): (1, 4), ("b",): (2, 4), ("b", 0): (2, 5)}
    assert doc.keys == {("a",): (1, 1), ("b",): (2, 1)} and doc.plain_then_comment == {("a",): (1, 6)}
    assert Path(load.__file__).name == "load.py"


def test_positions_are_found_when_first_asked_for():
    """Most files have no problem: reading one leaves its positions to be found from its text on first use."""
    doc, found = load_text("data/providers/x.yaml", b"id: x\nassessments:\n  - criterion: a\n    level: full # c\n")
    assert not found and doc.text is not None and not doc._values and not doc._keys
    assert doc.plain_then_comment == {("assessments", 0, "level"): (4, 17)}  # found while reading: a rule needs it for every file
    assert doc.where(("assessments", 0, "level")) == (4, 5) and doc.value_at(("assessments", 0, "level")) == (4, 12)
    assert doc.text is None and doc.values[()] == (1, 1) and doc.keys[("id",)] == (1, 1)
    doc.release(lambda: load_text("data/providers/x.yaml", b"id: y\n")[0])
    assert doc.data is None and doc.text is None and not doc.values and not doc.keys
    assert doc.where(("id",)) == (1, 1) and doc.values[("id",)] == (1, 5)  # read again on demand, positions found then


def test_a_duplicate_key_still_names_the_first_line():
    _, found = load_text("data/providers/x.yaml", b"id: x\nname: n\nsummary: s\nname: m\n")
    assert [(p.line, p.col, p.message) for p in found] == [(4, 1, "duplicate key 'name' (first at line 2)")]


@pytest.mark.parametrize("text", ["a: !x 1\n", "a: 1\na: 2\n", "a: 1\n---\nb: 2\n", "a: [1\n", "a: &x 1\n", "a: 1\n"])
def test_reading_a_file_leaves_no_cycles_for_the_collector(text):
    """The validator runs Python's cycle collector rarely (check.GC_YOUNG): reading a file, even one that is
    refused, must leave nothing that only the collector can free (an exception kept by its own frame)."""
    import gc

    load_text("data/providers/x.yaml", text.encode())  # once first: what a first reading sets up for good (imports, caches) is no leak
    gc.collect()
    gc.disable()
    try:
        doc, found = load_text("data/providers/x.yaml", text.encode())
        del doc, found
        assert gc.collect() == 0
    finally:
        gc.enable()
