"""A Python-Markdown extension our own build adds: whole blocks of generated HTML are set aside
before Python-Markdown's and MkDocs' HTML parsers read them tag by tag.

A provider page is mostly raw HTML (about 2,000 tags). Python-Markdown keeps each raw HTML block
unchanged (its `html_block` preprocessor), but finds where the block ends by feeding every tag to
Python's `html.parser`, and MkDocs parses the whole page once more to collect `id`s for its link
check: together about two thirds of the build's time. This extension finds the same blocks with
regular expressions (a block-level start tag at the start of a line after a blank line, up to
the end tag that closes it at the end of a line, followed by a blank line), stores each exactly
as `html_block` would, and hands their `id`s to MkDocs' link check. The HTML that comes out is
the same: tests/test_mkbuild.py compares our build (with it) with plain `mkdocs build` (without
it) byte for byte, and tests/test_passthrough.py checks every generated page of the fixture site.

It is not in `mkdocs.yml`: `mkbuild` adds it for our own build only, so `build/docs/` stays a
plain Markdown project that `mkdocs build` and Zensical build to the same pages, only slower.
A block that does not follow the pattern (unbalanced, text after its end tag, no blank line
around it, a comment, declaration, script or style inside) is left to Python-Markdown as before,
and so is every block where an extension such as md_in_html replaces `html_block`.

It also lets four of Python-Markdown's own steps skip work that cannot change a page:
`normalize_whitespace` runs a regular expression for space-only lines even where there is no
space before a line end, `fenced_code_block` searches for code fences even where there is no
``` or ~~~, and `raw_html` searches each piece of HTML it puts back for placeholders even where
it holds none, and the inline patterns are tried on every paragraph, also on one that is only the
placeholder of a stored HTML block (where none can match: such a paragraph is marked as finished,
with Python-Markdown's own AtomicString). Each costs about a quarter to half a millisecond on a
60 KB provider page; the steps still run wherever they could find something.
"""

from __future__ import annotations

import html
import re
from typing import Any

import markdown  # type: ignore[import-untyped]  # Python-Markdown ships no type hints
from markdown import Extension, Markdown, util
from markdown.extensions.fenced_code import FencedBlockPreprocessor  # type: ignore[import-untyped]
from markdown.postprocessors import RawHtmlPostprocessor  # type: ignore[import-untyped]
from markdown.preprocessors import HtmlBlockPreprocessor, NormalizeWhitespace, Preprocessor  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]

