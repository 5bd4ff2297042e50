"""Charts drawn on the server as SVG: no script, readable by screen readers (<title>, <desc>), and
always shown beside a table with the same numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 56, 44, 22, 16
COLOURS = ("#1f5f8b", "#c0392b", "#2e7d32", "#8e44ad", "#d35400")


def _frame(chart_id: str, title: str, desc: str, body: str) -> SafeString:
    return format_html(
        '<svg class="analytics-chart" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>{body}</svg>',
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=desc,
        body=mark_safe(body),  # noqa: S308  (built below from escaped parts only)
    )


def nice_top(max_value: float) -> tuple[float, int]:
    """The axis's top and its number of steps: steps of 1, 2 or 5 times a power of ten, so a
    publisher reads 0, 1, 2, 3 rather than 0, 0.8, 1.5, 2.2."""
    if max_value <= 0:
        return 1.0, 1
    rough = max_value / 4
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    if step < 1 and max_value >= 1:
        step = 1.0
    steps = max(math.ceil(max_value / step - 1e-9), 1)
    return round(step * steps, 10), steps


def _axis(max_value: float) -> str:
    """Gridlines and values for an axis whose top is `max_value` (from `nice_top`)."""
    top, steps = nice_top(max_value)
    parts = []
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    for i in range(steps + 1):
        value = top * i / steps
        y = PAD_TOP + plot_h - plot_h * i / steps
        parts.append(
            f'<line x1="{PAD_LEFT}" x2="{WIDTH - PAD_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#333">'
            f"{escape(_short(value))}</text>"
        )
    return "".join(parts)


def _short(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}M"
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def bars(
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Sequence[float]],
    series_names: Sequence[str] = (),
) -> SafeString:
    """Grouped vertical bars: one group per label, one bar per series (named in a legend when
    there are several)."""
    max_value = nice_top(max([v for s in series for v in s] + [1]))[0]
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [_axis(max_value)]
    for i, label in enumerate(labels):
        x0 = PAD_LEFT + i * group_w + group_w * 0.1
        for j, values in enumerate(series):
            h = plot_h * values[i] / max_value
            parts.append(
                f'<rect x="{x0 + j * bar_w:.1f}" y="{PAD_TOP + plot_h - h:.1f}" width="{bar_w:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[j % len(COLOURS)]}"/>'
            )
        if len(labels) <= 16 or i % max(len(labels) // 12, 1) == 0:
            x = x0 + group_w * 0.4
            # Wrapped on words to the group's width (about 6 px a character at 11 px), two lines
            # at most: "Wall impressions" under its bar, not "Wall impressio".
            lines = _wrapped(label, max(int(group_w / 6.2), 4))
            spans = "".join(
                f'<tspan x="{x:.1f}" dy="{0 if n == 0 else 13}">{escape(text)}</tspan>'
                for n, text in enumerate(lines)
            )
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" font-size="11" '
                f'text-anchor="middle" fill="#333">{spans}</text>'
            )
    parts.append(_legend(series_names))
    return _frame(chart_id, title, desc, "".join(parts))


def _legend(names: Sequence[str]) -> str:
    """A swatch and a name per series, top right, when there is more than one."""
    if len(names) < 2:
        return ""
    parts, x = [], WIDTH - PAD_RIGHT
    for j in reversed(range(len(names))):
        x -= 7 * len(names[j]) + 24
        parts.append(
            f'<rect x="{x}" y="{PAD_TOP - 12}" width="10" height="10" fill="{COLOURS[j % len(COLOURS)]}"/>'
            f'<text x="{x + 14}" y="{PAD_TOP - 3}" font-size="11" fill="#333">{escape(names[j])}</text>'
        )
    return '<g class="legend">' + "".join(parts) + "</g>"


def _wrapped(label: str, width: int, most: int = 2) -> list[str]:
    """The label on at most `most` lines of `width` characters, cut on words; an ellipsis marks
    what did not fit (the table beside the chart always has the whole label)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: width - 1] + "…"
    return [line if len(line) <= width else line[: width - 1] + "…" for line in lines] or [""]


def line(chart_id: str, title: str, desc: str, labels: Sequence[str], values: Sequence[float]) -> SafeString:
    max_value = nice_top(max(list(values) + [1]))[0]
    plot_w = WIDTH - PAD_LEFT - PAD_RIGHT
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    step = plot_w / max(len(values) - 1, 1)
    points = [
        (PAD_LEFT + i * step, PAD_TOP + plot_h - plot_h * value / max_value) for i, value in enumerate(values)
    ]
    parts = [_axis(max_value)]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{COLOURS[0]}" stroke-width="2"/>')
    every = max(len(labels) // 8, 1)
    for i, label in enumerate(labels):
        if i % every == 0:
            parts.append(
                f'<text x="{points[i][0]:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" font-size="11" '
                f'text-anchor="middle" fill="#333">{escape(label)}</text>'
            )
    return _frame(chart_id, title, desc, "".join(parts))
