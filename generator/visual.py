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
    ("#4f8ccb", "#1a1a1a"),
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



@dataclass(frozen=True)
class Point:
    pid: str
    name: str
    kind: str
    x: float
    y: float
    label_x: float
    label_y: float
    structural: int
    situational: int


# Plot area of the home page's "walls vs defenders" chart, in SVG units.
PLOT = {"left": 60, "top": 20, "size": 460}
CHAR_WIDTH, LINE = 6.2, 12


class _Boxes:
    """Label and marker boxes bucketed on a coarse grid, so collision checks stay cheap at 1,000 points."""

    CELL = 40

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, float, float, float]]] = {}

    def _keys(self, box: tuple[float, float, float, float]):
        x0, y0, x1, y1 = box
        for cx in range(int(x0 // self.CELL), int(x1 // self.CELL) + 1):
            for cy in range(int(y0 // self.CELL), int(y1 // self.CELL) + 1):
                yield cx, cy

    def add(self, box: tuple[float, float, float, float]) -> None:
        for key in self._keys(box):
            self.cells.setdefault(key, []).append(box)

    def collides(self, box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        return any(x0 < bx1 and x1 > bx0 and y0 < by1 and y1 > by0
                   for key in self._keys(box) for bx0, by0, bx1, by1 in self.cells.get(key, ()))


def scatter(scores: dict) -> tuple[list[Point], list[str]]:
    """Providers placed by structural (x) and situational (y) score, each label put at the first
    free spot around its point (right, left, above, below), so labels stay next to their points.
    Returns the points and the names of providers left out for insufficient coverage."""
    left, top, size = PLOT["left"], PLOT["top"], PLOT["size"]
    placed, missing = [], []
    for pid, ps in scores.items():
        st, si = ps.groups["structural"].value, ps.groups["situational"].value
        if st is None or si is None:
            missing.append(ps.provider.name)
            continue
        placed.append((pid, ps.provider.name, ps.provider.kind.value, left + size * st / 100, top + size * (1 - si / 100), st, si))
    # Markers are obstacles for every label.
    boxes = _Boxes()
    for _, _, _, x, y, _, _ in placed:
        boxes.add((x - 6, y - 6, x + 6, y + 6))
    points: list[Point] = []
    for pid, name, kind, x, y, st, si in sorted(placed, key=lambda p: (p[4], p[3], p[0])):
        w = CHAR_WIDTH * len(name)
        candidates = [(x + 8, y + 4), (x - 8 - w, y + 4), (x - w / 2, y - 9), (x - w / 2, y + 17),
                      (x + 8, y - 8), (x + 8, y + 16), (x - 8 - w, y - 8), (x - 8 - w, y + 16)]
        chosen = None
        for lx, ly in candidates:
            box = (lx, ly - LINE + 3, lx + w, ly + 3)
            if lx >= 2 and not boxes.collides(box):
                chosen = (lx, ly)
                break
        if chosen is None:  # crowded: keep it to the right, below the other labels
            lx, ly = x + 8, y + 4
            while boxes.collides((lx, ly - LINE + 3, lx + w, ly + 3)):
                ly += LINE
            chosen = (lx, ly)
        lx, ly = chosen
        boxes.add((lx, ly - LINE + 3, lx + w, ly + 3))
        points.append(Point(pid, name, kind, round(x, 1), round(y, 1), round(lx, 1), round(ly, 1), st, si))
    return points, missing
