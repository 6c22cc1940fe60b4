"""Pictures: colours for the inline SVG defense heatmap (function bars are plain CSS).

Only numbers are computed here; the SVG markup itself is in the templates.
Every picture also has a text alternative in the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from . import registry, standing
from .model import Framework
from .score import ProviderScore, Score

# Colours: generator/registry.py (SCALE, IMAGE).
SCALE = registry.SCALE
GATED = (registry.IMAGE["gated"], registry.IMAGE["muted"])


def step_floors() -> list[int]:
    """The lowest score shown in each step of SCALE (the legend prints them; `swatch` is the rule)."""
    n = len(SCALE)
    return [(101 * i + n - 1) // n for i in range(n)]


@dataclass(frozen=True)
class Swatch:
    fill: str
    text: str
    label: str


def swatch(s: Score) -> Swatch:
    """Fill and label for a score: gated or empty scores are grey with a question mark."""
    if s.applicable == 0:
        return Swatch(registry.IMAGE["paper"], registry.IMAGE["muted"], "")
    if s.value is None:
        return Swatch(*GATED, "?")
    step = min(len(SCALE) - 1, s.value * len(SCALE) // 101)
    fill, text = SCALE[step]
    return Swatch(fill, text, str(s.value))


# The Cyber Defense Matrix heatmap of a provider page (templates/_heatmap.j2), in SVG units: a cell
# (with a gap of 2), the margin left of the cells (asset class titles) and above them (function titles).
CELL_WIDTH, CELL_HEIGHT, HEATMAP_LEFT, HEATMAP_TOP = 96, 40, 100, 30


class HeatmapCell(NamedTuple):
    x: int
    centre: float  # x of its text
    fill: str
    ink: str  # colour of its text
    label: str  # the score, "?" or empty
    applicable: int  # criteria behind it
    value_y: float  # baseline of the score
    count_y: float  # baseline of the criteria count


class HeatmapRow(NamedTuple):
    title: str  # the asset class
    y: int
    title_y: float
    cells: list[HeatmapCell]  # one per function but Govern


class Heatmap(NamedTuple):
    """Every position and colour of one provider's heatmap: five functions (ID..RC) across, five
    asset classes down, and a Govern band spanning them."""

    width: int
    height: int
    cell_width: int  # drawn width and height of a cell
    cell_height: int
    heads: list[tuple[float, str]]  # x and title of each function column
    head_y: int
    title_x: int  # right end of the row titles
    rows: list[HeatmapRow]
    govern: HeatmapRow  # the Govern band: one cell, as wide as a row (title empty: the template names it)
    govern_width: int


def heatmap(s: ProviderScore, framework: Framework) -> Heatmap:
    """The provider's heatmap as numbers and colours (a provider page draws it: computed here once,
    not by the template's arithmetic for each of its 26 cells)."""
    cw, ch, left, top = CELL_WIDTH, CELL_HEIGHT, HEATMAP_LEFT, HEATMAP_TOP
    fns = [f for f in framework.functions if f.id != "govern"]
    assets = framework.asset_classes
    cells = s.cells([f.id for f in fns], [a.id for a in assets])
    rows = []
    for i, a in enumerate(assets):
        y = top + ch * i
        row = []
        for j, f in enumerate(fns):
            cell = cells[f.id, a.id]
            sw = swatch(cell)
            centre = left + cw * j + cw / 2 - 1
            value_y = y + ch / 2 + (1 if cell.applicable else 5)
            row.append(HeatmapCell(left + cw * j, centre, sw.fill, sw.text, sw.label, cell.applicable, value_y, y + ch / 2 + 13))
        rows.append(HeatmapRow(a.title, y, y + ch / 2 + 5, row))
    gy = top + ch * len(assets) + 8
    govern = s.functions["govern"]
    gsw = swatch(govern)
    centre = left + (cw * len(fns)) / 2
    band = HeatmapCell(left, centre, gsw.fill, gsw.text, gsw.label, govern.applicable, gy + ch / 2 + 1, gy + ch / 2 + 13)
    heads = [(left + cw * j + cw / 2, f.title) for j, f in enumerate(fns)]
    width = left + cw * len(fns)
    govern_row = HeatmapRow("", gy, gy + ch / 2 + 5, [band])
    return Heatmap(width, top + ch * len(assets) + 56, cw - 2, ch - 2, heads, top - 10, left - 8, rows, govern_row, cw * len(fns) - 2)


