"""Domain facts shown to readers, defined once: levels, requirement statuses, kinds, provenance, palette.

Everything that shows a level (pages, matrix cells, the search index, the criterion-page
distribution, the API's level list, the scoring code's order) reads it from here. The stylesheet
rules for levels, statuses and groups are generated from this module into `assets/registry.css`
(custom properties plus classes) and the JavaScript reads the same facts from `assets/registry.js`
(one JSON object), so no colour, label or order is written a second time in CSS or JS.

Which headline group a function belongs to, and the groups' titles and nicknames, stay in
`data/framework.yaml` (data, not code); only the groups' colours are here, with the other colours.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import Enum
from typing import TYPE_CHECKING, Literal


class Kind(str, Enum):
    service = "service"
    software = "software"
    both = "both"


class Level(str, Enum):
    full = "full"
    partial = "partial"
    not_disclosed = "not-disclosed"
    no = "no"
    na = "n/a"
    no_known_incidents = "no-known-incidents"


class Status(str, Enum):
    """What the curator found for one requirement of a criterion."""

    met = "met"
    not_found = "not-found"
    contradicted = "contradicted"


class Outcome(str, Enum):
    """A claim that is not graded by requirements."""

    na = "n/a"
    no_known_incidents = "no-known-incidents"


class Provenance(str, Enum):
    vendor_asserted = "vendor-asserted"
    third_party = "third-party"
    independently_verified = "independently-verified"


UNASSESSED = "unassessed"  # the level of an applicable criterion nobody has assessed yet

# Where the build writes the generated stylesheet and script; mkdocs.yml lists both before the hand-written ones.
CSS_PATH, JS_PATH = "assets/registry.css", "assets/registry.js"

# How a level turns into points: "all" = FULL_POINTS, "share" = FULL_POINTS × met ÷ requirements,
# "zero" = 0, None = not scored (outcomes and unassessed claims are left out of the mean).
PointsRule = Literal["all", "share", "zero"] | None

# One palette. Light and dark values (Material's "slate" scheme) of every colour the site uses for data.
PALETTE: dict[str, tuple[str, str]] = {
    "full": ("#0b6b2e", "#7fd89a"),
    "partial": ("#7a4b00", "#f0c36b"),
    "nd": ("#4d4d4d", "#c4c4c4"),
    "no": ("#a0161b", "#ff9a9a"),
    "muted": ("#4d4d4d", "#c4c4c4"),
    "structural": ("#4f8ccb", "#4f8ccb"),
    "situational": ("#0b3a73", "#93b9e3"),
    # Score bands (standing.BANDS): the background of a band word.
    "band-minimal": ("#fbe3e1", "#4a2624"),
    "band-limited": ("#fdf0d5", "#4a3b1c"),
    "band-substantial": ("#e3f0fa", "#1f3a52"),
    "band-extensive": ("#d7f0dd", "#1f4a2c"),
    # The criterion page's distribution bar: background and text of each part (same in both schemes).
    "dist-full": ("#0b3a73", "#ffffff"),
    "dist-partial": ("#93b9e3", "#1a1a1a"),
    "dist-nd": ("#e6e6e6", "#1a1a1a"),
    "dist-no": ("#a0161b", "#ffffff"),
    "dist-none": ("#f7f7f7", "#1a1a1a"),
}

# Pictures (badges, preview images, the heatmap SVG) are drawn on white in both schemes.
# Sequential blue scale for scores, light to dark; text colour chosen per step for WCAG AA contrast.
SCALE: tuple[tuple[str, str], ...] = (
    ("#eef3fb", "#1a1a1a"),
    ("#c9dcf2", "#1a1a1a"),
    ("#93b9e3", "#1a1a1a"),
    ("#4f8ccb", "#1a1a1a"),
    ("#1f5fa8", "#ffffff"),
    ("#0b3a73", "#ffffff"),
)
IMAGE: dict[str, str] = {
    "ink": "#1a1a1a",
    "paper": "#ffffff",
    "muted": "#4d4d4d",
    "track": "#e6e6e6",
    "stroke": "#8a8a8a",
    "gated": "#f2f2f2",  # a score withheld below the coverage gate
    "structural": PALETTE["structural"][0],
    "situational": PALETTE["situational"][0],
    "badge-value": SCALE[0][0],
}


@dataclass(frozen=True)
class LevelInfo:
    id: str  # the value in data files and the API
    label: str
    symbol: str  # shown with the label: a level is never told by colour alone
    css: str  # class suffix: sc-level--<css>, sc-dist--<css>
    colour: str  # a PALETTE key for its text
    dist: str  # a PALETTE key prefix for the distribution bar (dist-<dist>)
    points: PointsRule
    needs_sources: bool  # every source of such a claim supports a requirement (not-disclosed keeps "where we looked")
    meaning: str  # when a claim has this level, in words (methodology and criterion pages)

    @property
    def scored(self) -> bool:
        return self.points is not None


# In display order: the order of the criterion-page distribution, the level tables and the API's enum.
LEVELS: tuple[LevelInfo, ...] = (
    LevelInfo(Level.full.value, "Full", "●", "full", "full", "full", "all", True, "every requirement is met"),
    LevelInfo(Level.partial.value, "Partial", "◐", "partial", "partial", "partial", "share", True, "at least one requirement is met, but not all"),
    LevelInfo(
        Level.not_disclosed.value,
        "Not disclosed",
        "○",
        "not-disclosed",
        "nd",
        "nd",
        "zero",
        False,
        "no requirement is met and none is contradicted: researched, and nothing public was found",
    ),
    LevelInfo(
        Level.no.value,
        "No",
        "✕",
        "no",
        "no",
        "no",
        "zero",
        True,
        "no requirement is met and at least one is contradicted (the provider says it does not, or public evidence contradicts it)",
    ),
    LevelInfo(
        Level.no_known_incidents.value,
        "No known incidents",
        "◇",
        "nki",
        "nd",
        "none",
        None,
        False,
        "an outcome for incident-based criteria only: no publicly known incident was found. "
        "It is not scored, because silence is not evidence of a good response",
    ),
    LevelInfo(
        Level.na.value,
        "N/A",
        "–",
        "na",
        "nd",
        "none",
        None,
        False,
        "an outcome, not a level: the criterion cannot apply to this provider's design (the assessment says why)",
    ),
    LevelInfo(UNASSESSED, "Unassessed", "?", "unassessed", "nd", "none", None, False, "nobody has researched it yet; it lowers coverage"),
)
LEVEL: dict[str, LevelInfo] = {info.id: info for info in LEVELS}
ORDER: tuple[str, ...] = tuple(info.id for info in LEVELS)
SCORED: tuple[Level, ...] = tuple(Level(info.id) for info in LEVELS if info.scored)
# Levels that follow from requirement statuses (the others are outcomes or unassessed).
STATED: tuple[str, ...] = tuple(info.id for info in LEVELS if info.scored)
if TYPE_CHECKING:
    # mypy cannot build a Literal from a computed tuple, so it checks a stated level as a string;
    # pydantic (validation and the published JSON Schema's enum) gets the exact values below.
    StatedLevel = str
else:
    StatedLevel = Literal[STATED]  # Literal[("full", "partial", ...)] is Literal["full", "partial", ...]


@dataclass(frozen=True)
class StatusInfo:
    id: str
    label: str
    symbol: str
    css: str
    colour: str


STATUSES: tuple[StatusInfo, ...] = (
    StatusInfo(Status.met.value, "Met", "✓", "met", "full"),
    StatusInfo(Status.not_found.value, "Not found", "○", "not-found", "nd"),
    StatusInfo(Status.contradicted.value, "Contradicted", "✕", "contradicted", "no"),
)
STATUS: dict[str, StatusInfo] = {info.id: info for info in STATUSES}


@dataclass(frozen=True)
class KindInfo:
    id: str
    label: str  # one provider of this kind ("Kind: Hosted service")
    plural: str  # how readers name the group in ranks and counts ("3rd of 15 hosted services")
    anchor: str  # the id of the kind's section on the home page


# In display order: the home page's sections, the filters and the API's list.
KINDS: tuple[KindInfo, ...] = (
    KindInfo(Kind.service.value, "Hosted service", "hosted services", "hosted-services"),
    KindInfo(Kind.software.value, "Self-hostable software", "self-hostable servers", "self-hostable-servers"),
    KindInfo(Kind.both.value, "Service and software", "providers assessed as both service and software", "both-kinds"),
)
KIND_ORDER: tuple[str, ...] = tuple(info.id for info in KINDS)
KIND_LABEL: dict[str, str] = {info.id: info.label for info in KINDS}
KIND_PLURAL: dict[str, str] = {info.id: info.plural for info in KINDS}
KIND_ANCHOR: dict[str, str] = {info.id: info.anchor for info in KINDS}
PROVENANCE_LABEL: dict[str, str] = {
    Provenance.vendor_asserted.value: "Vendor-asserted",
    Provenance.third_party.value: "Third-party report",
    Provenance.independently_verified.value: "Independently verified",
}


def style(info: LevelInfo | StatusInfo) -> dict[str, str]:
    """What templates need to show a level or status: symbol, label and CSS class suffix."""
    return {"symbol": info.symbol, "label": info.label, "css": info.css}


def levels_help() -> str:
    """The `level:` field's description for editors (data/schema) and the field reference."""
    stated = "; ".join(f"{info.id}: {info.meaning.split(':')[0].split(' (')[0]}" for info in LEVELS if info.scored)
    return f"Optional: the level is computed from the requirement statuses ({stated}). If you state it, it must agree."


