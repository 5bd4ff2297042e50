"""Charts drawn on the server as SVG: no script, readable by screen readers (<title>, <desc>), and
always shown beside a table with the same numbers."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 240
PAD_LEFT, PAD_BOTTOM, PAD_TOP, PAD_RIGHT = 56, 40, 16, 16
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


def _axis(max_value: float) -> str:
    parts = []
    plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM
    for i in range(5):
        value = max_value * i / 4
        y = PAD_TOP + plot_h - plot_h * i / 4
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
    chart_id: str, title: str, desc: str, labels: Sequence[str], series: Sequence[Sequence[float]]
) -> SafeString:
    """Grouped vertical bars: one group per label, one bar per series."""
    max_value = max([v for s in series for v in s] + [1])
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
            parts.append(
                f'<text x="{x0 + group_w * 0.4:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" font-size="11" '
                f'text-anchor="middle" fill="#333">{escape(label[:14])}</text>'
            )
    return _frame(chart_id, title, desc, "".join(parts))


def line(chart_id: str, title: str, desc: str, labels: Sequence[str], values: Sequence[float]) -> SafeString:
    max_value = max(list(values) + [1])
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