@dataclass(frozen=True)
class Label:
    pid: str
    name: str
    x: float  # start of the text
    y: float  # baseline


@dataclass(frozen=True)
class Point:
    """One marker; providers with identical scores share it and their labels are stacked beside it."""

    x: float
    y: float
    structural: int
    situational: int
    labels: tuple[Label, ...]
    leader: tuple[float, float, float, float] | None = None  # a line from the marker to a label placed farther away
    hidden: int = 0  # providers on this marker whose names did not fit (the last label says how many)

    @property
    def count(self) -> int:
        """Providers on this marker."""
        return len([lb for lb in self.labels if lb.pid]) + self.hidden


# Plot area of the "walls vs defenders" charts, in SVG units; labels stay inside the frame
# (the plot plus a right margin of LABEL_MARGIN for labels of points near the right edge).
PLOT = {"left": 60, "top": 20, "size": 460}
LABEL_MARGIN = 150
CHAR_WIDTH, LINE = 6.6, 13
LEADER_FROM = 16  # a label farther than this from its marker gets a leader line
NEAR = 72  # labels are looked for within this distance of their marker first  # a typical lowercase character of an 11px label; line height


def text_width(text: str) -> float:
    """Generous width of an 11px sans-serif label (wide, capital and narrow characters measured apart),
    so a placed label never covers its neighbour even though the reader's font is unknown."""

    def char(ch: str) -> float:
        if ch in "mwMW@%":
            return 10.5
        if ch.isupper() or ch.isdigit():
            return 8.0
        if ch in "ijlftr.,:;'()[] |!":
            return 4.4
        return CHAR_WIDTH

    return sum(char(ch) for ch in text)


