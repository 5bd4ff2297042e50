"""Where money is priced: a central bank's trading floor, a bureau de change, the exchange board, a chart."""

from __future__ import annotations

import random

from PIL import Image, ImageDraw

from masthead.news.demo.drawing.canvas import Canvas, font

SIZE = (1600, 900)
GREEN, RED, AMBER = (96, 210, 120), (236, 96, 80), (255, 186, 60)


def trading_floor(seed: int) -> Image.Image:
    """Rows of dealing desks under a wall screen that shows the noon decision."""
    canvas = Canvas.sky(SIZE, [(0, (40, 44, 54)), (0.5, (70, 74, 84)), (1, (56, 58, 66))], seed=seed)
    draw = canvas.draw
    vx, vy = 800, 330
    for i in range(-8, 9):
        draw.line((vx + i * 40, vy - 60, vx + i * 260, 0), fill=(90, 94, 104), width=2)
    for x in range(300, 1301, 200):
        canvas.glow((x, 40), 40, (230, 236, 240), strength=120)
    draw.rectangle((520, 110, 1080, 330), fill=(16, 22, 34), outline=(120, 124, 130), width=6)
    draw.text((800, 150), "BANK OF VALDORA", font=font(30, "sans-bold"), fill=(200, 210, 220), anchor="mm")
    draw.text((800, 218), "Main rate 4.25%", font=font(64, "sans-bold"), fill=(255, 255, 255), anchor="mm")
    draw.text((800, 286), "UNCHANGED · 12:00", font=font(30, "sans"), fill=AMBER, anchor="mm")
    canvas.glow((800, 220), 300, (120, 160, 220), strength=40)
    draw = canvas.draw
    # Desk rows receding to the screen, each desk a bank of lit monitors.
    for row in range(6):
        t = row / 5
        y = 420 + t * 430
        half = 260 + t * 900
        desk_h = 18 + t * 40
        draw.rectangle((vx - half, y, vx + half, y + desk_h), fill=(120, 100, 80))
        draw.rectangle((vx - half, y + desk_h, vx + half, y + desk_h * 1.8), fill=(60, 56, 54))
        mw, mh = 40 + t * 110, 26 + t * 70
        x = vx - half + 10
        while x + mw < vx + half:
            draw.rectangle((x, y - mh - 4, x + mw, y - 4), fill=(20, 22, 28))
            inner = (x + 4, y - mh, x + mw - 4, y - 8)
            draw.rectangle(inner, fill=(28, 48, 76))
            _sparkline(draw, inner, canvas.rng.random() < 0.6)
            x += mw + 6
        if row in (1, 3):
            for person in range(3):
                px = vx - half * 0.6 + person * half * 0.55 + canvas.rng.uniform(-30, 30)
                r = 10 + t * 26
                draw.ellipse((px - r, y - mh - r * 2.2, px + r, y - mh - r * 0.2), fill=(34, 30, 30))
                draw.rounded_rectangle(
                    (px - r * 1.8, y - mh - r * 0.3, px + r * 1.8, y), radius=int(r), fill=(40, 48, 70)
                )
    return canvas.image


def _sparkline(draw: ImageDraw.ImageDraw, area: tuple[float, float, float, float], rising: bool) -> None:
    x0, y0, x1, y1 = area
    steps = 8
    points = []
    for i in range(steps + 1):
        t = i / steps
        wobble = ((i * 37) % 7 - 3) / 14
        level = (t if rising else 1 - t) * 0.6 + 0.2 + wobble * 0.2
        points.append((x0 + (x1 - x0) * t, y1 - (y1 - y0) * level))
    draw.line(points, fill=GREEN if rising else RED, width=2)


