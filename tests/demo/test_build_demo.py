"""`manage.py build_demo`: what an editor and a reader find after `make demo`."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils.html import strip_tags
from wagtail.images.models import Image
from wagtail.models import Page, Site

from masthead.core.models import PublicationSettings
from masthead.news.demo.editor import DEMO_PASSWORD, EDITOR_EMAIL
from masthead.news.models import ArticlePage, Author, HomePage, SectionPage, Topic
from masthead.sponsored.models import Sponsor
from tests.demo.built import demo_fixture

pytestmark = pytest.mark.django_db

# The demo as `build_demo` leaves it, built once for this module (tests/demo/built.py); each test
# starts from it and its changes are rolled back.
demo = demo_fixture()


def build(**options) -> str:
    out = io.StringIO()
    call_command("build_demo", stdout=out, **options)
    return out.getvalue()


def body_words(article: ArticlePage) -> int:
    words = 0
    for block in article.body:
        value = block.value
        if block.block_type == "paragraph":
            words += len(strip_tags(value.source).split())
        elif block.block_type == "heading":
            words += len(value.split())
        elif block.block_type == "pull_quote":
            words += len(value["quote"].split())
        elif block.block_type == "fact_box":
            words += len(strip_tags(value["body"].source).split())
    return words


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "articles": ArticlePage.objects.count(),
        "images": Image.objects.count(),
        "authors": Author.objects.count(),
        "topics": Topic.objects.count(),
        "sponsors": Sponsor.objects.count(),
        "users": get_user_model().objects.count(),
        "sites": Site.objects.count(),
    }


def test_demo_replaces_the_welcome_page_with_the_publication(demo, client):

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.title == "The Meridian Ledger"
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()
    publication = PublicationSettings.for_site(site)
    assert publication.name == "The Meridian Ledger"
    assert publication.time_zone == "America/New_York"
    # The demo's header is the nameplate set in type, not an uploaded logo image.
    assert publication.logo is None
    section_titles = set(SectionPage.objects.live().child_of(home).values_list("title", flat=True))
    assert {"Politics & Diplomacy", "Business", "Markets", "Technology", "Opinion"} <= section_titles

    assert home.lead_story is not None
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert home.lead_story.title in page
    nameplate = r'<p class="masthead__title nameplate"><a href="/" rel="home">The Meridian Ledger</a></p>'
    assert re.search(nameplate, page)
    assert re.search(r'<time class="masthead__date" datetime="\d{4}-\d\d-\d\d">\w+day, ', page)


def test_demo_articles_have_the_full_anatomy_realistic_length_and_staggered_dates(demo):

    articles = list(ArticlePage.objects.live().select_related("hero_image").prefetch_related("bylines"))
    assert len(articles) >= 16
    sections = {article.get_parent().pk for article in articles}
    assert len(sections) >= 4
    for article in articles:
        assert article.standfirst and article.dateline, article.slug
        assert article.hero_image is not None and article.hero_caption and article.hero_credit, article.slug
        assert article.bylines.count() >= 1, article.slug
        assert article.first_published_at is not None
    assert any(len(article.dateline_places) == 2 for article in articles)

    lengths = [body_words(article) for article in articles]
    in_range = [n for n in lengths if 400 <= n <= 900]
    assert len(in_range) >= len(articles) * 3 // 4, lengths
    # Teasers are the first three blocks; they must be clearly shorter than the story.
    for article in articles:
        teaser = " ".join(strip_tags(str(block.render())) for block in list(article.body)[:3])
        assert len(teaser.split()) < body_words(article) / 2, article.slug

    # An archive, not a batch: publication times spread over the past weeks.
    times = sorted(article.first_published_at for article in articles)
    assert (times[-1] - times[0]).days >= 14
    assert len(set(times)) == len(times)


def test_demo_covers_every_access_level_sponsorship_and_block_type(demo):

    articles = ArticlePage.objects.live()
    levels = set(articles.values_list("access", flat=True))
    assert levels == {"metered", "free", "registered", "subscribers"}
    assert articles.filter(access="metered").count() > articles.count() / 2

    sponsored = list(articles.filter(sponsor__isnull=False))
    assert len(sponsored) == 2
    for article in sponsored:
        assert article.access_level == "free"
        assert article.sponsor.logo is not None and article.sponsor.url and article.sponsor.disclosure
        links = re.findall(r'href="(https?://[^"]+)"', str(article.body))
        assert any(link.startswith(article.sponsor.url) for link in links), article.slug

    block_types = {block.block_type for article in articles for block in article.body}
    assert {"paragraph", "heading", "image", "pull_quote", "fact_box", "related_article"} <= block_types
    assert articles.filter(updated_at__isnull=False).exists()
    assert Topic.objects.filter(articles__isnull=False).distinct().count() >= 2
    for author in Author.objects.all():
        assert author.role and author.bio and author.photo is not None, author.name


def test_search_finds_demo_articles_without_a_task_worker(demo):
    # `make demo` runs no task worker, so index updates queued on publish would never run: the
    # module's demo was built with tasks that never run (tests/demo/built.py, NO_TASK_WORKER).
    results = ArticlePage.objects.live().public().search("Halden", operator="and")

    assert "halden-semiconductor-wins-six-month-export-licence" in {page.slug for page in results}


def test_running_the_demo_twice_creates_nothing_twice(demo):
    first = counts()

    output = build()

    assert counts() == first
    assert "nothing to create" in output
    # The second run still prints a login that works.
    editor = get_user_model().objects.get(email=EDITOR_EMAIL)
    assert editor.is_superuser and editor.is_staff
    assert editor.check_password(DEMO_PASSWORD)
    assert EDITOR_EMAIL in output and f"Password: {DEMO_PASSWORD}" in output
    assert "/admin/" in output


def test_outside_demo_mode_the_fixed_password_is_refused_and_replaced(demo):
    # The module's demo was built in demo mode: the editor has the fixed, public password.

    with override_settings(MASTHEAD_DEMO=False):
        with pytest.raises(CommandError, match="MASTHEAD_DEMO"):
            build(editor_password=DEMO_PASSWORD)
        output = build()

    editor = get_user_model().objects.get(email=EDITOR_EMAIL)
    assert not editor.check_password(DEMO_PASSWORD)
    assert DEMO_PASSWORD not in output
    printed = re.search(r"Password: (\S+)", output).group(1)
    assert editor.check_password(printed)
