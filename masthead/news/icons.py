"""Inline SVG icons. Decorative by construction: aria-hidden, no <title>, so no icon name can
ever leak into a page's text (or a scraper's, or a screen reader's)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

_PATHS = {
    "menu": '<path d="M3 6h18M3 12h18M3 18h18" fill="none" stroke="currentColor" stroke-width="2"/>',
    "search": (
        '<circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2"/>'
        '<path d="M15.5 15.5 21 21" stroke="currentColor" stroke-width="2"/>'
    ),
    "facebook": (
        '<path fill="currentColor" d="M14 8.5V6.8c0-.8.5-1 1-1h2.3V2.1L14.2 2C10.9 2 10 4.4 10 6.4v2.1H7.5'
        'v3.8H10V22h4v-9.7h3l.4-3.8z"/>'
    ),
    "linkedin": (
        '<path fill="currentColor" d="M4.98 3.5a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5zM3 9.5h4V21H3zM9.5 9.5'
        'h3.8v1.6h.1c.5-1 1.8-2 3.8-2 4 0 4.8 2.6 4.8 6V21h-4v-5.2c0-1.2 0-2.9-1.8-2.9s-2 1.4-2 2.8V21h-4z"/>'
    ),
    "x": (
        '<path fill="currentColor" '
        'd="M17.7 3H21l-7.2 8.2L22 21h-6.6l-5.1-6.4L4.4 21H1l7.7-8.8L1 3h6.7l4.6 5.9z"/>'
    ),
    "mail": (
        '<rect x="3" y="5" width="18" height="14" rx="1.5" '
        'fill="none" stroke="currentColor" stroke-width="2"/>'
        '<path d="m3.5 6 8.5 7 8.5-7" fill="none" stroke="currentColor" stroke-width="2"/>'
    ),
    "print": (
        '<path d="M7 9V3h10v6M7 17H4v-7h16v7h-3" fill="none" stroke="currentColor" stroke-width="2"/>'
        '<rect x="7" y="14" width="10" height="7" fill="none" stroke="currentColor" stroke-width="2"/>'
    ),
    "rss": (
        '<path d="M5 11a8 8 0 0 1 8 8M5 5a14 14 0 0 1 14 14" fill="none" stroke="currentColor" '
        'stroke-width="2"/><circle cx="6" cy="18" r="2" fill="currentColor"/>'
    ),
}


def icon_svg(name: str, css_class: str = "") -> SafeString:
    paths = _PATHS[name]
    classes = f"icon icon--{name} {css_class}".strip()
    return format_html(
        '<svg class="{}" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" '
        'focusable="false">{}</svg>',
        classes,
        mark_safe(paths),  # noqa: S308 - constant markup defined above
    )