class _Boxes:
    """Label and marker boxes bucketed on a coarse grid, so collision checks stay cheap at 1,000 points."""

    CELL = 40

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _keys(self, box: tuple[float, float, float, float]) -> Iterator[tuple[int, int]]:
        x0, y0, x1, y1 = box
        for cx in range(int(x0 // self.CELL), int(x1 // self.CELL) + 1):
            for cy in range(int(y0 // self.CELL), int(y1 // self.CELL) + 1):
                yield cx, cy

    def add(self, box: tuple[float, float, float, float]) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def collides(self, box: tuple[float, float, float, float]) -> bool:
        """Whether `box` overlaps a box added before (only the boxes of the cells it touches are compared)."""
        x0, y0, x1, y1 = box
        for key in self._keys(box):
            for bx0, by0, bx1, by1 in self.cells.get(key, ()):
                if x0 < bx1 and x1 > bx0 and y0 < by1 and y1 > by0:
                    return True
        return False


def _distance(x: float, y: float, box: tuple[float, float, float, float]) -> float:
    """How far a point is from a box (0 inside), Manhattan."""
    return max(0.0, box[0] - x, x - box[2]) + max(0.0, box[1] - y, y - box[3])


def frame() -> tuple[float, float, float, float]:
    """The box every label must stay inside: x0, y0, x1, y1."""
    left, top, size = PLOT["left"], PLOT["top"], PLOT["size"]
    return left, top, left + size + LABEL_MARGIN, top + size


def more_label(hidden: int) -> str:
    """The last line of a label block too tall for the chart: how many names it leaves to the table."""
    return f"+ {hidden} more (see the table)"


def _place(x: float, y: float, w: float, h: float, boxes: _Boxes) -> tuple[float, float, float, float] | None:
    """The first free spot for a w x h label block beside the marker at (x, y) inside the frame
    (right, left, above, below, then every spot on a half-line grid up to NEAR away, nearest first,
    then farther up or down), or None."""
    fx0, fy0, fx1, fy1 = frame()
    candidates = [(x + 9, y - h / 2), (x - 9 - w, y - h / 2), (x - w / 2, y - 9 - h), (x - w / 2, y + 9)]
    half = LINE / 2
    steps = int(NEAR // half)  # every spot on a half-line grid up to NEAR away from the marker, nearest first
    grid = [(x + 9 + i * half, y - h / 2 + j * half) for i in range(-steps - int(w // half) - 3, steps + 1) for j in range(-steps - 2, steps + 3)]
    # nearest first, ties in grid order: _distance(x, y, (cx, cy, cx + w, cy + h)) of each spot, written out (this sort is most of the chart's time)
    distances = [max(0.0, cx - x, x - (cx + w)) + max(0.0, cy - y, y - (cy + h)) for cx, cy in grid]
    candidates += [grid[i] for i in sorted(range(len(grid)), key=distances.__getitem__)]
    for step in range(1, 40):
        for dx in (x + 9, x - 9 - w, x - w / 2):
            candidates += [(dx, y - h / 2 - step * LINE), (dx, y - h / 2 + step * LINE)]
    for bx, by in candidates:
        box = (bx, by, bx + w, by + h)
        if bx >= fx0 + 2 and by >= fy0 and bx + w <= fx1 and by + h <= fy1 and not boxes.collides(box):
            return box
    return None


def scatter(scores: dict[str, ProviderScore], kind: str | None = None) -> tuple[list[Point], list[str]]:
    """Providers (of one kind, or all) placed by structural (x) and situational (y) score. Providers
    with the same two scores share one marker, their names stacked in one label block. Each block goes
    to the first free spot around its marker inside the frame (right, left, above, below, then farther
    up or down), so labels never overlap markers or each other and never leave the frame.
    Discontinued providers are not plotted. Returns the points and the names of providers left out for
    insufficient coverage."""
    left, top, size = PLOT["left"], PLOT["top"], PLOT["size"]
    tallest = int(size // LINE)  # lines a label block can have at most
    shared: dict[tuple[int, int], list[tuple[str, str]]] = {}
    missing = []
    for pid, ps in scores.items():
        if (kind is not None and ps.provider.kind.value != kind) or not standing.ranked_in_kind(ps):
            continue  # another kind, or discontinued (listed under the kind's table instead)
        st, si = ps.groups["structural"].value, ps.groups["situational"].value
        if st is None or si is None:
            missing.append(ps.provider.name)
            continue
        shared.setdefault((st, si), []).append((pid, ps.provider.name))
    boxes = _Boxes()
    for st, si in shared:  # markers are obstacles for every label
        x, y = left + size * st / 100, top + size * (1 - si / 100)
        boxes.add((x - 6, y - 6, x + 6, y + 6))
    points: list[Point] = []
    for (st, si), members in sorted(shared.items(), key=lambda item: (-item[0][1], item[0][0])):
        members = sorted(members, key=lambda m: (m[1].lower(), m[0]))
        x, y = left + size * st / 100, top + size * (1 - si / 100)

        # The whole block if it fits; else fewer names and a "+ N more" line (the table below the
        # chart lists everyone); else the marker alone (only with hundreds of providers on one spot).
        def spot(shown: int, members: list[tuple[str, str]] = members, x: float = x, y: float = y) -> tuple[float, float, float, float] | None:
            lines = [name for _, name in members[:shown]] + ([more_label(len(members) - shown)] if shown < len(members) else [])
            return _place(x, y, max(text_width(line) for line in lines), LINE * len(lines), boxes)

        shown = len(members)
        chosen = spot(shown) if shown <= tallest else None
        if chosen is None:  # the most names that fit, found by halving (a taller block rarely fits where a shorter one does not)
            low, high = -1, min(shown, tallest) - 1  # spot(low) fits (-1: none tried yet), spot(high + 1) does not
            while low < high:
                mid = (low + high + 1) // 2
                if (found := spot(mid)) is not None:
                    low, chosen = mid, found
                else:
                    high = mid - 1
            shown = low
            if chosen is None and low >= 0:
                chosen = spot(low)
        if chosen is None:
            points.append(Point(round(x, 1), round(y, 1), st, si, (), None, len(members)))
            continue
        hidden = len(members) - shown
        members = members[:shown] + ([("", more_label(hidden))] if hidden else [])
        boxes.add(chosen)
        bx, by = chosen[0], chosen[1]
        labels = tuple(Label(pid, name, round(bx, 1), round(by + LINE * (i + 1) - 3, 1)) for i, (pid, name) in enumerate(members))
        leader = None
        if _distance(x, y, chosen) > LEADER_FROM:
            # to the nearest point of the label block
            lx, ly = min(max(x, chosen[0]), chosen[2]), min(max(y, chosen[1]), chosen[3])
            leader = (round(x, 1), round(y, 1), round(lx, 1), round(ly, 1))
        points.append(Point(round(x, 1), round(y, 1), st, si, labels, leader, hidden))
    return points, missing
