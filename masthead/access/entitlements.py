"""Granting and ending entitlements: the only writers of `Entitlement` (billing and staff use these)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Q

from masthead.access.models import Entitlement, EntitlementKind
from masthead.access.reader_state import forget_entitlements

if TYPE_CHECKING:
    from masthead.accounts.models import User


def grant_entitlement(
    *,
    user: User,
    kind: EntitlementKind | str,
    starts_at: datetime,
    ends_at: datetime | None,
    source_ref: str = "",
    note: str = "",
) -> Entitlement:
    """Create or update the entitlement for `source_ref` (one per source), so replays are harmless."""
    if source_ref:
        entitlement, _ = Entitlement.objects.update_or_create(
            user=user,
            source_ref=source_ref,
            defaults={"kind": kind, "starts_at": starts_at, "ends_at": ends_at, "note": note},
        )
        return entitlement
    return Entitlement.objects.create(
        user=user, kind=kind, starts_at=starts_at, ends_at=ends_at, source_ref=source_ref, note=note
    )


def grant_new_entitlements(grants: list[Entitlement]) -> list[Entitlement]:
    """Save unsaved entitlements of readers who have none from their `source_ref` yet (an import's
    new readers) in one insert; what is kept of those readers' access is forgotten, as a save would."""
    made = Entitlement.objects.bulk_create(grants)
    forget_entitlements(grant.user_id for grant in made)
    return made


def end_entitlement(*, source_ref: str, ends_at: datetime) -> int:
    """End every entitlement from `source_ref` at `ends_at` (never extends one that ends earlier)."""
    ending = Entitlement.objects.filter(source_ref=source_ref).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=ends_at)
    )
    # A queryset update sends no signal: the accounts' kept entitlements are dropped here.
    forget_entitlements(ending.values_list("user_id", flat=True))
    return ending.update(ends_at=ends_at)


def end_entitlements_of(*, user_id: int, ends_at: datetime) -> int:
    """End every entitlement of one account at `ends_at` (never extends one that ends earlier)."""
    ending = Entitlement.objects.filter(user_id=user_id).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=ends_at)
    )
    forget_entitlements([user_id])  # a queryset update sends no signal
    return ending.update(ends_at=ends_at)


def active_entitlements(*, user_id: int, now: datetime) -> list[Entitlement]:
    return list(
        Entitlement.objects.filter(user_id=user_id, starts_at__lte=now).filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now)
        )
    )
