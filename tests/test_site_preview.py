"""The site's link preview (previews/site.png): the home page's per-kind charts drawn from the scores,
deterministic, with the text drawn through safe.plain_line; the home page names it with an og:image:alt."""

from __future__ import annotations

import io

from PIL import Image

from generator import build, preview, score
from generator.check import check_tree

from .conftest import AS_OF


def _marker_pixels(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    marker = tuple(int(preview.GROUP_COLOUR["situational"][i : i + 2], 16) for i in (1, 3, 5))
    raw = image.tobytes()
    return sum(1 for i in range(0, len(raw), 3) if raw[i : i + 3] == bytes(marker))


def test_one_chart_per_kind_with_each_providers_two_scores(project):
    dataset, problems = check_tree(project, AS_OF)
    assert not problems
    scores = score.score_all(dataset, AS_OF)
    charts = preview.site_charts(scores)
    kinds = sorted({ps.provider.kind.value for ps in scores.values()})
    assert [c.title for c in charts] == [preview.CHART_TITLE[k] for k in ["service", "software"] if k in kinds]
    for chart, kind in zip(charts, [k for k in ["service", "software"] if k in kinds], strict=True):
        expected = sorted(
            (ps.groups["structural"].value, ps.groups["situational"].value)
            for ps in scores.values()
            if ps.provider.kind.value == kind and None not in (ps.groups["structural"].value, ps.groups["situational"].value)
        )
        assert list(chart.points) == expected and chart.square == (kind == "software")


def test_every_plotted_provider_is_a_marker_on_the_image():
    one = preview.site_png([preview.Chart("Hosted services", False, ((20, 30),), 0)], "2026-11-27")
    two = preview.site_png([preview.Chart("Hosted services", False, ((20, 30), (70, 80)), 0)], "2026-11-27")
    none = preview.site_png([preview.Chart("Hosted services", False, (), 0)], "2026-11-27")
    marker = _marker_pixels(one) - _marker_pixels(none)
    assert marker > 50  # a visible marker
    assert _marker_pixels(two) - _marker_pixels(none) == 2 * marker
    moved = preview.site_png([preview.Chart("Hosted services", False, ((60, 30),), 0)], "2026-11-27")
    assert moved != one and _marker_pixels(moved) == _marker_pixels(one)
    assert Image.open(io.BytesIO(one)).size == (1200, 630)


def test_the_preview_is_deterministic_and_draws_one_line_of_text():
    charts = [preview.Chart("Hosted\n  services", False, ((20, 30),), 2), preview.Chart("Self-hostable servers", True, ((50, 50),), 0)]
    assert preview.site_png(charts, "2026-11-27") == preview._site_png.__wrapped__(tuple(charts), "2026-11-27")
    flat = [preview.Chart("Hosted services", False, ((20, 30),), 2), charts[1]]
    assert preview.site_png(charts, "2026-11-27") == preview.site_png(flat, "2026-11-27")  # a newline is drawn as a space


def test_home_names_the_site_preview_with_an_alt_text(project):
    files = build.generate(build.Settings(project, AS_OF), background=False)
    home = files["index.md"].decode()
    assert "\nimage: previews/site.png\n" in home
    alt = next(line for line in home.splitlines() if line.startswith("image_alt: "))
    assert "hosted services, self-hostable servers" in alt and AS_OF.isoformat() in alt
    assert files["previews/site.png"] == preview.site_png(
        preview.site_charts(score.score_all(check_tree(project, AS_OF)[0], AS_OF)), AS_OF.isoformat()
    )


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = bytes.fromhex(hex_colour[1:])
    return value[0], value[1], value[2]


def _inked(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    return sum(1 for v in image.crop(box).convert("L").tobytes() if v < 200)


def test_each_chart_is_a_framed_330_pixel_square_with_grid_lines_and_its_markers():
    """Worked out from the layout: charts share the width 1100 (from x=60, 40 apart); each plot is a square
    of min(panel - 100, 330) pixels, 80 right of its panel's start and 175 from the top; a point (st, si)
    is at (x0 + st % of the side, y0 + side - si % of it); circles (radius 7) for services, squares (6)
    for software, filled in the situational colour with an ink outline."""
    from generator import registry

    paper, track, muted, ink = (_rgb(registry.IMAGE[k]) for k in ("paper", "track", "muted", "ink"))
    marker = _rgb(registry.IMAGE["situational"])
    charts = [preview.Chart("Hosted services", False, ((40, 60),), 0), preview.Chart("Self-hostable servers", True, ((40, 60),), 3)]
    image = Image.open(io.BytesIO(preview.site_png(charts, "2026-11-27"))).convert("RGB")
    px = image.getpixel
    assert px((0, 0)) == px((1200 - 1, 16)) == marker and px((600, 17)) == paper  # the band across the top
    for x0 in (140, 710):  # panel 530 wide: 60 + 80 and 60 + 530 + 40 + 80
        y0, side = 175, 330
        assert [px((x, y0 + 100)) for x in (x0 - 1, x0, x0 + 1, x0 + 2)] == [paper, muted, muted, paper]  # frame 2 wide
        assert [px((x0 + side + d, y0 + 100)) for d in (-2, -1, 0, 1, 2)] == [paper, muted, muted, paper, paper]
        assert [px((x0 + 100, y)) for y in (y0 - 1, y0, y0 + 1, y0 + 2, y0 + side - 1, y0 + side, y0 + side + 1, y0 + side + 2)] == [
            paper,
            muted,
            muted,
            paper,
            muted,
            muted,
            paper,
            paper,
        ]
        for d in (82, 165, 247):  # grid at 25, 50, 75 % of 330, inside the frame
            assert [px((x0 + d, y)) for y in (y0 + 2, y0 + 50, y0 + side - 2)] == [track] * 3 and px((x0 + d + 1, y0 + 50)) == paper
            assert [px((x, y0 + side - d)) for x in (x0 + 2, x0 + 50, x0 + side - 2)] == [track] * 3 and px((x0 + 50, y0 + side - d - 1)) == paper
        cx, cy = x0 + 132, y0 + side - 198  # (40, 60)
        assert px((cx, cy)) == marker and px((cx - 5, cy)) == marker
        if x0 == 140:  # circle: its outline 7 out, a corner 6, 6 away is outside it
            assert [px((cx + d, cy)) for d in (6, 7, 8)] == [marker, ink, paper] and px((cx, cy - 7)) == ink
            assert px((cx + 6, cy + 6)) == paper and px((cx - 6, cy - 6)) == paper
        else:  # square: outline 6 out, corners included
            assert [px((cx + d, cy)) for d in (5, 6, 7)] == [marker, ink, paper] and px((cx, cy - 6)) == ink
            assert px((cx + 6, cy + 6)) == ink and px((cx - 6, cy - 6)) == ink and px((cx - 7, cy - 7)) == paper
    # "Not plotted (insufficient coverage): 3" under the second chart only (54 below its plot)
    assert _inked(image, (650, 559, 1150, 580)) > 50 and _inked(image, (60, 559, 600, 580)) == 0
    assert _inked(image, (60, 131, 600, 160)) > 100 and _inked(image, (630, 131, 1150, 160)) > 100  # titles 44 above the plots


def test_three_charts_share_the_width_with_smaller_squares():
    from generator import registry

    muted = _rgb(registry.IMAGE["muted"])
    charts = [preview.Chart(title, False, (), 0) for title in ("A", "B", "C")]
    image = Image.open(io.BytesIO(preview.site_png(charts, "2026-11-27"))).convert("RGB")
    for x0 in (140, 520, 900):  # panel (1100 - 2 * 40) // 3 = 340, plot 240
        assert image.getpixel((x0, 300)) == muted and image.getpixel((x0 + 240, 300)) == muted and image.getpixel((x0 + 241, 300)) != muted


def test_a_chart_title_too_wide_for_its_panel_is_shrunk_and_cut():
    long = preview.Chart("A very long title for a chart of providers " * 4, False, (), 0)
    image = Image.open(io.BytesIO(preview.site_png([long, long], "2026-11-27"))).convert("RGB")
    # the first panel's title stays in its 530 pixels: nothing between the panels (590..630) in the title row
    assert _inked(image, (60, 120, 590, 165)) > 100 and _inked(image, (591, 120, 629, 165)) == 0
