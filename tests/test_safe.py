"""safe.py: contributor text cannot inject HTML or script; links only https and mailto."""

from __future__ import annotations

import jinja2
import markupsafe
import pytest
from markupsafe import Markup

from generator import render, safe
from generator.model import Level


def test_prose_strips_script_and_dangerous_links():
    out = str(
        safe.prose(
            'Hi <script>alert(1)</script><img src=x onerror="a()"> [x](javascript:alert(1)) '
            '[d](data:text/html,hi) [h](http://plain.example) [s](https://ok.example) <a href="mailto:a@b.example">m</a>'
        )
    )
    assert "<script" not in out and "onerror" not in out and "<img" not in out
    assert "javascript:" not in out and "data:" not in out and 'href="http://' not in out
    assert 'href="https://ok.example"' in out and 'href="mailto:a@b.example"' in out


def test_prose_links_must_be_absolute_https_or_mailto():
    """Relative links and `//host` or `/\\host` (which browsers read as another host) are dropped; the
    attribute filter applies to an <a>'s href only."""
    for target in ("//evil.example/x", "/relative/page", "page.html", "https://host\\evil.example", "#frag"):
        out = str(safe.prose(f"[x]({target})"))
        assert "href" not in out and ">x</a>" in out, target
    assert 'href="https://ok.example/a"' in str(safe.prose("[x](https://ok.example/a)"))
    assert 'href="mailto:a@b.example"' in str(safe.prose("[x](mailto:a@b.example)"))


def test_prose_keeps_only_the_allowed_attributes_and_no_comment():
    out = str(safe.prose('<a href="https://ok.example" hreflang="en" class="c">x</a> <!-- hidden note --> <span class="c">s</span> *e*'))
    assert "hreflang" not in out and "class" not in out and "<span" not in out and "hidden note" not in out and "<!--" not in out
    assert '<a href="https://ok.example" rel="noopener noreferrer nofollow">x</a>' in out


def test_empty_values_encode_to_nothing():
    assert safe.prose("") == "" and safe.prose(None) == ""
    assert safe.front_matter(None) == '""' and safe.md(None) == "" and safe.href(None) == "#"


def test_front_matter_is_a_json_string_of_escaped_html():
    assert safe.front_matter("""It's <b>"x"</b> & é""") == '"It\'s &lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; é"'


def test_csv_cells_quote_formula_triggers_but_not_numbers():
    assert safe.csv_cell(-5) == "-5" and safe.csv_cell(-1.5) == "-1.5" and safe.csv_cell(3) == "3"
    assert safe.csv_cell("-5") == "'-5" and safe.csv_cell("=1+1") == "'=1+1" and safe.csv_cell("\tx") == "'\tx"
    assert safe.csv_cell(True) == "True" and safe.csv_cell(None) == "" and safe.csv_cell("a-b") == "a-b"


def test_prose_keeps_simple_formatting():
    assert str(safe.prose("*a* **b** `c`")) == "<p><em>a</em> <strong>b</strong> <code>c</code></p>"


def test_markdown_escape_for_headings():
    assert str(safe.md("Rocket.Chat <b>*x*</b> [y](z) {#id}")) == r"Rocket\.Chat &lt;b&gt;\*x\*&lt;/b&gt; \[y\]\(z\) \{\#id\}"
    assert str(safe.md("""It's "Chat" & co""")) == """It's "Chat" &amp; co"""  # quotes stay readable in the generated Markdown


def test_href_only_https_and_mailto():
    assert str(safe.href("javascript:alert(1)")) == "#"
    assert str(safe.href('https://a.example/?q=1&r="2"')) == "https://a.example/?q=1&amp;r=&quot;2&quot;"


def test_plain_text_fast_path_matches_the_converter():
    import markdown

    for text in ["A plain sentence, with commas; and (brackets) and 50 % and 'quotes'.", "Line one\nline two"]:
        assert str(safe.prose(text)) == markdown.markdown(text)
    assert "<ul>" in str(safe.prose("- a\n- b")) and "<em>" in str(safe.prose("an *emphasis*"))


def test_plain_line_joins_whitespace_runs():
    from generator import safe

    assert safe.plain_line("a\n  b\tc ") == "a b c"
    assert safe.plain_line(None) == "" and safe.plain_line("") == ""


