"""The article editor speaks the newsroom's words, and who may read a story is decided on the tab
the editor writes in. Read from the admin's real pages, as an editor sees them."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.models import Site
from wagtail.users.models import UserProfile

from tests.builders import make_article, make_publication
from tests.news.pages import soup_of


@pytest.fixture
def pub(db):
    return make_publication(("Politics",))


def editor_client(*, language: str = "en") -> Client:
    user = get_user_model().objects.create_superuser(email=f"ed-{language}@example.com", password=None)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def words(node) -> str:
    text = node if isinstance(node, str) else node.get_text(" ")
    return " ".join(text.split())


def tabs(soup: BeautifulSoup) -> list[str]:
    # The tab's name, without the count of errors on it.
    return [
        words(tab.find(string=True, recursive=False)) for tab in soup.select('[role="tablist"] [role="tab"]')
    ]


def field_help(soup: BeautifulSoup, name: str) -> str:
    field = soup.select_one(f'[name="{name}"]')
    assert field is not None, name
    wrapper = field.find_parent(attrs={"data-field-wrapper": True})
    return words(wrapper.select_one("[data-field-help]"))


def field_label(soup: BeautifulSoup, field_id: str) -> str:
    return words(soup.select_one(f'label[for="{field_id}"]'))


def editor_pages(pub) -> dict[str, BeautifulSoup]:
    editor = editor_client()
    article = make_article(pub, title="Ministers meet in Valdora")
    return {
        "create": soup_of(editor.get(f"/admin/pages/add/news/articlepage/{pub.sections[0].pk}/")),
        "edit": soup_of(editor.get(f"/admin/pages/{article.pk}/edit/")),
    }


@pytest.mark.parametrize("view", ["create", "edit"])
def test_the_story_tab_holds_what_the_editor_writes_and_who_may_read_it(pub, view):
    soup = editor_pages(pub)[view]

    assert tabs(soup) == ["Story", "Promote"]  # no Settings tab left to hide the access level in
    story = soup.select_one("#tab-story")
    for name in ("title", "kicker", "standfirst", "hero_image", "hero_caption", "hero_credit", "dateline",
                 "bylines-0-author", "updated_at", "access", "sponsor"):  # fmt: skip
        assert story.select_one(f'[name="{name}"]') is not None, f"{name} is not on the Story tab"
    assert story.select_one("#body[data-block]") is not None  # the body's blocks, drawn by the editor

    access = story.select('input[type="radio"][name="access"]')
    assert [words(radio.find_parent("label")) for radio in access] == [
        "Free to everyone",
        "Metered (counts against the free allowance)",
        "Registered readers (free with a confirmed account)",
        "Subscribers only",
    ]
    access_panel = words(story.select_one('[name="access"]').find_parent("section"))
    assert access_panel.startswith("Access")


@pytest.mark.parametrize("view", ["create", "edit"])
def test_promote_keeps_only_the_address_and_what_search_engines_and_shared_links_show(pub, view):
    promote = editor_pages(pub)[view].select_one("#tab-promote")
    names = {field["name"] for field in promote.select("[name]") if not field["name"].startswith("comment")}
    assert {"slug", "seo_title", "search_description"} <= names
    assert {"share_title", "share_description", "share_image"} <= names
    assert "Leave empty to use the standfirst" in words(promote)
    assert not names & {"updated_at", "access", "sponsor", "show_in_menus"}


def test_labels_and_help_texts_are_the_newsrooms(pub):
    soup = editor_pages(pub)["edit"]

    assert field_label(soup, "id_title").startswith("Headline")
    assert field_help(soup, "title").startswith("As readers see it on the story")
    assert "as you'd like it to be seen by the public" not in words(soup)  # Wagtail's stock help
    assert field_label(soup, "id_kicker") == "Kicker"
    assert field_help(soup, "kicker").startswith("A running topic shown above the headline")
    assert field_help(soup, "updated_at").startswith(
        "Shown as 'Updated …' on the story; leave empty unless the story changed materially"
    )
    access = field_help(soup, "access")
    assert "Registered readers: anyone signed in with a confirmed e-mail address" in access
    assert "Readers without access see the kicker, headline, standfirst" in access
    assert "A sponsored story is always free to read" in field_help(soup, "sponsor")
    assert "changing it breaks links" in field_help(soup, "slug")
    assert field_label(soup, "id_hero_caption") == "Caption"

    text = words(soup.select_one("#tab-story"))
    assert "Bylines 1" not in text and "Add Bylines" not in text and "Kicker (topic)" not in text
    assert "Add a byline" in text and "Byline" in words(soup.select_one('[id^="inline_child_bylines-0"]'))


def test_the_editor_in_japanese_reads_japanese_labels(pub):
    article = make_article(pub)
    soup = soup_of(editor_client(language="ja").get(f"/admin/pages/{article.pk}/edit/"))

    assert tabs(soup) == ["記事", "プロモート"]
    assert field_label(soup, "id_title").startswith("見出し")
    assert field_label(soup, "id_kicker") == "キッカー"
    assert "見出しの上" in field_help(soup, "kicker")
    assert "署名を追加" in words(soup.select_one("#tab-story"))
    assert "常に無料" in field_help(soup, "sponsor")


def test_section_and_front_page_editors_name_what_they_edit(pub):
    editor = editor_client()
    section = soup_of(editor.get(f"/admin/pages/{pub.sections[0].pk}/edit/"))
    front = soup_of(editor.get(f"/admin/pages/{pub.home.pk}/edit/"))
    assert field_label(section, "id_title").startswith("Section name")
    assert field_help(section, "intro").startswith("One or two sentences shown under the section name")
    assert field_label(front, "id_title").startswith("Publication name")
    assert field_help(front, "lead_story").startswith("The story at the top of the front page")


def test_meter_settings_explain_the_period_the_limits_and_the_teaser_rule(pub):
    editor = editor_client()
    site = Site.objects.get(is_default_site=True)
    soup = soup_of(editor.get(f"/admin/settings/access/metersettings/{site.pk}/"))

    teaser = field_help(soup, "teaser_blocks")
    assert "The teaser is never more than half of a story, rounded down" in teaser
    assert "with 3, a story of 10 blocks shows 3, a story of 5 blocks shows 2" in teaser
    anonymous = field_help(soup, "anonymous_limit")
    assert "the next one shows the registration wall" in anonymous
    assert "re-reading an article already counted in the period is free" in anonymous
    assert "the next one shows the current offer" in field_help(soup, "registered_limit")
    assert "starts again on the 1st" in field_help(soup, "period")
    assert "no longer counts" in field_help(soup, "rolling_days")


@pytest.mark.parametrize(
    ("configured", "blocks", "shown"), [(3, 10, 3), (3, 5, 2), (3, 1, 0), (3, 4, 2), (1, 10, 1)]
)
def test_the_teaser_rule_the_help_text_states_is_the_rule_the_paywall_applies(configured, blocks, shown):
    from masthead.access.cut import teaser_length

    assert teaser_length(total_blocks=blocks, configured=configured) == shown