def css() -> str:
    """The generated stylesheet: custom properties for the palette (light and dark) and the classes
    that colour levels, statuses, group bars and the distribution bar."""
    light = " ".join(f"--sc-{name}: {pair[0]};" for name, pair in PALETTE.items())
    dark = " ".join(f"--sc-{name}: {pair[1]};" for name, pair in PALETTE.items() if not name.startswith("dist-"))
    lines = [
        "/* Generated by `scorecard build` from generator/registry.py. Do not edit. */",
        f":root {{ {light} }}",
        f'[data-md-color-scheme="slate"] {{ {dark} }}',
    ]
    lines += [f".sc-level--{info.css} {{ color: var(--sc-{info.colour}); }}" for info in LEVELS]
    lines += [f".sc-status--{info.css} {{ color: var(--sc-{info.colour}); }}" for info in STATUSES]
    # A status's symbol is shown before its label and not read aloud (the label says it); the first
    # declaration is for browsers without alternative text for generated content.
    lines += [f'.sc-status--{info.css}::before {{ content: "{info.symbol} "; content: "{info.symbol} " / ""; }}' for info in STATUSES]
    lines += [f".sc-dist--{info.css} {{ background: var(--sc-dist-{info.dist}); color: {PALETTE['dist-' + info.dist][1]}; }}" for info in LEVELS]
    lines += [f".sc-bar--{group} > span {{ background: var(--sc-{group}); }}" for group in ("structural", "situational")]
    return "\n".join(lines) + "\n"


def js_data() -> dict[str, object]:
    """The facts the browser scripts use (filter labels, level order and labels)."""
    return {
        "kinds": [{"id": k, "label": label} for k, label in KIND_LABEL.items()],
        "levels": [{key: value for key, value in asdict(info).items() if key in ("id", "label", "symbol", "css")} for info in LEVELS],
        "statuses": [style(info) | {"id": info.id} for info in STATUSES],
    }


def js() -> str:
    """`assets/registry.js`: one JSON object, set before the site's own script runs."""
    return (
        "// Generated by `scorecard build` from generator/registry.py. Do not edit.\n"
        f"window.scorecardRegistry = {json.dumps(js_data(), ensure_ascii=False, sort_keys=True)};\n"
    )
