"""Build the demo publication: front page, site, settings, sections, staff, sponsor and articles.

Every step looks its object up by a natural key (slug, name, image title) before creating it, so
running the build again adds nothing and redraws no picture.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Page, ReferenceIndex, Site
from wagtail.search import index

from masthead.core.models import PublicationSettings
from masthead.core.site_url import site_hostname_and_port
from masthead.news.demo import images, newsroom
from masthead.news.demo.articles import ARTICLES, LEAD_SLUG
from masthead.news.demo.standing_pages import ensure_standing_pages
from masthead.news.demo.story import (
    DemoArticle,
    InlineImage,
    RelatedLink,
    parse_body,
    related_slugs,
    stream_data,
)
from masthead.news.models import ArticleByline, ArticlePage, Author, HomePage, SectionPage, Topic
from masthead.sponsored.models import Sponsor


@dataclass
class BuildReport:
    home: HomePage
    site: Site
    created: list[str] = field(default_factory=list)


def ensure_image(*, title: str, filename: str, draw: Callable[[], bytes], alt: str = "") -> Image:
    image = Image.objects.filter(title=title).order_by("pk").first()
    if image is not None:
        return image
    image = Image(title=title, description=alt[:255], file=ContentFile(draw(), name=filename))
    image._set_image_file_metadata()
    image.save()
    return image


def ensure_home(*, report_notes: list[str]) -> HomePage:
    """Replace Wagtail's "Welcome to your new Wagtail site!" page with the publication's front page."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node()
    welcome_pages = [page for page in root.get_children() if page.specific_class is Page]
    for page in welcome_pages:
        # Free the "home" slug before the front page takes it; the page is deleted below.
        page.slug = f"welcome-{page.pk}"
        page.save(update_fields=["slug"])
    home = HomePage(
        title=newsroom.PUBLICATION_NAME, slug=newsroom.HOME_SLUG, seo_title=newsroom.PUBLICATION_NAME
    )
    root.add_child(instance=home)
    home.save_revision().publish()
    for page in welcome_pages:
        Site.objects.filter(root_page=page).update(root_page=home)
        page.delete()
    report_notes.append("front page")
    return home


def ensure_site(*, home: HomePage) -> Site:
    site = (
        Site.objects.filter(is_default_site=True).first() or Site.objects.filter(hostname="localhost").first()
    )
    if site is None:
        site = Site(is_default_site=True)
    # The default site answers on every host name. Its record names the site URL (`make demo` sets
    # it to the address it serves), so the admin's own links agree with the pages' (site_url).
    (site.hostname, site.port), site.root_page = site_hostname_and_port(), home
    site.site_name, site.is_default_site = newsroom.PUBLICATION_NAME, True
    site.save()
    return site


def ensure_publication_settings(*, site: Site) -> PublicationSettings:
    settings = PublicationSettings.for_site(site)
    settings.name = newsroom.PUBLICATION_NAME
    settings.tagline = newsroom.TAGLINE
    settings.time_zone = newsroom.TIME_ZONE
    if not settings.postal_address:
        settings.postal_address = newsroom.POSTAL_ADDRESS
    # The demo's header is the nameplate set in type (and search engines get the static
    # publisher logo); a logo drawn by an older demo build would stand in its place.
    if settings.logo is not None and settings.logo.title == newsroom.OLD_LOGO_TITLE:
        settings.logo = None
    settings.save()
    return settings


def ensure_sections(*, home: HomePage, notes: list[str]) -> dict[str, SectionPage]:
    sections: dict[str, SectionPage] = {}
    for demo in newsroom.SECTIONS:
        section = SectionPage.objects.child_of(home).filter(slug=demo.slug).first()
        if section is None:
            section = SectionPage(title=demo.title, slug=demo.slug, intro=demo.intro)
            home.add_child(instance=section)
            section.save_revision().publish()
            notes.append(f"section {demo.title}")
        sections[demo.slug] = section.specific
    return sections


def ensure_topics() -> dict[str, Topic]:
    topics = {}
    for demo in newsroom.TOPICS:
        topics[demo.slug], _ = Topic.objects.get_or_create(
            slug=demo.slug, defaults={"name": demo.name, "description": demo.description}
        )
    return topics


def ensure_authors() -> dict[str, Author]:
    authors = {}
    for demo in newsroom.AUTHORS:
        author = Author.objects.filter(slug=demo.slug).first()
        if author is None:
            photo = ensure_image(
                title=f"Portrait of {demo.name}",
                filename=f"portrait-{demo.slug}.jpg",
                draw=lambda name=demo.name: images.draw_portrait(name=name),
                alt=demo.name,
            )
            author = Author.objects.create(
                name=demo.name, slug=demo.slug, role=demo.role, bio=demo.bio, photo=photo
            )
        authors[demo.slug] = author
    return authors


