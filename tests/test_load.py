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
    "text, line, col, message, hint",
    [
        ("id: a\nname: b\nid: c\n", 3, 1, "duplicate key 'id' (first at line 1)", "YAML keeps only one of them; remove or merge the duplicate"),
        ("a: &x 1\nb: *x\n", 1, 4, "anchors (&name) are not allowed", "remove the anchor; write each value out in full"),
        ("a:\n  - 1\nb: *x\n", 3, 4, "aliases (*name) are not allowed", "write the value out in full"),
        ("base: {k: 1}\nc:\n  <<: {k: 2}\n", 3, 3, "merge keys (<<) are not allowed", "write each field out in full"),
        ("a: 1\n!!merge k: {x: 1}\n", 2, 1, "merge keys (<<) are not allowed", "write each field out in full"),  # a key tagged as one
        (
            "a:\n\tb: 1\n",
            2,
            1,
            "YAML syntax: a tab character is used for indentation",
            "indent with spaces only (2 per level); editors can convert tabs to spaces",
        ),
        ("a: !custom 1\n", 1, 4, "custom tag '!custom' is not allowed", "remove the tag"),
        ("id: x\n!custom name: y\n", 2, 1, "custom tag '!custom' is not allowed", "remove the tag"),  # on a key too
        ("id: x\n!!binary name: y\n", 2, 1, "custom tag 'tag:yaml.org,2002:binary' is not allowed", "remove the tag"),
        (
            "a: ok\nb: x\u202ey\n",
            2,
            5,
            "bidirectional or invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed",
            "delete it; retype the text around it if unsure",
        ),
        ("a: ok\nb: x\x07y\n", 2, 5, "control character U+0007 is not allowed", "delete it; retype the text around it if unsure"),
        (
            "a: [1, 2\n",
            1,
            4,
            "YAML syntax: a bracket opened here is never closed",
            "close it with ] or } on the same line, or write a list as one `- item` per line",
        ),
        ("- just\n- a list\n", 1, 1, "file must contain a mapping of fields (key: value)", "see CONTRIBUTING.md for the template"),
        (
            'a: "\\u202e"\n',
            1,
            4,
            "bidirectional or invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed (written as an escape in this value)",
            "remove the escape sequence; write plain text",
        ),
        (
            'a: "\\x00"\n',
            1,
            4,
            "control character U+0000 is not allowed (written as an escape in this value)",
            "remove the escape sequence; write plain text",
        ),
        (
            '"\\u202e": 1\n',
            1,
            1,
            "bidirectional or invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) is not allowed (written as an escape in this value)",
            "remove the escape sequence; write plain text",
        ),
        ("a: 11111111111111111111111111111111111111111\n", 1, 4, "number with 41 characters", "numbers here are short; put text in quotes"),
        ("a: 1.5e1111111111111111111111111111111111111111\n", 1, 4, "number with 44 characters", "numbers here are short; put text in quotes"),
        (
            "a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
            1,
            35,
            "nesting deeper than 32 levels",
            "data files are a few levels deep; check the brackets and indentation",
        ),
        (
            "--- 1\n--- 2\n",
            2,
            1,
            "YAML syntax: expected a single document in the stream but found another document",
            "check indentation, quotes and colons on this line and the one above",
        ),
        ("a: !!binary abc\n", 1, 4, "custom tag 'tag:yaml.org,2002:binary' is not allowed", "remove the tag"),
        ("x: =\n", 1, 4, "custom tag 'tag:yaml.org,2002:value' is not allowed", "remove the tag"),
        # The file ends inside the brackets: reported where the (innermost) bracket was opened, not at the end.
        (
            "id: x\nname: [",
            2,
            7,
            "YAML syntax: a bracket opened here is never closed",
            "close it with ] or } on the same line, or write a list as one `- item` per line",
        ),
        (
            "id: x\nname: {a: [b, \n",
            2,
            11,
            "YAML syntax: a bracket opened here is never closed",
            "close it with ] or } on the same line, or write a list as one `- item` per line",
        ),
        (
            "key: [a, b\n",
            1,
            6,
            "YAML syntax: a bracket opened here is never closed",
            "close it with ] or } on the same line, or write a list as one `- item` per line",
        ),
        (
            "a: 'x\n",
            1,
            4,
            "YAML syntax: a quote opened here is never closed",
            "end the text with the same quote character; for a quote inside the text use the other kind of quote",
        ),
    ],
)
def test_bad_yaml_reports_line_and_column(text, line, col, message, hint):
    p = only(text)
    assert (p.path, p.line, p.col, p.message, p.hint) == ("data/providers/x.yaml", line, col, message, hint)


