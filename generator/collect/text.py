"""Fetched text on its way to any output: cleaned, shortened and quoted so it cannot act.

Everything a collector read from the network goes through `code()` (or `clean()` for plain
log lines) before it reaches the Markdown report or a pull-request body: control,
bidirectional and zero-width characters are dropped, whitespace (newlines too) collapses to
one space, length is capped, and the result is an inline code span whose backtick fence is
longer than any backtick run inside, so Markdown, HTML, links, @mentions and #references in
it stay inert text.
"""

from __future__ import annotations

import re

from .. import rules

_SPACE = re.compile(r"\s+")
_BACKTICKS = re.compile(r"`+")
LIMIT = 160


def clean(value: object, limit: int = LIMIT) -> str:
    text = rules.BAD_CHARACTERS.sub("", str(value))
    text = "".join(ch for ch in text if ch not in rules.BIDI_AND_INVISIBLE)
    text = _SPACE.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def code(value: object, limit: int = LIMIT) -> str:
    """A Markdown inline code span holding the cleaned value (empty values shown as `(empty)`)."""
    text = clean(value, limit)
    if not text:
        return "(empty)"
    longest = max((len(m.group()) for m in _BACKTICKS.finditer(text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"