def ensure_sponsor() -> Sponsor:
    demo = newsroom.SPONSOR
    sponsor = Sponsor.objects.filter(name=demo.name).first()
    if sponsor is None:
        logo = ensure_image(
            title=demo.logo_title,
            filename="corvane-logo.png",
            draw=lambda: images.draw_sponsor_logo(name=demo.name, color=demo.logo_color),
            alt=demo.name,
        )
        sponsor = Sponsor.objects.create(name=demo.name, url=demo.url, disclosure=demo.disclosure, logo=logo)
    return sponsor


def creation_order(articles: Iterable[DemoArticle]) -> list[DemoArticle]:
    """Articles that link to others come after the ones they link to."""
    pending = list(articles)
    ordered: list[DemoArticle] = []
    done: set[str] = set()
    while pending:
        ready = [a for a in pending if related_slugs(a) <= done]
        if not ready:
            raise ValueError(f"Unresolvable related links among: {[a.slug for a in pending]}")
        for article in ready:
            ordered.append(article)
            done.add(article.slug)
            pending.remove(article)
    return ordered


@dataclass
class ArticleContext:
    sections: dict[str, SectionPage]
    topics: dict[str, Topic]
    authors: dict[str, Author]
    sponsor: Sponsor
    now: datetime


def ensure_article(*, demo: DemoArticle, ctx: ArticleContext) -> tuple[ArticlePage, bool]:
    section = ctx.sections[demo.section]
    existing = ArticlePage.objects.child_of(section).filter(slug=demo.slug).first()
    if existing is not None:
        return existing, False

    hero = ensure_image(
        title=demo.headline,
        filename=f"{demo.slug[:60]}.jpg",
        draw=lambda: images.draw_illustration(title=demo.headline, scene=demo.scene),
        alt=demo.hero_caption,
    )

    def inline_image(value: InlineImage) -> int:
        title = f"{demo.headline} ({value.scene})"
        return ensure_image(
            title=title,
            filename=f"{demo.slug[:40]}-{value.scene}.jpg",
            draw=lambda: images.draw_illustration(title=title, scene=value.scene),
            alt=value.caption,
        ).pk

    def related_page(value: RelatedLink) -> int:
        return ArticlePage.objects.get(slug=value.slug).pk

    article = ArticlePage(
        title=demo.headline,
        slug=demo.slug,
        kicker=ctx.topics[demo.kicker] if demo.kicker else None,
        standfirst=demo.standfirst,
        hero_image=hero,
        hero_caption=demo.hero_caption,
        hero_credit=demo.hero_credit,
        dateline=demo.dateline,
        access="free" if demo.sponsored else demo.access,
        sponsor=ctx.sponsor if demo.sponsored else None,
        body=stream_data(parse_body(demo.body), image_id=inline_image, page_id=related_page),
        bylines=[
            ArticleByline(author=ctx.authors[slug], sort_order=i) for i, slug in enumerate(demo.authors)
        ],
    )
    section.add_child(instance=article)
    article.save_revision().publish()
    _backdate(article=article, demo=demo, now=ctx.now)
    return article, True


def _backdate(*, article: ArticlePage, demo: DemoArticle, now: datetime) -> None:
    # Wagtail stamps "now" on publish; a newsroom's archive is staggered over the past weeks.
    published = (now - timedelta(days=demo.published_days_ago)).replace(second=0, microsecond=0)
    updated = published + timedelta(hours=demo.updated_hours_later) if demo.updated_hours_later else None
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=published,
        last_published_at=updated or published,
        latest_revision_created_at=updated or published,
        updated_at=updated,
    )
    article.refresh_from_db()


@transaction.atomic
def build_publication(*, now: datetime | None = None) -> BuildReport:
    notes: list[str] = []
    home = ensure_home(report_notes=notes)
    site = ensure_site(home=home)
    ensure_publication_settings(site=site)
    ctx = ArticleContext(
        sections=ensure_sections(home=home, notes=notes),
        topics=ensure_topics(),
        authors=ensure_authors(),
        sponsor=ensure_sponsor(),
        now=now or timezone.now(),
    )
    created = [ensure_article(demo=demo, ctx=ctx) for demo in creation_order(ARTICLES)]
    notes.extend(f"article {article.slug}" for article, was_created in created if was_created)
    ensure_standing_pages(home=home, now=ctx.now, notes=notes)
    if home.lead_story_id is None:
        home.lead_story = ArticlePage.objects.get(slug=LEAD_SLUG)
        home.save_revision().publish()
    if notes:
        refresh_indexes(home=home)
    return BuildReport(home=home, site=site, created=notes)


def refresh_indexes(*, home: HomePage) -> None:
    """Index the demo for search and for the admin's usage counts, now rather than eventually.

    Publishing only queues these updates as background tasks, and `make demo` runs no task
    worker: without this, search would find nothing until someone ran `update_index`.
    """
    pages = list(Page.objects.descendant_of(home, inclusive=True).specific())
    snippets = [*Author.objects.all(), *Topic.objects.all(), *Sponsor.objects.all()]
    for obj in [*pages, *snippets, *Image.objects.all()]:
        if isinstance(obj, index.Indexed):
            index.insert_or_update_object(obj)
    for obj in [*pages, *snippets]:
        ReferenceIndex.create_or_update_for_object(obj)
