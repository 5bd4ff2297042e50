"""The Strait of Orrin and the ships on it: trawlers, a coastguard cutter, a feeder ship, a map."""

from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw

from masthead.news.demo.drawing.canvas import Canvas, Color, box, font, mix, shade

SIZE = (1600, 900)


def trawler(
    draw: ImageDraw.ImageDraw, x: float, water: float, scale: float, color: Color, *, facing: int = 1
) -> None:
    """A stern trawler in profile: raised bow, wheelhouse forward, gantry and outriggers aft."""
    s, f = scale, facing

    def p(dx: float, dy: float) -> tuple[float, float]:
        return (x + f * dx * s, water + dy * s)

    draw.polygon([p(-120, -22), p(105, -30), p(130, -46), p(118, 0), p(-112, 6)], fill=color)
    draw.polygon([p(30, -30), p(30, -78), p(90, -78), p(98, -34)], fill=color)
    for wx in (38, 58, 76):
        draw.rectangle(
            (*p(wx, -70), *p(wx + 10, -60)) if f > 0 else (*p(wx + 10, -70), *p(wx, -60)),
            fill=shade(color, 2.2),
        )
    draw.line((*p(60, -78), *p(60, -150)), fill=color, width=max(2, int(4 * s)))
    draw.line((*p(60, -140), *p(-60, -200)), fill=color, width=max(1, int(3 * s)))
    draw.line((*p(60, -140), *p(150, -190)), fill=color, width=max(1, int(3 * s)))
    draw.line((*p(-100, -22), *p(-100, -92)), fill=color, width=max(2, int(5 * s)))
    draw.line((*p(-70, -22), *p(-70, -92)), fill=color, width=max(2, int(5 * s)))
    draw.line((*p(-104, -92), *p(-66, -92)), fill=color, width=max(2, int(6 * s)))


def cutter(
    draw: ImageDraw.ImageDraw, x: float, water: float, scale: float, *, hull: Color, stripe: Color
) -> None:
    """A coastguard cutter in profile, facing left: long grey hull, stepped bridge, radar mast."""
    s = scale

    def p(dx: float, dy: float) -> tuple[float, float]:
        return (x + dx * s, water + dy * s)

    draw.polygon([p(-230, -50), p(220, -40), p(225, 0), p(-200, 6), p(-236, -30)], fill=hull)
    draw.polygon([p(-150, -48), p(-120, -48), p(-160, 2), p(-190, 2)], fill=stripe)
    draw.polygon([p(-80, -47), p(-80, -100), p(70, -100), p(100, -44)], fill=shade(hull, 1.1))
    draw.polygon([p(-60, -100), p(-50, -140), p(40, -140), p(50, -100)], fill=shade(hull, 1.2))
    draw.rectangle((*p(-50, -132), *p(34, -118)), fill=(40, 46, 56))
    draw.line((*p(0, -140), *p(0, -220)), fill=shade(hull, 0.8), width=max(2, int(5 * s)))
    draw.line((*p(-26, -200), *p(26, -200)), fill=shade(hull, 0.8), width=max(2, int(6 * s)))


def _sea_bands(canvas: Canvas, horizon: int, top: Color, bottom: Color, glint: Color | None = None) -> None:
    draw = canvas.draw
    for y in range(horizon, canvas.height):
        t = (y - horizon) / (canvas.height - horizon)
        draw.line((0, y, canvas.width, y), fill=mix(top, bottom, t**0.8))
    for _ in range(260):
        y = horizon + int((canvas.height - horizon) * canvas.rng.random() ** 1.5)
        x = canvas.rng.uniform(-60, canvas.width)
        depth = (y - horizon) / (canvas.height - horizon)
        draw.line(
            (x, y, x + 20 + 160 * depth, y),
            fill=shade(mix(top, bottom, depth), 1.18),
            width=1 + int(3 * depth),
        )
    if glint:
        cx = canvas.width * 0.62
        for _ in range(180):
            y = horizon + int((canvas.height - horizon) * canvas.rng.random() ** 1.3)
            spread = 30 + (y - horizon) * 0.9
            x = cx + canvas.rng.gauss(0, spread / 2)
            draw.line((x, y, x + 8 + (y - horizon) * 0.25, y), fill=glint, width=2)


