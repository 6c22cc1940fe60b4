"""Safe rendering of contributor text.

Contributor text is Markdown-light (emphasis, code, links, lists). It is converted with
Python-Markdown, which has no safe mode, and then cleaned by nh3 (ammonia) with an
explicit allow-list: no raw HTML, no script, links only https: and mailto:.
Plain values (names, titles) are escaped for both HTML and Markdown.
"""

from __future__ import annotations

import html
import json
import re

import markdown
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
    )
    return Markup(cleaned)


def md(text: str | None) -> Markup:
    """Escape a plain value for use in Markdown (headings, link texts)."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", html.escape(text or "", quote=False)))


def yaml_string(text: str | None) -> Markup:
    """A value for page front matter: JSON strings are valid YAML."""
    return Markup(json.dumps(text or "", ensure_ascii=False))


def href(url: str | None) -> Markup:
    """An attribute-safe link target; anything but https:/mailto: becomes '#'."""
    if not url or not re.match(r"^(https://|mailto:)\S+$", url):
        return Markup("#")
    return Markup(html.escape(url, quote=True))
