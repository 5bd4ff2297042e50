"""The few tools every demo illustration is drawn with: a canvas, light, haze, water and type.

Everything is plain Pillow. Soft light is blurred on a small mask of only the area it falls on,
then scaled up: it looks the same as blurring the whole picture and costs a fraction of it.
Type comes from the machine's DejaVu faces when installed, else Pillow's bundled face:
nothing is ever downloaded.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter, ImageFont

Color = tuple[int, int, int]
Point = tuple[float, float]

_FACES = {
    "sans": "DejaVuSans.ttf",
    "sans-bold": "DejaVuSans-Bold.ttf",
    "condensed-bold": "DejaVuSansCondensed-Bold.ttf",
    "serif": "DejaVuSerif.ttf",
    "serif-bold": "DejaVuSerif-Bold.ttf",
    "serif-italic": "DejaVuSerif-Italic.ttf",
    "mono-bold": "DejaVuSansMono-Bold.ttf",
}


@functools.cache
def font(size: int, face: str = "sans") -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    try:
        return ImageFont.truetype(_FACES[face], size)
    except OSError:
        return ImageFont.load_default(size=size)


def mix(a: Color, b: Color, t: float) -> Color:
    """The colour a fraction t of the way from a to b."""
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))


def shade(color: Color, factor: float) -> Color:
    return (
        min(255, round(color[0] * factor)),
        min(255, round(color[1] * factor)),
        min(255, round(color[2] * factor)),
    )


def vertical_gradient(size: tuple[int, int], stops: Sequence[tuple[float, Color]]) -> Image.Image:
    """A top-to-bottom gradient through colour stops at fractions of the height."""
    width, height = size
    column = Image.new("RGB", (1, height))
    pixels = column.load()
    assert pixels is not None
    for y in range(height):
        t = y / max(1, height - 1)
        for (t0, c0), (t1, c1) in itertools.pairwise(stops):
            if t0 <= t <= t1:
                pixels[0, y] = mix(c0, c1, (t - t0) / max(1e-6, t1 - t0))
                break
        else:
            pixels[0, y] = stops[0][1] if t < stops[0][0] else stops[-1][1]
    return column.resize((width, height))


@dataclass
class Canvas:
    image: Image.Image
    rng: random.Random

    @classmethod
    def sky(cls, size: tuple[int, int], stops: Sequence[tuple[float, Color]], *, seed: int) -> Canvas:
        return cls(vertical_gradient(size, stops), random.Random(seed))

    @property
    def draw(self) -> ImageDraw.ImageDraw:
        return ImageDraw.Draw(self.image)

    @property
    def width(self) -> int:
        return self.image.width

    @property
    def height(self) -> int:
        return self.image.height

    def layer(self) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        """A transparent layer the size of the canvas, to be laid on with `lay`."""
        layer = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        return layer, ImageDraw.Draw(layer)

    def lay(self, layer: Image.Image) -> None:
        self.image.paste(layer, (0, 0), layer)

    def glow(self, centre: Point, radius: float, color: Color, *, strength: int = 200) -> None:
        """Soft light: a sun, a lamp, a lit screen's spill."""
        x, y = centre
        self.soft(
            (x - radius, y - radius, x + radius, y + radius),
            color,
            strength=strength,
            blur=radius / 2,
            round=True,
        )

    def soft(
        self,
        area: tuple[float, float, float, float],
        color: Color,
        *,
        strength: int,
        blur: float,
        round: bool = False,
    ) -> None:
        """A blurred patch of colour (light or shadow) over `area`, drawn only where it falls."""
        margin = blur * 2
        left, top = int(max(0, area[0] - margin)), int(max(0, area[1] - margin))
        right, bottom = int(min(self.width, area[2] + margin)), int(min(self.height, area[3] + margin))
        if right <= left or bottom <= top:
            return
        factor = 8 if blur >= 24 else 2
        small = (max(1, (right - left) // factor), max(1, (bottom - top) // factor))
        mask = Image.new("L", small, 0)
        shape = [
            (area[0] - left) / factor,
            (area[1] - top) / factor,
            (area[2] - left) / factor,
            (area[3] - top) / factor,
        ]
        (ImageDraw.Draw(mask).ellipse if round else ImageDraw.Draw(mask).rectangle)(shape, fill=strength)
        mask = mask.filter(ImageFilter.GaussianBlur(blur / factor)).resize(
            (right - left, bottom - top), Image.Resampling.BILINEAR
        )
        self.image.paste(Image.new("RGB", mask.size, color), (left, top), mask)

    def haze(self, top: int, bottom: int, color: Color, *, strength: int = 150) -> None:
        """Atmosphere thickening towards `bottom`: what makes far hills pale."""
        mask = Image.linear_gradient("L").resize((self.width, max(1, bottom - top)))
        mask = mask.point(lambda v: v * strength // 255)
        self.image.paste(Image.new("RGB", mask.size, color), (0, top), mask)

    def ridge(
        self, base: int, amplitude: float, color: Color, *, wavelength: float = 420, steps: int = 48
    ) -> None:
        """A line of hills filled down to the bottom edge."""
        phase = self.rng.uniform(0, 6.28)
        points: list[Point] = [(0, self.height)]
        for i in range(steps + 1):
            x = self.width * i / steps
            wobble = _wave(x / wavelength + phase) + 0.35 * _wave(x / (wavelength / 2.7) + phase * 2)
            points.append((x, base - amplitude * (0.5 + 0.5 * wobble / 1.35)))
        points.append((self.width, self.height))
        self.draw.polygon(points, fill=color)

    def reflect(self, horizon: int, *, darken: float = 0.7, ripple: Color | None = None) -> None:
        """Water: the picture above `horizon` mirrored below it, darker and broken by ripples."""
        above = self.image.crop((0, max(0, 2 * horizon - self.height), self.width, horizon))
        mirrored = above.transpose(Image.Transpose.FLIP_TOP_BOTTOM).filter(ImageFilter.BoxBlur(3))
        mirrored = Image.blend(mirrored, Image.new("RGB", mirrored.size, (0, 0, 0)), 1 - darken)
        self.image.paste(mirrored, (0, horizon))
        draw = self.draw
        ripple = ripple or shade(mirrored.getpixel((self.width // 2, 4)), 1.25)  # type: ignore[arg-type]
        for _ in range(140):
            y = horizon + int((self.height - horizon) * self.rng.random() ** 1.6)
            x = self.rng.uniform(-100, self.width)
            length = 30 + (y - horizon) * self.rng.uniform(0.3, 1.2)
            draw.line((x, y, x + length, y), fill=ripple, width=1 + (y - horizon) // 120)

    def text(
        self,
        xy: Point,
        words: str,
        *,
        size: int,
        face: str = "sans",
        fill: Color = (255, 255, 255),
        anchor: str = "la",
    ) -> None:
        self.draw.text(xy, words, font=font(size, face), fill=fill, anchor=anchor)


def _wave(x: float) -> float:
    # A smooth, lopsided wave: hills that do not look like a sine curve.
    return math.sin(x) + 0.3 * math.sin(2.3 * x + 1.1)


def box(
    draw: ImageDraw.ImageDraw,
    x: float,
    y: float,
    w: float,
    h: float,
    depth: float,
    color: Color,
    *,
    outline: Color | None = None,
) -> None:
    """A block seen from above and to the left: front face, lit top, shaded side."""
    dx, dy = depth * 0.6, -depth * 0.45
    draw.polygon(
        [(x, y), (x + dx, y + dy), (x + w + dx, y + dy), (x + w, y)], fill=shade(color, 1.22), outline=outline
    )
    draw.polygon(
        [(x + w, y), (x + w + dx, y + dy), (x + w + dx, y + h + dy), (x + w, y + h)],
        fill=shade(color, 0.68),
        outline=outline,
    )
    draw.rectangle((x, y, x + w, y + h), fill=color, outline=outline)
