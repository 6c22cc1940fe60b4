"""Preview images: a 1200×630 PNG per provider, and one of the home page's charts for the site, for link previews (Open Graph, Twitter cards).

Drawn offline with Pillow and its built-in font, so no font is downloaded at build time.
Same inputs and Pillow and zlib versions give the same bytes; the PNG is written here (`_png_of`), not by Pillow.
"""

from __future__ import annotations

import functools
import struct
import zlib
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from . import registry, safe, score, standing

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


@functools.cache
def _colours() -> tuple[tuple[int, int, int], ...]:
    """The fixed palette: the solid colours plus 16 anti-aliasing steps from white to each text colour."""
    white = _rgb(BACKGROUND)
    colours = [white, _rgb(TRACK), *(_rgb(c) for c in GROUP_COLOUR.values())]
    for ink in (INK, MUTED):
        target = _rgb(ink)
        colours += [_mix(white, target, k / 16) for k in range(1, 17)]
    return tuple(colours)


@functools.lru_cache(maxsize=1)
def _palette() -> Image.Image:
    """The fixed palette as an image to quantize to (padded to 256 entries with the last colour; of
    equally near entries the first is taken, so only the palette's own colours' indices come out).
    Mapping to a known palette is fast and keeps the PNGs small (about 18 KB instead of 48 KB per image)."""
    flat = [v for colour in _colours() for v in colour]
    image = Image.new("P", (1, 1))
    image.putpalette(flat + flat[-3:] * (256 - len(_colours())))
    return image


def _quantized(image: Image.Image) -> Image.Image:
    """`image` mapped to the fixed palette, pixel by pixel (no dithering: a pixel's colour alone decides)."""
    return image.quantize(palette=_palette(), dither=Image.Dither.NONE)


# How bands are deflated (zlib level, strategy). A band drawn for one image only (a provider's name)
# as runs of a repeated byte (Z_RLE: on these rows both faster and smaller than level 1); a band shared
# by many images (kind, a score, the rows with nothing of a provider's own) once, at level 6 (about
# three quarters of level 1's bytes), then reused, and so is the site's image; a provider's image
# drawn whole (its parts overlap) at level 1.
OWN, SHARED, WHOLE = (1, zlib.Z_RLE), (6, zlib.Z_DEFAULT_STRATEGY), (1, zlib.Z_DEFAULT_STRATEGY)


@dataclass(frozen=True)
class _Deflated:
    """A band of whole image rows (each row prefixed with PNG filter 0), deflated on its own: a raw
    deflate stream ending with a sync flush (byte-aligned, not final), so bands can be concatenated."""

    data: bytes
    adler: int  # Adler-32 of the filtered rows
    size: int  # length of the filtered rows


def _deflated(rows: Image.Image, how: tuple[int, int]) -> _Deflated:
    """`rows` (a quantized image) deflated at zlib level `how[0]` with strategy `how[1]`."""
    raw, width = rows.tobytes(), rows.width
    filtered = b"".join(b"\0" + raw[i : i + width] for i in range(0, len(raw), width))
    compressor = zlib.compressobj(how[0], zlib.DEFLATED, -15, 8, how[1])
    data = compressor.compress(filtered) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return _Deflated(data, zlib.adler32(filtered), len(filtered))


def _adler_combined(first: int, second: int, second_size: int) -> int:
    """Adler-32 of two byte strings joined, from each one's (zlib's adler32_combine)."""
    base = 65521
    rem = second_size % base
    low = ((first & 0xFFFF) + (second & 0xFFFF) + base - 1) % base
    high = (rem * (first & 0xFFFF) + (first >> 16) + (second >> 16) + base - rem) % base
    return low | (high << 16)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


_FINAL_BLOCK = b"\x03\x00"  # an empty final block (fixed codes): ends the deflate stream after the bands