# Block-level elements (for Python-Markdown) that generated pages start their HTML blocks with.
BLOCK_TAGS = ("div", "p", "table", "ol", "ul", "dl", "figure", "details", "section", "h1", "h2", "h3", "h4", "h5", "h6")
# At the start of a line after a blank line (the newlines are part of the match: a literal start
# lets the search skip ahead quickly; a lookbehind would be tried at every character).
_START = re.compile(rf"\n\n<({'|'.join(BLOCK_TAGS)})\b")
_TAG = {tag: re.compile(rf"<(/?){tag}\b[^>]*>", re.I) for tag in BLOCK_TAGS}
# An attribute MkDocs may take as an anchor: an id on any element, a name on an <a>.
_ATTR = re.compile(r"""\s(?:[iI][dD]|([nN][aA][mM][eE]))\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_A_TAG = re.compile(r"<a\s", re.I)

# After fenced code (25, so code samples are never touched), before MkDocs' id collector (21)
# and Python-Markdown's html_block (20).
PRIORITY = 24
HAND_IDS_PRIORITY = 20.5  # after MkDocs' id collector has run on the rest of the page


def block_end(src: str, start: int, tag: str) -> tuple[int, int] | None:
    """Where the `tag` element opened at `src[start]` closes: (end of its end tag, end of that line),
    if nothing but spaces follows the end tag on its line and a blank line (or the end of the text)
    follows; None when the block does not follow the pattern."""
    depth = 0
    for match in _TAG[tag].finditer(src, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            newline = src.find("\n", match.end())
            line_end = len(src) if newline < 0 else newline
            if src[match.end() : line_end].strip(" "):
                return None
            if line_end == len(src) or line_end + 1 == len(src) or src[line_end + 1] == "\n":
                return match.end(), line_end
            return None
    return None


_CDATA = re.compile(r"<(?:script|style)", re.IGNORECASE)  # a literal "<" first: a quick search


def unsafe(block: str) -> bool:
    """True where the HTML parser would read the block differently from these expressions: a
    comment, declaration or processing instruction, or a script or style (their text may hold
    `<div`). (A `markdown=` attribute means nothing to Python-Markdown's own `html_block`; where an
    extension such as md_in_html replaces it, nothing is set aside at all.)"""
    return "<!" in block or "<?" in block or _CDATA.search(block) is not None


def anchor_ids(block: str) -> set[str]:
    """The anchors MkDocs' HTML parser collects in `block`: every element's id, and an <a>'s name."""
    found = set()
    for match in _ATTR.finditer(block):
        tag_start = block.rfind("<", 0, match.start())
        if tag_start < block.rfind(">", 0, match.start()):
            continue  # in text, not inside a tag
        if match.group(1) and not _A_TAG.match(block, tag_start):
            continue
        found.add(html.unescape(match.group(2) or match.group(3) or match.group(4) or ""))
    return found


class _SetAside(Preprocessor):  # type: ignore[misc]  # an untyped base class
    def __init__(self, md: Markdown) -> None:
        super().__init__(md)
        self.ids: set[str] = set()
        self.count = 0

    def run(self, lines: list[str]) -> list[str]:
        self.ids, self.count = set(), 0
        if type(self.md.preprocessors["html_block"]) is not HtmlBlockPreprocessor:
            return lines  # another extension reads raw HTML its own way (md_in_html): leave it all to it
        stash = self.md.htmlStash
        # Two newlines in front: a block may start on the first line. Work on the whole text: one
        # search finds every candidate start, another counts the tags of each candidate.
        src = "\n\n" + "\n".join(lines)
        out: list[str] = []
        done = 0  # src[:done] is in out
        joinable = False  # the last block set aside ended at `done`
        for candidate in _START.finditer(src):
            start = candidate.start() + 2
            if start < done or (found := block_end(src, start, candidate.group(1))) is None:
                continue
            end, line_end = found
            block = src[start:end]  # html_block keeps nothing after the end tag
            if unsafe(block):
                continue
            self.ids |= anchor_ids(block)
            self.count += 1
            gap = src[done:start]
            out.append(gap)
            if joinable and not gap.strip("\n"):
                # Consecutive blocks come out one blank line apart: store them as one, so the
                # inline patterns later look at one placeholder instead of many.
                stash.rawHtmlBlocks[-1] += "\n" + block + "\n"
            else:
                # What html_block leaves: the block (with the newline after its end tag) in the
                # stash, a placeholder line between blank lines in the text.
                out.append("\n" + stash.store(block + "\n") + "\n")
            done, joinable = line_end, True
        out.append(src[done:])
        return "".join(out)[2:].split("\n")


class _HandIds(Preprocessor):  # type: ignore[misc]
    """Adds the ids of the blocks set aside to what MkDocs' collector found in the rest of the page."""

    def __init__(self, md: Markdown, aside: _SetAside) -> None:
        super().__init__(md)
        self.aside = aside

    def run(self, lines: list[str]) -> list[str]:
        if "mkdocs_raw_html" in self.md.preprocessors:
            collector = self.md.preprocessors["mkdocs_raw_html"]
            collector.present_anchor_ids |= self.aside.ids  # MkDocs 1.6.1's _RawHTMLPreprocessor
        return lines


_SPACE_LINE = re.compile(r"(?<=\n) +\n")  # NormalizeWhitespace's expression


class _QuickNormalize(Preprocessor):  # type: ignore[misc]
    """NormalizeWhitespace (Python-Markdown 3.x), each step skipped where it would change nothing."""

    def run(self, lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        if util.STX in source or util.ETX in source:
            source = source.replace(util.STX, "").replace(util.ETX, "")
        if "\r" in source:
            source = source.replace("\r\n", "\n").replace("\r", "\n")
        source += "\n\n"
        if "\t" in source:
            source = source.expandtabs(self.md.tab_length)
        if " \n" in source:  # the expression needs a space before a line end
            source = _SPACE_LINE.sub("\n", source)
        return source.split("\n")


class _FencesOnly(Preprocessor):  # type: ignore[misc]
    """Runs the fenced code preprocessor only on a text with a fence in it (``` or ~~~, which its
    expression needs); otherwise the lines pass unchanged, as they would through it."""

    def __init__(self, md: Markdown, inner: Preprocessor) -> None:
        super().__init__(md)
        self.inner = inner

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        return self.inner.run(lines) if "```" in text or "~~~" in text else lines


class _QuickRawHtml(RawHtmlPostprocessor):  # type: ignore[misc]
    """Python-Markdown 3.11's `raw_html` step (puts the stored HTML back in place of its placeholders,
    then does the same inside each piece it put back), except that a piece without a placeholder
    (no STX character) is not searched again: the search could find nothing, and it costs most on
    the largest pieces, a provider page's claims. The rest is Python-Markdown's code as it is."""

    def run(self, text: str) -> str:
        def substitute_match(m: re.Match[str]) -> str:
            if key := m.group(1):
                wrapped = True
            else:
                key = m.group(2)
                wrapped = False
            if (index := int(key)) >= self.md.htmlStash.html_counter:
                return m.group(0)
            html = self.stash_to_string(self.md.htmlStash.rawHtmlBlocks[index])
            if wrapped and not self.isblocklevel(html):
                html = f"<p>{html}</p>"
            return pattern.sub(substitute_match, html) if util.STX in html else html

        if self.md.htmlStash.html_counter:
            base_placeholder = util.HTML_PLACEHOLDER % r"([0-9]+)"
            pattern = re.compile(f"<p>{base_placeholder}</p>|{base_placeholder}")
            return pattern.sub(substitute_match, text)
        return text


# A paragraph holding only the placeholder of a stored HTML block ("\x02wzxhzdk:7\x03").
_PLACEHOLDER_ONLY = re.compile(util.HTML_PLACEHOLDER % r"[0-9]+" + r"\Z")
# Before Python-Markdown's inline patterns (20), after every block step.
INLINE_SKIP_PRIORITY = 20.5


class _PlaceholdersDone(Treeprocessor):  # type: ignore[misc]
    """Marks each top-level paragraph that is only a stored block's placeholder as finished text
    (AtomicString), which the inline step passes over: none of its patterns can match the
    placeholder's letters and digits, and the raw_html step puts the block back as before."""

    def run(self, root: Any) -> None:
        for element in root:
            text = element.text
            if element.tag == "p" and text and len(element) == 0 and text[0] == util.STX and _PLACEHOLDER_ONLY.match(text):
                element.text = util.AtomicString(text)


# The Python-Markdown release _QuickRawHtml copies its step from (requirements/ pins it).
MIRRORED_MARKDOWN = "3.11.3"


class PassThrough(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        pre = md.preprocessors
        # Only the steps as Python-Markdown defines them are replaced (another extension may have
        # registered its own under the same name), under the same names and priorities (30, 25).
        if type(pre["normalize_whitespace"]) is NormalizeWhitespace:
            pre.register(_QuickNormalize(md), "normalize_whitespace", 30)
        if "fenced_code_block" in pre and type(pre["fenced_code_block"]) is FencedBlockPreprocessor:
            pre.register(_FencesOnly(md, pre["fenced_code_block"]), "fenced_code_block", 25)
        if type(md.postprocessors["raw_html"]) is RawHtmlPostprocessor and markdown.__version__ == MIRRORED_MARKDOWN:
            md.postprocessors.register(_QuickRawHtml(md), "raw_html", 30)
        aside = _SetAside(md)
        md.preprocessors.register(aside, "scorecard_set_aside", PRIORITY)
        md.preprocessors.register(_HandIds(md, aside), "scorecard_hand_ids", HAND_IDS_PRIORITY)
        if "inline" in md.treeprocessors:
            md.treeprocessors.register(_PlaceholdersDone(md), "scorecard_placeholders_done", INLINE_SKIP_PRIORITY)
