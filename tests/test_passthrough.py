"""passthrough.py: setting generated HTML blocks aside gives the HTML and the anchor ids that
Python-Markdown and MkDocs give without it, and it really sets the blocks aside."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import markdown
import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from generator import build, passthrough, render, safe

from .conftest import AS_OF, ROOT, run

EXTENSIONS = ["admonition", "attr_list", "tables", {"toc": {"permalink": True, "toc_depth": 3}}]


def convert(text: str, aside: bool) -> tuple[str, int]:
    names = [e if isinstance(e, str) else next(iter(e)) for e in EXTENSIONS]
    configs = {next(iter(e)): next(iter(e.values())) for e in EXTENSIONS if isinstance(e, dict)}
    md = markdown.Markdown(extensions=[*names, *([passthrough.PassThrough()] if aside else [])], extension_configs=configs)
    out = md.convert(text)
    return out, (md.preprocessors["scorecard_set_aside"].count if aside else 0)  # type: ignore[attr-defined]


SET_ASIDE = {
    "a div": 'Text.\n\n<div class="a">\n<p>x &amp; y</p>\n</div>\n\nAfter.\n',
    "nested divs": '<div class="a"><div id="b">\n<div>c</div>\n</div></div>\n\n## Next\n',
    "a paragraph, then a table": '<p class="m">One <a href="x">link</a></p>\n\n<table><tr><td>1</td></tr></table>\n',
    "spaces after the end tag": "<ul>\n<li>a</li>\n</ul>   \n\ntext\n",
    "an svg in a figure": '<figure class="f"><svg viewBox="0 0 1 1"><title id="t">T</title><text>&lt;div</text></svg></figure>\n\n',
    "two blocks in a row": "<div>a</div>\n\n<div>b</div>\n\n<p>c</p>\n",
    "a markdown attribute (kept as it is without md_in_html)": '<div markdown="1">\n*a*\n</div>\n\n',
}

LEFT_ALONE = {
    "text after the end tag": "<div>a</div> tail\n\nnext\n",
    "no blank line after": "<div>a</div>\nnext line\n\n",
    "no blank line before": "para\n<div>a</div>\n\n",
    "a comment inside": "<div><!-- <div> --></div>\n\n",
    "a script inside": "<div><script>let s = '<div>'</script></div>\n\n",
    "unbalanced": "<div><div>a</div>\n\nmore\n",
    "indented": "  <div>a</div>\n\n",
    "in fenced code": "```html\n<div>a</div>\n\n<div>b</div>\n```\n\n",
    "in indented code": "    <div>a</div>\n\n    <p>b</p>\n\n",
    "a span": '<span class="x">a</span>\n\n',
    "another element after the end": "<div>a</div><div>b</div>\n\n",
}


@pytest.mark.parametrize("name", sorted(SET_ASIDE))
def test_blocks_are_set_aside_and_the_html_is_unchanged(name: str) -> None:
    text = SET_ASIDE[name]
    plain, _ = convert(text, aside=False)
    fast, count = convert(text, aside=True)
    assert fast == plain
    assert count >= 1


@pytest.mark.parametrize("name", sorted(LEFT_ALONE))
def test_blocks_off_the_pattern_are_left_to_python_markdown(name: str) -> None:
    text = LEFT_ALONE[name]
    plain, _ = convert(text, aside=False)
    fast, count = convert(text, aside=True)
    assert fast == plain
    assert count == 0


def test_blocks_one_blank_line_apart_are_stored_as_one() -> None:
    md = markdown.Markdown(extensions=[passthrough.PassThrough()])
    text = "<div>a</div>\n\n\n<div>b</div>   \n\n<p>c</p>\n\nText\n\n<div>d</div>\n"
    md.convert(text)
    assert md.preprocessors["scorecard_set_aside"].count == 4
    assert md.htmlStash.rawHtmlBlocks == ["<div>a</div>\n\n<div>b</div>\n\n<p>c</p>\n", "<div>d</div>\n"]


def test_anchor_ids_are_read_as_the_html_parser_reads_them() -> None:
    block = """<div id="a&amp;b"><p ID='single'>x id="in-text"</p><span id=bare>y</span><a name="n">z</a><b name="not-an-anchor" data-id="no">w</b></div>"""
    assert passthrough.anchor_ids(block) == {"a&b", "single", "bare", "n"}


@pytest.mark.parametrize(
    "block",
    [
        "<div><!-- c --></div>",
        "<div><!DOCTYPE x></div>",
        "<div><?php ?></div>",
        "<div><SCRIPT>x</SCRIPT></div>",
        "<div><Style>x</Style></div>",
        "<div><script>x</script></div>",
        "<div><sTyLe>p { color: red }</sTyLe></div>",
    ],
)
def test_blocks_the_patterns_cannot_read_are_unsafe(block: str) -> None:
    assert passthrough.unsafe(block)


def test_a_markdown_attribute_and_other_tags_are_safe() -> None:
    assert not passthrough.unsafe('<div markdown="1"><span>s</span><strong>t</strong><svg><text>u</text></svg></div>')


def test_with_md_in_html_nothing_is_set_aside() -> None:
    text = '<div markdown="1">\n*a*\n</div>\n\n<p>b</p>\n'

    def html(*extra: object) -> tuple[str, markdown.Markdown]:
        md = markdown.Markdown(extensions=["md_in_html", *extra])
        return md.convert(text), md

    fast, md = html(passthrough.PassThrough())
    assert fast == html()[0] and "<em>a</em>" in fast
    assert md.preprocessors["scorecard_set_aside"].count == 0  # type: ignore[attr-defined]


def _config(project, extra: bool):
    os.environ["SOURCE_DATE_EPOCH"] = build.source_date_epoch(AS_OF)
    config = load_config(config_file=str(project / "mkdocs.yml"), docs_dir=str(project / "build/docs"), site_dir=str(project / "site"))
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    if extra:
        config.markdown_extensions.append(passthrough.PassThrough())
    return config


def test_every_generated_page_renders_the_same_with_the_same_anchors(project) -> None:
    code, _, err = run("build", "--as-of", str(AS_OF), root=project)  # writes build/docs
    assert code == 0, err
    plain_config, fast_config = _config(project, extra=False), _config(project, extra=True)
    files = get_files(plain_config)
    pages = list(files.documentation_pages())
    assert len(pages) > 20
    set_aside = 0
    for file in pages:
        plain, fast = Page(None, file, plain_config), Page(None, file, fast_config)
        for page, config in ((plain, plain_config), (fast, fast_config)):
            page.read_source(config)
        plain.render(plain_config, files)
        md_text = fast.markdown or ""
        fast.render(fast_config, files)
        assert fast.content == plain.content, file.src_uri
        assert fast.present_anchor_ids == plain.present_anchor_ids, file.src_uri
        _, count = convert(md_text, aside=True)
        set_aside += count
        if file.src_uri.startswith("providers/") and file.src_uri != "providers/index.md":
            assert count >= 10, f"{file.src_uri}: only {count} blocks set aside"
    assert set_aside > 100


def _markdown_heading(title: str, anchor: str) -> str:
    """What MkDocs makes of a Markdown heading with mkdocs.yml's own Markdown settings."""
    # docs_dir: mkdocs.yml's build/docs exists only after a build (not in a fresh clone); any folder will do here
    config = load_config(config_file=str(ROOT / "mkdocs.yml"), docs_dir=str(ROOT / "docs"))
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"])
    return str(md.convert(f"#### {safe.md(title)} {{: #{anchor} }}\n"))


