"""Fields and power: Tessaly's wheat, wind on the hills, a data-centre plan, batteries and storage tanks."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from masthead.news.demo.drawing.canvas import Canvas, Color, box, font, mix, shade

SIZE = (1600, 900)


def turbine(
    draw: ImageDraw.ImageDraw, x: float, ground: float, height: float, angle: float, color: Color
) -> None:
    """A three-bladed wind turbine: tapered tower, nacelle, slender blades."""
    hub = (x, ground - height)
    draw.polygon(
        [
            (x - height * 0.03, ground),
            (x + height * 0.03, ground),
            (x + height * 0.012, hub[1]),
            (x - height * 0.012, hub[1]),
        ],
        fill=color,
    )
    draw.rounded_rectangle(
        (x - height * 0.03, hub[1] - height * 0.025, x + height * 0.07, hub[1] + height * 0.02),
        radius=4,
        fill=color,
    )
    blade = height * 0.55
    for k in range(3):
        a = angle + k * 2 * math.pi / 3
        tip = (hub[0] + blade * math.cos(a), hub[1] + blade * math.sin(a))
        side = (hub[0] + blade * 0.25 * math.cos(a + 0.12), hub[1] + blade * 0.25 * math.sin(a + 0.12))
        draw.polygon([hub, side, tip], fill=color)
    draw.ellipse(
        (hub[0] - height * 0.02, hub[1] - height * 0.02, hub[0] + height * 0.02, hub[1] + height * 0.02),
        fill=shade(color, 0.9),
    )


def _clouds(canvas: Canvas, count: int, band: tuple[int, int], color: Color) -> None:
    for _ in range(count):
        cx, cy = canvas.rng.uniform(0, 1600), canvas.rng.uniform(*band)
        w = canvas.rng.uniform(160, 360)
        canvas.soft((cx - w, cy - w * 0.18, cx + w, cy + w * 0.18), color, strength=150, blur=30, round=True)


def wheat_fields(seed: int) -> Image.Image:
    """Ripe wheat to the horizon under a summer sky, a combine working a strip, silos beyond."""
    canvas = Canvas.sky(
        SIZE, [(0, (84, 140, 200)), (0.45, (190, 214, 230)), (0.5, (226, 228, 214))], seed=seed
    )
    _clouds(canvas, 7, (60, 300), (255, 255, 255))
    horizon = 440
    canvas.ridge(horizon, 40, (150, 170, 130), wavelength=500)
    draw = canvas.draw
    for i in range(3):
        x = 1180 + i * 64
        draw.rectangle((x, horizon - 200, x + 54, horizon + 10), fill=(214, 214, 208))
        draw.pieslice((x, horizon - 226, x + 54, horizon - 174), 180, 360, fill=(180, 184, 186))
        draw.line((x + 27, horizon - 200, x + 27, horizon + 10), fill=(190, 190, 186), width=2)
    gold, ochre = (222, 184, 92), (196, 150, 64)
    for band in range(14):
        y0 = horizon + 6 + (band**1.9) * 3.4
        y1 = horizon + 6 + ((band + 1) ** 1.9) * 3.4
        draw.rectangle((0, y0, 1600, y1), fill=mix(gold, ochre, (band % 2) * 0.5 + band / 40))
    for x in range(-2000, 3600, 70):
        draw.line((800 + (x - 800) * 0.04, horizon + 8, x, 900), fill=shade(gold, 0.86), width=2)
    # A harvested strip with the combine at its head, dust trailing.
    draw.polygon([(700, horizon + 40), (760, horizon + 40), (560, 900), (260, 900)], fill=(210, 196, 150))
    cx, cy = 730, 560
    canvas.soft((cx + 40, cy - 80, cx + 360, cy + 10), (236, 214, 160), strength=170, blur=40, round=True)
    draw = canvas.draw
    draw.rectangle((cx - 90, cy - 20, cx + 110, cy + 40), fill=(60, 130, 60))
    draw.rectangle((cx - 70, cy - 80, cx + 10, cy - 20), fill=(60, 130, 60))
    draw.rectangle((cx - 62, cy - 72, cx + 2, cy - 36), fill=(150, 190, 210))
    draw.rectangle((cx - 150, cy + 30, cx - 80, cy + 56), fill=(230, 190, 40))
    for wheel, r in ((cx - 40, 34), (cx + 80, 24)):
        draw.ellipse((wheel - r, cy + 56 - r, wheel + r, cy + 56 + r), fill=(30, 30, 30))
    draw.line((cx + 100, cy - 10, cx + 170, cy - 60), fill=(60, 130, 60), width=10)
    return canvas.image


def wind_hills(seed: int) -> Image.Image:
    """Turbines along the ridges above a harbour town, nearer ones larger, far ones pale."""
    canvas = Canvas.sky(
        SIZE, [(0, (90, 150, 210)), (0.55, (200, 222, 236)), (0.6, (214, 228, 236))], seed=seed
    )
    _clouds(canvas, 6, (80, 260), (255, 255, 255))
    rng = canvas.rng
    ridges = [
        (420, 70, (150, 176, 170), 0.14),
        (520, 90, (112, 150, 110), 0.22),
        (660, 110, (84, 126, 80), 0.34),
    ]
    for base, amp, color, size in ridges:
        canvas.ridge(base, amp, color, wavelength=380)
        draw = canvas.draw
        for k in range(5):
            x = 120 + k * 330 + rng.uniform(-60, 60)
            ground = base - amp * 0.7 + rng.uniform(-10, 20)
            turbine(
                draw,
                x,
                ground,
                900 * size,
                rng.uniform(0, 6.28),
                mix((250, 250, 250), color, 0.25 - size * 0.4),
            )
        canvas.haze(base - amp - 120, base, (214, 228, 236), strength=60)
    draw = canvas.draw
    draw.rectangle((0, 780, 1600, 900), fill=(70, 110, 140))
    for k in range(24):
        x = 40 + k * 64 + rng.uniform(-10, 10)
        h = rng.uniform(40, 80)
        wall = rng.choice([(236, 226, 210), (214, 190, 160), (240, 240, 236)])
        draw.rectangle((x, 780 - h, x + 52, 784), fill=wall)
        draw.polygon([(x - 4, 780 - h), (x + 26, 780 - h - 26), (x + 56, 780 - h)], fill=(150, 70, 56))
    return canvas.image


def data_campus(seed: int) -> Image.Image:
    """An architect's view of the proposed campus: halls on the old slipways, a substation, the kept crane."""
    canvas = Canvas.sky(SIZE, [(0, (150, 184, 210)), (0.5, (226, 232, 234))], seed=seed)
    draw = canvas.draw
    draw.rectangle((0, 640, 1600, 900), fill=(96, 130, 150))
    draw.polygon([(0, 520), (1600, 470), (1600, 700), (0, 720)], fill=(176, 178, 170))
    for k in range(3):
        x, y = 140 + k * 420, 560 - k * 14
        box(draw, x, y - 120, 360, 120, 110, (226, 228, 230), outline=(150, 156, 160))
        for fin in range(int(x) + 12, int(x) + 356, 20):
            draw.line((fin, y - 112, fin, y - 8), fill=(180, 186, 192), width=4)
        for unit in range(5):
            ux = x + 20 + unit * 66 + 66 * 0.6
            draw.ellipse((ux, y - 120 - 60, ux + 40, y - 120 - 44), fill=(150, 156, 160))
    sx, sy = 1380, 520
    for k in range(3):
        box(draw, sx + k * 56, sy - 60, 40, 50, 26, (120, 124, 130))
    for px in (1300, 1560):
        draw.line((px, sy + 10, px, sy - 230), fill=(80, 84, 90), width=6)
        draw.line((px - 50, sy - 200, px + 50, sy - 200), fill=(80, 84, 90), width=5)
        draw.line((px - 40, sy - 160, px + 40, sy - 160), fill=(80, 84, 90), width=5)
    draw.line((1300, sy - 200, 1560, sy - 190), fill=(80, 84, 90), width=2)
    # The yard's last crane, kept as a landmark.
    draw.line((80, 560, 110, 200), fill=(180, 60, 40), width=14)
    draw.line((150, 560, 120, 200), fill=(180, 60, 40), width=14)
    draw.line((40, 210, 520, 170), fill=(180, 60, 40), width=16)
    canvas.reflect(700, darken=0.55)
    draw = canvas.draw
    for tree in range(16):
        tx = 120 + tree * 90
        draw.ellipse((tx - 22, 600, tx + 22, 640), fill=(90, 130, 90))
    draw.rectangle((1180, 60, 1560, 140), fill=(255, 255, 255), outline=(180, 180, 180))
    draw.text((1200, 80), "HARROW YARD CAMPUS", font=font(26, "sans-bold"), fill=(40, 44, 52))
    draw.text((1200, 112), "Proposal · 300 MW at full build", font=font(22, "sans"), fill=(90, 94, 100))
    return canvas.image


