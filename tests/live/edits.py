"""Edits the live tests make from the editor process (tests/live/editor.py), never in the test's
own process: each is what an editor's save, a management command or a billing webhook does."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.utils import timezone

STAFF_EMAIL = "editor@live.example"
SUBSCRIBER_EMAIL = "subscriber@live.example"
READER_EMAIL = "reader@live.example"
LEAVER_EMAIL = "leaver@live.example"


def _article(page_id: int) -> Any:
    from masthead.news.models import ArticlePage

    return ArticlePage.objects.get(pk=page_id)


def _user(email: str) -> Any:
    from masthead.accounts.models import User

    return User.objects.get(email=email)


def _account(email: str, password: str, *, staff: bool = False) -> Any:
    from allauth.account.models import EmailAddress

    from masthead.accounts.models import User

    user = User.objects.create_user(email=email, password=password, is_staff=staff, is_superuser=staff)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def setup(*, password: str) -> dict[str, Any]:
    """A publication with one article per edit under test, an editor, a subscriber and readers."""
    from wagtail.models import Site

    from masthead.access.entitlements import grant_entitlement
    from masthead.access.models import MeterSettings
    from masthead.billing.models import Offer, Plan
    from tests.builders import canary_for, make_article, make_publication

    pub = make_publication()
    articles: dict[str, Any] = {}
    plan = [
        ("to_subscribers", "free"),
        ("to_subscribers_ja", "free"),
        ("unpublish", "free"),
        ("delete", "free"),
        ("password", "free"),
        ("login_only", "free"),
        ("expiry", "free"),
        ("teaser", "subscribers"),
        ("offer", "subscribers"),
        ("subscriber_only", "subscribers"),
    ]
    for name, access in plan:
        page = make_article(pub, access=access)
        articles[name] = {"id": page.pk, "url": page.url, "canary": canary_for(page.slug)}
    articles["metered"] = [
        {"id": page.pk, "url": page.url, "canary": canary_for(page.slug)}
        for page in (make_article(pub) for _ in range(6))
    ]
    meter = MeterSettings.for_site(Site.objects.get(is_default_site=True))
    meter.anonymous_limit, meter.registered_limit, meter.teaser_blocks = 3, 5, 3
    meter.save()
    now = timezone.now()
    monthly = Plan.objects.create(
        name="Monthly", interval="month", price_minor=1500, currency="usd", active=True, sort_order=1
    )
    offer = Offer.objects.create(
        plan=monthly,
        headline=f"Live offer {secrets.token_hex(4)}",
        intro_price_minor=300,
        intro_intervals=3,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=30),
        featured=True,
    )
    _account(STAFF_EMAIL, password, staff=True)
    for email in (SUBSCRIBER_EMAIL, LEAVER_EMAIL):
        grant_entitlement(
            user=_account(email, password),
            kind="subscription",
            starts_at=now - timedelta(days=2),
            ends_at=now + timedelta(days=28),
            source_ref=f"live:{email}",
        )
    _account(READER_EMAIL, password)
    return {
        "articles": articles,
        "offer": {"id": offer.pk, "headline": offer.headline},
        "site_id": Site.objects.get(is_default_site=True).pk,
        "reader_id": _user(READER_EMAIL).pk,
    }


def set_access(*, page_id: int, access: str) -> None:
    page = _article(page_id)
    page.access = access
    page.save_revision().publish()


def expire_in(*, page_id: int, seconds: float) -> str:
    """Schedule the article's expiry `seconds` from now; no edit happens at that moment."""
    page = _article(page_id)
    page.expire_at = timezone.now() + timedelta(seconds=seconds)
    page.save_revision().publish()
    return page.expire_at.isoformat()


def set_teaser_blocks(*, blocks: int) -> None:
    from wagtail.models import Site

    from masthead.access.models import MeterSettings

    meter = MeterSettings.for_site(Site.objects.get(is_default_site=True))
    meter.teaser_blocks = blocks
    meter.save()


def set_prompt(*, state: str, text: str) -> None:
    from masthead.access.models import PromptText

    PromptText.objects.update_or_create(
        state=state, language="en", defaults={"singular": text, "plural": text}
    )


def end_offer(*, offer_id: int) -> None:
    from masthead.billing.models import Offer

    offer = Offer.objects.get(pk=offer_id)
    offer.ends_at = timezone.now() - timedelta(seconds=1)
    offer.save()


def refund_subscriber(*, email: str) -> int:
    """What a refund or an immediate cancellation does to access: the entitlement ends now."""
    from masthead.access.entitlements import end_entitlement

    return end_entitlement(source_ref=f"live:{email}", ends_at=timezone.now())


def deactivate(*, email: str) -> None:
    user = _user(email)
    user.is_active = False
    user.save()


def revoke_entitlements(*, user_id: int) -> int:
    # Through the paywall's writer, as every change of access is (masthead.access.entitlements):
    # it also drops the account's entitlements kept in the shared cache.
    from masthead.access.entitlements import end_entitlements_of

    return end_entitlements_of(user_id=user_id, ends_at=timezone.now())


def _new_photo_file(name: str) -> Any:
    """A ~1600 px JPEG with a photo's grain (noise compresses and decodes like a real photo)."""
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage

    size = (1600, 1067)
    grain = PILImage.effect_noise(size, 48)
    light = PILImage.linear_gradient("L").resize(size)
    buffer = io.BytesIO()
    PILImage.merge("RGB", (grain, light, grain.transpose(PILImage.Transpose.FLIP_LEFT_RIGHT))).save(
        buffer, format="JPEG", quality=88
    )
    return ImageFile(buffer, name=f"{name}.jpg")


def newsroom() -> None:
    """A publication with sections, an author and a topic, and nothing else."""
    from tests.builders import make_publication

    make_publication()


def publish_article_with_new_photo(*, headline: str) -> dict[str, Any]:
    """Breaking news: the editor uploads a photo nobody has seen and publishes a story with it."""
    from wagtail.images import get_image_model

    from masthead.news.models import ArticleByline, ArticlePage, Author, SectionPage, Topic

    photo = get_image_model().objects.create(title=f"Photo for {headline}", file=_new_photo_file("scene"))
    slug = f"breaking-{secrets.token_hex(4)}"
    article = ArticlePage(
        title=headline,
        slug=slug,
        standfirst=f"{headline}: what we know so far.",
        dateline="Valdora",
        access="free",
        kicker=Topic.objects.first(),
        hero_image=photo,
        hero_caption=f"The scene: {headline}",
        hero_credit="Staff photographer",
        body=[{"type": "paragraph", "value": f"<p>First reports of {headline}.</p>"}],
    )
    SectionPage.objects.first().add_child(instance=article)
    ArticleByline.objects.create(article=article, author=Author.objects.first(), sort_order=0)
    article.save_revision().publish()
    return {"id": article.pk, "url": article.url, "photo_id": photo.pk}


def replace_photo(*, page_id: int) -> None:
    """The editor uploads a new version of a story's hero photo, as Wagtail's image form saves it:
    the image gets the new file, then the old file and every rendition of it are deleted."""
    image = _article(page_id).hero_image
    old = image.file.name
    image.file = _new_photo_file("scene-corrected")
    image._set_image_file_metadata()
    image.save()
    image.file.storage.delete(old)
    image.renditions.all().delete()