@pytest.mark.parametrize("title", ["Named, accountable security owner", "Rock & roll <b>bold</b> *stars* `code` 1. [x](y) \\ done"])
def test_the_heading_macro_writes_what_markdown_writes(title: str) -> None:
    macro = render.environment().from_string('{% from "_macros.j2" import heading %}{{ heading(4, title, "gv-x") }}')
    assert macro.render(title=title) == _markdown_heading(title, "gv-x")


def test_every_criterion_title_gives_the_same_heading() -> None:
    titles = {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))["title"] for path in sorted((ROOT / "data/criteria").glob("*.yaml"))}
    assert len(titles) > 20
    macro = render.environment().from_string('{% from "_macros.j2" import heading %}{{ heading(4, title, id) }}')
    for anchor, title in titles.items():
        assert macro.render(title=title, id=anchor) == _markdown_heading(title, anchor), anchor


WHITESPACE = {
    "nothing to change": "a\n\n<div>b</div>\n",
    "a tab": "a\tb\n\n\tc\n",
    "a tab alone on its line": "a\n\t\nb\n",
    "carriage returns": "a\r\nb\rc\r\n\r\nd",
    "space-only lines": "a\n   \nb\n \n",
    "a space before a line end": "a \nb\n",
    "STX and ETX": "a\x02b\x03c\n",
}


@pytest.mark.parametrize("name", sorted(WHITESPACE))
def test_whitespace_is_normalized_as_python_markdown_normalizes_it(name: str) -> None:
    from markdown.preprocessors import NormalizeWhitespace

    md = markdown.Markdown()
    lines = WHITESPACE[name].split("\n")
    assert passthrough._QuickNormalize(md).run(list(lines)) == NormalizeWhitespace(md).run(list(lines))


