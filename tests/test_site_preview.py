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