def test_bad_characters_are_named_exactly():
    from generator import rules

    assert all(rules.bad_character(c) is None for c in "aX\n\r\t-é")
    assert rules.bad_character("\u202e") == "bidirectional or invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)"
    assert rules.bad_character("\u200b") == "bidirectional or invisible character U+200B (ZERO WIDTH SPACE)"
    assert rules.bad_character("\x07") == "control character U+0007"
    assert rules.bad_character("\x85") == "control character U+0085"
    assert rules.bad_character("\ud800") == "character U+D800, which is not valid text (a lone surrogate or a noncharacter)"
    assert rules.bad_character("\uffff") == "character U+FFFF, which is not valid text (a lone surrogate or a noncharacter)"
    assert rules.bad_character("\ufffe").startswith("character U+FFFE,")


def test_slugify_makes_ids_from_names():
    from generator import rules

    assert rules.slugify("Rocket.Chat") == "rocket-chat"
    assert rules.slugify("  Élan -- Messenger  ") == "elan-messenger"
    assert rules.slugify("x" * 70 + " y") == "x" * 60
    assert rules.slugify("a" * 59 + " b") == "a" * 59  # never ends with a hyphen after cutting
    assert rules.is_slug("rocket-chat") and not rules.is_slug("Rocket") and not rules.is_slug("a" * 61) and rules.is_slug("a" * 60)


class _Html:
    def __html__(self) -> str:
        return "<i>its own markup</i>"


ESCAPE_CASES = ["<a href='x' title=\"t\">&amp; & é</a>", "plain", Markup("<b>kept</b>"), 42, 1.5, None, True, _Html(), Level.full]
ESCAPE_TEMPLATE = (
    "{{ v }}|{% for x in [v] %}{{ x }}{% endfor %}|{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(v) }}|"
    "{% set b %}({{ v }}){% endset %}{{ b }}|{{ v ~ '<' }}|{{ v|e }}|{{ [v]|join(', ') }}"
)


# Plain ids: mutmut runs the tests twice in one process and asks for them by name, and repr gave an
# object's memory address and, the second time, escaped the escapes of the first (not found).
ESCAPE_IDS = ["html-text", "plain", "markup", "int", "float", "none", "bool", "object-with-html", "enum"]


@pytest.mark.parametrize("value", ESCAPE_CASES, ids=ESCAPE_IDS)
def test_templates_escape_every_value_as_jinja_does(value):
    """The generator's templates write each value through render.escape_text (plain text) instead of
    Jinja's escape (a Markup object): the same output in values, loops, macros, set blocks and filters."""
    plain = jinja2.Environment(autoescape=True)
    assert render.environment().from_string(ESCAPE_TEMPLATE).render(v=value) == plain.from_string(ESCAPE_TEMPLATE).render(v=value)
    assert render.escape_text(value) == str(markupsafe.escape(value))


def test_templates_are_compiled_to_the_plain_text_escape():
    env = render.environment()
    assert "environment.escape_text(" in env.compile("{{ v }}", raw=True)
    assert env.from_string("{{ v }}").render(v="<&>") == "&lt;&amp;&gt;"


def test_templates_write_dates_with_the_iso_filter():
    """`{{ day|iso }}` (a plain filter call) writes what `day.isoformat()` does; templates use it for every
    date, since a method call goes through Jinja's slower checked call."""
    import datetime as dt

    day, moment = dt.date(2026, 11, 27), dt.datetime(2026, 11, 27, 9, 5, 3, tzinfo=dt.UTC)
    assert render.environment().from_string("{{ d|iso }} {{ t|iso }}").render(d=day, t=moment) == f"{day.isoformat()} {moment.isoformat()}"
    assert [t.name for t in render.TEMPLATES.glob("*.j2") if ".isoformat()" in t.read_text()] == []


def test_pages_rendered_per_provider_or_criterion_import_macros_without_their_context():
    """An import `with context` runs _macros.j2 again for every page (a tenth of a provider page's time);
    the macros these pages use take what they need as arguments."""
    env = render.environment()
    for name in ("provider.md.j2", "criterion.md.j2"):
        tree = env.parse(env.loader.get_source(env, name)[0])
        imports = list(tree.find_all((jinja2.nodes.FromImport, jinja2.nodes.Import)))
        assert imports and not any(node.with_context for node in imports), name
