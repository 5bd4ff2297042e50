"""Build a small publication for tests: a site, sections and articles with a canary in the gated part.

Every article built here carries a unique canary sentence in its *last* paragraph, far past any
teaser, so leak tests can search every response for it.
"""

from __future__ import annotations

import io
import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import Collection, Locale, Page, Site

from masthead.news.models import ArticleByline, ArticlePage, Author, HomePage, SectionPage, Topic
from masthead.sponsored.models import Sponsor

_counter = itertools.count(1)


def make_image(title: str = "Test photo", size: tuple[int, int] = (1600, 900)) -> Image:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (40, 90, 140)).save(buffer, format="JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name=f"{uuid.uuid4().hex}.jpg"))


def make_reader(email: str, password: str, *, confirmed: bool = True) -> Any:
    """A reader account as sign-up leaves it: with its address confirmed (registered-reader
    benefits need that), or not yet (`confirmed=False`)."""
    user = get_user_model().objects.create_user(email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=confirmed)
    return user


def canary_for(slug: str) -> str:
    return f"CANARY-{slug}-the gated sentence that must never leak."


@dataclass
class Publication:
    home: HomePage
    sections: list[SectionPage]
    author: Author
    topic: Topic
    articles: list[ArticlePage] = field(default_factory=list)


def ensure_wagtail_roots() -> None:
    """Put back the root page, collection and locale that migrations create and a flush removes."""
    Locale.objects.get_or_create(language_code="en")
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def make_publication(section_names: tuple[str, ...] = ("Politics", "Business")) -> Publication:
    ensure_wagtail_roots()
    root = Page.get_first_root_node()
    # Start from a bare tree whatever an earlier (transactional) test left behind.
    for child in root.get_children():
        Site.objects.filter(root_page=child).delete()
        child.delete()
    root = Page.get_first_root_node()
    home = HomePage(title="The Test Ledger", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Test Ledger"},
    )
    sections = []
    for name in section_names:
        section = SectionPage(title=name, slug=name.lower().replace(" ", "-"))
        home.add_child(instance=section)
        section.save_revision().publish()
        sections.append(section)
    author = Author.objects.create(name="Ada Reporter", slug=f"ada-{next(_counter)}", role="Correspondent")
    topic = Topic.objects.create(name=f"Running story {next(_counter)}")
    return Publication(home=home, sections=sections, author=author, topic=topic)


def make_article(
    pub: Publication,
    *,
    section: SectionPage | None = None,
    access: str = "metered",
    sponsor: Sponsor | None = None,
    paragraphs: int = 8,
    title: str | None = None,
    with_image: bool = False,
) -> ArticlePage:
    n = next(_counter)
    slug = f"story-{n}"
    body = [
        {"type": "paragraph", "value": f"<p>Paragraph {i} of story {n}: ordinary reporting.</p>"}
        for i in range(1, paragraphs)
    ]
    body.append({"type": "paragraph", "value": f"<p>{canary_for(slug)}</p>"})
    article = ArticlePage(
        title=title or f"Headline of story {n}",
        slug=slug,
        standfirst=f"Standfirst of story {n}, a sentence that sums it up.",
        dateline="Valdora",
        access=access,
        sponsor=sponsor,
        kicker=pub.topic,
        hero_image=make_image() if with_image else None,
        hero_caption="A test caption",
        hero_credit="Test Photographer",
        body=body,
    )
    (section or pub.sections[0]).add_child(instance=article)
    ArticleByline.objects.create(article=article, author=pub.author, sort_order=0)
    article.save_revision().publish()
    article.refresh_from_db()
    pub.articles.append(article)
    return article