def bureau_de_change(seed: int) -> Image.Image:
    """A station kiosk: a lit sign, a board of buying and selling rates, the counter window below."""
    canvas = Canvas.sky(SIZE, [(0, (60, 56, 52)), (0.5, (120, 106, 90)), (1, (90, 80, 70))], seed=seed)
    draw = canvas.draw
    for x in range(-200, 1800, 160):
        draw.line((800, -400, x, 120), fill=(84, 78, 72), width=8)
    canvas.glow((800, 40), 500, (250, 230, 200), strength=50)
    draw = canvas.draw
    draw.rectangle((200, 110, 1400, 190), fill=(20, 60, 110))
    draw.text((800, 150), "BUREAU DE CHANGE", font=font(52, "sans-bold"), fill=(255, 255, 255), anchor="mm")
    draw.rectangle((200, 190, 1400, 640), fill=(14, 14, 16))
    heads = font(26, "sans-bold")
    draw.text((260, 226), "CURRENCY", font=heads, fill=(200, 200, 200), anchor="lm")
    draw.text((1010, 226), "WE BUY", font=heads, fill=(200, 200, 200), anchor="rm")
    draw.text((1340, 226), "WE SELL", font=heads, fill=(200, 200, 200), anchor="rm")
    rates = [
        ("KMK", "Kessen mark", "1.2160", "1.2610", (30, 90, 60)),
        ("USD", "US dollar", "0.9420", "0.9890", (40, 60, 130)),
        ("EUR", "Euro", "1.0310", "1.0790", (30, 60, 150)),
        ("GBP", "Pound sterling", "1.1870", "1.2440", (150, 30, 50)),
        ("TLF", "Talvany franc", "1.1020", "1.1530", (190, 40, 40)),
        ("JPY", "Yen (100)", "0.6310", "0.6690", (220, 220, 220)),
    ]
    digits, names = font(42, "mono-bold"), font(30, "sans")
    for i, (code, name, buy, sell, flag) in enumerate(rates):
        y = 290 + i * 58
        draw.rectangle((250, y - 18, 296, y + 14), fill=flag)
        draw.text((320, y), code, font=digits, fill=AMBER, anchor="lm")
        draw.text((450, y), name, font=names, fill=(230, 230, 220), anchor="lm")
        draw.text((1010, y), buy, font=digits, fill=AMBER, anchor="rm")
        draw.text((1340, y), sell, font=digits, fill=AMBER, anchor="rm")
        draw.line((250, y + 29, 1350, y + 29), fill=(50, 50, 54), width=2)
    draw.rectangle((200, 640, 1400, 900), fill=(150, 140, 128))
    draw.rectangle((480, 660, 1120, 820), fill=(70, 90, 100))
    draw.polygon([(480, 660), (700, 660), (600, 820), (480, 820)], fill=(96, 118, 128))
    draw.rectangle((720, 800, 880, 820), fill=(40, 40, 40))
    draw.rectangle((200, 820, 1400, 860), fill=(96, 86, 76))
    draw.rectangle((0, 860, 1600, 900), fill=(70, 64, 58))
    return canvas.image


def exchange_board(seed: int) -> Image.Image:
    """The exchange's big board on a day technology led: tickers, prices, changes, watched from the floor."""
    canvas = Canvas.sky(SIZE, [(0, (18, 20, 26)), (1, (30, 32, 40))], seed=seed)
    draw = canvas.draw
    draw.rectangle((80, 60, 1520, 660), fill=(6, 8, 12), outline=(70, 72, 80), width=8)
    draw.text((120, 110), "SAVRIN EXCHANGE", font=font(34, "sans-bold"), fill=(220, 220, 220), anchor="lm")
    draw.text((1480, 110), "SX-40  4,318.6  ▲ 1.1%", font=font(34, "mono-bold"), fill=GREEN, anchor="rm")
    rows = [
        ("HALDEN SEMICONDUCTOR", "412.50", "+11.0%"),
        ("SAELIG DEVICES", "58.20", "+9.0%"),
        ("VANTOR SYSTEMS", "131.75", "+7.0%"),
        ("SX-40 TECHNOLOGY", "1,906.3", "+4.2%"),
        ("ORRIN SHIPPING LINES", "22.84", "+2.0%"),
        ("ARKON MICROELECTRONICS", "17.36", "−5.0%"),
    ]
    name_font, num_font = font(38, "condensed-bold"), font(40, "mono-bold")
    for i, (name, price, change) in enumerate(rows):
        y = 190 + i * 76
        color = RED if change.startswith("−") else GREEN
        draw.rectangle((100, y - 32, 1500, y + 32), fill=(14, 18, 24) if i % 2 else (10, 12, 16))
        draw.text((130, y), name, font=name_font, fill=(236, 236, 230), anchor="lm")
        draw.text((1130, y), price, font=num_font, fill=(236, 236, 230), anchor="rm")
        draw.text(
            (1470, y), ("▼ " if color == RED else "▲ ") + change, font=num_font, fill=color, anchor="rm"
        )
    canvas.glow((800, 360), 520, (90, 200, 120), strength=36)
    draw = canvas.draw
    draw.rectangle((0, 690, 1600, 740), fill=(10, 10, 14))
    draw.text(
        (20, 715),
        "HALDEN ▲11.0%   SAELIG ▲9.0%   VANTOR ▲7.0%   ARKON ▼5.0%   ORRIN ▲2.0%",
        font=font(28, "mono-bold"),
        fill=AMBER,
        anchor="lm",
    )
    # Silhouettes of traders on the floor, looking up at the board.
    for i in range(9):
        x = 80 + i * 180 + canvas.rng.uniform(-40, 40)
        r = canvas.rng.uniform(34, 44)
        top = 760 + canvas.rng.uniform(0, 40)
        draw.ellipse((x - r, top, x + r, top + 2.3 * r), fill=(8, 8, 10))
        draw.rounded_rectangle((x - r * 2.2, top + 2 * r, x + r * 2.2, 940), radius=int(r), fill=(8, 8, 10))
    return canvas.image