def strait_at_dawn(seed: int) -> Image.Image:
    """The strait before sunrise: two coasts, a low sun, a cutter beside two trawlers."""
    canvas = Canvas.sky(
        SIZE,
        [(0, (28, 38, 72)), (0.35, (92, 84, 120)), (0.52, (236, 150, 112)), (0.56, (250, 196, 140))],
        seed=seed,
    )
    horizon = 500
    canvas.glow((1000, horizon - 10), 190, (255, 214, 150), strength=170)
    draw = canvas.draw
    draw.ellipse((968, horizon - 36, 1032, horizon + 28), fill=(255, 232, 190))
    far = (110, 92, 118)
    draw.polygon([(0, horizon), (0, 430), (160, 412), (330, 440), (520, 470), (640, horizon)], fill=far)
    draw.polygon(
        [(1600, horizon), (1600, 446), (1420, 430), (1260, 462), (1150, horizon)], fill=shade(far, 1.08)
    )
    _sea_bands(canvas, horizon, (170, 120, 128), (30, 36, 62), glint=(255, 210, 160))
    ink = (24, 22, 34)
    cutter(draw, 520, 640, 1.25, hull=(58, 60, 72), stripe=(150, 48, 44))
    trawler(draw, 1180, 610, 0.95, ink, facing=-1)
    trawler(draw, 1390, 585, 0.7, shade(ink, 1.4), facing=-1)
    for x, y in ((520 - 220 * 1.25, 640 - 60), (1180, 610 - 150 * 0.95)):
        canvas.glow((x, y), 14, (255, 240, 200), strength=255)
    return canvas.image


def fishing_ground(seed: int) -> Image.Image:
    """Two trawlers from the two coasts working one shared ground, gulls overhead."""
    canvas = Canvas.sky(
        SIZE, [(0, (150, 178, 196)), (0.45, (214, 222, 222)), (0.5, (226, 228, 222))], seed=seed
    )
    horizon = 430
    draw = canvas.draw
    draw.polygon([(0, horizon), (0, 372), (210, 362), (420, 392), (560, horizon)], fill=(120, 140, 146))
    draw.polygon(
        [(1600, horizon), (1600, 380), (1360, 372), (1180, 404), (1060, horizon)], fill=(132, 150, 150)
    )
    _sea_bands(canvas, horizon, (120, 150, 160), (34, 64, 82))
    navy, brick = (36, 52, 84), (128, 52, 40)
    trawler(draw, 420, 640, 1.3, navy, facing=1)
    trawler(draw, 1180, 660, 1.3, brick, facing=-1)
    # One net astern of both: the shared ground.
    net = (70, 84, 78)
    left, right = (420 - 100 * 1.3, 610), (1180 + 100 * 1.3, 630)
    sag = [
        (left[0] + (right[0] - left[0]) * i / 20, 690 + 60 * (1 - ((i - 10) / 10) ** 2)) for i in range(21)
    ]
    draw.line([left, *sag, right], fill=net, width=4)
    for i in range(0, 21, 2):
        x, y = sag[i]
        draw.line((x, y, x, y + 30), fill=net, width=2)
        draw.ellipse((x - 7, y - 7, x + 7, y + 7), fill=(230, 140, 40))
    for _ in range(9):
        gx, gy, gs = canvas.rng.uniform(500, 1100), canvas.rng.uniform(150, 380), canvas.rng.uniform(10, 22)
        draw.line(
            [(gx - 2 * gs, gy - gs * 0.4), (gx - gs, gy - gs * 0.7), (gx, gy)], fill=(60, 66, 72), width=3
        )
        draw.line(
            [(gx, gy), (gx + gs, gy - gs * 0.7), (gx + 2 * gs, gy - gs * 0.4)], fill=(60, 66, 72), width=3
        )
    return canvas.image


def feeder_ship(seed: int) -> Image.Image:
    """A small container ship leaving harbour past the breakwater light, a wake behind it."""
    canvas = Canvas.sky(
        SIZE, [(0, (96, 142, 190)), (0.5, (200, 214, 222)), (0.56, (222, 226, 222))], seed=seed
    )
    horizon = 500
    draw = canvas.draw
    draw.polygon([(0, horizon), (0, 420), (260, 410), (460, 440), (520, horizon)], fill=(128, 140, 150))
    _sea_bands(canvas, horizon, (110, 140, 160), (26, 58, 84))
    # The breakwater and its light on the left, the ship heading out to the right.
    draw.polygon([(0, 590), (430, 560), (440, 586), (0, 640)], fill=(92, 92, 96))
    draw.rectangle((360, 440, 396, 566), fill=(236, 236, 230))
    draw.rectangle((360, 470, 396, 492), fill=(176, 48, 44))
    draw.rectangle((354, 426, 402, 442), fill=(60, 60, 66))
    canvas.glow((378, 420), 26, (255, 236, 180), strength=220)
    water = 690
    hull = [(560, water - 70), (1450, water - 82), (1520, water - 120), (1480, water), (600, water + 8)]
    draw.polygon(hull, fill=(40, 56, 78))
    draw.polygon([(600, water - 6), (1480, water - 14), (1476, water), (604, water + 8)], fill=(150, 44, 40))
    colors = [(178, 62, 48), (40, 96, 150), (210, 160, 60), (70, 120, 90), (200, 200, 196), (120, 72, 120)]
    for col in range(14):
        for row in range(canvas.rng.randint(2, 4)):
            x, y = 760 + col * 48, water - 114 - row * 32
            box(draw, x, y, 46, 30, 0, canvas.rng.choice(colors), outline=(30, 30, 34))
    draw.rectangle((600, water - 230, 700, water - 74), fill=(232, 232, 226))
    draw.rectangle((590, water - 240, 710, water - 222), fill=(232, 232, 226))
    for wy in range(water - 212, water - 90, 30):
        draw.rectangle((610, wy, 690, wy + 12), fill=(52, 64, 80))
    draw.rectangle((630, water - 290, 650, water - 240), fill=(40, 40, 44))
    # The wake: foam spreading behind the stern, streaks thinning with distance.
    draw.polygon([(600, water), (0, water + 30), (0, water + 150)], fill=(150, 176, 190))
    for _ in range(70):
        t = canvas.rng.random()
        y = water + 4 + t * canvas.rng.uniform(20, 140)
        x = 600 - t * 600
        draw.line((x, y, x - 40 - 80 * t, y + 2), fill=(232, 240, 242), width=2 + int(2 * (1 - t)))
    return canvas.image


