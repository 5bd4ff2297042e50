"""Semiconductors: a wafer under inspection, a packaged processor, a lithography bay, boards on a line."""

from __future__ import annotations

import math

from PIL import Image

from masthead.news.demo.drawing.canvas import Canvas, Color, box, font, mix, shade

SIZE = (1600, 900)


def _wafer(canvas: Canvas, cx: float, cy: float, r: float) -> None:
    """A silicon wafer: a disc ruled into dies, with the sheen of the light across it."""
    layer, draw = canvas.layer()
    draw.ellipse((cx - r, cy - r * 0.42, cx + r, cy + r * 0.42), fill=(150, 156, 176, 255))
    die = r / 8
    for i in range(-8, 9):
        for j in range(-8, 9):
            x, y = cx + i * die, cy + j * die * 0.42
            if ((i + 0.5) * die) ** 2 + ((j + 0.5) * die) ** 2 > (r * 0.93) ** 2:
                continue
            hue = (i + j * 0.6) / 16
            color = mix((120, 90, 170), (80, 170, 170), 0.5 + 0.5 * math.sin(hue * 6))
            draw.polygon(
                [(x, y), (x + die - 3, y), (x + die - 3, y + die * 0.42 - 2), (x, y + die * 0.42 - 2)],
                fill=(*color, 255),
            )
    canvas.lay(layer)
    canvas.glow((cx - r * 0.3, cy - r * 0.1), r * 0.35, (255, 255, 255), strength=90)
    canvas.draw.ellipse((cx - r, cy - r * 0.42, cx + r, cy + r * 0.42), outline=(210, 214, 224), width=4)


def wafer_line(seed: int) -> Image.Image:
    """An inspection station in a clean room: wafer on its stage, optics above, a technician beside it."""
    canvas = Canvas.sky(SIZE, [(0, (214, 224, 232)), (0.6, (236, 240, 244)), (1, (200, 208, 216))], seed=seed)
    draw = canvas.draw
    for x in range(0, 1600, 200):
        draw.rectangle((x + 4, 0, x + 196, 90), fill=(236, 240, 246), outline=(190, 198, 206))
    for x in range(100, 1600, 400):
        canvas.glow((x, 60), 50, (255, 255, 255), strength=160)
    draw = canvas.draw
    box(draw, 200, 560, 1100, 240, 180, (224, 228, 232), outline=(170, 176, 186))
    box(draw, 360, 300, 200, 260, 120, (200, 206, 214), outline=(160, 166, 176))
    draw.rectangle((430, 520, 490, 600), fill=(60, 66, 78))
    _wafer(canvas, 800, 640, 300)
    draw = canvas.draw
    draw.rectangle((1100, 380, 1280, 500), fill=(30, 40, 56), outline=(120, 126, 136), width=6)
    for i in range(6):
        y = 400 + i * 16
        draw.line((1116, y, 1116 + (i * 47) % 150 + 20, y), fill=(110, 200, 160), width=4)
    # A technician in a clean suit: hood, mask, gloves.
    tx = 1400
    draw.rounded_rectangle(
        (tx - 80, 420, tx + 80, 900), radius=60, fill=(246, 248, 250), outline=(200, 206, 214), width=3
    )
    draw.ellipse((tx - 56, 290, tx + 56, 430), fill=(246, 248, 250), outline=(200, 206, 214), width=3)
    draw.rounded_rectangle((tx - 40, 336, tx + 40, 372), radius=12, fill=(70, 90, 120))
    draw.line((tx - 70, 520, tx - 170, 640), fill=(246, 248, 250), width=40)
    draw.ellipse((tx - 196, 620, tx - 150, 666), fill=(120, 160, 220))
    return canvas.image