def crown_chart(seed: int) -> Image.Image:
    """A newspaper line chart: the crown's value in marks, falling since the first boarding."""
    rng = random.Random(seed)
    image = Image.new("RGB", SIZE, (250, 248, 243))
    draw = ImageDraw.Draw(image)
    ink, grid, line = (34, 36, 42), (214, 210, 200), (170, 36, 44)
    draw.text((90, 70), "The crown against the mark", font=font(52, "serif-bold"), fill=ink)
    draw.text(
        (90, 140), "Kessen marks per Valdoran crown, daily close", font=font(30, "sans"), fill=(90, 90, 96)
    )
    left, right, top, bottom = 190, 1500, 230, 780
    low, high = 0.80, 0.86
    for i in range(7):
        value = low + (high - low) * i / 6
        y = bottom - (bottom - top) * i / 6
        draw.line((left, y, right, y), fill=grid, width=2)
        draw.text((left - 20, y), f"{value:.2f}", font=font(26, "sans"), fill=(90, 90, 96), anchor="rm")
    months = ["Jul", "Aug", "Sep", "Oct", "Nov"]
    for i, month in enumerate(months):
        x = left + (right - left) * i / (len(months) - 1)
        draw.text((x, bottom + 34), month, font=font(26, "sans"), fill=(90, 90, 96), anchor="mm")
    days = 100
    boarding = 46
    value, points = 0.848, []
    for day in range(days + 1):
        # Flat before the boarding, then down about 5% to the 1.238-to-the-mark close in the story.
        drift = (0.804 - 0.848) / (days - boarding) if day > boarding else 0.0
        value += drift + rng.gauss(0, 0.0012)
        value = min(high - 0.004, max(low + 0.003, value))
        points.append(
            (left + (right - left) * day / days, bottom - (bottom - top) * (value - low) / (high - low))
        )
    bx = left + (right - left) * boarding / days
    for y in range(top, bottom, 24):
        draw.line((bx, y, bx, y + 12), fill=ink, width=2)
    draw.text((bx + 14, top + 20), "First trawler boarded", font=font(26, "sans-bold"), fill=ink, anchor="lm")
    draw.line(points, fill=line, width=6, joint="curve")
    end = points[-1]
    draw.ellipse((end[0] - 9, end[1] - 9, end[0] + 9, end[1] + 9), fill=line)
    draw.text(
        (end[0] - 12, end[1] + 40),
        f"{low + (bottom - end[1]) / (bottom - top) * (high - low):.3f}",
        font=font(30, "sans-bold"),
        fill=line,
        anchor="rm",
    )
    draw.line((left, bottom, right, bottom), fill=ink, width=3)
    draw.text((90, 850), "Source: Savrin exchange", font=font(24, "sans"), fill=(110, 110, 116))
    return image