def eastern_banks_map(seed: int) -> Image.Image:
    """A newspaper map: the strait, the two coasts, the 1962 line and the banks Kessen claims."""
    image = Image.new("RGB", SIZE, (196, 220, 232))
    draw = ImageDraw.Draw(image)
    land, ink, claim = (238, 232, 216), (40, 44, 52), (196, 52, 48)
    valdora = [(0, 0), *_coast(rng_x=640, seed=seed, sway=60), (0, 900)]
    kessen = [(1600, 0), *_coast(rng_x=980, seed=seed + 1, sway=60), (1600, 900)]
    draw.polygon(valdora, fill=land, outline=(150, 150, 140))
    draw.polygon(kessen, fill=shade(land, 0.96), outline=(150, 150, 140))
    banks = [(840, 240), (930, 260), (920, 420), (880, 560), (820, 600), (790, 420)]
    hatch = Image.new("RGB", SIZE, (244, 210, 200))
    hatch_draw = ImageDraw.Draw(hatch)
    for offset in range(-400, 400, 16):
        hatch_draw.line((780 + offset, 620, 980 + offset, 220), fill=claim, width=2)
    mask = Image.new("L", SIZE, 0)
    ImageDraw.Draw(mask).polygon(banks, fill=255)
    image.paste(hatch, (0, 0), mask)
    draw.line([*banks, banks[0]], fill=claim, width=4)
    for y in range(0, 900, 34):
        draw.line((800, y, 800, y + 18), fill=ink, width=3)
    serif, sans = font(54, "serif-bold"), font(26, "sans-bold")
    draw.text((330, 420), "VALDORA", font=serif, fill=(120, 112, 96), anchor="mm")
    draw.text((1300, 440), "KESSEN", font=serif, fill=(120, 112, 96), anchor="mm")
    draw.text((800, 760), "Strait of Orrin", font=font(34, "serif-italic"), fill=(40, 80, 110), anchor="mm")
    draw.text((870, 190), "Eastern banks", font=sans, fill=claim, anchor="mm")
    for name, (x, y) in (("Savrin", (420, 640)), ("Drelmark", (1220, 250)), ("Port Aster", (420, 250))):
        draw.ellipse((x - 9, y - 9, x + 9, y + 9), fill=ink)
        draw.text((x + 16, y), name, font=font(26, "sans"), fill=ink, anchor="lm")
    draw.rectangle((40, 40, 480, 176), fill=(255, 255, 255), outline=(170, 170, 170))
    draw.rectangle((64, 68, 104, 96), fill=(244, 210, 200), outline=claim, width=3)
    draw.text((120, 82), "Claimed by Kessen since April", font=font(22, "sans"), fill=ink, anchor="lm")
    for y in range(120, 150, 12):
        draw.line((84, y, 84, y + 6), fill=ink, width=3)
    draw.text((120, 136), "1962 treaty line", font=font(22, "sans"), fill=ink, anchor="lm")
    draw.line((1380, 820, 1540, 820), fill=ink, width=4)
    draw.text((1460, 846), "20 nautical miles", font=font(20, "sans"), fill=ink, anchor="mm")
    draw.polygon([(1500, 60), (1520, 120), (1500, 108), (1480, 120)], fill=ink)
    draw.text((1500, 140), "N", font=font(24, "sans-bold"), fill=ink, anchor="mm")
    return image


def _coast(*, rng_x: float, seed: int, sway: float) -> list[tuple[float, float]]:
    """A coastline from top to bottom: bays and headlands, not a zigzag."""
    rng = random.Random(seed)
    phases = [rng.uniform(0, 6.28) for _ in range(3)]
    points = []
    for y in range(0, 901, 12):
        offset = sum(
            math.sin(y / wave + phase) * sway / (i + 1)
            for i, (wave, phase) in enumerate(zip((140, 60, 23), phases, strict=True))
        )
        points.append((rng_x + offset, float(y)))
    return points