def processor(seed: int) -> Image.Image:
    """A packaged processor on its board, lit from one side: the part the new rules cover."""
    canvas = Canvas.sky(SIZE, [(0, (20, 40, 34)), (1, (10, 24, 20))], seed=seed)
    draw = canvas.draw
    rng = canvas.rng
    for _ in range(120):
        y = rng.randrange(0, 900, 12)
        x = rng.randrange(0, 1600, 12)
        length = rng.randrange(80, 500, 12)
        horizontal = rng.random() < 0.5
        end = (x + length, y) if horizontal else (x, y + length)
        draw.line((x, y, *end), fill=(44, 92, 70), width=4)
        draw.ellipse((end[0] - 6, end[1] - 6, end[0] + 6, end[1] + 6), fill=(200, 170, 90))
    cx, cy, half = 800, 450, 260
    draw.rectangle((cx - half - 60, cy - half - 60, cx + half + 60, cy + half + 60), fill=(30, 70, 50))
    draw.rectangle((cx - half, cy - half, cx + half, cy + half), fill=(26, 26, 28))
    for i in range(-8, 9):
        for side in (-1, 1):
            draw.rectangle(
                (
                    cx + i * 28 - 6,
                    min(cy + side * (half + 4), cy + side * (half + 30)),
                    cx + i * 28 + 6,
                    max(cy + side * (half + 4), cy + side * (half + 30)),
                ),
                fill=(210, 180, 100),
            )
            draw.rectangle(
                (
                    min(cx + side * (half + 4), cx + side * (half + 30)),
                    cy + i * 28 - 6,
                    max(cx + side * (half + 4), cx + side * (half + 30)),
                    cy + i * 28 + 6,
                ),
                fill=(210, 180, 100),
            )
    canvas.glow((cx - 120, cy - 140), 260, (255, 255, 255), strength=30)
    draw = canvas.draw
    spreader = (172, 176, 182)
    draw.rounded_rectangle((cx - 200, cy - 200, cx + 200, cy + 200), radius=18, fill=spreader)
    draw.polygon(
        [(cx - 200, cy - 200), (cx + 120, cy - 200), (cx - 200, cy + 120)], fill=shade(spreader, 1.12)
    )
    draw.text((cx, cy - 60), "HALDEN", font=font(64, "sans-bold"), fill=(70, 74, 80), anchor="mm")
    draw.text((cx, cy + 20), "H5-X  5 nm", font=font(40, "mono-bold"), fill=(80, 84, 90), anchor="mm")
    draw.text((cx, cy + 80), "DRELMARK · 2540A", font=font(26, "mono-bold"), fill=(96, 100, 106), anchor="mm")
    for x, y in ((cx - 420, cy - 300), (cx + 380, cy + 250), (cx - 380, cy + 280), (cx + 400, cy - 320)):
        for k in range(4):
            draw.rectangle((x + k * 34, y, x + k * 34 + 22, y + 40), fill=(150, 120, 80))
            draw.rectangle((x + k * 34, y, x + k * 34 + 22, y + 8), fill=(210, 200, 190))
            draw.rectangle((x + k * 34, y + 32, x + k * 34 + 22, y + 40), fill=(210, 200, 190))
    return canvas.image


def clean_room(seed: int) -> Image.Image:
    """A lithography bay under its yellow light: tools on both sides, filters overhead, two technicians."""
    canvas = Canvas.sky(SIZE, [(0, (236, 214, 120)), (0.5, (246, 228, 150)), (1, (214, 190, 110))], seed=seed)
    draw = canvas.draw
    vx, vy = 800, 400
    far = (640, 320, 960, 500)
    draw.rectangle(far, fill=(250, 236, 170))
    for i in range(9):
        t = i / 8
        y = far[1] * (1 - t)
        draw.line(
            (far[0] - (far[0]) * t * 1.2, y, far[2] + (1600 - far[2]) * t * 1.2, y),
            fill=(200, 176, 96),
            width=2,
        )
    for i in range(-6, 7):
        draw.line((vx + i * 26, far[1], vx + i * 200, 0), fill=(204, 182, 100), width=2)
    draw.polygon([(far[0], far[3]), (far[2], far[3]), (1600, 900), (0, 900)], fill=(224, 214, 190))
    for i in range(-6, 7):
        draw.line((vx + i * 26, far[3], vx + i * 220, 900), fill=(200, 190, 166), width=2)
    tool: Color = (232, 228, 214)
    for side in (-1, 1):
        for k in range(4, -1, -1):
            t = k / 4
            near = 1 - t
            inner = vx + side * (180 + near * 200)
            outer = vx + side * (300 + near * 600)
            top = vy - 70 - near * 320
            bottom = vy + 100 + near * 380
            face = [(inner, top), (inner, bottom), (outer, bottom + near * 60), (outer, top - near * 60)]
            draw.polygon(face, fill=shade(tool, 0.86 + 0.1 * near), outline=(170, 160, 130))
            band_y = top + (bottom - top) * 0.3
            draw.line(
                (inner, band_y, outer, band_y - near * 30), fill=(60, 100, 150), width=max(2, int(10 * near))
            )
            draw.rectangle(
                (
                    min(inner, outer) + 20 * near,
                    bottom - 60 * near,
                    min(inner, outer) + 60 * near + 10,
                    bottom - 20 * near,
                ),
                fill=(90, 200, 120),
            )
    for x, scale in ((700, 0.7), (930, 1.0)):
        w, h = 50 * scale, 220 * scale
        base = 620 + 120 * scale
        draw.rounded_rectangle(
            (x - w, base - h, x + w, base),
            radius=int(20 * scale),
            fill=(252, 252, 248),
            outline=(190, 186, 170),
        )
        draw.ellipse(
            (x - 34 * scale, base - h - 64 * scale, x + 34 * scale, base - h + 6 * scale),
            fill=(252, 252, 248),
            outline=(190, 186, 170),
        )
        draw.rounded_rectangle(
            (x - 24 * scale, base - h - 42 * scale, x + 24 * scale, base - h - 20 * scale),
            radius=6,
            fill=(80, 90, 110),
        )
    return canvas.image


