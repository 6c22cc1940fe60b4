"""load.py: the strict YAML dialect, with positions for every problem."""

from __future__ import annotations

import pytest

from generator.load import load_text


def problems(text: str | bytes):
    raw = text.encode() if isinstance(text, str) else text
    doc, found = load_text("data/providers/x.yaml", raw)
    return doc, found


def only(text):
    doc, found = problems(text)
    assert doc is None and len(found) == 1, found
    return found[0]


def test_plain_yes_no_on_stay_strings_and_dates_stay_text():
    doc, found = problems("a: no\nb: on\nc: yes\nd: true\ne: 2026-01-02\nf: 24\ng: ~\n")
    assert not found
    assert doc.data == {"a": "no", "b": "on", "c": "yes", "d": True, "e": "2026-01-02", "f": 24, "g": None}


def test_positions_are_recorded_for_keys_and_values():
    doc, _ = problems("id: x\nassessments:\n  - criterion: a\n    level: full\n")
    assert doc.where(("assessments", 0, "level")) == (4, 5)
    assert doc.value_at(("assessments", 0, "level")) == (4, 12)


@pytest.mark.parametrize(
    "text, line, col, words",
    [
        ("id: a\nname: b\nid: c\n", 3, 1, "duplicate key 'id' (first at line 1)"),
        ("a: &x 1\nb: *x\n", 1, 4, "anchors"),
        ("a:\n  - 1\nb: *x\n", 3, 4, "alias"),
        ("base: {k: 1}\nc:\n  <<: {k: 2}\n", 3, 3, "merge keys"),
        ("a:\n\tb: 1\n", 2, 1, "YAML syntax"),
        ("a: !custom 1\n", 1, 4, "custom tag"),
        ("a: ok\nb: x\u202ey\n", 2, 5, "U+202E"),
        ("a: ok\nb: x\x07y\n", 2, 5, "control character U+0007"),
        ("a: [1, 2\n", 2, 1, "YAML syntax"),
        ("- just\n- a list\n", 1, 1, "mapping"),
    ],
)
def test_bad_yaml_reports_line_and_column(text, line, col, words):
    p = only(text)
    assert (p.line, p.col) == (line, col)
    assert words in p.message
    assert p.hint


def test_tab_indentation_hint_mentions_tabs():
    assert "tab" in only("a:\n\tb: 1\n").hint


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n"])
def test_empty_file(text):
    p = only(text)
    assert (p.line, p.col, p.message) == (1, 1, "file is empty")


def test_non_utf8_points_at_the_bad_byte():
    p = only(b"a: ok\nb: caf\xe9\n")
    assert (p.line, p.col) == (2, 7)
    assert "UTF-8" in p.message


def test_oversized_file():
    p = only(b"a: " + b"x" * (300 * 1024))
    assert "limit" in p.message