@pytest.mark.parametrize(
    "text, line, col, message, hint",
    [
        (
            "id: x\nsummary: Foo: bar\n",
            2,
            10,
            "YAML syntax: a colon followed by a space inside text that is not in quotes",
            'a colon inside text: put the text in quotes ("..."), or write `>-` after the key and the text on the next line, indented',
        ),
        (
            "id: x\nsources:\n  - title: Security: overview\n    url: y\n",
            3,
            12,
            "YAML syntax: a colon followed by a space inside text that is not in quotes",
            'a colon inside text: put the text in quotes ("..."), or write `>-` after the key and the text on the next line, indented',
        ),
        (
            "id: x\nassessments:\n  - criterion: a\n     level: full\n",
            4,
            6,
            "YAML syntax: a field indented by 5 spaces does not line up with the lines above",
            'indent it by exactly 4 spaces, like line 3, if it belongs with that line; use spaces only, 2 per level. If you uncommented a block, delete the "# " (hash and space) at the start of each of its lines',
        ),
        (
            "id: x\nassessments:\n  - criterion: a\n   level: full\n",
            4,
            4,
            "YAML syntax: a field indented by 3 spaces does not line up with the lines above",
            'indent it by exactly 4 spaces, like line 3, if it belongs with that line; use spaces only, 2 per level. If you uncommented a block, delete the "# " (hash and space) at the start of each of its lines',
        ),
        (
            "id: x\ncontext:\n  jurisdiction: a\n funding: b\n",
            4,
            2,
            "YAML syntax: a field indented by 1 space does not line up with the lines above",
            'indent it by exactly 2 spaces, like line 3, if it belongs with that line; use spaces only, 2 per level. If you uncommented a block, delete the "# " (hash and space) at the start of each of its lines',
        ),
        (
            "id: x\ncontext:\n  jurisdiction: a\n\tfunding: b\n",
            4,
            1,
            "YAML syntax: a tab character is used for indentation",
            "indent with spaces only (2 per level); editors can convert tabs to spaces",
        ),
        (
            'id: x\ntitle: "abc\nname: y\n',
            2,
            8,
            "YAML syntax: a quote opened here is never closed",
            "end the text with the same quote character; for a quote inside the text use the other kind of quote",
        ),
        # A scaffold stub uncommented by deleting only "#" (one space too many) next to a filled item:
        # reported at the stub's own line, not at the next item's.
        (
            "id: x\nassessments:\n  - criterion: z\n    level: full\n#\n# --- a\n - criterion: a\n   level: full\n",
            7,
            2,
            "YAML syntax: a list item indented by 1 space does not line up with the lines above",
            'indent it by exactly 2 spaces, like line 3, if it belongs with that line; use spaces only, 2 per level. If you uncommented a block, delete the "# " (hash and space) at the start of each of its lines',
        ),
        (
            "id: x\nassessments:\n  - criterion: a\n    level: full\n      summary: b\n",
            5,
            7,
            "YAML syntax: a field indented by 6 spaces does not line up with the lines above",
            "indent it by exactly 4 spaces, like line 4, if it belongs with that line; use spaces only, 2 per level",
        ),
        # The lines above are climbed past a nested block (lines 3-4 are no shallower than line 5) up to
        # lines 2 and 1: columns 4, 2 and 0 are candidates, 2 and 0 are one away, the nearer line wins.
        (
            "a:\n  b:\n    c:\n      d: 1\n    e: 2\n f: 3\n",
            6,
            2,
            "YAML syntax: a field indented by 1 space does not line up with the lines above",
            'indent it by exactly 2 spaces, like line 2, if it belongs with that line; use spaces only, 2 per level. If you uncommented a block, delete the "# " (hash and space) at the start of each of its lines',
        ),
        # A list item lines up only with list items: the one on line 2, past the fields of lines 3-5.
        (
            "a:\n  - b: 1\n    c:\n      - d\n    e: 2\n - f: 3\n",
            6,
            2,
            "YAML syntax: a list item indented by 1 space does not line up with the lines above",
            'indent it by exactly 2 spaces, like line 2, if it belongs with that line; use spaces only, 2 per level. If you uncommented a block, delete the "# " (hash and space) at the start of each of its lines',
        ),
        # The only list item above is 60 spaces deeper than this one: still the line to point at.
        (
            "a:\n" + " " * 62 + "- x\n  - y\n",
            3,
            3,
            "YAML syntax: a list item indented by 2 spaces does not line up with the lines above",
            "indent it by exactly 62 spaces, like line 2, if it belongs with that line; use spaces only, 2 per level",
        ),
    ],
    ids=[
        "colon",
        "colon-in-list",
        "over-indented",
        "under-indented",
        "dedented-key",
        "tab",
        "open-quote",
        "uncommented-stub",
        "over-indented-even",
        "dedented-past-a-nested-block",
        "item-dedented-past-a-nested-block",
        "item-far-left-of-the-item-above",
    ],
)
def test_yaml_mistakes_are_explained_in_plain_language_at_their_line(text, line, col, message, hint):
    p = only(text)
    assert (p.line, p.col, p.message, p.hint) == (line, col, message, hint)