def circuit_boards(seed: int) -> Image.Image:
    """Boards moving along an assembly line, seen from above, a placement head over the nearest."""
    canvas = Canvas.sky(SIZE, [(0, (70, 74, 80)), (1, (50, 52, 58))], seed=seed)
    draw = canvas.draw
    rng = canvas.rng
    draw.rectangle((0, 200, 1600, 700), fill=(36, 38, 42))
    for y in (214, 676):
        draw.rectangle((0, y - 10, 1600, y + 10), fill=(150, 154, 160))
    for i in range(3):
        x0 = 40 + i * 540
        board = (x0, 250, x0 + 480, 650)
        draw.rectangle(board, fill=(24, 100, 60))
        for _ in range(40):
            x, y = rng.randrange(x0 + 20, x0 + 460, 10), rng.randrange(270, 630, 10)
            draw.line(
                (x, y, x + rng.choice((0, 60, 120)), y + rng.choice((0, 40, 80))), fill=(60, 150, 90), width=3
            )
        chip = (x0 + 150, 370, x0 + 310, 530)
        draw.rectangle(chip, fill=(24, 24, 26))
        for k in range(8):
            for edge in (chip[1] - 10, chip[3]):
                draw.rectangle(
                    (chip[0] + 10 + k * 19, edge, chip[0] + 18 + k * 19, edge + 10), fill=(210, 200, 190)
                )
        for _ in range(16):
            x, y = (
                rng.randrange(x0 + 20, x0 + 440, 10),
                rng.choice((rng.randrange(270, 350, 10), rng.randrange(560, 620, 10))),
            )
            draw.rectangle(
                (x, y, x + 28, y + 14), fill=rng.choice([(150, 110, 70), (40, 40, 44), (190, 170, 110)])
            )
        for hole in ((x0 + 14, 264), (x0 + 466, 264), (x0 + 14, 636), (x0 + 466, 636)):
            draw.ellipse((hole[0] - 8, hole[1] - 8, hole[0] + 8, hole[1] + 8), fill=(200, 180, 110))
    # The placement gantry over the middle board, and its shadow.
    canvas.soft((660, 180, 900, 720), (0, 0, 0), strength=90, blur=30)
    draw = canvas.draw
    draw.rectangle((620, 130, 860, 190), fill=(210, 212, 216))
    draw.rectangle((700, 190, 780, 330), fill=(180, 184, 190))
    for k in range(4):
        draw.ellipse((712 + k * 16, 320, 724 + k * 16, 346), fill=(60, 60, 64))
    draw.rectangle((0, 760, 1600, 900), fill=(90, 94, 100))
    draw.text((60, 830), "LINE 3 · SMT", font=font(36, "sans-bold"), fill=(230, 200, 60), anchor="lm")
    return canvas.image
