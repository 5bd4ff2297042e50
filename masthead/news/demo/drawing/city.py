"""Port Aster's quays and yards, and the buildings of Savrin, Drelmark and Lisvane."""

from __future__ import annotations

from PIL import Image, ImageDraw

from masthead.news.demo.drawing.canvas import Canvas, Color, box, font, mix, shade

SIZE = (1600, 900)
BOX_COLORS: list[Color] = [
    (178, 62, 48),
    (40, 96, 150),
    (206, 150, 56),
    (62, 116, 88),
    (196, 196, 190),
    (112, 70, 110),
]


def gantry_crane(draw: ImageDraw.ImageDraw, x: float, quay: float, scale: float, color: Color) -> None:
    """A ship-to-shore crane in profile: two A-frame legs, the boom reaching out over the water (left)."""
    s = scale

    def p(dx: float, dy: float) -> tuple[float, float]:
        return (x + dx * s, quay + dy * s)

    w = max(2, int(9 * s))
    for leg in (0, 160):
        draw.line((*p(leg, 0), *p(leg, -300)), fill=color, width=w)
    draw.line((*p(0, -130), *p(160, -130)), fill=color, width=w)
    draw.line((*p(0, -300), *p(160, -300)), fill=color, width=w)
    draw.line((*p(-330, -290), *p(300, -290)), fill=color, width=int(w * 1.4))
    draw.line((*p(40, -300), *p(80, -420)), fill=color, width=w)
    draw.line((*p(120, -300), *p(80, -420)), fill=color, width=w)
    for end in (-330, 300):
        draw.line((*p(80, -420), *p(end, -292)), fill=color, width=max(1, w // 3))
    draw.rectangle((*p(60, -318), *p(150, -282)), fill=shade(color, 0.7))
    draw.line((*p(-180, -290), *p(-180, -180)), fill=(40, 40, 40), width=max(1, w // 4))
    draw.rectangle((*p(-205, -180), *p(-155, -160)), fill=(40, 40, 40))


def port_cranes(seed: int) -> Image.Image:
    """Container cranes working a ship at Port Aster in the afternoon light."""
    canvas = Canvas.sky(
        SIZE, [(0, (120, 160, 196)), (0.55, (236, 210, 176)), (0.62, (240, 222, 196))], seed=seed
    )
    draw = canvas.draw
    quay, water = 640, 700
    canvas.ridge(560, 60, (170, 168, 170), wavelength=520)
    canvas.haze(480, 640, (236, 214, 186), strength=120)
    # The ship alongside, its deck stacked with boxes.
    draw.polygon(
        [(0, quay - 40), (760, quay - 40), (800, quay - 80), (780, water + 20), (0, water + 20)],
        fill=(44, 52, 66),
    )
    for col in range(15):
        for row in range(canvas.rng.randint(3, 6)):
            box(
                draw,
                10 + col * 50,
                quay - 72 - row * 30,
                48,
                28,
                0,
                canvas.rng.choice(BOX_COLORS),
                outline=(40, 40, 40),
            )
    draw.rectangle((0, water, 1600, 900), fill=(52, 78, 96))
    canvas.reflect(water, darken=0.55)
    draw = canvas.draw
    draw.rectangle((800, quay, 1600, water + 10), fill=(150, 146, 140))
    draw.rectangle((800, quay, 1600, quay + 10), fill=(200, 190, 170))
    for i, (x, scale, color) in enumerate(
        ((430, 1.25, (196, 70, 50)), (860, 1.15, (196, 70, 50)), (1250, 0.95, (176, 70, 56)))
    ):
        gantry_crane(draw, x, quay + 4 * i, scale, color)
    for col in range(6):
        for row in range(canvas.rng.randint(1, 3)):
            box(draw, 1120 + col * 74, quay - 40 - row * 36, 70, 34, 18, canvas.rng.choice(BOX_COLORS))
    return canvas.image


def container_yard(seed: int) -> Image.Image:
    """A terminal's stacks seen from a light tower: rows of boxes waiting, a straddle carrier between them."""
    canvas = Canvas.sky(
        SIZE, [(0, (150, 160, 170)), (0.3, (204, 206, 204)), (0.32, (120, 118, 112))], seed=seed
    )
    draw = canvas.draw
    draw.rectangle((0, 290, 1600, 900), fill=(132, 130, 124))
    for lane in range(0, 1800, 180):
        draw.line((lane - 300, 900, lane + 200, 290), fill=(214, 200, 120), width=3)
    # Rows of stacks from the back of the yard to the front: drawn far to near so near ones overlap.
    for row in range(6):
        y = 300 + row * 110
        scale = 0.55 + row * 0.14
        w, h, depth = 120 * scale, 52 * scale, 70 * scale
        x = -canvas.rng.uniform(0, w) - row * 40
        while x < 1600:
            stack = canvas.rng.choice((1, 2, 2, 3, 3, 4))
            for level in range(stack):
                box(
                    draw,
                    x,
                    y + 80 - level * h,
                    w,
                    h,
                    depth,
                    canvas.rng.choice(BOX_COLORS),
                    outline=(60, 60, 60),
                )
            x += w + (8 if canvas.rng.random() < 0.85 else w * 1.2)
    # A straddle carrier crossing the front lane.
    cx, cy = 980, 820
    for leg in (0, 150):
        draw.rectangle((cx + leg, cy - 210, cx + leg + 18, cy), fill=(230, 180, 40))
    draw.rectangle((cx - 10, cy - 230, cx + 180, cy - 200), fill=(230, 180, 40))
    draw.rectangle((cx + 120, cy - 270, cx + 176, cy - 230), fill=(60, 66, 76))
    draw.rectangle((cx + 26, cy - 150, cx + 146, cy - 96), fill=BOX_COLORS[1], outline=(40, 40, 40))
    for wheel in (cx - 4, cx + 150):
        draw.ellipse((wheel, cy - 14, wheel + 28, cy + 14), fill=(30, 30, 30))
    draw.line((1480, 900, 1480, 120), fill=(90, 90, 96), width=10)
    draw.rectangle((1440, 100, 1520, 130), fill=(90, 90, 96))
    canvas.haze(290, 560, (204, 206, 204), strength=110)
    return canvas.image


def _columns(
    draw: ImageDraw.ImageDraw, left: float, right: float, top: float, bottom: float, count: int, stone: Color
) -> None:
    step = (right - left) / (count - 1)
    for i in range(count):
        cx = left + i * step
        draw.rectangle((cx - 22, top, cx + 22, bottom), fill=stone)
        draw.rectangle((cx - 30, top - 14, cx + 30, top), fill=shade(stone, 1.05))
        draw.rectangle((cx - 30, bottom, cx + 30, bottom + 14), fill=shade(stone, 1.05))
        for fx in (-12, 0, 12):
            draw.line((cx + fx, top + 6, cx + fx, bottom - 6), fill=shade(stone, 0.84), width=3)
        draw.rectangle((cx + 10, top, cx + 22, bottom), fill=shade(stone, 0.88))


def _steps(
    draw: ImageDraw.ImageDraw, left: float, right: float, top: float, stone: Color, count: int = 5
) -> None:
    for i in range(count):
        draw.rectangle(
            (left - i * 24, top + i * 18, right + i * 24, top + (i + 1) * 18),
            fill=shade(stone, 0.95 - i * 0.03),
        )
        draw.line(
            (left - i * 24, top + i * 18, right + i * 24, top + i * 18), fill=shade(stone, 1.1), width=2
        )


def bank_headquarters(seed: int) -> Image.Image:
    """A 1911 bank: temple front, pediment, the name cut into the frieze, steps down to the square."""
    canvas = Canvas.sky(SIZE, [(0, (118, 150, 186)), (0.7, (212, 218, 220))], seed=seed)
    draw = canvas.draw
    stone = (214, 204, 184)
    draw.rectangle((140, 300, 1460, 760), fill=shade(stone, 0.9))
    for wx in (200, 300, 1300, 1400):
        for wy in (360, 520):
            draw.rectangle((wx - 28, wy, wx + 28, wy + 100), fill=(70, 78, 90))
            draw.rectangle((wx - 36, wy - 14, wx + 36, wy), fill=shade(stone, 1.05))
    draw.polygon([(380, 250), (800, 110), (1220, 250)], fill=stone, outline=shade(stone, 0.8))
    draw.polygon([(430, 236), (800, 140), (1170, 236)], fill=shade(stone, 0.92))
    draw.rectangle((380, 250, 1220, 330), fill=stone)
    draw.text(
        (800, 292), "BANK OF VALDORA · MCMXI", font=font(38, "serif"), fill=shade(stone, 0.55), anchor="mm"
    )
    draw.rectangle((460, 350, 1140, 690), fill=(58, 56, 60))
    for door in (620, 800, 980):
        draw.rectangle((door - 44, 520, door + 44, 690), fill=(96, 70, 48))
        draw.rectangle((door - 44, 500, door + 44, 520), fill=(150, 130, 80))
    _columns(draw, 430, 1170, 344, 690, 6, stone)
    _steps(draw, 380, 1220, 704, stone)
    draw.rectangle((0, 794, 1600, 900), fill=(150, 144, 134))
    for x in range(-200, 1800, 90):
        draw.line((800 + (x - 800) * 0.2, 794, x, 900), fill=(132, 126, 118), width=2)
    for lamp in (120, 1480):
        draw.line((lamp, 900, lamp, 560), fill=(34, 40, 40), width=10)
        draw.rectangle((lamp - 20, 520, lamp + 20, 566), fill=(34, 40, 40))
        draw.rectangle((lamp - 14, 528, lamp + 14, 558), fill=(246, 226, 170))
    draw.line((800, 110, 800, 20), fill=(60, 60, 60), width=6)
    draw.polygon([(800, 24), (900, 36), (800, 60)], fill=(30, 84, 150))
    return canvas.image


def assembly_building(seed: int) -> Image.Image:
    """Drelmark's domed Assembly at dusk, windows lit for a late vote, flags on the plaza."""
    canvas = Canvas.sky(
        SIZE, [(0, (36, 46, 84)), (0.55, (128, 110, 140)), (0.75, (226, 160, 120))], seed=seed
    )
    draw = canvas.draw
    stone, lit = (150, 140, 136), (255, 214, 140)
    canvas.glow((800, 210), 260, (255, 200, 150), strength=60)
    # The drum and dome, then the long wings.
    draw.rectangle((620, 250, 980, 440), fill=shade(stone, 0.95))
    for x in range(640, 981, 40):
        draw.rectangle((x, 280, x + 16, 420), fill=lit if canvas.rng.random() < 0.7 else shade(stone, 0.6))
    draw.pieslice((600, 40, 1000, 460), 180, 360, fill=shade(stone, 1.05))
    for rib in range(-3, 4):
        draw.arc(
            (800 - abs(rib) * 40 - 20, 40, 800 + abs(rib) * 40 + 20, 460),
            180 if rib < 0 else 270,
            270 if rib < 0 else 360,
            fill=shade(stone, 0.85),
            width=3,
        )
    draw.rectangle((780, 14, 820, 44), fill=shade(stone, 1.05))
    draw.line((800, 14, 800, -20), fill=(40, 40, 50), width=6)
    draw.rectangle((100, 420, 1500, 760), fill=stone)
    draw.rectangle((90, 404, 1510, 430), fill=shade(stone, 1.1))
    for x in range(130, 1480, 62):
        if 560 < x < 1040:
            continue
        for y in (460, 600):
            draw.rectangle((x, y, x + 30, y + 90), fill=lit if canvas.rng.random() < 0.6 else (60, 62, 80))
    draw.polygon([(560, 430), (800, 330), (1040, 430)], fill=shade(stone, 1.08))
    _columns(draw, 590, 1010, 446, 700, 6, shade(stone, 1.05))
    _steps(draw, 560, 1040, 710, stone, count=3)
    draw.rectangle((0, 764, 1600, 900), fill=(70, 70, 84))
    colors = [(30, 90, 60), (230, 230, 230), (30, 90, 60)]
    for x in (300, 420, 1180, 1300):
        draw.line((x, 880, x, 640), fill=(30, 30, 40), width=6)
        for band, color in enumerate(colors):
            draw.rectangle((x, 644 + band * 16, x + 80, 660 + band * 16), fill=color)
    return canvas.image


def storefront(seed: int) -> Image.Image:
    """A 1974 department store: ribbon windows, a long lit sign, shop windows on a street corner."""
    canvas = Canvas.sky(SIZE, [(0, (150, 186, 214)), (0.6, (226, 230, 226))], seed=seed)
    draw = canvas.draw
    concrete, glass = (200, 192, 178), (70, 96, 112)
    draw.rectangle((120, 120, 1480, 700), fill=concrete)
    for y in (160, 290, 420):
        draw.rectangle((150, y, 1450, y + 80), fill=glass)
        for x in range(150, 1451, 100):
            draw.line((x, y, x, y + 80), fill=shade(concrete, 0.8), width=6)
        draw.polygon(
            [(150, y), (520, y), (360, y + 80), (150, y + 80)], fill=mix(glass, (220, 236, 240), 0.25)
        )
    draw.rectangle((160, 520, 1440, 590), fill=(24, 60, 96))
    draw.text((800, 556), "BRIGHTWATER", font=font(58, "sans-bold"), fill=(250, 246, 236), anchor="mm")
    draw.text((1400, 556), "1974", font=font(26, "sans"), fill=(200, 214, 230), anchor="rm")
    draw.rectangle((120, 600, 1480, 760), fill=shade(concrete, 0.7))
    for x in range(140, 1480, 270):
        draw.rectangle((x, 616, x + 240, 752), fill=(238, 220, 180))
        for item in range(3):
            ix = x + 30 + item * 70
            draw.rectangle(
                (ix, 680 - item * 10, ix + 40, 752),
                fill=canvas.rng.choice([(180, 60, 60), (60, 90, 140), (220, 200, 120), (90, 130, 100)]),
            )
    draw.rectangle((0, 760, 1600, 900), fill=(118, 116, 112))
    draw.rectangle((0, 760, 1600, 776), fill=(170, 166, 160))
    draw.line((1540, 900, 1540, 640), fill=(40, 60, 50), width=8)
    draw.rectangle((1380, 640, 1560, 690), fill=(30, 90, 70))
    draw.text((1470, 665), "Canal Street", font=font(26, "sans-bold"), fill=(255, 255, 255), anchor="mm")
    for x in (340, 420, 980, 1110):
        height = canvas.rng.randint(150, 180)
        coat = canvas.rng.choice([(60, 60, 70), (120, 60, 50), (50, 80, 110)])
        draw.rounded_rectangle((x, 880 - height, x + 46, 880 - 40), radius=16, fill=coat)
        draw.ellipse((x + 8, 880 - height - 40, x + 38, 880 - height - 6), fill=(70, 54, 46))
        draw.line((x + 14, 840, x + 10, 886), fill=(40, 40, 46), width=10)
        draw.line((x + 32, 840, x + 36, 886), fill=(40, 40, 46), width=10)
    return canvas.image


def lakeside_skyline(seed: int) -> Image.Image:
    """Lisvane from the water: mountains, the old town's spires and a few towers, mirrored in the lake."""
    canvas = Canvas.sky(
        SIZE, [(0, (70, 110, 160)), (0.42, (240, 200, 170)), (0.5, (250, 220, 190))], seed=seed
    )
    horizon = 520
    canvas.ridge(330, 170, (140, 150, 178), wavelength=300)
    canvas.ridge(400, 90, (110, 122, 150), wavelength=220)
    canvas.haze(240, 460, (246, 214, 186), strength=110)
    draw = canvas.draw
    ink = (46, 52, 72)
    x = 60.0
    while x < 1560:
        w = canvas.rng.uniform(40, 90)
        top = horizon - canvas.rng.uniform(50, 120)
        draw.rectangle((x, top, x + w, horizon), fill=ink)
        draw.polygon([(x - 4, top), (x + w / 2, top - w * 0.45), (x + w + 4, top)], fill=shade(ink, 0.85))
        for wy in range(int(top) + 12, horizon - 10, 20):
            for wx in range(int(x) + 8, int(x + w) - 8, 16):
                if canvas.rng.random() < 0.25:
                    draw.rectangle((wx, wy, wx + 6, wy + 9), fill=(255, 214, 150))
        x += w + canvas.rng.uniform(0, 12)
    for spire in (420, 930):
        draw.rectangle((spire - 24, horizon - 230, spire + 24, horizon), fill=ink)
        draw.polygon(
            [(spire - 30, horizon - 230), (spire, horizon - 360), (spire + 30, horizon - 230)], fill=ink
        )
    for tower, height in ((1200, 330), (1290, 270)):
        draw.rectangle((tower, horizon - height, tower + 70, horizon), fill=(70, 86, 110))
        for wy in range(horizon - height + 10, horizon, 18):
            draw.line((tower + 6, wy, tower + 64, wy), fill=(150, 170, 190), width=3)
    canvas.reflect(horizon, darken=0.6)
    canvas.draw.line((0, horizon, 1600, horizon), fill=(60, 64, 80), width=4)
    return canvas.image
