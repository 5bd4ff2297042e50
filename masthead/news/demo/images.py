"""Pictures for the demo publication, drawn locally with Pillow: nothing is downloaded.

Every illustration is a scene drawn to match its caption (`masthead.news.demo.drawing`), seeded
from the image's title, so a rebuild draws the same pixels. Logos are sized to their text, so a
long name is never cut off.
"""

from __future__ import annotations

import io
import random
import zlib

from PIL import Image, ImageDraw

from masthead.news.demo.drawing import SCENES
from masthead.news.demo.drawing.canvas import Color, font, shade, vertical_gradient

PORTRAIT_SIZE = (600, 600)
PORTRAIT_BACKDROPS: list[tuple[Color, Color]] = [
    ((196, 112, 74), (18, 32, 58)),
    ((128, 178, 190), (14, 52, 72)),
    ((214, 140, 120), (40, 24, 52)),
    ((170, 190, 150), (22, 46, 38)),
    ((120, 132, 150), (30, 30, 34)),
    ((222, 188, 128), (58, 40, 20)),
]


def seed_for(title: str) -> int:
    # crc32, not hash(): Python salts str hashes per process, and the pictures must not change.
    return zlib.crc32(title.encode("utf-8"))


def draw_illustration(*, title: str, scene: str) -> bytes:
    """A JPEG of the named scene; the same title always gives the same picture."""
    return _encode(SCENES[scene](seed_for(title)), "JPEG")


def draw_portrait(*, name: str) -> bytes:
    """A head-and-shoulders silhouette on a studio-style gradient."""
    rng = random.Random(seed_for(name))
    light, dark = PORTRAIT_BACKDROPS[rng.randrange(len(PORTRAIT_BACKDROPS))]
    image = vertical_gradient(PORTRAIT_SIZE, [(0, shade(light, 1.1)), (1, dark)])
    draw = ImageDraw.Draw(image)
    skin = rng.choice([(236, 200, 170), (198, 150, 112), (150, 104, 72), (104, 70, 50), (224, 184, 150)])
    jacket = rng.choice([(40, 44, 60), (90, 40, 40), (50, 80, 70), (70, 70, 74), (30, 60, 110)])
    hair = rng.choice([(30, 22, 18), (90, 60, 30), (170, 140, 90), (120, 120, 120), (60, 30, 20)])
    draw.ellipse((110, 400, 490, 760), fill=jacket)
    draw.rectangle((265, 330, 335, 420), fill=shade(skin, 0.9))
    draw.ellipse((190, 130, 410, 380), fill=skin)
    draw.chord((180, 110, 420, 330), start=180, end=360, fill=hair)
    draw.polygon([(260, 420), (300, 500), (340, 420)], fill=(236, 236, 230))
    return _encode(image, "JPEG")


def draw_sponsor_logo(*, name: str, color: Color, height: int = 160) -> bytes:
    """A PNG logo: a round mark with a charge bolt, then the name, as wide as the name needs."""
    face = font(round(height * 0.34), "sans-bold")
    pad = height // 8
    text_width = ImageDraw.Draw(Image.new("L", (1, 1))).textlength(name, font=face)
    width = int(height + pad + text_width + pad)
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((pad, pad, height - pad, height - pad), fill=color)
    c = height / 2
    bolt = [
        (c + 6, pad * 2),
        (c - height * 0.16, c + 6),
        (c - 2, c + 6),
        (c - 8, height - pad * 2),
        (c + height * 0.16, c - 6),
        (c + 2, c - 6),
    ]
    draw.polygon(bolt, fill=(255, 255, 255))
    draw.text((height + pad // 2, c), name, font=face, fill=shade(color, 0.55), anchor="lm")
    return _encode(image, "PNG")


def draw_nameplate_logo(*, name: str, size: tuple[int, int] = (600, 60)) -> bytes:
    """The publication's name set as its nameplate, for search engines' publisher logo (fits 600x60)."""
    width, height = size
    image = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    text = name
    points = height
    while points > 8:
        face = font(points, "serif-bold")
        left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
        tracking = points * 0.03 * (len(text) - 1)
        if right - left + tracking <= width - 8 and bottom - top <= height * 0.62:
            break
        points -= 1
    x = (width - (right - left + tracking)) / 2 - left
    for letter in text:
        draw.text((x, height / 2), letter, font=face, fill=(17, 17, 17), anchor="lm")
        x += draw.textlength(letter, font=face) + points * 0.03
    draw.line((4, 3, width - 4, 3), fill=(17, 17, 17), width=2)
    draw.line((4, height - 4, width - 4, height - 4), fill=(17, 17, 17), width=2)
    return _encode(image, "PNG")


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, format="JPEG", quality=82, optimize=True)
    else:
        image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
