"""visual.py: heatmap colours and the home page chart's label placement."""

from __future__ import annotations

import datetime as dt

from generator import score, visual
from generator.check import check_tree

from .conftest import ROOT


def _contrast(a: str, b: str) -> float:
    def lum(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_preview_colours_are_mixed_by_share():
    from generator import preview

    assert preview._mix((255, 255, 255), (0, 16, 32), 0.25) == (191, 195, 199)
    assert preview._mix((10, 20, 30), (110, 220, 30), 1.0) == (110, 220, 30)
    assert preview._mix((10, 20, 30), (110, 220, 30), 0.0) == (10, 20, 30)


def test_heatmap_text_meets_contrast_on_every_step():
    for fill, text in [*visual.SCALE, visual.GATED]:
        assert _contrast(fill, text) >= 4.5, (fill, text)


def test_swatch_never_relies_on_colour_alone():
    assert visual.swatch(score.Score(0, 0, 0, 0)).label == ""  # nothing applies
    assert visual.swatch(score.Score(100, 1, 1, 4)).label == "?"  # gated
    assert visual.swatch(score.Score(300, 4, 4, 4)).label == "75"  # mean of 4 criteria: 75


def test_chart_labels_do_not_overlap_stay_in_the_frame_and_near_their_points():
    dataset, problems = check_tree(ROOT, dt.date.today())
    assert not problems
    dataset = dataset.published()  # the charts on the site show published providers only
    scores = score.score_all(dataset, dt.date.today())
    leaders = left_ends = 0
    for kind in ("service", "software"):
        points, missing = visual.scatter(scores, kind)
        members = [s for s in scores.values() if s.provider.kind.value == kind]
        assert sum(len(p.labels) for p in points) + len(missing) == len(members)
        boxes = [(p, (lb.x, lb.y - visual.LINE + 3, lb.x + visual.text_width(lb.name), lb.y + 3)) for p in points for lb in p.labels]
        markers = [(p.x - 6, p.y - 6, p.x + 6, p.y + 6) for p in points]
        x0, y0, x1, y1 = visual.frame()
        for i, (_, a) in enumerate(boxes):
            for _, b in boxes[i + 1 :]:
                assert not (a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]), (a, b)
            for m in markers:
                assert not (a[0] < m[2] and a[2] > m[0] and a[1] < m[3] and a[3] > m[1]), (a, m)
            assert x0 <= a[0] and a[2] <= x1 and y0 <= a[1] and a[3] <= y1, a
        for p, box in boxes:
            distance = max(0.0, box[0] - p.x, p.x - box[2]) + max(0.0, box[1] - p.y, p.y - box[3])
            # The grid search reaches NEAR before trying farther up or down; in the crowded low corner the real
            # data needs that fallback (after the audits: AWS Wickr 77, Google Messages 106 away), so the bound
            # is twice NEAR: no label is ever far from its marker, and a distant one has a leader line.
            assert distance <= 2 * visual.NEAR, p
            assert distance <= visual.LEADER_FROM or p.leader, p  # a farther label is tied to its marker by a line
        left, top, size = visual.PLOT["left"], visual.PLOT["top"], visual.PLOT["size"]
        for p in points:  # each marker sits at its scores, to a tenth of a pixel
            assert (p.x, p.y) == (round(left + size * p.structural / 100, 1), round(top + size * (1 - p.situational / 100), 1)), p
        for p in points:
            if p.leader is None:
                continue
            leaders += 1
            block = [b for q, b in boxes if q is p]  # the leader ends at the nearest point of the label block
            bx0, by0, bx1, by1 = min(b[0] for b in block), min(b[1] for b in block), max(b[2] for b in block), max(b[3] for b in block)
            assert p.leader[:2] == (p.x, p.y), p
            nearest = (min(max(p.x, bx0), bx1), min(max(p.y, by0), by1))
            assert abs(p.leader[2] - nearest[0]) <= 0.15 and abs(p.leader[3] - nearest[1]) <= 0.15, (p.leader, nearest)
            if p.x < bx0:  # the leader ends on the block's left edge, where its labels start: the same tenth of a pixel
                left_ends += 1
                assert p.leader[2] == bx0, (p.leader, bx0)
    assert leaders, "the real data has labels far enough from their markers to need a leader line"
    assert left_ends, "and at least one such label block to the right of its marker"


def test_providers_with_identical_scores_share_one_marker():
    from types import SimpleNamespace as NS

    def fake(name, kind, st, si):
        return NS(provider=NS(name=name, kind=NS(value=kind), discontinued=None), groups={"structural": NS(value=st), "situational": NS(value=si)})

    scores = {"a": fake("Alpha", "service", 40, 60), "b": fake("Beta", "service", 40, 60), "c": fake("Gamma", "software", 40, 60)}
    points, _ = visual.scatter(scores, "service")
    assert len(points) == 1 and [lb.name for lb in points[0].labels] == ["Alpha", "Beta"]


