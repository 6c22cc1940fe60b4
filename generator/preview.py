"""Preview images: a 1200×630 PNG per provider for link previews (Open Graph, Twitter cards).

Drawn offline with Pillow and its built-in font, so no font is downloaded at build time.
Same inputs and Pillow version give the same bytes.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from . import registry, safe, score

WIDTH, HEIGHT = 1200, 630
INK, MUTED, BACKGROUND, TRACK = (registry.IMAGE[k] for k in ("ink", "muted", "paper", "track"))
GROUP_COLOUR = {group: registry.IMAGE[group] for group in ("structural", "situational")}


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], share: float) -> tuple[int, int, int]:
    """`share` of the way from colour a to colour b."""
    return (round(a[0] + (b[0] - a[0]) * share), round(a[1] + (b[1] - a[1]) * share), round(a[2] + (b[2] - a[2]) * share))


@functools.lru_cache(maxsize=1)
def _palette() -> Image.Image:
    """A fixed palette: the solid colours plus 16 anti-aliasing steps from white to each text colour.
    Mapping to a known palette is fast and keeps the PNGs small (about 18 KB instead of 48 KB per image)."""
    white = _rgb(BACKGROUND)
    colours = [white, _rgb(TRACK), *(_rgb(c) for c in GROUP_COLOUR.values())]
    for ink in (INK, MUTED):
        target = _rgb(ink)
        colours += [_mix(white, target, k / 16) for k in range(1, 17)]
    flat = [v for colour in colours for v in colour]
    image = Image.new("P", (1, 1))
    image.putpalette(flat + flat[-3:] * (256 - len(colours)))
    return image


def _png(image: Image.Image) -> bytes:
    # zlib level 1: a fifth of the default level's time (2 ms instead of 9 ms an image) for ~5 KB more.
    out = io.BytesIO()
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(out, format="PNG", optimize=False, compress_level=1)
    return out.getvalue()


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    while size > 20 and draw.textlength(text, font=_font(size)) > width:
        size -= 4
    return _font(size)


def provider_png(ps: score.ProviderScore, kind_label: str, as_of_text: str) -> bytes:
    values = tuple(ps.groups[g].value for g in ("situational", "structural"))
    return _provider_png(ps.provider.name, kind_label, values, as_of_text)


@functools.lru_cache(maxsize=4096)  # `scorecard serve` redraws only images whose inputs changed
def _provider_png(name: str, kind_label: str, values: tuple[int | None, int | None], as_of_text: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 16], fill=GROUP_COLOUR["situational"])
    draw.text((60, 50), "Messenger Defense Scorecard", font=_font(34), fill=MUTED)
    name = safe.plain_line(name)
    draw.text((60, 100), name, font=_fit(draw, name, 84, WIDTH - 120), fill=INK)
    draw.text((60, 205), kind_label, font=_font(34), fill=MUTED)
    y = 290
    for (group, label), score_value in zip(
        (("situational", "Situational (the defenders)"), ("structural", "Structural (the walls)")), values, strict=True
    ):
        draw.text((60, y), label, font=_font(38), fill=INK)
        draw.rectangle([60, y + 56, 760, y + 96], fill=TRACK)
        if score_value is not None:
            draw.rectangle([60, y + 56, 60 + round(700 * score_value / 100), y + 96], fill=GROUP_COLOUR[group])
            value = f"{score_value}/100"
        else:
            value = "insufficient coverage"
        draw.text((790, y + 50), value, font=_font(44 if score_value is not None else 34), fill=INK)
        y += 140
    draw.text((60, HEIGHT - 60), f"Public disclosure, not proof of practice. Data as of {as_of_text}.", font=_font(28), fill=MUTED)
    return _png(image)


def site_png(providers: int, criteria: int, as_of_text: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 16], fill=GROUP_COLOUR["situational"])
    draw.text((60, 70), "Messenger Defense Scorecard", font=_font(72), fill=INK)
    draw.text((60, 190), "Beyond encryption: who defends the infrastructure", font=_font(42), fill=INK)
    draw.text((60, 245), "behind our messengers?", font=_font(42), fill=INK)
    draw.text((60, 360), f"{providers} providers · {criteria} criteria · NIST CSF 2.0", font=_font(36), fill=MUTED)
    draw.text((60, HEIGHT - 60), f"Public disclosure, not proof of practice. Data as of {as_of_text}.", font=_font(28), fill=MUTED)
    return _png(image)