def battery_containers(seed: int) -> Image.Image:
    """Battery containers in a row behind a machining plant, the valley's hills beyond."""
    canvas = Canvas.sky(SIZE, [(0, (110, 160, 206)), (0.55, (220, 228, 230))], seed=seed)
    _clouds(canvas, 4, (60, 200), (255, 255, 255))
    canvas.ridge(420, 120, (140, 160, 140), wavelength=520)
    canvas.ridge(470, 80, (110, 136, 104), wavelength=360)
    draw = canvas.draw
    # The plant: a saw-tooth roofed hall.
    draw.rectangle((700, 330, 1560, 600), fill=(180, 176, 170))
    for x in range(700, 1560, 86):
        draw.polygon([(x, 330), (x + 86, 330), (x + 86, 270)], fill=(150, 150, 150))
        draw.polygon([(x + 86, 330), (x + 86, 270), (x + 80, 270), (x + 80, 326)], fill=(170, 200, 220))
    draw.rectangle((760, 420, 960, 600), fill=(120, 126, 134))
    draw.text((1250, 380), "SOLBERG PRECISION", font=font(30, "sans-bold"), fill=(80, 84, 90), anchor="mm")
    draw.rectangle((0, 600, 1600, 900), fill=(150, 152, 146))
    for k in range(4):
        x = 80 + k * 300
        box(draw, x, 600, 260, 130, 150, (236, 238, 236), outline=(170, 176, 176))
        for v in range(6):
            draw.rectangle((x + 18 + v * 40, 620, x + 44 + v * 40, 700), fill=(200, 204, 204))
        draw.rectangle((x, 712, x + 260, 726), fill=(20, 110, 90))
    box(draw, 1290, 640, 120, 100, 80, (120, 130, 120))
    for post in range(0, 1600, 60):
        draw.line((post, 880, post, 790), fill=(110, 116, 110), width=3)
    for wire in (800, 830, 860):
        draw.line((0, wire, 1600, wire), fill=(110, 116, 110), width=2)
    return canvas.image


