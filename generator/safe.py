"""The escaping boundary: one encoder per output context, for every value from `data/` and git.

Nothing from the data reaches an output except through one of these (see SECURITY.md):

| context | encoder |
|---|---|
| HTML text and quoted attributes (our templates) | Jinja autoescape (`markupsafe.escape`'s characters, written by `render.escape_text`) |
| Markdown text (headings, list items, link texts) | `md` (HTML-escapes, then backslash-escapes Markdown syntax, incl. attr_list `{...}`) |
| contributor prose (summaries, notes) | `prose` (Python-Markdown, then the nh3 allow-list) |
| link targets (`href`) | `href` (only https:// and mailto:, attribute-escaped) |
| page front matter (title, description) | `front_matter` / `yamlstr`: HTML-escaped, then a JSON string. Material's theme prints `page.title` and `page.meta.description` raw into `<title>`, meta tags, the header and the search index, so the value must already be inert HTML |
| XML (Atom feeds, SVG badges) | Jinja autoescape; control characters are rejected by the loader |
| CSV | `csv_cell` (OWASP CSV-injection rule: a leading `=`, `+`, `-`, `@`, tab or CR gets a `'`) |
| JSON (API, search index) | `json.dumps` (pydantic) |
| PNG preview images | `plain_line` (one line of text, no control characters) |
"""

from __future__ import annotations

import html
import json
import re

import markdown  # type: ignore[import-untyped]  # Python-Markdown ships no type hints (types-Markdown not in the lock)
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "ul", "ol", "li", "br", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"https", "mailto"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


# Text without any Markdown or HTML syntax skips the converter: most summaries are plain
# sentences, and converting thousands of them dominated the build time at 1,000 providers.
_NEEDS_MARKDOWN = re.compile(r"[`*_\[\]<>&\\]|^\s*(?:[-+]|\d+\.)\s|\n\s*\n", re.M)
_converter = markdown.Markdown(extensions=[], output_format="html")


def prose(text: str | None) -> Markup:
    """Contributor prose -> cleaned HTML."""
    if not text:
        return Markup("")
    if not _NEEDS_MARKDOWN.search(text):
        return Markup(f"<p>{html.escape(text.strip(), quote=False)}</p>")
    rendered = _converter.reset().convert(text)
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=_https_links_only,
    )
    return Markup(cleaned)


def _https_links_only(tag: str, attribute: str, value: str) -> str | None:
    """nh3 keeps relative links, and browsers read `//host` and `/\\host` as links to another host:
    a link in prose must be an absolute https:// or mailto: address, or it is dropped."""
    if tag == "a" and attribute == "href":
        return value if re.match(r"^(https://[^\\/]|mailto:)", value) and "\\" not in value else None
    return value


def text(value: str | None) -> Markup:
    """Element text as Python-Markdown writes it: `&`, `<` and `>` escaped, quotes left as they are
    (so a heading written as HTML equals the one Markdown would make)."""
    return Markup(html.escape(value or "", quote=False))


def md(text: str | None) -> Markup:
    """Escape a plain value for use in Markdown (headings, link texts)."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(text or "", quote=False)))


def front_matter(text: str | None) -> Markup:
    """A value for page front matter. MkDocs' Material theme prints front-matter titles and
    descriptions without escaping (into <title>, meta tags, the header and the search index),
    so the value is HTML-escaped here; JSON strings are valid YAML."""
    return Markup(json.dumps(html.escape(text or "", quote=False).replace('"', "&quot;"), ensure_ascii=False))


yaml_string = front_matter  # the templates' `yamlstr` filter


_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A spreadsheet-inert CSV cell (OWASP "CSV Injection"): a text cell starting with `=`, `+`, `-`,
    `@`, tab or carriage return is prefixed with a single quote, so no spreadsheet runs it as a
    formula. Numbers are left alone (a negative number is not a formula); quoting is csv's job."""
    if type(value) is str:  # most cells: the same rule, without the conversions below
        return "'" + value if value.startswith(_CSV_TRIGGERS) else value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_CSV_TRIGGERS) else text


def plain_line(text: str | None) -> str:
    """One line of plain text (for images): whitespace runs, newlines included, become one space."""
    return " ".join((text or "").split())


def href(url: str | None) -> Markup:
    """An attribute-safe link target; anything but https:/mailto: becomes '#'."""
    if not url or not re.match(r"^(https://|mailto:)\S+$", url):
        return Markup("#")
    return Markup(html.escape(url, quote=True))