FENCES = {
    "none": "<div>a</div>\n\n```not a fence``` in a line\n",
    "backticks": "Text.\n\n```python\n<div>a</div>\n\n<div>b</div>\n```\n\nAfter.\n",
    "tildes": "~~~\ncode & <b>\n~~~\n",
}


@pytest.mark.parametrize("name", sorted(FENCES))
def test_fenced_code_is_found_as_without_the_extension(name: str) -> None:
    def html(*extra: object) -> str:
        return markdown.Markdown(extensions=["fenced_code", "attr_list", *extra]).convert(FENCES[name])

    assert html(passthrough.PassThrough()) == html()


def test_the_quick_steps_take_the_places_of_python_markdowns() -> None:
    md = markdown.Markdown(extensions=["fenced_code", passthrough.PassThrough()])
    order = ["normalize_whitespace", "fenced_code_block", "scorecard_set_aside", "scorecard_hand_ids", "html_block"]
    assert [md.preprocessors.get_index_for_name(name) for name in order] == sorted(md.preprocessors.get_index_for_name(name) for name in order)
    assert isinstance(md.preprocessors["normalize_whitespace"], passthrough._QuickNormalize)
    assert isinstance(md.preprocessors["fenced_code_block"], passthrough._FencesOnly)
    assert isinstance(md.postprocessors["raw_html"], passthrough._QuickRawHtml)
    assert md.postprocessors.get_index_for_name("raw_html") < md.postprocessors.get_index_for_name("amp_substitute")


def _placeholder(md: markdown.Markdown, html: str) -> str:
    return md.htmlStash.store(html)  # type: ignore[no-any-return]


def _stashes() -> list[tuple[markdown.Markdown, str]]:
    """Texts with placeholders, and stored HTML holding placeholders of its own (as nested blocks do)."""
    made = []
    for shape in ("flat", "nested", "wrapped inline", "wrapped block", "unknown index"):
        md = markdown.Markdown()
        inner = _placeholder(md, "<b>inner</b>")
        if shape == "flat":
            text = f"<p>{inner}</p>\n{_placeholder(md, '<div>d</div>')}"
        elif shape == "nested":
            text = _placeholder(md, f"<div>{inner} and <p>{_placeholder(md, '<div>deep</div>')}</p></div>")
        elif shape == "wrapped inline":
            text = f"<p>{inner}</p>"
        elif shape == "wrapped block":
            text = f"<p>{_placeholder(md, f'<table><tr><td>{inner}</td></tr></table>')}</p>"
        else:
            text = f"<p>{inner}</p> {md.htmlStash.get_placeholder(99)}"
        made.append((md, text))
    return made


@pytest.mark.parametrize("index", range(5))
def test_stored_html_is_put_back_as_python_markdown_puts_it_back(index: int) -> None:
    from markdown.postprocessors import RawHtmlPostprocessor

    md, text = _stashes()[index]
    expected = RawHtmlPostprocessor(md).run(text)
    assert passthrough._QuickRawHtml(md).run(text) == expected
    assert "wzxhzdk" not in expected.replace(md.htmlStash.get_placeholder(99), "")  # every known placeholder was replaced


def test_inline_patterns_pass_over_paragraphs_that_are_only_a_stored_block() -> None:
    """A paragraph holding only a stored block's placeholder is finished text: no inline pattern is tried
    on it (none could match), while every other paragraph and heading still goes through them, and the
    HTML is what Python-Markdown makes without the extension."""
    from markdown.inlinepatterns import InlineProcessor

    tried: list[str] = []

    class Spy(InlineProcessor):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(r"(?!)")

        def getCompiledRegExp(self) -> Spy:  # Python-Markdown's name
            return self

        def search(self, data: str, start: int = 0) -> None:
            tried.append(data)

        def finditer(self, data: str, start: int = 0) -> Iterator[None]:
            tried.append(data)
            return iter(())

    text = '<div class="a">\n<p>x</p>\n</div>\n\nSome *text*.\n\n## A heading\n\n<div>b</div>\n\n<p>c</p>\n'
    md = markdown.Markdown(extensions=["toc", passthrough.PassThrough()])
    md.inlinePatterns.register(Spy(), "spy", 1000)
    fast = md.convert(text)
    assert fast == markdown.Markdown(extensions=["toc"]).convert(text)
    assert md.preprocessors["scorecard_set_aside"].count == 3  # type: ignore[attr-defined]
    assert "Some *text*." in tried and "A heading" in tried
    assert not any("wzxhzdk" in data for data in tried), tried
