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
        ("a: [1, 2\n", 1, 4, "a bracket opened here is never closed"),
        ("- just\n- a list\n", 1, 1, "mapping"),
    ],
)
def test_bad_yaml_reports_line_and_column(text, line, col, words):
    p = only(text)
    assert (p.line, p.col) == (line, col)
    assert words in p.message
    assert p.hint


@pytest.mark.parametrize(
    "text, line, col, message, hint",
    [
        ("id: x\nsummary: Foo: bar\n", 2, 10, "colon followed by a space inside text", "put the text in quotes"),
        ("id: x\nsources:\n  - title: Security: overview\n    url: y\n", 3, 12, "colon", "quotes"),
        ("id: x\nassessments:\n  - criterion: a\n     level: full\n", 4, 6, "indented by 5 spaces", "exactly 4 spaces, like line 3"),
        ("id: x\nassessments:\n  - criterion: a\n   level: full\n", 4, 4, "indented by 3 spaces", "exactly 4 spaces, like line 3"),
        ("id: x\ncontext:\n  jurisdiction: a\n funding: b\n", 4, 2, "indented by 1 space ", "exactly 2 spaces, like line 3"),
        ("id: x\ncontext:\n  jurisdiction: a\n\tfunding: b\n", 4, 1, "tab character", "spaces"),
        ('id: x\ntitle: "abc\nname: y\n', 2, 8, "quote opened here is never closed", "same quote"),
        # A scaffold stub uncommented by deleting only "#" (one space too many) next to a filled item:
        # reported at the stub's own line, not at the next item's.
        (
            "id: x\nassessments:\n  - criterion: z\n    level: full\n#\n# --- a\n - criterion: a\n   level: full\n",
            7,
            2,
            "list item indented by 1 space",
            'delete the "# "',
        ),
    ],
    ids=["colon", "colon-in-list", "over-indented", "under-indented", "dedented-key", "tab", "open-quote", "uncommented-stub"],
)
def test_yaml_mistakes_are_explained_in_plain_language_at_their_line(text, line, col, message, hint):
    p = only(text)
    assert (p.line, p.col) == (line, col), p.format()
    assert message in p.message and hint in p.hint, p.format()
    assert "mapping values" not in p.message and "block" not in p.message


def test_crlf_is_reported_once_with_a_hint_and_other_problems_still_show():
    doc, found = problems(b"a: 1\r\nb: 2\r\n")
    assert found == [] and doc is not None and doc.data == {"a": 1, "b": 2}  # parsed; the validator reports it
    assert [(p.line, p.col) for p in doc.line_endings] == [(1, 5)]
    assert "CRLF" in doc.line_endings[0].message and "LF" in doc.line_endings[0].hint
    doc, found = problems(b"a: 1\r\nb: c: d\r\n")
    assert len(found) == 2 and "colon" in found[1].message


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


def test_a_parser_error_without_a_position_is_reported_at_the_start_of_the_file():
    import yaml

    from generator.load import syntax_problem

    found = syntax_problem("data/x.yaml", "a: b\n", yaml.MarkedYAMLError(problem="something unusual"))
    assert (found.path, found.line, found.col) == ("data/x.yaml", 1, 1)


def test_an_alias_is_refused_with_the_fix():
    _, [problem] = load_text("x.yaml", b"a:\n  - 1\nb: *x\n")
    assert (problem.line, problem.col, problem.message, problem.hint) == (3, 4, "aliases (*name) are not allowed", "write the value out in full")


def test_whatever_the_parser_chokes_on_is_a_problem_in_the_file_not_a_traceback(monkeypatch):
    from generator import load

    def choke(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(load, "_compose", choke)
    _, [problem] = load_text("x.yaml", b"a: 1\n")
    assert (problem.path, problem.line, problem.col) == ("x.yaml", 1, 1)
    assert problem.message == "YAML could not be read (RecursionError)"
    assert problem.hint == "simplify the file: plain keys and values, a few levels deep"


def test_a_file_that_cannot_be_read_is_named_with_the_reason_and_the_fix(tmp_path):
    from generator.load import UnsafeFile, read_regular

    with pytest.raises(UnsafeFile) as exc:
        read_regular(tmp_path / "data" / "gone.yaml", tmp_path, 100)
    problem = exc.value.problem
    assert (problem.path, problem.line, problem.col) == ("data/gone.yaml", 1, 1)
    assert problem.message == "file cannot be read (No such file or directory)"
    assert problem.hint == "check that the file exists and is readable"


def test_an_odd_indentation_hints_at_an_uncommented_block():
    _, [problem] = load_text("x.yaml", b"a:\n  b: 1\n   c: 2\n")
    assert (problem.line, problem.col) == (3, 4)
    assert problem.message == "YAML syntax: a field indented by 3 spaces does not line up with the lines above"
    assert problem.hint == (
        "indent it by exactly 2 spaces, like line 2, if it belongs with that line; use spaces only, 2 per level."
        ' If you uncommented a block, delete the "# " (hash and space) at the start of each of its lines'
    )


def test_remembered_files_are_read_again_only_when_they_change(tmp_path):
    from generator import load

    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n")
    load.remember_parsed_files(True)
    try:
        first, _ = load.load_file(path, tmp_path)
        again, _ = load.load_file(path, tmp_path)
        path.write_bytes(b"a: 2\n")
        changed, _ = load.load_file(path, tmp_path)
    finally:
        load.remember_parsed_files(False)
    assert first is again and first.data == {"a": 1} and changed.data == {"a": 2}


def test_a_misindented_key_starting_with_x_dash_is_a_field_not_a_list_item():
    _, [problem] = load_text("x.yaml", b"a:\n  b: 1\n   X-c: 2\n")
    assert problem.message == "YAML syntax: a field indented by 3 spaces does not line up with the lines above"
