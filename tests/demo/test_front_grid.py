"""The front page's section grids fill every row, whatever number of stories a section has.

Chromium lays out the site's real stylesheet around the front page's markup (sections of 1 to 7
cards beside the Latest column) at phone, tablet and desktop widths; in every section every row
of cards must run from the grid's left edge to its right edge: no lone card, no hole.
"""

from __future__ import annotations

from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "masthead/static/masthead/css/masthead.css"
COUNTS = range(1, 8)

pytestmark = pytest.mark.e2e


def card(n: int) -> str:
    return (
        '<article class="card"><div class="card__media"></div><div class="card__text">'
        f'<p class="kicker">Topic</p><h3 class="card__headline"><a href="#">Story {n} of the section</a></h3>'
        '<p class="card__standfirst">A standfirst of a usual length, two lines or so.</p></div></article>'
    )


def front_page() -> str:
    sections = "".join(
        f'<section class="front-section" data-count="{count}"><h2 class="section-heading">Section</h2>'
        f'<div class="card-grid">{"".join(card(n) for n in range(count))}</div></section>'
        for count in COUNTS
    )
    return (
        '<!doctype html><html lang="en"><head><title>Front</title></head><body class="page page--front">'
        f'<main class="main"><div class="front-columns"><div class="front-sections">{sections}</div>'
        '<aside class="front-latest"><h2 class="section-heading">Latest</h2></aside></div></main>'
        "</body></html>"
    )


ROWS_JS = """
() => [...document.querySelectorAll('.front-section')].map(section => {
  const grid = section.querySelector('.card-grid').getBoundingClientRect();
  const rows = {};
  for (const card of section.querySelectorAll('.card')) {
    const box = card.getBoundingClientRect();
    const key = Math.round(box.top);
    (rows[key] = rows[key] || []).push([box.left - grid.left, grid.right - box.right]);
  }
  return {count: +section.dataset.count, rows: Object.values(rows)};
})
"""


@pytest.mark.parametrize("width", [375, 800, 1280, 1440])
def test_every_row_of_every_section_is_full(browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_content(front_page())
    page.add_style_tag(content=CSS.read_text())

    sections = page.evaluate(ROWS_JS)
    page.close()

    assert [s["count"] for s in sections] == list(COUNTS)
    for section in sections:
        for row in section["rows"]:
            left_gap = min(edge[0] for edge in row)
            right_gap = min(edge[1] for edge in row)
            assert abs(left_gap) < 2 and abs(right_gap) < 2, (width, section["count"], section["rows"])
        if width >= 600 and section["count"] > 1:
            # Side by side, not a column of single cards.
            assert len(section["rows"]) < section["count"], (width, section)
