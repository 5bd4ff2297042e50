"""Illustrations for the demo publication, drawn locally with Pillow (no downloads, no fonts).

Every picture is seeded from its title, so a rebuild draws the same pixels and two articles never
share a picture. Motifs evoke the story: a skyline for business, chart lines for markets, a map
for diplomacy, circuit traces for chips, cranes for shipping.
"""

from __future__ import annotations

import io
import math
import random
import zlib
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERO_SIZE = (1600, 900)
PORTRAIT_SIZE = (600, 600)

# Muted newsroom palettes: (sky top, sky bottom, ink, accent).
PALETTES = [
    ((18, 32, 58), (196, 112, 74), (12, 20, 34), (240, 196, 120)),
    ((14, 52, 72), (128, 178, 190), (10, 30, 44), (236, 238, 226)),
    ((40, 24, 52), (214, 140, 120), (22, 14, 30), (250, 210, 160)),
    ((22, 46, 38), (170, 190, 150), (12, 28, 22), (232, 222, 170)),
    ((30, 30, 34), (120, 132, 150), (16, 16, 20), (226, 84, 64)),
    ((58, 40, 20), (222, 188, 128), (34, 22, 10), (250, 240, 214)),
]

Color = tuple[int, int, int]


def seed_for(title: str) -> int:
    # crc32, not hash(): Python salts str hashes per process, and the pictures must not change.
    return zlib.crc32(title.encode("utf-8"))


def _gradient(size: tuple[int, int], top: Color, bottom: Color) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _shade(color: Color, factor: float) -> Color:
    return tuple(max(0, min(255, round(c * factor))) for c in color)  # type: ignore[return-value]


def _skyline(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], pal: tuple) -> None:
    width, height = size
    for layer, factor in ((0.55, 0.8), (0.7, 0.55), (0.85, 0.3)):
        x = -rng.randint(0, 60)
        while x < width:
            w = rng.randint(60, 170)
            top = int(height * (1 - layer) + rng.randint(-40, 240))
            draw.rectangle((x, top, x + w, height), fill=_shade(pal[2], 1 + factor))
            for wy in range(top + 18, height - 20, 26):
                for wx in range(x + 10, x + w - 14, 22):
                    if rng.random() < 0.35 * factor:
                        draw.rectangle((wx, wy, wx + 8, wy + 12), fill=pal[3])
            x += w + rng.randint(4, 20)


def _chart(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], pal: tuple) -> None:
    width, height = size
    for gx in range(0, width, 160):
        draw.line((gx, 0, gx, height), fill=_shade(pal[0], 1.6), width=1)
    for gy in range(60, height, 120):
        draw.line((0, gy, width, gy), fill=_shade(pal[0], 1.6), width=1)
    for series, thickness in ((0, 10), (1, 5)):
        y = height * rng.uniform(0.35, 0.7)
        points = []
        for x in range(-20, width + 40, 40):
            y = min(height - 60, max(60, y + rng.gauss(-2 if series else 3, 28)))
            points.append((x, y))
        color = pal[3] if series == 0 else _shade(pal[1], 1.2)
        draw.line(points, fill=color, width=thickness, joint="curve")
    for x in range(80, width, 64):
        mid = height * 0.82 + rng.gauss(0, 20)
        span = rng.randint(20, 70)
        up = rng.random() < 0.55
        draw.line((x + 12, mid - span - 14, x + 12, mid + span + 14), fill=pal[2], width=3)
        draw.rectangle((x, mid - span, x + 24, mid + span), fill=(70, 160, 110) if up else (200, 70, 60))


def _blob(rng: random.Random, cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    points = []
    steps = 28
    wobble = [rng.uniform(0.6, 1.25) for _ in range(steps)]
    for i in range(steps):
        angle = 2 * math.pi * i / steps
        r = radius * (wobble[i] + wobble[i - 1]) / 2
        points.append((cx + r * math.cos(angle), cy + r * 0.75 * math.sin(angle)))
    return points


def _map(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], pal: tuple) -> None:
    width, height = size
    land = [_shade(pal[1], 0.9), _shade(pal[3], 0.85)]
    left = _blob(rng, width * 0.3, height * 0.5, height * 0.55)
    right = _blob(rng, width * 0.74, height * 0.48, height * 0.5)
    draw.polygon(left, fill=land[0], outline=pal[2])
    draw.polygon(right, fill=land[1], outline=pal[2])
    # A contested border, dashed, and the strait between the two.
    x = width * 0.52
    for y in range(0, height, 36):
        nx = x + rng.uniform(-14, 14)
        draw.line((x, y, nx, y + 20), fill=(190, 40, 40), width=6)
        x = nx
    for _ in range(7):
        cx, cy = rng.uniform(100, width - 100), rng.uniform(100, height - 100)
        draw.ellipse((cx - 9, cy - 9, cx + 9, cy + 9), fill=pal[2], outline=pal[3], width=3)
    for gx in range(0, width, 200):
        draw.line((gx, 0, gx, height), fill=_shade(pal[0], 1.3), width=1)