def test_legend_floors_match_the_swatch_rule():
    floors = visual.step_floors()
    for step, floor in enumerate(floors):
        assert visual.swatch(score.Score(floor, 1, 1, 1)).fill == visual.SCALE[step][0]
        if floor:
            assert visual.swatch(score.Score(floor - 1, 1, 1, 1)).fill == visual.SCALE[step - 1][0]


def test_a_label_block_too_tall_for_the_chart_ends_with_how_many_names_the_table_holds():
    from types import SimpleNamespace as NS

    def fake(name, st, si):
        return NS(
            provider=NS(name=name, kind=NS(value="service"), discontinued=None), groups={"structural": NS(value=st), "situational": NS(value=si)}
        )

    # 120 providers on one spot (taller than the chart) and 3 on another: the build must not fail.
    scores = {f"p{i:03d}": fake(f"Provider {i:03d}", 50, 50) for i in range(120)}
    scores |= {f"q{i}": fake(f"Other {i}", 20, 80) for i in range(3)}
    points, missing = visual.scatter(scores, "service")
    assert not missing and sum(p.count for p in points) == 123
    crowded = next(p for p in points if p.structural == 50)
    named = [lb for lb in crowded.labels if lb.pid]
    assert crowded.hidden == 120 - len(named) > 0
    assert crowded.labels[-1].pid == "" and crowded.labels[-1].name == f"+ {crowded.hidden} more (see the table)"
    x0, y0, x1, y1 = visual.frame()
    for lb in crowded.labels:
        assert y0 <= lb.y - visual.LINE + 3 and lb.y + 3 <= y1 and x0 <= lb.x and lb.x + visual.text_width(lb.name) <= x1
    assert [lb.name for lb in next(p for p in points if p.structural == 20).labels] == ["Other 0", "Other 1", "Other 2"]


