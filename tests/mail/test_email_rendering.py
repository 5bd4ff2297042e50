"""Every e-mail the publication sends, rendered in English and Japanese: valid HTML (the Nu HTML
checker), nothing loaded from anywhere (no image, font, style sheet or script), every link at the
site's address, a text part with the same links; the verification e-mail as Chromium shows it."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from masthead.billing.models import (
    DuplicateOutcome,
    DuplicatePayment,
    Interval,
    Offer,
    PaymentRecord,
    Plan,
    Provider,
    RefusedReason,
    Subscription,
    SubscriptionStatus,
)
from masthead.billing.terms import payment_line, subscription_terms
from masthead.mail.reader_mail import render_reader_mail
from tests.mail.conftest import SITE_URL, links

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
NOW = datetime(2026, 1, 31, 15, 0, tzinfo=UTC)

ACCOUNT_MAILS = {
    "email_confirmation_signup": {"activate_url": f"{SITE_URL}/accounts/confirm-email/Mg:1abc:xyz/"},
    "email_confirmation": {"activate_url": f"{SITE_URL}/accounts/confirm-email/Mg:1abc:xyz/"},
    "password_reset_key": {"password_reset_url": f"{SITE_URL}/accounts/password/reset/key/2-abc/"},
    "password_reset_code": {"code": "ABCD-EFGH"},
    "login_code": {"code": "ABCD-EFGH"},
    "account_already_exists": {},
    "unknown_account": {},
    "password_changed": {},
    "password_set": {},
    "password_reset": {},
    "email_changed": {"from_email": "old@example.com", "to_email": "reader@example.com"},
    "email_deleted": {"deleted_email": "old@example.com"},
}
BILLING_MAILS = [
    "welcome", "receipt", "trial_ending", "intro_price_ending", "renewal_reminder", "cancellation",
    "payment_failed", "ended", "duplicate_refunded", "duplicate_canceled",
]  # fmt: skip


def _account_context() -> dict[str, Any]:
    return {
        "login_url": f"{SITE_URL}/accounts/login/",
        "password_reset_url": f"{SITE_URL}/accounts/password/reset/",
        "signup_url": f"{SITE_URL}/accounts/signup/",
        "expire_days": 3,
        "code_minutes": 3,
        "timestamp": NOW,
        "ip": "203.0.113.7",
        "user_agent": "Mozilla/5.0 <Firefox>",
    }


def _billing_context(reader: Any) -> dict[str, Any]:
    plan = Plan.objects.create(name="Monthly", interval=Interval.MONTH, price_minor=1500, currency="USD")
    offer = Offer.objects.create(
        plan=plan, headline="3 months for $9", intro_price_minor=300, intro_intervals=3,
        starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=30),
    )  # fmt: skip
    subscription = Subscription.objects.create(
        user=reader, plan=plan, offer=offer, provider=Provider.DEMO, status=SubscriptionStatus.ACTIVE,
        started_at=NOW, current_period_end=NOW + timedelta(days=28), trial_end=NOW + timedelta(days=3),
        ended_at=NOW, offer_headline="3 months for $9", intro_price_minor=300, intro_intervals=3,
        price_minor=1500, currency="USD", interval=Interval.MONTH, intro_ends_at=NOW + timedelta(days=89),
    )  # fmt: skip
    payment = PaymentRecord.objects.create(
        user=reader, subscription=subscription, provider=Provider.DEMO, provider_invoice_id="demo_in_1",
        amount_minor=300, currency="USD", paid=True, intro=True, period_start=NOW,
        period_end=NOW + timedelta(days=28), occurred_at=NOW,
    )  # fmt: skip
    duplicate = DuplicatePayment(
        user=reader, reason=RefusedReason.ALREADY_SUBSCRIBED, provider=Provider.DEMO,
        outcome=DuplicateOutcome.REFUNDED, refunded_minor=300, currency="USD", detected_at=NOW,
    )  # fmt: skip
    return {
        "subscription": subscription,
        "terms": subscription_terms(subscription),
        "payment": payment_line(payment),
        "renewal": False,
        "duplicate": duplicate,
        "amount": "$3.00",
        "user": reader,
    }


def every_email(reader: Any) -> list[tuple[str, str, Any]]:
    """(name, language, RenderedMail) for every e-mail, in both languages."""
    billing = _billing_context(reader)
    rendered = []
    for language in ("en", "ja"):
        for name, extra in ACCOUNT_MAILS.items():
            context = {**_account_context(), **extra}
            mail = render_reader_mail(
                template=f"account/email/{name}", to="reader@example.com", language=language, context=context
            )
            rendered.append((name, language, mail))
        for name in BILLING_MAILS:
            mail = render_reader_mail(
                template=f"billing/email/{name}", to="reader@example.com", language=language, context=billing
            )
            rendered.append((name, language, mail))
    return rendered


@pytest.fixture
def reader(db: Any) -> Any:
    from masthead.accounts.models import User

    return User.objects.create_user(email="reader@example.com", password="a-long-reader-password")


def test_every_email_has_a_subject_text_and_html_with_links_at_the_site_only(
    pub: Any, site_url: str, reader: Any
) -> None:
    emails = every_email(reader)
    for name, language, mail in emails:
        where = f"{name} ({language})"
        assert mail.subject and "\n" not in mail.subject and "[" not in mail.subject, where
        assert "The Meridian Ledger" in mail.text and "The Meridian Ledger" in mail.html, where
        assert f'<html lang="{language}">' in mail.html, where
        for tag in ("<img", "<link", "<script", "<style", "url(", "@import"):
            assert tag not in mail.html, (where, tag)
        assert all(link.startswith(SITE_URL) for link in links(mail.text) + links(mail.html)), where
        # Every link of the HTML part is in the text part too.
        missing = set(links(mail.html)) - set(links(mail.text))
        assert not missing, (where, missing)
        assert "&lt;" not in mail.text and "&#x27;" not in mail.text, where  # the text part is not escaped
        if language == "ja":
            assert "The Meridian Ledger" in mail.subject and not mail.subject.isascii(), where
    # The reader's browser name is shown as text, never as markup.
    [notice] = [m for n, lang, m in emails if n == "password_changed" and lang == "en"]
    assert "Mozilla/5.0 &lt;Firefox&gt;" in notice.html and "Mozilla/5.0 <Firefox>" in notice.text


def test_every_email_is_valid_html(pub: Any, site_url: str, reader: Any, tmp_path: Path) -> None:
    if shutil.which("java") is None or not VNU_JAR.exists():
        pytest.skip("the Nu HTML checker needs Java and node_modules/vnu-jar (npm ci --ignore-scripts)")
    files = []
    for name, language, mail in every_email(reader):
        path = tmp_path / f"{name}-{language}.html"
        path.write_text(mail.html, encoding="utf-8")
        files.append(str(path))
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always", *files],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    problems = [m for m in messages if m.get("type") == "error" or m.get("subType") == "warning"]
    assert problems == [], json.dumps(problems, indent=1, ensure_ascii=False)


@pytest.mark.e2e
def test_the_verification_email_as_chromium_shows_it(
    pub: Any, site_url: str, reader: Any, browser: Any
) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    context = {**_account_context(), **ACCOUNT_MAILS["email_confirmation_signup"]}
    # Rendered first: the database is not to be used inside Playwright's event loop.
    emails = {
        language: render_reader_mail(
            template="account/email/email_confirmation_signup",
            to="new@example.com",
            language=language,
            context=context,
        )
        for language in ("en", "ja")
    }
    for language, width in (("en", 640), ("ja", 375)):
        mail = emails[language]
        html_file = SCREENSHOTS / f"email-verification-{language}.html"
        html_file.write_text(mail.html, encoding="utf-8")
        page = browser.new_page(viewport={"width": width, "height": 800}, java_script_enabled=False)
        requested: list[str] = []
        page.on("request", lambda request, seen=requested: seen.append(request.url))
        page.goto(html_file.as_uri())
        page.screenshot(path=str(SCREENSHOTS / f"email-verification-{language}.png"), full_page=True)
        button = page.locator("main a").first
        assert button.is_visible()
        assert button.get_attribute("href") == context["activate_url"]
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
        # Nothing but the e-mail itself: no image, font or style sheet from anywhere.
        assert requested == [html_file.as_uri()]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.close()
