"""Ghost members CSV → readers: paying members linked from Stripe without a charge, comped
members with complimentary access, the rest registered, newsletter choices carried over."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from masthead.access.entitlements import active_entitlements
from masthead.access.models import Entitlement, EntitlementKind
from masthead.billing.models import Subscription, SubscriptionStatus
from masthead.billing.providers.stripe import StripeProvider
from masthead.importers.errors import BadExport
from masthead.importers.members.ghost import import_ghost_members
from masthead.importers.models import ImportedItem
from masthead.importers.report import Report
from masthead.newsletters.models import NewsletterSubscription
from tests.builders import canary_for, make_article
from tests.importers.members.conftest import BAD_GHOST_CSV, GHOST_CSV, ghost_csv_with

pytestmark = pytest.mark.django_db

User = get_user_model()


def _warnings(report: Report) -> str:
    return "\n".join(f"[{w.source_id}] {w.message}" for w in report.warnings)


def _paying_customer(client: Any, email: str, price_id: str) -> tuple[str, str]:
    """A reader who pays the old site through Stripe: a customer with a card and a subscription."""
    card = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2034", "cvc": "123"}
    token = client.v1.tokens.create(params={"card": card})
    customer = client.v1.customers.create(params={"email": email, "source": token.id})
    subscription = client.v1.subscriptions.create(
        params={"customer": customer.id, "items": [{"plan": price_id}]}
    )
    return str(customer.id), str(subscription.id)


def _money_moves(client: Any, customer: str) -> tuple[int, int]:
    charges = client.v1.charges.list(params={"customer": customer, "limit": 100}).data
    intents = client.v1.payment_intents.list(params={"limit": 100}).data  # localstripe: no filters here
    return len(charges), len(intents)


def test_a_paying_ghost_member_keeps_their_subscription_and_is_not_charged_again(
    localstripe: Any, daily: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    client, plan = localstripe
    customer, stripe_subscription = _paying_customer(client, "paula.paid@example.com", plan.provider_price_id)
    before = _money_moves(client, customer)

    def no_checkout(*args: Any, **kwargs: Any) -> str:
        raise AssertionError("an imported member must not be sent to a checkout")

    monkeypatch.setattr(StripeProvider, "start_checkout", no_checkout)
    report = Report()

    import_ghost_members(ghost_csv_with(tmp_path, customer), report=report, dry_run=False)

    paula = User.objects.get(email="paula.paid@example.com")
    subscription = Subscription.objects.get(user=paula)
    assert subscription.provider_subscription_id == stripe_subscription
    assert subscription.provider_customer_id == customer
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.plan == plan
    assert subscription.provider_checkout_id == ""
    [access] = active_entitlements(user_id=paula.pk, now=timezone.now())
    assert access.kind == EntitlementKind.SUBSCRIPTION
    assert access.ends_at >= subscription.current_period_end  # (billing adds its grace hours)
    # Nothing new was charged: the same charges and payment intents as before the import.
    assert _money_moves(client, customer) == before
    assert report.counts["entitlement"]["created"] == 2  # Paula linked, Colin comped
    assert not paula.has_usable_password()


def test_a_stripe_customer_without_a_current_subscription_is_listed_for_staff(
    localstripe: Any, tmp_path: Path
) -> None:
    client, _plan = localstripe
    customer = str(client.v1.customers.create(params={"email": "paula.paid@example.com"}).id)
    report = Report()

    import_ghost_members(ghost_csv_with(tmp_path, customer), report=report, dry_run=False)

    paula = User.objects.get(email="paula.paid@example.com")
    assert not active_entitlements(user_id=paula.pk, now=timezone.now())
    assert f"Stripe customer {customer} has no current subscription" in _warnings(report)


def test_comped_member_reads_a_subscribers_only_article_and_an_unpaid_member_the_teaser(
    pub: Any, daily: Any
) -> None:
    exclusive = make_article(pub, access="subscribers")
    report = Report()

    import_ghost_members(GHOST_CSV, report=report, dry_run=False)

    colin = User.objects.get(email="colin.comp@example.com")
    [access] = active_entitlements(user_id=colin.pk, now=timezone.now())
    assert (access.kind, access.ends_at) == (EntitlementKind.COMPLIMENTARY, None)
    tess = User.objects.get(email="tess.tier@example.com")
    assert not active_entitlements(user_id=tess.pk, now=timezone.now())

    comped, unpaid = Client(), Client()
    comped.force_login(colin)
    unpaid.force_login(tess)
    assert canary_for(exclusive.slug) in comped.get(exclusive.url).content.decode()
    teaser = unpaid.get(exclusive.url).content.decode()
    assert exclusive.standfirst in teaser
    assert canary_for(exclusive.slug) not in teaser
    # Tess paid Ghost by hand (a tier, no Stripe customer): registered, and named for staff.
    assert "[tess.tier@example.com] line 5: paid (tier(s) Premium) but no payment record" in _warnings(report)


def test_members_become_verified_readers_without_passwords_and_keep_their_newsletter_choice(
    daily: Any,
) -> None:
    report = Report()

    import_ghost_members(GHOST_CSV, report=report, dry_run=False)

    emails = set(User.objects.values_list("email", flat=True))
    # Paula, Colin, Fran (twice in the file: one reader) and Tess; the deleted member is not here.
    assert emails == {
        "paula.paid@example.com",
        "colin.comp@example.com",
        "fran.free@example.com",
        "tess.tier@example.com",
    }
    for reader in User.objects.all():
        assert not reader.has_usable_password()
        assert EmailAddress.objects.get(user=reader).verified
    colin = User.objects.get(email="colin.comp@example.com")
    assert (colin.first_name, colin.last_name) == ("Colin", "Comp")
    assert colin.date_joined.year == 2022
    on_the_list = set(
        NewsletterSubscription.objects.active()
        .filter(newsletter=daily)
        .values_list("reader__email", flat=True)
    )
    # Fran said no on one row and yes on the other: no is kept.
    assert on_the_list == {"paula.paid@example.com", "colin.comp@example.com", "tess.tier@example.com"}
    assert not User.objects.get(email="fran.free@example.com").newsletter_opt_in
    warnings = _warnings(report)
    assert "duplicate e-mail (first on line 4)" in warnings
    assert "deleted in Ghost" in warnings
    # Paula's Stripe customer cannot be read here (Stripe is not configured): said, not hidden.
    assert "Stripe customer cus_PAIDMEMBER could not be read" in warnings
    assert report.counts["reader"]["created"] == 4


def test_importing_the_same_file_again_creates_nothing(daily: Any, mailoutbox: Any) -> None:
    import_ghost_members(GHOST_CSV, report=Report(), dry_run=False)
    counts = (User.objects.count(), Entitlement.objects.count(), NewsletterSubscription.objects.count())
    second = Report()

    import_ghost_members(GHOST_CSV, report=second, dry_run=False)

    assert (
        User.objects.count(),
        Entitlement.objects.count(),
        NewsletterSubscription.objects.count(),
    ) == counts
    assert second.total("created") == 0
    assert second.counts["reader"]["skipped"] >= 3
    assert mailoutbox == []  # no confirmation e-mail: they opted in at the source


def test_an_edited_export_updates_the_reader(daily: Any, tmp_path: Path) -> None:
    import_ghost_members(GHOST_CSV, report=Report(), dry_run=False)
    edited = tmp_path / "edited.csv"
    text = GHOST_CSV.read_text(encoding="utf-8")
    edited.write_text(
        text.replace(
            'colin.comp@example.com,Colin Comp,"Board member, gets everything",true',
            'colin.comp@example.com,Colin Comp,"Board member, gets everything",false',
        ),
        encoding="utf-8",
    )
    report = Report()

    import_ghost_members(edited, report=report, dry_run=False)

    # Colin, and Paula, whose Stripe customer could not be read last time, so it is tried again.
    assert report.counts["reader"]["updated"] == 2
    assert report.counts["reader"]["skipped"] == 3  # Fran (two rows, one reader), Tess, the deleted one
    assert report.total("created") == 0
    colin = User.objects.get(email="colin.comp@example.com")
    assert not NewsletterSubscription.objects.active().filter(reader=colin, newsletter=daily).exists()


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(daily: Any) -> None:
    report = Report(dry_run=True)

    import_ghost_members(GHOST_CSV, report=report, dry_run=True)

    assert not User.objects.exists()
    assert not ImportedItem.objects.exists()
    assert not Entitlement.objects.exists()
    assert not NewsletterSubscription.objects.exists()
    assert report.counts["reader"]["created"] == 4
    assert report.counts["entitlement"]["created"] == 2
    assert report.line().startswith("created 6,")


def test_broken_rows_are_named_by_line_and_the_rest_import(daily: Any) -> None:
    report = Report()

    import_ghost_members(BAD_GHOST_CSV, report=report, dry_run=False)

    assert set(User.objects.values_list("email", flat=True)) == {"ok.one@example.com", "ok.two@example.com"}
    warnings = _warnings(report)
    assert "[line 3] not UTF-8 (byte 0xe9 at column 4)" in warnings
    assert "[line 4] 6 cells where the header has 5" in warnings
    assert "[line 5] subscribed_to_emails is 'maybe', not true or false" in warnings
    assert "[line 6] 'not-an-address' is not an e-mail address" in warnings
    assert "[line 7] stripe_customer_id 'acct_123' is not a Stripe customer id" in warnings
    assert report.counts["reader"]["skipped"] == 5


def test_a_file_without_an_email_column_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_text("name,note\nSomebody,\n", encoding="utf-8")

    with pytest.raises(BadExport) as refused:
        import_ghost_members(path, report=Report(), dry_run=False)

    assert str(refused.value) == "line 1: missing column(s): email (the header has: name, note)"


def test_an_existing_account_keeps_its_password_and_its_newsletter_choice(daily: Any) -> None:
    colin = User.objects.create_user(email="colin.comp@example.com", password="his own long passphrase")
    left = timezone.now()
    NewsletterSubscription.objects.create(
        reader=colin, newsletter=daily, created_at=left, unsubscribed_at=left
    )
    report = Report()

    import_ghost_members(GHOST_CSV, report=report, dry_run=False)

    colin.refresh_from_db()
    assert colin.check_password("his own long passphrase")
    assert not NewsletterSubscription.objects.active().filter(reader=colin).exists()
    [access] = active_entitlements(user_id=colin.pk, now=timezone.now())
    assert access.kind == EntitlementKind.COMPLIMENTARY
    assert EmailAddress.objects.get(user=colin).verified
    assert (report.counts["reader"]["created"], report.counts["reader"]["updated"]) == (3, 1)