def _circuit(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], pal: tuple) -> None:
    width, height = size
    for _ in range(70):
        x, y = rng.randrange(0, width, 20), rng.randrange(0, height, 20)
        points = [(x, y)]
        for _ in range(rng.randint(2, 6)):
            if rng.random() < 0.5:
                x += rng.choice((-1, 1)) * rng.randrange(40, 240, 20)
            else:
                y += rng.choice((-1, 1)) * rng.randrange(40, 200, 20)
            points.append((x, y))
        draw.line(points, fill=_shade(pal[3], rng.uniform(0.5, 1.0)), width=4)
        draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=pal[3])
    cx, cy = width // 2 + rng.randint(-200, 200), height // 2 + rng.randint(-80, 80)
    draw.rectangle((cx - 170, cy - 170, cx + 170, cy + 170), fill=pal[2], outline=pal[3], width=6)
    for i in range(-150, 151, 30):
        for dx, dy in ((i, -190), (i, 190), (-190, i), (190, i)):
            draw.rectangle((cx + dx - 6, cy + dy - 10, cx + dx + 6, cy + dy + 10), fill=pal[3])
    draw.rectangle((cx - 110, cy - 110, cx + 110, cy + 110), outline=_shade(pal[3], 0.7), width=3)


def _port(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], pal: tuple) -> None:
    width, height = size
    quay = int(height * 0.7)
    draw.rectangle((0, quay, width, height), fill=_shade(pal[0], 0.8))
    for wy in range(quay + 20, height, 24):
        draw.line((0, wy, width, wy + rng.randint(-4, 4)), fill=_shade(pal[1], 0.7), width=2)
    box_colors = [(178, 62, 48), (40, 96, 150), (210, 160, 60), (70, 120, 90), (120, 120, 126)]
    x = 40
    while x < width - 120:
        stack = rng.randint(1, 5)
        for level in range(stack):
            top = quay - (level + 1) * 44
            draw.rectangle((x, top, x + 110, top + 40), fill=rng.choice(box_colors), outline=pal[2])
        x += 118
    for cx in range(rng.randint(100, 300), width, rng.randint(380, 520)):
        draw.line((cx, quay, cx, quay - 420), fill=pal[2], width=14)
        draw.line((cx + 120, quay, cx + 120, quay - 420), fill=pal[2], width=14)
        draw.line((cx - 200, quay - 400, cx + 360, quay - 400), fill=pal[2], width=18)
        draw.line((cx + 60, quay - 400, cx + 60, quay - 250), fill=pal[2], width=3)


def _columns(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], pal: tuple) -> None:
    width, height = size
    stone = _shade(pal[3], rng.uniform(0.8, 0.95))
    half = int(width * rng.uniform(0.22, 0.36))
    centre = width // 2 + rng.randint(-180, 180)
    left, right = centre - half, centre + half
    base = int(height * 0.86)
    roof = int(height * rng.uniform(0.3, 0.42))
    if rng.random() < 0.5:
        draw.polygon(
            [(left - 40, roof), (centre, roof - 150), (right + 40, roof)], fill=stone, outline=pal[2]
        )
    else:
        # A domed assembly building rather than a temple front.
        draw.rectangle((centre - 150, roof - 90, centre + 150, roof), fill=_shade(stone, 0.9))
        draw.pieslice((centre - 150, roof - 240, centre + 150, roof + 60), 180, 360, fill=stone)
        draw.line((centre, roof - 240, centre, roof - 300), fill=pal[2], width=6)
    draw.rectangle((left - 40, roof, right + 40, roof + 40), fill=_shade(stone, 0.9))
    count = rng.randint(5, 10)
    step = (right - left) / (count - 1)
    for i in range(count):
        cx = int(left + i * step)
        draw.rectangle((cx - 20, roof + 40, cx + 20, base - 40), fill=stone)
        for fx in range(cx - 12, cx + 13, 10):
            draw.line((fx, roof + 48, fx, base - 48), fill=_shade(stone, 0.8), width=2)
    for level in range(3):
        draw.rectangle(
            (left - 60 - level * 30, base - 40 + level * 20, right + 60 + level * 30, base - 20 + level * 20),
            fill=_shade(stone, 0.85 - level * 0.05),
        )
    flag = rng.choice([(180, 40, 50), (30, 80, 160), (30, 120, 80)])
    for flag_x in (left - 120, right + 120):
        draw.line((flag_x, base, flag_x, roof - 60), fill=pal[2], width=6)
        draw.rectangle((flag_x, roof - 60, flag_x + 90, roof - 5), fill=flag)


def _energy(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], pal: tuple) -> None:
    width, height = size
    ground = int(height * 0.78)
    draw.rectangle((0, ground, width, height), fill=_shade(pal[2], 1.4))
    for i in range(rng.randint(4, 7)):
        x = 120 + i * rng.randint(200, 260)
        top = ground - rng.randint(300, 460)
        draw.line((x, ground, x, top), fill=pal[3], width=10)
        angle = rng.uniform(0, 2 * math.pi)
        for blade in range(3):
            a = angle + blade * 2 * math.pi / 3
            draw.line((x, top, x + 150 * math.cos(a), top + 150 * math.sin(a)), fill=pal[3], width=8)
    for row in range(3):
        for col in range(10):
            x = 60 + col * 150
            y = ground + 20 + row * 40
            draw.polygon([(x, y + 30), (x + 40, y), (x + 140, y), (x + 100, y + 30)], fill=(40, 70, 120))


