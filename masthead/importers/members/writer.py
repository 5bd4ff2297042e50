"""Members of the old site become Masthead readers, with the access and newsletters they had.

- Every member is a registered reader with a verified address (they proved it at the source) and
  no password: they sign in with an e-mailed code, or set a password.
- A paying member with a Stripe customer id is linked through billing's reconcile path
  (`link_stripe_customer`): their existing subscription becomes a Masthead subscription; nothing
  is created in Stripe and nothing is charged.
- A complimentary (or gift) member gets a complimentary entitlement until the expiry the source
  gives, open-ended when it gives none.
- A member who paid at the source but has nothing we can link stays registered without access
  and is listed in the report for staff.
- Newsletter choices carry over to the free default newsletter, without a confirmation e-mail
  (they opted in at the source).

Keyed by (source, "reader", e-mail) in ImportedItem: a second run of the same file skips every
row; an edited row updates the reader. A dry run reads only and counts what it would do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from masthead.access.entitlements import grant_entitlement
from masthead.access.models import EntitlementKind
from masthead.importers.members.csvfile import CsvRow, RowProblem
from masthead.importers.members.records import DELETION_REQUEST_DOMAIN, MemberRecord, RowError
from masthead.importers.models import ImportedItem
from masthead.importers.report import Report

logger = logging.getLogger(__name__)

READER = "reader"
ENTITLEMENT = "entitlement"
BATCH = 500


@dataclass
class Context:
    source: str
    report: Report
    dry_run: bool
    now: datetime
    newsletter: Any | None
    known: dict[str, str]  # e-mail → checksum of what the last run wrote
    known_entitlements: set[str]


def default_newsletter() -> Any | None:
    """The free newsletter every registered reader may join: the first active one for everyone
    registered (the newsletters page lists them in this order)."""
    from masthead.newsletters.models import Newsletter

    return (
        Newsletter.objects.filter(is_active=True, audience=Newsletter.Audience.REGISTERED)
        .order_by("sort_order", "name")
        .first()
    )


def collect(records: Iterable[MemberRecord], *, report: Report) -> dict[str, MemberRecord]:
    """One record per address: deletion requests skipped, duplicates merged once and warned."""
    members: dict[str, MemberRecord] = {}
    for record in records:
        if record.email.endswith(DELETION_REQUEST_DOMAIN):
            report.skipped(READER)
            report.warn(f"line {record.line}", "a Substack deletion request: skipped, no reader created")
            continue
        first = members.get(record.email)
        if first is None:
            members[record.email] = record
            continue
        first.merge(record)
        report.warn(
            record.email,
            f"line {record.line}: duplicate e-mail (first on line {first.line}); merged into one reader",
        )
    return members


def readable_records(
    rows: Iterable[CsvRow],
    *,
    to_record: Callable[[dict[str, str], int], MemberRecord],
    problems: list[RowProblem],
    report: Report,
) -> list[MemberRecord]:
    """Each row as a member; a row that cannot be read is skipped and warned with its line."""
    records = []
    for row in rows:
        try:
            records.append(to_record(row.cells, row.line))
        except RowError as error:
            report.skipped(READER)
            report.warn(f"line {row.line}", str(error))
    # After the rows: the reader finds a line it cannot decode while the rows are read.
    for problem in problems:
        report.skipped(READER)
        report.warn(f"line {problem.line}", problem.reason)
    return records


def import_members(records: Iterable[MemberRecord], *, source: str, report: Report, dry_run: bool) -> None:
    members = collect(records, report=report)
    items = ImportedItem.objects.filter(source=source)
    ctx = Context(
        source=source,
        report=report,
        dry_run=dry_run,
        now=timezone.now(),
        newsletter=default_newsletter(),
        known=dict(items.filter(kind=READER).values_list("source_id", "checksum")),
        known_entitlements=set(items.filter(kind=ENTITLEMENT).values_list("source_id", flat=True)),
    )
    if ctx.newsletter is None and any(m.subscribed for m in members.values()):
        report.warn(
            "newsletters",
            "no active newsletter for registered readers: newsletter choices kept on the reader's "
            "account only (create the newsletter, then import again)",
        )
    pending = list(members.values())
    for start in range(0, len(pending), BATCH):
        batch = pending[start : start + BATCH]
        if dry_run:
            for record in batch:
                _import_safely(record, ctx)
            continue
        # One transaction per batch (a commit per member costs a disk flush each). Members new to
        # the site are written together; the others (and a batch whose bulk insert fails) one by
        # one, each in a savepoint, so a member that fails is rolled back alone. An interrupted
        # import keeps every finished batch, and the next run skips those members.
        with transaction.atomic():
            rest = _import_new_together(batch, ctx)
            for record in rest:
                _import_safely(record, ctx)


def _import_new_together(batch: list[MemberRecord], ctx: Context) -> list[MemberRecord]:
    """Bulk-insert the readers of `batch` that neither exist nor were imported before; give
    their access one by one. Returns the members left for the one-by-one path."""
    from django.contrib.auth.hashers import make_password
    from django.db.models.functions import Lower

    User = get_user_model()
    emails = [r.email for r in batch if r.email not in ctx.known]
    taken = set(
        User.objects.annotate(address=Lower("email"))
        .filter(address__in=emails)
        .values_list("address", flat=True)
    )
    new = [r for r in batch if r.email not in ctx.known and r.email not in taken]
    if len(new) < 2:
        return batch
    mine = Report()
    try:
        with transaction.atomic():
            User.objects.bulk_create(
                [
                    User(
                        email=r.email,
                        password=make_password(None),  # no password imported
                        first_name=r.name.partition(" ")[0][:150],
                        last_name=r.name.partition(" ")[2][:150],
                        newsletter_opt_in=r.subscribed,
                        date_joined=r.created_at or ctx.now,
                    )
                    for r in new
                ]
            )
            users = {u.email: u for u in User.objects.filter(email__in=[r.email for r in new])}
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=users[r.email], email=r.email, verified=True, primary=True) for r in new]
            )
            if ctx.newsletter is not None:
                from masthead.newsletters.models import NewsletterSubscription

                NewsletterSubscription.objects.bulk_create(
                    [
                        NewsletterSubscription(
                            reader=users[r.email],
                            newsletter=ctx.newsletter,
                            created_at=r.created_at or ctx.now,
                            source=NewsletterSubscription.Source.IMPORT,
                        )
                        for r in new
                        if r.subscribed
                    ]
                )
            ImportedItem.objects.bulk_create(
                [
                    ImportedItem(
                        source=ctx.source,
                        kind=READER,
                        source_id=r.email,
                        object_id=str(users[r.email].pk),
                        checksum=r.checksum(),
                    )
                    for r in new
                ]
            )
            mine.count(READER, "created", len(new))
            comped = []
            for record in new:
                if (
                    record.complimentary
                    and not _expired(record, ctx)
                    and record.email not in ctx.known_entitlements
                ):
                    comped.append((record, users[record.email]))
                else:
                    _give_access(record, users[record.email], replace(ctx, report=mine))
            _complimentary_together(comped, replace(ctx, report=mine))
    except Exception:
        logger.exception("bulk member insert failed; importing this batch one by one")
        return batch
    ctx.report.merge(mine)
    done = {r.email for r in new}
    return [r for r in batch if r.email not in done]


def _import_safely(record: MemberRecord, ctx: Context) -> None:
    mine = Report(dry_run=ctx.dry_run)
    try:
        with transaction.atomic():
            _import_one(record, replace(ctx, report=mine))
    except Exception as error:  # one member failing must not stop the others
        logger.exception("member import failed for line %s", record.line)
        ctx.report.warn(record.email, f"line {record.line}: not imported ({error})")
        return
    ctx.report.merge(mine)


def _import_one(record: MemberRecord, ctx: Context) -> None:
    report = ctx.report
    checksum = record.checksum()
    gives_access = record.complimentary or bool(record.stripe_customer_id)
    if ctx.known.get(record.email) == checksum:
        report.skipped(READER)
        if gives_access:
            report.skipped(ENTITLEMENT)
        return
    User = get_user_model()
    user = User.objects.filter(email__iexact=record.email).first()
    action = "updated" if (user is not None or record.email in ctx.known) else "created"
    if ctx.dry_run:
        report.count(READER, action)
        _dry_access(record, ctx)
        return
    user = _write_reader(record, user, ctx)
    _carry_newsletter(record, user, ctx)
    ImportedItem.objects.update_or_create(
        source=ctx.source,
        kind=READER,
        source_id=record.email,
        defaults={"object_id": str(user.pk), "checksum": checksum},
    )
    report.count(READER, action)
    _give_access(record, user, ctx)


def _write_reader(record: MemberRecord, user: Any | None, ctx: Context) -> Any:
    User = get_user_model()
    first, _sep, last = record.name.partition(" ")
    if user is None:
        user = User.objects.create_user(
            email=record.email,
            password=None,  # no password imported: a code by e-mail, or one they set
            first_name=first[:150],
            last_name=last[:150],
            newsletter_opt_in=record.subscribed,
            date_joined=record.created_at or ctx.now,
        )
    else:
        changed = []
        if record.name and not (user.first_name or user.last_name):
            user.first_name, user.last_name = first[:150], last[:150]
            changed += ["first_name", "last_name"]
        # The source's newsletter choice is the reader's only for accounts this import made.
        if record.email in ctx.known and user.newsletter_opt_in != record.subscribed:
            user.newsletter_opt_in = record.subscribed
            changed.append("newsletter_opt_in")
        if changed:
            user.save(update_fields=changed)
    address = EmailAddress.objects.filter(user=user, email__iexact=record.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=record.email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])
    return user


def _carry_newsletter(record: MemberRecord, user: Any, ctx: Context) -> None:
    if ctx.newsletter is None:
        return
    from masthead.newsletters.models import NewsletterSubscription
    from masthead.newsletters.subscriptions import unsubscribe

    if record.subscribed:
        # They opted in at the source: subscribed as they are, no confirmation e-mail. A reader
        # who already left this newsletter here is not put back on it by an import.
        NewsletterSubscription.objects.get_or_create(
            reader=user,
            newsletter=ctx.newsletter,
            defaults={
                "created_at": record.created_at or ctx.now,
                "source": NewsletterSubscription.Source.IMPORT,
            },
        )
    elif NewsletterSubscription.objects.active().filter(
        reader=user, newsletter=ctx.newsletter, source=NewsletterSubscription.Source.IMPORT
    ):
        unsubscribe(user, ctx.newsletter, now=ctx.now)  # an edited export: they left at the source


def _expired(record: MemberRecord, ctx: Context) -> bool:
    return record.expiry is not None and record.expiry <= ctx.now


def _dry_access(record: MemberRecord, ctx: Context) -> None:
    report = ctx.report
    if record.complimentary:
        if _expired(record, ctx):
            _warn_expired(record, ctx)
            return
        _paid_as_complimentary(record, ctx)
        known = record.email in ctx.known_entitlements
        report.count(ENTITLEMENT, "updated" if known else "created")
    elif record.stripe_customer_id:
        known = f"stripe:{record.stripe_customer_id}" in ctx.known_entitlements
        report.count(ENTITLEMENT, "updated" if known else "created")
        report.warn(
            record.email,
            f"Stripe customer {record.stripe_customer_id}: would be linked (the dry run does not ask Stripe)",
        )
    _warn_unlinked(record, ctx)


def _give_access(record: MemberRecord, user: Any, ctx: Context) -> None:
    if record.complimentary:
        _complimentary(record, user, ctx)
    elif record.stripe_customer_id:
        _link_stripe(record, user, ctx)
    _warn_unlinked(record, ctx)


def _warn_expired(record: MemberRecord, ctx: Context) -> None:
    assert record.expiry is not None
    ctx.report.skipped(ENTITLEMENT)
    ctx.report.warn(
        record.email,
        f"line {record.line}: access ended at the source on {record.expiry:%Y-%m-%d}; "
        "registered without access",
    )


def _warn_unlinked(record: MemberRecord, ctx: Context) -> None:
    if record.paid_without_record:
        what = f"plan {record.plan}" if record.plan else f"tier(s) {', '.join(record.tiers)}"
        ctx.report.warn(
            record.email,
            f"line {record.line}: paid ({what}) but no payment record to link; registered without "
            "access — for staff to check",
        )


def _paid_as_complimentary(record: MemberRecord, ctx: Context) -> bool:
    if not record.plan or record.plan in ("comp", "gift"):
        return False
    assert record.expiry is not None
    ctx.report.warn(
        record.email,
        f"line {record.line}: paid {record.plan} on {ctx.source.title()} until "
        f"{record.expiry:%Y-%m-%d}: complimentary access until then (no Stripe id to link); "
        "they subscribe here when it ends",
    )
    return True


def _complimentary_grant(record: MemberRecord, ctx: Context) -> dict[str, Any]:
    """The entitlement a complimentary member gets (warning when they paid at the source)."""
    note = f"Complimentary access carried over from {ctx.source.title()}"
    if _paid_as_complimentary(record, ctx):
        note += f" (paid plan {record.plan} there; no Stripe id in the export, so access until it ends)"
    return {
        "kind": EntitlementKind.COMPLIMENTARY,
        "starts_at": min(record.created_at or ctx.now, ctx.now),
        "ends_at": record.expiry,
        "source_ref": f"import:{ctx.source}:{record.email}",
        "note": note,
    }


def _complimentary(record: MemberRecord, user: Any, ctx: Context) -> None:
    if _expired(record, ctx):
        _warn_expired(record, ctx)
        return
    grant = _complimentary_grant(record, ctx)
    grant_entitlement(user=user, **grant)
    _record_entitlement(record.email, grant["source_ref"], ctx)


def _complimentary_together(members: list[tuple[MemberRecord, Any]], ctx: Context) -> None:
    """New readers' complimentary access in one insert (nobody had an entitlement from this
    import before), with its reference index and ImportedItem rows."""
    if not members:
        return
    from masthead.access.entitlements import grant_new_entitlements
    from masthead.access.models import Entitlement
    from masthead.importers.page_batch import index_references

    grants = [(record, _complimentary_grant(record, ctx)) for record, _user in members]
    made = grant_new_entitlements(
        [
            Entitlement(user=user, **grant)
            for (_record, grant), (_r, user) in zip(grants, members, strict=True)
        ]
    )
    index_references(made)
    ImportedItem.objects.bulk_create(
        [
            ImportedItem(
                source=ctx.source,
                kind=ENTITLEMENT,
                source_id=record.email,
                object_id=grant["source_ref"][:64],
                checksum="",
            )
            for record, grant in grants
        ]
    )
    for record, _grant in grants:
        ctx.known_entitlements.add(record.email)
        ctx.report.count(ENTITLEMENT, "created")
        _warn_unlinked(record, ctx)


def _link_stripe(record: MemberRecord, user: Any, ctx: Context) -> None:
    from masthead.billing.reconcile import link_stripe_customer

    customer = record.stripe_customer_id
    try:
        link = link_stripe_customer(user=user, customer_id=customer)
    except Exception as error:
        ctx.report.warn(
            record.email,
            f"line {record.line}: Stripe customer {customer} could not be read ({error}); registered "
            "without access — run the import again once Stripe answers",
        )
        # Forget the checksum so the next run tries the link again.
        mine = ImportedItem.objects.filter(source=ctx.source, kind=READER, source_id=record.email)
        mine.update(checksum="")
        return
    for line in link.lines:
        logger.info("import %s: %s", record.email, line)
    if not link.current:
        ctx.report.skipped(ENTITLEMENT)
        details = "; ".join(link.lines) or "no subscriptions"
        ctx.report.warn(
            record.email,
            f"line {record.line}: Stripe customer {customer} has no current subscription we can link "
            f"({details}); registered without access — for staff to check",
        )
        return
    ids = ", ".join(s.provider_subscription_id for s in link.current)
    _record_entitlement(f"stripe:{customer}", ids, ctx, object_id=str(link.current[0].pk))


def _record_entitlement(source_id: str, ref: str, ctx: Context, *, object_id: str = "") -> None:
    known = source_id in ctx.known_entitlements
    ImportedItem.objects.update_or_create(
        source=ctx.source,
        kind=ENTITLEMENT,
        source_id=source_id,
        defaults={"object_id": object_id or ref[:64], "checksum": ""},
    )
    ctx.known_entitlements.add(source_id)
    ctx.report.count(ENTITLEMENT, "updated" if known else "created")
