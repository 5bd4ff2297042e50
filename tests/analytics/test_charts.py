"""The dashboard's SVG charts: labels a publisher can read under each bar, numbers escaped."""

from __future__ import annotations

import re

from masthead.analytics import charts


def test_a_long_step_name_is_wrapped_under_its_bar_not_cut() -> None:
    steps = ["Article views", "Wall impressions", "Registrations", "Checkouts", "New subscribers"]
    svg = str(charts.bars("funnel", "Funnel", "Counts per step", steps, [[4, 1, 1, 1, 3]]))
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    # Each step whole, on one line or wrapped on a word.
    words = " ".join(spans).split()
    for step in steps:
        assert " ".join(step.split()) in " ".join(words), step
    assert "Wall impressions" in spans or ("Wall" in spans and "impressions" in spans)


def test_what_does_not_fit_two_lines_ends_in_an_ellipsis_and_the_markup_is_escaped() -> None:
    labels = [f"<b>Story {n}</b> about a very long and winding affair of state" for n in range(12)]
    svg = str(charts.bars("stories", "Stories", "Views", labels, [[n for n in range(12)]]))
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert len(spans) <= 24 and any(span.endswith("…") for span in spans)


def test_axis_values_are_round_numbers_a_publisher_reads_at_a_glance() -> None:
    assert charts.nice_top(3) == (3, 3)  # 0, 1, 2, 3 — not 0, 0.8, 1.5, 2.2
    assert charts.nice_top(4) == (4, 4)
    assert charts.nice_top(7) == (8, 4)
    assert charts.nice_top(1234) == (1500, 3)
    assert charts.nice_top(0.6) == (0.6, 3)
    svg = str(charts.line("mrr", "MRR", "MRR per day", ["a", "b"], [0.0, 3.0]))
    values = re.findall(r'text-anchor="end" fill="#333">([^<]*)<', svg)
    assert values == ["0", "1", "2", "3"]


def test_two_series_are_named_in_a_legend() -> None:
    svg = str(
        charts.bars(
            "flows", "Flows", "New and churned", ["Nov 2026"], [[2], [1]], series_names=["New", "Churned"]
        )
    )
    assert '<g class="legend">' in svg and ">New<" in svg and ">Churned<" in svg
    single = str(charts.bars("one", "One", "One series", ["a"], [[1]], series_names=["Views"]))
    assert "legend" not in single