def _place_as_first_written(x, y, w, h, boxes):
    """visual._place before its grid sort was written out: the reference it must keep matching."""
    fx0, fy0, fx1, fy1 = visual.frame()
    candidates = [(x + 9, y - h / 2), (x - 9 - w, y - h / 2), (x - w / 2, y - 9 - h), (x - w / 2, y + 9)]
    half = visual.LINE / 2
    steps = int(visual.NEAR // half)
    grid = [(x + 9 + i * half, y - h / 2 + j * half) for i in range(-steps - int(w // half) - 3, steps + 1) for j in range(-steps - 2, steps + 3)]
    candidates += sorted(grid, key=lambda c: visual._distance(x, y, (c[0], c[1], c[0] + w, c[1] + h)))
    for step in range(1, 40):
        for dx in (x + 9, x - 9 - w, x - w / 2):
            candidates += [(dx, y - h / 2 - step * visual.LINE), (dx, y - h / 2 + step * visual.LINE)]
    for bx, by in candidates:
        box = (bx, by, bx + w, by + h)
        if bx >= fx0 + 2 and by >= fy0 and bx + w <= fx1 and by + h <= fy1 and not boxes.collides(box):
            return box
    return None


def test_label_spots_are_tried_nearest_first_as_before():
    """The label search sorts a grid of spots by distance (ties in grid order); the spot it picks is the
    one the plain sort picked, for markers anywhere, blocks of any size and crowded charts."""
    import random

    rng = random.Random(15)
    left, top, size = visual.PLOT["left"], visual.PLOT["top"], visual.PLOT["size"]
    boxes = visual._Boxes()
    picked = 0
    for _ in range(300):
        x, y = left + size * rng.randint(0, 100) / 100, top + size * (1 - rng.randint(0, 100) / 100)
        w, h = visual.text_width("x" * rng.randint(3, 30)), visual.LINE * rng.randint(1, 6)
        chosen = visual._place(x, y, w, h, boxes)
        assert chosen == _place_as_first_written(x, y, w, h, boxes)
        if chosen:
            boxes.add(chosen)
            picked += 1
    assert 50 < picked < 300  # the chart filled up: later blocks found no spot


def test_label_boxes_collide_exactly_when_they_overlap_an_added_box():
    import random

    rng = random.Random(16)
    boxes, added = visual._Boxes(), []
    for _ in range(200):
        x, y = rng.uniform(-50, 700), rng.uniform(-50, 500)
        box = (x, y, x + rng.uniform(1, 120), y + rng.uniform(1, 60))
        expected = any(box[0] < b[2] and box[2] > b[0] and box[1] < b[3] and box[3] > b[1] for b in added)
        assert boxes.collides(box) is expected
        if rng.random() < 0.3:
            boxes.add(box)
            added.append(box)
    assert added


def _fake_score(name, st, si, kind="service", discontinued=None):
    from types import SimpleNamespace as NS

    return NS(
        provider=NS(name=name, kind=NS(value=kind), discontinued=discontinued), groups={"structural": NS(value=st), "situational": NS(value=si)}
    )


def test_each_label_block_goes_to_the_first_free_spot_beside_its_marker():
    """Exact placement, worked out by hand: the plot is 460 units from (60, 20), so a score moves a marker
    4.6 units; a block of n names is 13n tall; names are measured by visual.text_width."""
    from types import SimpleNamespace as NS

    scores = {
        "d": _fake_score("Delta", 50, None),  # insufficient coverage: listed, not plotted (and the rest still are)
        "e": _fake_score("Echo", 10, 10, discontinued=NS(since=None)),  # discontinued: not plotted at all
        "f": _fake_score("Foxtrot", 20, 20, kind="software"),
        "a": _fake_score("Waxel", 40, 60),
        "n": _fake_score("Next", 51, 60),
        "c": _fake_score("Gamma", 70, 30),
        "b0": _fake_score("beta", 70, 30),
        "b": _fake_score("beta", 70, 30),
        "k": _fake_score("Kilo", 70, 30),
        "u": _fake_score("Under", 72, 23),
        "g": _fake_score("Wix", 50, 100),
        "h": _fake_score("Corner", 0, 100),
    }
    points, missing = visual.scatter(scores, "service")
    assert missing == ["Delta"]

    def placed(p):
        return (p.x, p.y, p.structural, p.situational, [(lb.pid, lb.name, lb.x, lb.y) for lb in p.labels], p.leader, p.hidden)

    assert [placed(p) for p in points] == [  # top row first, then left to right
        # (0, 100) is the top left corner: right, left, above and below leave the frame; of the nearest grid
        # spots (9 away) the first in grid order is 2.5 right and 6.5 below (clear of the marker's 12x12 box).
        (60.0, 20.0, 0, 100, [("h", "Corner", 62.5, 36.5)], None, 0),
        # (50, 100) on the top edge: below, centred (width of "Wix" 21.5: 290 - 10.75 = 279.25, to a tenth 279.2).
        (290.0, 20.0, 50, 100, [("g", "Wix", 279.2, 39.0)], None, 0),
        # Right of the marker, 9 units away, vertically centred (baseline 3 above the line's bottom). "Waxel"
        # (34.7 wide) ends at 287.7, just left of the next marker's box (294.6 - 6 = 288.6).
        (244.0, 204.0, 40, 60, [("a", "Waxel", 253.0, 207.5)], None, 0),
        (294.6, 204.0, 51, 60, [("n", "Next", 303.6, 207.5)], None, 0),
        # Four providers on one spot share a marker; names sorted without regard to case, then by id.
        # The block ends at 342 + 26 = 368, just above the marker below it (374.2 - 6 = 368.2).
        (
            382.0,
            342.0,
            70,
            30,
            [("b", "beta", 391.0, 326.0), ("b0", "beta", 391.0, 339.0), ("c", "Gamma", 391.0, 352.0), ("k", "Kilo", 391.0, 365.0)],
            None,
            0,
        ),
        # The right spot would cover that block, so left: 391.2 - 9 - 32.2 ("Under").
        (391.2, 374.2, 72, 23, [("u", "Under", 350.0, 377.7)], None, 0),
    ]
    everyone, _ = visual.scatter(scores)  # no kind: every kind
    assert [(p.x, p.y, [lb.name for lb in p.labels]) for p in everyone][-1] == (152.0, 388.0, ["Foxtrot"])
    assert [placed(p) for p in everyone][:-1] == [placed(p) for p in points]


def test_a_label_block_far_from_its_marker_gets_a_leader_to_the_blocks_nearest_point(monkeypatch):
    offsets = {60.0: (16, -6.5), 152.0: (16.25, -6.5), 290.0: (-60, -50.25), 428.0: (-4, 30)}  # marker x: block's offset

    def place(x, y, w, h, boxes):
        dx, dy = offsets[round(x, 1)]
        return (x + dx, y + dy, x + dx + w, y + dy + h)

    monkeypatch.setattr(visual, "_place", place)
    scores = {"a": _fake_score("A", 0, 50), "b": _fake_score("B", 20, 50), "c": _fake_score("C", 50, 50), "d": _fake_score("D", 80, 50)}
    points, _ = visual.scatter(scores, "service")
    assert [(p.x, p.y) for p in points] == [(60.0, 250.0), (152.0, 250.0), (290.0, 250.0), (428.0, 250.0)]
    assert points[0].leader is None  # 16 away: close enough
    assert points[1].leader == (152.0, 250.0, 168.2, 250.0)  # 16.25 away: to the block's left edge, at its label's tenth
    assert points[1].labels[0].x == 168.2
    assert points[2].leader == (290.0, 250.0, 238.0, 212.8)  # above left ("C" is 8 wide): to its bottom right corner (212.75)
    assert points[3].leader == (428.0, 250.0, 428.0, 280.0)  # below: straight down to its top edge
    assert [(lb.x, lb.y) for lb in points[3].labels] == [(424.0, 290.0)]


def test_a_marker_with_no_room_for_any_label_still_shows_and_counts_its_providers(monkeypatch):
    monkeypatch.setattr(visual, "_place", lambda x, y, w, h, boxes: None)
    scores = {"a": _fake_score("A", 30, 40), "b": _fake_score("B", 30, 40), "c": _fake_score("C", 50, 50)}
    points, missing = visual.scatter(scores, "service")
    assert not missing
    assert points == [visual.Point(290.0, 250.0, 50, 50, (), None, 1), visual.Point(198.0, 296.0, 30, 40, (), None, 2)]
    assert [p.count for p in points] == [1, 2]


def test_legend_floors_match_the_swatch_rule_for_a_scale_of_any_length(monkeypatch):
    for n in range(1, 16):
        monkeypatch.setattr(visual, "SCALE", [(f"#0000{i:02x}", "#ffffff") for i in range(n)])
        floors = visual.step_floors()
        assert len(floors) == n and floors[0] == 0
        steps = [visual.swatch(score.Score(value, 1, 1, 1)).fill for value in range(101)]
        assert [value for value in range(101) if value == 0 or steps[value] != steps[value - 1]] == floors, n
        # Above 100 (no data gives that: criterion points are at most 100) the top step still holds.
        assert visual.swatch(score.Score(101, 1, 1, 1)).fill == f"#0000{n - 1:02x}", n


def test_label_boxes_that_only_touch_do_not_collide():
    """Boxes are open at their edges: a label may end exactly where another box begins (lines of text
    13 apart touch), on every side and in every grid cell."""
    for base in [(0.0, 0.0, 10.0, 10.0), (35.0, 75.0, 45.0, 85.0), (200.0, 200.0, 320.0, 226.0)]:
        boxes = visual._Boxes()
        boxes.add(base)
        x0, y0, x1, y1 = base
        w, h = x1 - x0, y1 - y0
        for touching in [(x1, y0, x1 + w, y1), (x0 - w, y0, x0, y1), (x0, y1, x1, y1 + h), (x0, y0 - h, x1, y0), (x1, y1, x1 + 5, y1 + 5)]:
            assert not boxes.collides(touching), (base, touching)
        for overlapping in [(x1 - 0.1, y0, x1 + w, y1), (x0 - w, y0, x0 + 0.1, y1), (x0, y1 - 0.1, x1, y1 + h), (x0, y0 - h, x1, y0 + 0.1)]:
            assert boxes.collides(overlapping), (base, overlapping)


def test_label_widths_measure_wide_capital_and_narrow_characters_apart():
    w = visual.text_width
    assert w("m") == w("w") == w("M") == w("W") == w("@") == w("%") > w("X") == w("A") == w("Z") == w("0") == w("9")
    assert w("X") > w("x") == w("a") == w("é") == w("-") > w("i") == w("l") == w(".") == w(" ") == w("|") == w("(") == w("!")
    assert w("Wix 0") == w("W") + w("i") + w("x") + w(" ") + w("0") and w("") == 0


def test_label_spots_near_obstacles_are_tried_nearest_first_as_before():
    """Like the test above, with boxes of any size scattered close around the marker (the crowded corner
    of the real chart), so that spots a fraction of a unit apart in distance compete."""
    import random

    rng = random.Random(1)
    left, top, size = visual.PLOT["left"], visual.PLOT["top"], visual.PLOT["size"]
    differ = 0
    for _ in range(400):
        boxes = visual._Boxes()
        x, y = left + size * rng.randint(0, 100) / 100, top + size * (1 - rng.randint(0, 100) / 100)
        for _ in range(rng.randint(0, 8)):
            bx, by = x + rng.uniform(-60, 60), y + rng.uniform(-60, 60)
            boxes.add((bx, by, bx + rng.uniform(5, 60), by + rng.uniform(5, 30)))
        w = visual.text_width("".join(rng.choice("iAxmW") for _ in range(rng.randint(1, 6))))
        h = visual.LINE * rng.randint(1, 3)
        chosen = visual._place(x, y, w, h, boxes)
        assert chosen == _place_as_first_written(x, y, w, h, boxes), (x, y, w, h)
        differ += chosen is not None and chosen[:2] not in ((x + 9, y - h / 2), (x - 9 - w, y - h / 2))
    assert differ > 100  # most blocks could not go right or left of their marker
