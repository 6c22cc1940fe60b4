"""Pictures: colours for the inline SVG defense heatmap (function bars are plain CSS).

Only numbers are computed here; the SVG markup itself is in the templates.
Every picture also has a text alternative in the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from .score import Score

# Sequential blue scale, light to dark; text colour chosen per step for WCAG AA contrast.
SCALE = [
    ("#eef3fb", "#1a1a1a"),
    ("#c9dcf2", "#1a1a1a"),
    ("#93b9e3", "#1a1a1a"),
    ("#4f8ccb", "#ffffff"),
    ("#1f5fa8", "#ffffff"),
    ("#0b3a73", "#ffffff"),
]
GATED = ("#f2f2f2", "#4d4d4d")


@dataclass(frozen=True)
class Swatch:
    fill: str
    text: str
    label: str


def swatch(s: Score) -> Swatch:
    """Fill and label for a score: gated or empty scores are grey with a question mark."""
    if s.applicable == 0:
        return Swatch("#ffffff", "#4d4d4d", "")
    if s.value is None:
        return Swatch(*GATED, "?")
    step = min(len(SCALE) - 1, s.value * len(SCALE) // 101)
    fill, text = SCALE[step]
    return Swatch(fill, text, str(s.value))