def test_crlf_is_reported_once_with_a_hint_and_other_problems_still_show():
    doc, found = problems(b"a: 1\r\nb: 2\r\n")
    assert found == [] and doc is not None and doc.data == {"a": 1, "b": 2}  # parsed; the validator reports it
    assert [(p.line, p.col) for p in doc.line_endings] == [(1, 5)]
    assert "CRLF" in doc.line_endings[0].message and "LF" in doc.line_endings[0].hint
    doc, found = problems(b"a: 1\r\nb: c: d\r\n")
    assert len(found) == 2 and "colon" in found[1].message


def test_tab_indentation_hint_mentions_tabs():
    assert "tab" in only("a:\n\tb: 1\n").hint


@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n", "  # only an indented comment\n\n# and another\n"])
def test_empty_file(text):
    p = only(text)
    assert (p.path, p.line, p.col, p.message, p.hint) == (
        "data/providers/x.yaml",
        1,
        1,
        "file is empty",
        "add the fields described in CONTRIBUTING.md, or delete the file",
    )


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


def test_a_file_of_exactly_the_size_limit_is_read_and_one_byte_more_is_refused():
    from generator import rules

    exact = b"a: " + b"x" * (rules.MAX_FILE_BYTES - 4) + b"\n"
    assert len(exact) == rules.MAX_FILE_BYTES
    doc, found = problems(exact)
    assert found == [] and len(doc.data["a"]) == rules.MAX_FILE_BYTES - 4
    p = only(b"a: " + b"x" * (rules.MAX_FILE_BYTES - 3) + b"\n")
    assert (p.path, p.line, p.col, p.message, p.hint) == (
        "data/providers/x.yaml",
        1,
        1,
        "file is larger than the limit of 262144 bytes",
        "split the evidence or shorten summaries",
    )


@pytest.mark.parametrize(
    "raw, line, col",
    [(b"\xff: 1\n", 1, 1), (b"a: 1\nb: 2\nc: \xc3(\n", 3, 4), (b"a: caf\xc3\n", 1, 7)],
)
def test_invalid_utf8_is_reported_at_the_first_bad_byte(raw, line, col):
    p = only(raw)
    assert (p.line, p.col, p.message, p.hint) == (line, col, "file is not valid UTF-8", "save the file with UTF-8 encoding")


def test_a_byte_order_mark_is_dropped_and_comments_do_not_make_a_file_empty():
    doc, found = problems(b"\xef\xbb\xbf# yaml-language-server: $schema=x\n  # indented comment\n\na: 1\n")
    assert found == [] and doc.data == {"a": 1} and doc.first_line == "# yaml-language-server: $schema=x"


@pytest.mark.parametrize(
    "raw, data, line, col",
    [
        (b"a: 1\nb: 2\r\nc: 3\r\n", {"a": 1, "b": 2, "c": 3}, 2, 5),
        (b"a: 1\rb: 22\r", {"a": 1, "b": 22}, 1, 5),
        (b"ab: 1\r\n", {"ab": 1}, 1, 6),
        (b"\r\nab: 1\r\n", {"ab": 1}, 1, 1),
        (b"\nab: 1\r\n", {"ab": 1}, 2, 6),
        (b"a: 1\nb: 2\nc: 3\r\n", {"a": 1, "b": 2, "c": 3}, 3, 5),
    ],
)
def test_windows_or_old_mac_line_endings_are_reported_at_the_first_and_the_file_still_read(raw, data, line, col):
    doc, found = problems(raw)
    assert found == [] and doc.data == data
    assert doc.path == "data/providers/x.yaml" and doc.first_line == raw.replace(b"\r", b"\n").decode().split("\n")[0]
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in doc.line_endings] == [
        (
            "data/providers/x.yaml",
            line,
            col,
            "file has Windows (CRLF) line endings",
            'save it with LF line endings (VS Code: click "CRLF" in the status bar and choose LF); '
            "the repository's .gitattributes makes git check data files out with LF",
        )
    ]