def _png_of(width: int, bands: list[_Deflated]) -> bytes:
    """A palette PNG (8 bits per pixel, no interlacing) whose pixel rows are the bands in
    order, in one IDAT chunk: a zlib stream made of the bands' deflate streams and one Adler-32 over
    all rows. Its palette: the fixed palette's colours (the indices the rows can hold)."""
    adler = 1  # Adler-32 of no bytes
    for band in bands:
        adler = _adler_combined(adler, band.adler, band.size)
    stream = b"\x78\x9c" + b"".join(band.data for band in bands) + _FINAL_BLOCK + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, sum(band.size for band in bands) // (width + 1), 8, 3, 0, 0, 0)
    palette = bytes(v for colour in _colours() for v in colour)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"PLTE", palette) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def _png(image: Image.Image, how: tuple[int, int] = WHOLE) -> bytes:
    """A quantized image as PNG, deflated whole."""
    return _png_of(image.width, [_deflated(image, how)])


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return _font(_fit_size(draw, text, size, width))


def _fit_size(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> int:
    """The largest size (down from `size` in steps of 4, at least 20) at which `text` fits `width`."""
    while size > 20 and draw.textlength(text, font=_font(size)) > width:
        size -= 4
    return size


_DRAWN: dict[tuple[str, str, tuple[int | None, int | None], str], bytes] | None = None
_DRAWN_MAX = 4096


def remember_drawn(on: bool) -> None:
    """`scorecard serve`: keep drawn images and redraw only those whose inputs changed. A one-off
    build keeps none (at 1,000 providers they would be 50 MB held to the end)."""
    global _DRAWN
    _DRAWN = {} if on else None


def provider_png(ps: score.ProviderScore, kind_label: str, as_of_text: str) -> bytes:
    key = (ps.provider.name, kind_label, (ps.groups["situational"].value, ps.groups["structural"].value), as_of_text)
    if _DRAWN is not None and key in _DRAWN:
        return _DRAWN[key]
    png = _provider_png(*key)
    if _DRAWN is not None:
        if len(_DRAWN) >= _DRAWN_MAX:
            _DRAWN.clear()
        _DRAWN[key] = png
    return png


Box = tuple[int, int, int, int]  # left, top, right, bottom (exclusive): the pixels a drawing step may change


@dataclass(frozen=True)
class _Step:
    """One drawing step of a provider image: a filled rectangle (`text` empty) or a line of text."""

    box: Box
    fill: str
    xy: tuple[int, int] = (0, 0)
    text: str = ""
    size: int = 0
    static: bool = False  # the same on every provider's image of one as-of date
    shared: bool = False  # likely the same on other providers' images (kind, score): its stamp is kept

    def draw(self, draw: ImageDraw.ImageDraw, origin: tuple[int, int] = (0, 0)) -> None:
        """Draw the step on an image whose top left corner is `origin` of the full image."""
        dx, dy = origin
        if self.text:
            draw.text((self.xy[0] - dx, self.xy[1] - dy), self.text, font=_font(self.size), fill=self.fill)
        else:
            x0, y0, x1, y1 = self.box
            draw.rectangle([x0 - dx, y0 - dy, x1 - 1 - dx, y1 - 1 - dy], fill=self.fill)


_MEASURE = ImageDraw.Draw(Image.new("RGB", (1, 1)))


@functools.lru_cache(maxsize=1024)  # measuring text is a third of a millisecond; most lines are on every image
def _text(xy: tuple[int, int], text: str, size: int, fill: str, static: bool = False, shared: bool = False) -> _Step:
    left, top, right, bottom = _MEASURE.textbbox(xy, text, font=_font(size))
    pad = 2  # a margin around the glyphs' box: a box only needs to hold every pixel the step changes
    box = (max(0, int(left) - pad), max(0, int(top) - pad), min(WIDTH, int(right) + pad), min(HEIGHT, int(bottom) + pad))
    return _Step(box, fill, xy, text, size, static, shared)


def _rect(x0: int, y0: int, x1: int, y1: int, fill: str, static: bool = False, shared: bool = False) -> _Step:
    """PIL's rectangle [x0, y0, x1, y1] includes both corners."""
    return _Step((x0, y0, x1 + 1, y1 + 1), fill, static=static, shared=shared)


def _provider_steps(name: str, kind_label: str, values: tuple[int | None, int | None], as_of_text: str) -> list[_Step]:
    """A provider image as drawing steps, in drawing order (later steps paint over earlier ones)."""
    name = safe.plain_line(name)
    steps = [
        _rect(0, 0, WIDTH, 16, GROUP_COLOUR["situational"], static=True),
        _text((60, 50), "Messenger Defense Scorecard", 34, MUTED, static=True),
        _text((60, 100), name, _fit_size(_MEASURE, name, 84, WIDTH - 120), INK),
        _text((60, 205), kind_label, 34, MUTED, shared=True),
    ]
    y = 290
    for (group, label), score_value in zip(
        (("situational", "Situational (the defenders)"), ("structural", "Structural (the walls)")), values, strict=True
    ):
        steps.append(_text((60, y), label, 38, INK, static=True))
        steps.append(_rect(60, y + 56, 760, y + 96, TRACK, static=True))
        if score_value is not None:
            steps.append(_rect(60, y + 56, 60 + round(700 * score_value / 100), y + 96, GROUP_COLOUR[group], shared=True))
            steps.append(_text((790, y + 50), f"{score_value}/100", 44, INK, shared=True))
        else:
            steps.append(_text((790, y + 50), "insufficient coverage", 34, INK, shared=True))
        y += 140
    steps.append(_text((60, HEIGHT - 60), f"Public disclosure, not proof of practice. Data as of {as_of_text}.", 28, MUTED, static=True))
    return steps


def _drawn(steps: list[_Step]) -> Image.Image:
    """Every step drawn in order on a blank image (RGB)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for step in steps:
        step.draw(draw)
    return image


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _stampable(steps: list[_Step]) -> bool:
    """Whether drawing the static steps first and then each other step on its own (on a copy of its box)
    gives the same pixels as drawing every step in order: no other step's box may overlap a step drawn
    after it (static or not)."""
    return not any(_overlap(step.box, later.box) for i, step in enumerate(steps) if not step.static for later in steps[i + 1 :])


@functools.lru_cache(maxsize=2)
def _base(static: tuple[_Step, ...]) -> tuple[Image.Image, Image.Image]:
    """The static steps drawn once (per as-of date): in RGB (to draw the other steps on) and quantized."""
    image = _drawn(list(static))
    return image, _quantized(image)


def _stamp(base: Image.Image, step: _Step, static: tuple[_Step, ...]) -> Image.Image:
    """The step's box of `base` with the step drawn on it, quantized. Text on plain background (no
    static step in its box) is drawn as coverage only, each coverage then mapped to the palette index
    its blend of ink and background quantizes to: the same pixels without blending or quantizing."""
    x0, y0, x1, y1 = step.box
    if step.text and not any(_overlap(step.box, other.box) for other in static):
        coverage = Image.new("L", (x1 - x0, y1 - y0))
        ImageDraw.Draw(coverage).text((step.xy[0] - x0, step.xy[1] - y0), step.text, font=_font(step.size), fill=255)
        return Image.frombytes("P", coverage.size, coverage.tobytes().translate(_ink_indices(step.fill)))
    crop = base.crop(step.box)
    step.draw(ImageDraw.Draw(crop), (x0, y0))
    return _quantized(crop)


@functools.lru_cache(maxsize=8)
def _ink_indices(fill: str) -> bytes:
    """For each coverage 0–255 of a glyph's pixel, the palette index of `fill` blended over the background
    at that coverage: text drawing and pasting through a mask blend alike (Pillow's fill through a mask)."""
    strip = Image.new("RGB", (256, 1), BACKGROUND)
    strip.paste(fill, (0, 0, 256, 1), Image.frombytes("L", (256, 1), bytes(range(256))))
    return _quantized(strip).tobytes()


@functools.lru_cache(maxsize=512)
def _shared_stamp(static: tuple[_Step, ...], step: _Step) -> Image.Image:
    return _stamp(_base(static)[0], step, static)


Band = tuple[int, int, tuple[_Step, ...]]  # top, bottom (exclusive), the non-static steps drawn in these rows


def _bands(steps: list[_Step]) -> list[Band]:
    """The image's rows cut into bands, top to bottom: each run of rows that steps drawn for one image
    (not static) reach, with those steps, and the runs between them, where the static steps alone are
    drawn. Steps whose rows meet share a band."""
    bands: list[Band] = []
    for step in sorted((step for step in steps if not step.static), key=lambda step: step.box[1]):
        top, bottom = step.box[1], step.box[3]
        if bottom <= top or step.box[2] <= step.box[0]:
            continue  # an empty box: the step changes no pixel
        if bands and bands[-1][2] and top < bands[-1][1]:
            y0, y1, drawn = bands[-1]
            bands[-1] = (y0, max(y1, bottom), (*drawn, step))
            continue
        y = bands[-1][1] if bands else 0
        if top > y:
            bands.append((y, top, ()))
        bands.append((top, bottom, (step,)))
    y = bands[-1][1] if bands else 0
    if y < HEIGHT:
        bands.append((y, HEIGHT, ()))
    return bands


def _band(static: tuple[_Step, ...], band: Band) -> Image.Image:
    """The band's rows of the image: the static steps' (drawn once) with each of its steps stamped into its box."""
    y0, y1, drawn = band
    base, quantized = _base(static)
    rows = quantized.crop((0, y0, WIDTH, y1))
    for step in drawn:
        rows.paste(_shared_stamp(static, step) if step.shared else _stamp(base, step, static), (step.box[0], step.box[1] - y0))
    return rows


@functools.lru_cache(maxsize=512)
def _shared_band(static: tuple[_Step, ...], band: Band) -> _Deflated:
    """A band without a step of one image's own (the same on many images), deflated once."""
    return _deflated(_band(static, band), SHARED)


def _provider_png(name: str, kind_label: str, values: tuple[int | None, int | None], as_of_text: str) -> bytes:
    """The provider's image. The parts every image shares are drawn and quantized once; each image
    then draws only its own parts (name, kind, scores) into their boxes: the same pixels as drawing
    everything in order (`_drawn`), in about a third of the time. Where the boxes would overlap
    (a name reaching into the next line), the image is drawn in full.

    The PNG is written band by band (`_bands`): a band that only steps shared by many images reach
    (kind, a score, or none) is deflated once and reused, so each image deflates only the rows of its
    name (about a fifth of the time of deflating the whole image)."""
    steps = _provider_steps(name, kind_label, values, as_of_text)
    if not _stampable(steps):
        return _png(_quantized(_drawn(steps)))
    static = tuple(step for step in steps if step.static)
    return _png_of(
        WIDTH, [_shared_band(static, band) if all(step.shared for step in band[2]) else _deflated(_band(static, band), OWN) for band in _bands(steps)]
    )


@dataclass(frozen=True)
class Chart:
    """One kind's "walls vs defenders" chart for the site preview (the home page's per-kind charts)."""

    title: str  # e.g. "Hosted services"
    square: bool  # markers: squares for software, circles otherwise (as on the home page)
    points: tuple[tuple[int, int], ...]  # (structural, situational) of each plotted provider, sorted
    left_out: int  # providers of this kind without both scores (insufficient coverage)


CHART_TITLE = {"service": "Hosted services", "software": "Self-hostable servers", "both": "Both service and software"}


def _cut(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont, width: int) -> str:
    """`text`, shortened with an ellipsis until it fits `width` in `font`."""
    while len(text) > 1 and draw.textlength(text, font=font) > width:
        text = text[:-2] + "…"
    return text


def site_charts(scores: dict[str, score.ProviderScore]) -> list[Chart]:
    """The home page's charts, one per kind present, as numbers (names are not drawn: the page has them)."""
    charts = []
    for kind in standing.kinds_present(scores):
        values = [(ps.groups["structural"].value, ps.groups["situational"].value) for ps in standing.of_kind(scores, kind).values()]
        plotted = tuple(sorted((st, si) for st, si in values if st is not None and si is not None))
        charts.append(Chart(CHART_TITLE[kind], kind == "software", plotted, len(values) - len(plotted)))
    return charts


def site_png(charts: list[Chart], as_of_text: str) -> bytes:
    """The site's link preview: the home page's per-kind charts (structural score across, situational
    up), each with its title and count, and the data date. Text is drawn through safe.plain_line."""
    return _site_png(tuple(charts), as_of_text)


@functools.lru_cache(maxsize=8)
def _site_png(charts: tuple[Chart, ...], as_of_text: str) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 16], fill=GROUP_COLOUR["situational"])
    draw.text((60, 34), "Messenger Defense Scorecard", font=_font(44), fill=INK)
    draw.text((60, 88), "Beyond encryption: who defends the infrastructure behind our messengers?", font=_font(26), fill=MUTED)
    n = max(1, len(charts))
    gap, left_margin, right_margin = 40, 60, 40
    panel = (WIDTH - left_margin - right_margin - gap * (n - 1)) // n
    size = min(panel - 100, 330)
    top = 175
    ink, muted, track = _rgb(INK), _rgb(MUTED), _rgb(TRACK)
    marker = GROUP_COLOUR["situational"]
    for i, chart in enumerate(charts):
        x0 = left_margin + i * (panel + gap) + 80  # room for the vertical axis title and ticks
        y0 = top
        title = safe.plain_line(f"{chart.title} ({len(chart.points)} plotted)")
        font = _fit(draw, title, 28, panel)
        draw.text((x0 - 80, y0 - 44), _cut(draw, title, font, panel), font=font, fill=ink)
        draw.rectangle([x0, y0, x0 + size, y0 + size], outline=muted, width=2)
        for v in (25, 50, 75):
            gx, gy = x0 + size * v // 100, y0 + size - size * v // 100
            draw.line([gx, y0 + 2, gx, y0 + size - 2], fill=track, width=1)
            draw.line([x0 + 2, gy, x0 + size - 2, gy], fill=track, width=1)
        for v in (0, 50, 100):
            gx, gy = x0 + size * v // 100, y0 + size - size * v // 100
            draw.text((gx, y0 + size + 6), str(v), font=_font(18), fill=muted, anchor="ma")
            draw.text((x0 - 8, gy), str(v), font=_font(18), fill=muted, anchor="rm")
        draw.text((x0 + size // 2, y0 + size + 30), "Structural: the walls", font=_font(20), fill=muted, anchor="ma")
        label = Image.new("RGB", (size, 26), BACKGROUND)
        ImageDraw.Draw(label).text((size // 2, 0), "Situational: the defenders", font=_font(20), fill=MUTED, anchor="ma")
        image.paste(label.rotate(90, expand=True), (x0 - 80, y0))
        for st, si in chart.points:
            px, py = x0 + round(size * st / 100), y0 + size - round(size * si / 100)
            if chart.square:
                draw.rectangle([px - 6, py - 6, px + 6, py + 6], fill=marker, outline=ink)
            else:
                draw.ellipse([px - 7, py - 7, px + 7, py + 7], fill=marker, outline=ink)
        if chart.left_out:
            note = f"Not plotted (insufficient coverage): {chart.left_out}"
            draw.text((x0 - 80, y0 + size + 54), _cut(draw, note, _font(18), panel), font=_font(18), fill=muted)
    draw.text(
        (60, HEIGHT - 34),
        f"Toward the top right: more disclosed. Public disclosure, not proof of practice. Data as of {as_of_text}.",
        font=_font(22),
        fill=MUTED,
    )
    return _png(_quantized(image), SHARED)  # one image a build: the smaller bytes
