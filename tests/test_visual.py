"""visual.py: heatmap colours and the home page chart's label placement."""

from __future__ import annotations

import datetime as dt

from generator import score, visual
from generator.check import check_tree

from .conftest import ROOT


def _contrast(a: str, b: str) -> float:
    def lum(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_heatmap_text_meets_contrast_on_every_step():
    for fill, text in [*visual.SCALE, visual.GATED]:
        assert _contrast(fill, text) >= 4.5, (fill, text)


def test_swatch_never_relies_on_colour_alone():
    assert visual.swatch(score.Score(0, 0, 0, 0)).label == ""  # nothing applies
    assert visual.swatch(score.Score(100, 1, 1, 4)).label == "?"  # gated
    assert visual.swatch(score.Score(300, 4, 4, 4)).label == "75"  # mean of 4 criteria: 75


def test_chart_labels_do_not_overlap_and_stay_near_their_points():
    dataset, problems = check_tree(ROOT, dt.date.today())
    assert not problems
    dataset = dataset.published()  # the chart on the site shows published providers only
    points, missing = visual.scatter(score.score_all(dataset, dt.date.today()))
    assert len(points) + len(missing) == len(dataset.providers)
    boxes = [(p.label_x, p.label_y - visual.LINE + 3, p.label_x + visual.CHAR_WIDTH * len(p.name), p.label_y + 3) for p in points]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]), (a, b)
    for p, box in zip(points, boxes):
        distance = max(0.0, box[0] - p.x, p.x - box[2]) + max(0.0, box[1] - p.y, p.y - box[3])
        assert distance <= 40, p.name