def test_every_forbidden_character_of_a_file_is_reported_where_it_is():
    _, found = problems("a: x\u200by\nb: ok\nc: \x01 and \u2066\n")
    assert [(p.line, p.col, p.message) for p in found] == [
        (1, 5, "bidirectional or invisible character U+200B (ZERO WIDTH SPACE) is not allowed"),
        (3, 4, "control character U+0001 is not allowed"),
        (3, 10, "bidirectional or invisible character U+2066 (LEFT-TO-RIGHT ISOLATE) is not allowed"),
    ]
    _, found = problems("\na: \x01\n")  # a blank first line: counted too
    assert [(p.line, p.col) for p in found] == [(2, 4)]


def _refusal(path, root, limit=100):
    from generator.load import UnsafeFile, read_regular

    with pytest.raises(UnsafeFile) as exc:
        read_regular(path, root, limit)
    p = exc.value.problem
    assert str(exc.value) == p.message
    return (p.path, p.line, p.col, p.message, p.hint)


def test_links_folders_pipes_and_files_outside_the_project_are_refused_by_name(tmp_path):
    import os

    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text("a: 1\n")
    os.symlink(outside / "x.yaml", root / "data" / "link.yaml")
    (root / "data" / "folder.yaml").mkdir()
    os.mkfifo(root / "data" / "pipe.yaml")
    os.symlink(outside, root / "linked")  # a folder link: the file in it is a regular file, outside the project
    assert _refusal(root / "data" / "link.yaml", root) == (
        "data/link.yaml",
        1,
        1,
        "symbolic links are not accepted",
        "replace the link with the file itself",
    )
    not_regular = ("not a regular file", "data and docs entries must be plain files; remove it")
    assert _refusal(root / "data" / "folder.yaml", root) == ("data/folder.yaml", 1, 1, *not_regular)
    assert _refusal(root / "data" / "pipe.yaml", root) == ("data/pipe.yaml", 1, 1, *not_regular)
    assert _refusal(root / "linked" / "x.yaml", root) == (
        "linked/x.yaml",
        1,
        1,
        "file lies outside the project folder",
        "keep data and docs inside the checkout",
    )
    # A path outside the root is named as given.
    assert _refusal(outside / "gone.yaml", root)[:1] == (str(outside / "gone.yaml"),)


def test_a_read_stops_one_byte_after_the_limit(tmp_path):
    from generator.load import read_regular

    (tmp_path / "a.yaml").write_bytes(b"0123456789")
    assert read_regular(tmp_path / "a.yaml", tmp_path, 3) == b"0123"
    assert read_regular(tmp_path / "a.yaml", tmp_path, 20) == b"0123456789"


def test_load_file_names_the_file_relative_to_the_project_and_reports_a_refusal(tmp_path):
    import os

    from generator.load import load_file

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.yaml").write_bytes(b"a: 1\nb: 'x\n")
    os.symlink(tmp_path / "data" / "a.yaml", tmp_path / "data" / "b.yaml")
    doc, [p] = load_file(tmp_path / "data" / "a.yaml", tmp_path)
    assert doc is None and (p.path, p.line, p.col) == ("data/a.yaml", 2, 4)
    doc, [p] = load_file(tmp_path / "data" / "b.yaml", tmp_path)
    assert doc is None and (p.path, p.message) == ("data/b.yaml", "symbolic links are not accepted")


def test_a_crlf_file_with_another_problem_reports_both_at_their_lines():
    _, found = problems(b"a: 1\r\nb: c: d\r\n")
    assert [(p.line, p.col, p.message) for p in found] == [
        (1, 5, "file has Windows (CRLF) line endings"),
        (2, 4, "YAML syntax: a colon followed by a space inside text that is not in quotes"),
    ]


