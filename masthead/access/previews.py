"""Editors preview an article as each kind of reader, from the Wagtail admin's preview menu.

Only a staff member's preview request is honoured; nothing a preview shows is recorded.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from masthead.access.policy import MeterState, ReaderKind

MeterSimulation = Callable[[int], MeterState]


def _fresh(limit: int) -> MeterState:
    return MeterState(read_count=0, already_read=False)


def _last(limit: int) -> MeterState:
    return MeterState(read_count=max(limit - 1, 0), already_read=False)


def _at_limit(limit: int) -> MeterState:
    return MeterState(read_count=limit, already_read=False)


_MODES: dict[str, tuple[ReaderKind, MeterSimulation, object]] = {
    "anonymous": (ReaderKind.ANONYMOUS, _fresh, _("Anonymous reader, first free article")),
    "anonymous-last": (ReaderKind.ANONYMOUS, _last, _("Anonymous reader, last free article")),
    "anonymous-wall": (ReaderKind.ANONYMOUS, _at_limit, _("Anonymous reader, limit reached")),
    "registered": (ReaderKind.REGISTERED, _fresh, _("Registered reader, first free article")),
    "registered-wall": (ReaderKind.REGISTERED, _at_limit, _("Registered reader, limit reached")),
    "subscriber": (ReaderKind.SUBSCRIBER, _fresh, _("Subscriber")),
    "trialist": (ReaderKind.TRIALIST, _fresh, _("Reader on a trial")),
    "expired-trial": (ReaderKind.EXPIRED_TRIAL, _at_limit, _("Trial expired, limit reached")),
    "lapsed-subscriber": (ReaderKind.LAPSED_SUBSCRIBER, _at_limit, _("Subscription ended, limit reached")),
}


def preview_modes() -> list[tuple[str, object]]:
    """For `ArticlePage.preview_modes`: the editor's own view first, then each reader."""
    return [("", _("As published (editor)")), *((mode, label) for mode, (_k, _s, label) in _MODES.items())]


def preview_reader(request: HttpRequest) -> tuple[ReaderKind, MeterSimulation] | None:
    if not getattr(request, "is_preview", False):
        return None
    user = getattr(request, "user", None)
    if user is None or not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    mode = getattr(request, "preview_mode", "") or ""
    if mode not in _MODES:
        return None
    kind, simulate, _label = _MODES[mode]
    return kind, simulate