def _harvest(draw: ImageDraw.ImageDraw, rng: random.Random, size: tuple[int, int], pal: tuple) -> None:
    width, height = size
    horizon = int(height * 0.45)
    colors = [(196, 160, 70), (150, 140, 60), (110, 130, 70), (210, 184, 100)]
    for band in range(12):
        y0 = horizon + band * band * 4 + band * 8
        y1 = horizon + (band + 1) * (band + 1) * 4 + (band + 1) * 8
        draw.rectangle((0, y0, width, y1), fill=colors[band % len(colors)])
        for x in range(0, width, 30 + band * 6):
            draw.line((x, y0, x + band * 3, y1), fill=_shade(colors[band % len(colors)], 0.8), width=2)
    sx, sy = rng.randint(200, width - 200), rng.randint(90, horizon - 120)
    draw.ellipse((sx - 70, sy - 70, sx + 70, sy + 70), fill=pal[3])
    silo_x = rng.randint(900, 1400)
    for i in range(3):
        x = silo_x + i * 70
        draw.rectangle((x, horizon - 220, x + 60, horizon + 20), fill=_shade(pal[2], 2.0))
        draw.ellipse((x, horizon - 250, x + 60, horizon - 190), fill=_shade(pal[2], 2.2))


MOTIFS: dict[str, Callable[..., None]] = {
    "skyline": _skyline,
    "chart": _chart,
    "map": _map,
    "circuit": _circuit,
    "port": _port,
    "columns": _columns,
    "energy": _energy,
    "harvest": _harvest,
}


def draw_illustration(*, title: str, motif: str, size: tuple[int, int] = HERO_SIZE) -> bytes:
    """A JPEG illustration for a story; the same title always gives the same picture."""
    rng = random.Random(seed_for(title))
    palette = PALETTES[rng.randrange(len(PALETTES))]
    image = _gradient(size, palette[0], palette[1])
    draw = ImageDraw.Draw(image)
    MOTIFS[motif](draw, rng, size, palette)
    # A soft vignette reads as a photograph's light fall-off rather than flat clip art.
    vignette = Image.new("L", size, 0)
    ImageDraw.Draw(vignette).ellipse((-size[0] * 0.2, -size[1] * 0.3, size[0] * 1.2, size[1] * 1.3), fill=255)
    vignette = vignette.filter(ImageFilter.GaussianBlur(120))
    image = Image.composite(image, Image.new("RGB", size, _shade(palette[2], 0.6)), vignette)
    return _encode(image, "JPEG")


def draw_portrait(*, name: str) -> bytes:
    """A head-and-shoulders silhouette on a studio-style gradient."""
    rng = random.Random(seed_for(name))
    palette = PALETTES[rng.randrange(len(PALETTES))]
    image = _gradient(PORTRAIT_SIZE, _shade(palette[1], 1.1), palette[0])
    draw = ImageDraw.Draw(image)
    skin = rng.choice([(236, 200, 170), (198, 150, 112), (150, 104, 72), (104, 70, 50), (224, 184, 150)])
    jacket = rng.choice([(40, 44, 60), (90, 40, 40), (50, 80, 70), (70, 70, 74), (30, 60, 110)])
    hair = rng.choice([(30, 22, 18), (90, 60, 30), (170, 140, 90), (120, 120, 120), (60, 30, 20)])
    draw.ellipse((110, 400, 490, 760), fill=jacket)
    draw.rectangle((265, 330, 335, 420), fill=_shade(skin, 0.9))
    draw.ellipse((190, 130, 410, 380), fill=skin)
    draw.chord((180, 110, 420, 330), start=180, end=360, fill=hair)
    draw.polygon([(260, 420), (300, 500), (340, 420)], fill=(236, 236, 230))
    return _encode(image, "JPEG")


def draw_wordmark(*, text: str, mark_color: Color, size: tuple[int, int] = (720, 160)) -> bytes:
    """A PNG logo: a round mark and the name, with Pillow's bundled font (no system fonts needed)."""
    image = Image.new("RGBA", size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    height = size[1]
    pad = height // 8
    draw.ellipse((pad, pad, height - pad, height - pad), outline=mark_color, width=height // 14)
    draw.line((height // 2, pad, height // 2, height - pad), fill=mark_color, width=height // 20)
    draw.arc(
        (pad * 2, pad, height - pad * 2, height - pad), start=90, end=270, fill=mark_color, width=height // 28
    )
    font = ImageFont.load_default(size=height // 3)
    draw.text((height + pad, height // 2), text, font=font, fill=(20, 24, 32, 255), anchor="lm")
    return _encode(image, "PNG")


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, format="JPEG", quality=82, optimize=True)
    else:
        image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
