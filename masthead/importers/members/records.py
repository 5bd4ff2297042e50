"""A member of the old site in the newsroom's words, read from a Ghost or Substack CSV row.

Pure: no database. A row that cannot be read raises RowError with the reason.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.dateparse import parse_date, parse_datetime

DELETION_REQUEST_DOMAIN = "@deletion-request.substack.com"

# Columns Ghost's members export writes (ghost/members-csv unparse: id, email, name, note,
# subscribed_to_emails, complimentary_plan, stripe_customer_id, created_at, deleted_at, labels,
# tiers — `products` before Ghost 5). Only `email` is required, as in Ghost's own importer.
GHOST_REQUIRED = ("email",)
GHOST_ALIASES = {"products": "tiers", "subscribed": "subscribed_to_emails"}

# Substack's email_list.<publication>.csv: email, active_subscription, expiry, plan,
# email_disabled, created_at, first_payment_at (some exports add prefer_digests, name).
SUBSTACK_REQUIRED = ("email", "active_subscription")

# Substack plans that are paid by the reader; comp and gift are given by the publisher.
SUBSTACK_PAID_PLANS = frozenset({"monthly", "yearly", "annual", "founding", "paid"})
SUBSTACK_GIVEN_PLANS = frozenset({"comp", "gift"})

_TRUE = frozenset({"true", "yes", "1", "y", "t"})
_FALSE = frozenset({"false", "no", "0", "n", "f", ""})


class RowError(ValueError):
    pass


@dataclass
class MemberRecord:
    source: str  # "ghost" or "substack"
    line: int
    email: str
    name: str = ""
    note: str = ""
    subscribed: bool = True
    complimentary: bool = False
    stripe_customer_id: str = ""
    labels: list[str] = field(default_factory=list)
    tiers: list[str] = field(default_factory=list)
    created_at: datetime | None = None
    expiry: datetime | None = None
    # Paid at the source but with nothing we can link (no Stripe id, not comped): listed for staff.
    paid_without_record: bool = False
    plan: str = ""
    merged_lines: list[int] = field(default_factory=list)

    @property
    def source_id(self) -> str:
        return self.email

    def checksum(self) -> str:
        data = asdict(self)
        for key in ("line", "merged_lines"):
            data.pop(key)
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:32]

    def merge(self, other: MemberRecord) -> None:
        """The same address twice: one reader, who keeps every access either row gives and gets
        newsletters only if no row says they unsubscribed."""
        self.merged_lines.append(other.line)
        self.name = self.name or other.name
        self.note = "\n".join(n for n in (self.note, other.note) if n)
        self.subscribed = self.subscribed and other.subscribed
        self.complimentary = self.complimentary or other.complimentary
        self.stripe_customer_id = self.stripe_customer_id or other.stripe_customer_id
        self.labels = sorted(set(self.labels) | set(other.labels))
        self.tiers = sorted(set(self.tiers) | set(other.tiers))
        if other.created_at and (self.created_at is None or other.created_at < self.created_at):
            self.created_at = other.created_at
        if other.expiry and (self.expiry is None or other.expiry > self.expiry):
            self.expiry = other.expiry
        self.paid_without_record = (self.paid_without_record or other.paid_without_record) and not (
            self.stripe_customer_id or self.complimentary
        )


def boolean(value: str, column: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RowError(f"{column} is {value!r}, not true or false")


def moment(value: str, column: str) -> datetime | None:
    text = value.strip()
    if not text:
        return None
    parsed = parse_datetime(text.replace(" ", "T", 1) if " " in text and ":" in text else text)
    if parsed is None:
        day = parse_date(text)
        if day is None:
            raise RowError(f"{column} is {value!r}, not a date")
        parsed = datetime(day.year, day.month, day.day)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def address(value: str) -> str:
    email = value.strip().lower()
    if not email:
        raise RowError("no e-mail address")
    if email.endswith(DELETION_REQUEST_DOMAIN):
        return email  # the caller skips it; no need to validate a placeholder
    try:
        validate_email(email)
    except ValidationError:
        raise RowError(f"{value!r} is not an e-mail address") from None
    return email


def _names(value: str) -> list[str]:
    return sorted({part.strip() for part in re.split(r",", value or "") if part.strip()})


def ghost_record(cells: dict[str, str], line: int) -> MemberRecord:
    if cells.get("deleted_at", "").strip():
        raise RowError("deleted in Ghost (deleted_at is set)")
    complimentary = boolean(cells.get("complimentary_plan", ""), "complimentary_plan")
    stripe_id = cells.get("stripe_customer_id", "").strip()
    if stripe_id and not stripe_id.startswith("cus_"):
        raise RowError(f"stripe_customer_id {stripe_id!r} is not a Stripe customer id (cus_…)")
    # The free tier is no payment; only paid tiers say the member paid Ghost.
    tiers = [t for t in _names(cells.get("tiers", "")) if t.lower() != "free"]
    labels = _names(cells.get("labels", ""))
    subscribed = cells.get("subscribed_to_emails", "true")
    return MemberRecord(
        source="ghost",
        line=line,
        email=address(cells.get("email", "")),
        name=cells.get("name", "").strip(),
        note=cells.get("note", "").strip(),
        subscribed=boolean(subscribed, "subscribed_to_emails"),
        complimentary=complimentary,
        stripe_customer_id=stripe_id,
        labels=labels,
        tiers=tiers,
        created_at=moment(cells.get("created_at", ""), "created_at"),
        expiry=_expiry_label(labels),
        # A paid tier with neither a Stripe customer nor a complimentary plan: nothing to link.
        paid_without_record=bool(tiers) and not complimentary and not stripe_id,
    )


def _expiry_label(labels: list[str]) -> datetime | None:
    """Ghost sites migrated from Substack carry `exp-YYYY-MM` labels on comped members."""
    for label in labels:
        match = re.fullmatch(r"exp-(\d{4})-(\d{2})", label)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            return datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)  # end of that month
    return None


def substack_record(cells: dict[str, str], line: int) -> MemberRecord:
    active = boolean(cells.get("active_subscription", ""), "active_subscription")
    plan = cells.get("plan", "").strip().lower()
    expiry = moment(cells.get("expiry", ""), "expiry")
    stripe_id = cells.get("stripe_customer_id", "").strip()  # not in Substack's list; some tools add it
    paid = active and plan in SUBSTACK_PAID_PLANS
    given = active and plan in SUBSTACK_GIVEN_PLANS
    return MemberRecord(
        source="substack",
        line=line,
        email=address(cells.get("email", "")),
        name=cells.get("name", "").strip(),
        # Substack writes the opposite of what we keep: email_disabled true = no newsletters.
        subscribed=not boolean(cells.get("email_disabled", ""), "email_disabled"),
        # Paid on Substack without a Stripe id we can link: access until the paid period ends,
        # as a complimentary entitlement (see README of this package).
        complimentary=given or (paid and not stripe_id and expiry is not None),
        stripe_customer_id=stripe_id if paid else "",
        created_at=moment(cells.get("created_at", ""), "created_at"),
        expiry=expiry,
        plan=plan,
        # An active paid plan with no expiry date: nothing says how long, so staff decide.
        paid_without_record=paid and not stripe_id and expiry is None,
    )