def test_where_a_comment_cuts_a_plain_value_is_remembered_on_its_own_line():
    doc, found = problems("id: x\ntitle: Contact #1 form\nname: 'quoted #kept'\nsummary: plain#kept\nnotes: cut\t# tab\n")
    assert found == [] and doc.data["title"] == "Contact" and doc.data["summary"] == "plain#kept"
    assert doc.plain_then_comment == {("title",): (2, 16), ("notes",): (5, 12)}


RAW = b"# a comment first\nid: x\nlist:\n  - a\n  - b: 1\n    c: [2, 3]\nnote: cut #here\n"


def test_a_document_points_at_keys_values_and_else_the_nearest_enclosing_place():
    from generator.problems import Problem

    doc, found = problems(RAW)
    assert found == [] and doc.text is not None  # positions are found only when first asked for
    assert doc.where(("list", 1, "c")) == (6, 5)  # the key
    assert doc.value_at(("list", 1, "c")) == (6, 8)  # the value
    assert doc.where(("list", 1, "c", 1)) == doc.value_at(("list", 1, "c", 1)) == (6, 12)  # a list item has no key
    assert doc.text is None
    assert doc.where(("list", 1, "missing", "deeper")) == (5, 5)  # the enclosing item
    assert doc.where(("list", 7)) == doc.value_at(("list", 7)) == (3, 1)  # the key of the list
    assert doc.value_at(("list",)) == (4, 3)
    assert doc.where(()) == doc.where(("nothing",)) == (2, 1)  # the file's mapping starts after the comment
    assert doc.problem(("list", 1, "c"), "m", "h", on_key=True) == Problem("data/providers/x.yaml", 6, 5, "m", "h")
    assert doc.problem(("list", 1, "c"), "m") == Problem("data/providers/x.yaml", 6, 8, "m", "")
    assert doc.plain_then_comment == {("note",): (7, 11)}


def test_a_released_document_reads_its_file_again_once_when_a_position_is_asked_for():
    from generator.problems import Problem

    doc, _ = problems(RAW)
    calls = []

    def reload():
        calls.append(1)
        return problems(RAW)[0]

    doc.release(reload)
    assert (doc.data, doc.values, doc.keys, doc.plain_then_comment, doc.text, doc.reload) == (None, {}, {}, {}, None, reload)
    assert doc.problem(("list", 1, "c"), "m", "h", on_key=True) == Problem("data/providers/x.yaml", 6, 5, "m", "h")
    assert doc.value_at(("list", 1, "c")) == (6, 8) and doc.data["id"] == "x" and doc.plain_then_comment == {("note",): (7, 11)}
    assert calls == [1] and doc.reload is None
    gone, _ = problems(RAW)
    gone.release(lambda: None)  # the file disappeared meanwhile: the start of the file
    assert gone.where(("list", 1, "c")) == (1, 1) and gone.reload is None


def test_a_file_swapped_after_the_checks_is_still_refused_when_opened(tmp_path, monkeypatch):
    """Between the checks (lstat) and the open, a file could become a link or a pipe: the open itself
    refuses to follow a link (O_NOFOLLOW) or to wait for a pipe's writer (O_NONBLOCK), and the opened
    file is checked again."""
    import os

    from generator import load

    (tmp_path / "real.yaml").write_bytes(b"a: 1\n")
    os.symlink(tmp_path / "real.yaml", tmp_path / "link.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    real_lstat = os.lstat
    regular = real_lstat(tmp_path / "real.yaml")
    swapped = {str(tmp_path / "link.yaml"), str(tmp_path / "pipe.yaml")}
    monkeypatch.setattr(load.os, "lstat", lambda p, *a, **k: regular if str(p) in swapped else real_lstat(p, *a, **k))
    assert _refusal(tmp_path / "link.yaml", tmp_path) == (
        "link.yaml",
        1,
        1,
        "file cannot be read (Too many levels of symbolic links)",
        "check that the file exists and is readable",
    )
    assert _refusal(tmp_path / "pipe.yaml", tmp_path) == (
        "pipe.yaml",
        1,
        1,
        "not a regular file",
        "data and docs entries must be plain files; remove it",
    )


def test_a_file_outside_the_project_is_named_by_its_full_path(tmp_path):
    from generator.load import load_file

    root = tmp_path / "project"
    root.mkdir()
    doc, [p] = load_file(tmp_path / "elsewhere.yaml", root)
    assert doc is None and (p.path, p.message) == (str(tmp_path / "elsewhere.yaml"), "file cannot be read (No such file or directory)")
