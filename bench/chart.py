"""The results as a horizontal bar chart (PNG, Pillow only): req/s per scenario next to the
reference view, each labelled with its ratio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

WIDTH = 1100
ROW = 46
LEFT = 250
RIGHT = 230
LABEL_ROOM = 260
TOP = 96
FONT_PATHS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


def _font(size: int) -> Any:
    for path in FONT_PATHS:
        if Path(path).is_file():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def draw_chart(results: dict[str, Any], path: Path) -> None:
    reference = results.get("reference_rps") or 0.0
    rows: list[tuple[str, float | None, str]] = [("reference (bare view)", reference, "1.00×")]
    for scenario in results["scenarios"]:
        if scenario.get("rps") is None:
            rows.append((scenario["name"], None, "skipped"))
        else:
            ratio = f"{scenario['ratio']:.2f}×" if scenario.get("ratio") is not None else "-"
            rows.append((scenario["name"], scenario["rps"], f"{ratio}  p99 {scenario['p99_ms'] or 0:.0f} ms"))
    for name, peer in (results.get("peers") or {}).items():
        if peer.get("rps") is not None:
            # A peer measured in the same rounds (BENCH_PEERS): how many of its pages one of ours is worth.
            versus = f"Masthead {peer.get('masthead_over_peer') or 0:.1f}×"
            rows.append(
                (f"{name} public post (peer)", peer["rps"], f"{versus}  p99 {peer['p99_ms'] or 0:.0f} ms")
            )
    height = TOP + ROW * len(rows) + 60
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    title, small, label = _font(22), _font(14), _font(16)
    draw.text((20, 16), "Masthead bench: requests per second (higher is better)", fill="#111", font=title)
    subtitle = (
        f"database {results['database']} · meter store {results['meter_store']} · "
        f"{results.get('worker_model', results['workers'])} · {results.get('settings', '')}"
    )
    draw.text((20, 52), subtitle, fill="#444", font=small)
    scale_max = max([value for _, value, _ in rows if value] + [1.0])
    span = WIDTH - LEFT - RIGHT - LABEL_ROOM  # the longest bar still leaves room for its figures
    for index, (name, value, ratio) in enumerate(rows):
        y = TOP + index * ROW
        draw.text((20, y + 10), name, fill="#111", font=label)
        if value is None:
            draw.text((LEFT, y + 10), "skipped", fill="#888", font=label)
            continue
        length = max(2, int(span * value / scale_max))
        colour = "#6b7280" if index == 0 else "#1d4ed8"
        draw.rectangle([LEFT, y + 6, LEFT + length, y + ROW - 10], fill=colour)
        draw.text((LEFT + length + 10, y + 10), f"{value:,.0f} req/s  {ratio}", fill="#111", font=label)
    if reference:
        # The scenario-1 target: half the reference.
        x = LEFT + int(span * 0.5 * reference / scale_max)
        for y in range(TOP, TOP + ROW * len(rows), 8):
            draw.line([x, y, x, y + 4], fill="#dc2626", width=2)
        draw.text((x - 40, TOP + ROW * len(rows) + 8), "0.5 × reference", fill="#dc2626", font=small)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG")