def storage_tanks(seed: int) -> Image.Image:
    """A flow-battery pilot: two tall electrolyte tanks, pipework, a control hut, wind farms on the hills."""
    canvas = Canvas.sky(SIZE, [(0, (120, 150, 190)), (0.55, (230, 220, 206))], seed=seed)
    canvas.ridge(470, 110, (150, 162, 170), wavelength=420)
    draw = canvas.draw
    for k in range(7):
        turbine(draw, 80 + k * 230, 420 + (k % 3) * 12, 150, k * 0.7, (236, 238, 240))
    canvas.haze(300, 480, (230, 220, 206), strength=90)
    draw = canvas.draw
    draw.rectangle((0, 620, 1600, 900), fill=(132, 136, 128))
    for x, color in ((300, (40, 90, 150)), (640, (150, 60, 110))):
        draw.rectangle((x, 280, x + 240, 680), fill=color)
        draw.ellipse((x, 250, x + 240, 310), fill=shade(color, 1.2))
        draw.ellipse((x, 650, x + 240, 710), fill=color)
        draw.rectangle((x + 160, 280, x + 200, 680), fill=shade(color, 0.85))
        draw.line((x + 120, 250, x + 120, 230), fill=(80, 80, 80), width=6)
    for y in (520, 560):
        draw.line((540, y, 640, y), fill=(170, 170, 170), width=10)
        draw.line((880, y, 1080, y), fill=(170, 170, 170), width=10)
    box(draw, 1080, 500, 300, 180, 120, (224, 226, 222), outline=(160, 160, 160))
    draw.rectangle((1120, 560, 1190, 680), fill=(90, 96, 104))
    draw.rectangle((1240, 540, 1340, 590), fill=(150, 190, 210))
    draw.text((1230, 520), "CORVANE", font=font(24, "sans-bold"), fill=(20, 110, 90), anchor="mm")
    for post in range(0, 1600, 60):
        draw.line((post, 880, post, 780), fill=(100, 104, 100), width=3)
    for wire in (790, 830, 870):
        draw.line((0, wire, 1600, wire), fill=(100, 104, 100), width=2)
    return canvas.image
