"""Faster forms of checks (issue 15) give exactly what the plain forms they replaced gave."""

from __future__ import annotations

import sys

from generator import rules


def test_url_character_checks_match_the_loops_they_replaced_for_every_character():
    """url_problem searched for whitespace with `url != url.strip() or any(ch.isspace() ...)` and for control or
    invisible characters with `any(ord(ch) < 32 or ch in BIDI_AND_INVISIBLE or BAD_CHARACTERS.match(ch) ...)`:
    both are per character, so trying every character proves the single searches equal."""
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        assert bool(rules._WHITESPACE.search(ch)) == (ch != ch.strip() or ch.isspace()), hex(code)
        assert bool(rules._URL_INVISIBLE.search(ch)) == bool(code < 32 or ch in rules.BIDI_AND_INVISIBLE or rules.BAD_CHARACTERS.match(ch)), hex(code)
    assert rules.url_problem("https://a.example/x y", allow_mailto=False) == "URL contains whitespace"
    assert rules.url_problem("https://a.example/\u3000", allow_mailto=False) == "URL contains whitespace"
    assert rules.url_problem("https://a.example/\u200b", allow_mailto=False) == "URL contains control or invisible characters"
    assert rules.url_problem("https://a.example/\x7f", allow_mailto=False) == "URL contains control or invisible characters"
    assert rules.url_problem("https://a.example/\x01", allow_mailto=False) == "URL contains control or invisible characters"
