"""An editor starts the same story twice: the second never fails on "slug already in use".

Wagtail autosaves a new page as a draft as soon as the headline is typed (a JSON POST to the
create view). These tests post the real admin forms the way the editor's browser does: the
form as the admin renders it, the headline typed, the slug the title field's sync fills in.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.text import slugify

from masthead.news.models import ArticlePage
from tests.builders import make_article, make_publication
from tests.live.harness import post_forms
from tests.news.pages import soup_of

HEADLINE = "Valdora rift deepens"
SLUG = "valdora-rift-deepens"


@pytest.fixture
def pub(db):
    return make_publication(("Politics", "Business"))


@pytest.fixture
def editor(db) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser(email="ed@example.com", password=None))
    return client


def add_url(section) -> str:
    return f"/admin/pages/add/news/articlepage/{section.pk}/"


def editor_form(editor: Client, url: str) -> dict[str, Any]:
    """The editor form's fields as the admin renders them (the byline template row left out, as
    the browser leaves a <template> out), with the empty body the editor's script declares."""
    shown = editor.get(url)
    assert shown.status_code == 200
    form = next(f for f in post_forms(shown.content.decode()) if "title" in f["fields"])
    fields = {k: v for k, v in form["fields"].items() if "__prefix__" not in k}
    fields.setdefault("body-count", "0")
    return fields


def autosave(editor: Client, url: str, fields: dict[str, Any]) -> Any:
    return editor.post(url, fields, headers={"Accept": "application/json"})


def typed(fields: dict[str, Any], headline: str = HEADLINE, **more: str) -> dict[str, Any]:
    # The title field's sync writes the slug from the headline as the editor types.
    return {**fields, "title": headline, "slug": slugify(headline), **more}


def whole_story(pub, **more: str) -> dict[str, str]:
    """What the editor fills in before publishing: standfirst, a byline, a body of two headings."""
    return {
        "standfirst": "The two capitals recall their envoys.",
        "bylines-0-author": str(pub.author.pk),
        "body-count": "2",
        **{f"body-{i}-{k}": v for i in range(2) for k, v in
           {"type": "heading", "value": f"Part {i}", "deleted": "", "order": str(i), "id": ""}.items()},
        **more,
    }  # fmt: skip


def test_starting_the_same_story_again_after_an_autosave_gets_the_next_free_address(pub, editor):
    section = pub.sections[0]
    first = autosave(editor, add_url(section), typed(editor_form(editor, add_url(section))))
    assert first.status_code == 200 and first.json()["success"]
    draft = ArticlePage.objects.get(pk=first.json()["pk"])
    assert (draft.slug, draft.live) == (SLUG, False)
    draft_revisions = draft.revisions.count()

    # The editor leaves, comes back to "Add child page" and types the same headline.
    again = autosave(editor, add_url(section), typed(editor_form(editor, add_url(section))))

    assert again.status_code == 200, again.content
    body = again.json()
    assert body["success"]
    second = ArticlePage.objects.get(pk=body["pk"])
    assert second.pk != draft.pk and second.slug == f"{SLUG}-2" and second.title == HEADLINE
    # The open editor's address field follows, so the next autosave asks for the free one.
    assert body["field_updates"]["slug"] == f"{SLUG}-2"
    # The first draft is untouched.
    draft.refresh_from_db()
    assert (draft.slug, draft.title, draft.revisions.count()) == (SLUG, HEADLINE, draft_revisions)


def test_typing_on_after_the_autosave_keeps_the_free_address(pub, editor):
    section = pub.sections[0]
    autosave(editor, add_url(section), typed(editor_form(editor, add_url(section))))
    second = autosave(editor, add_url(section), typed(editor_form(editor, add_url(section)))).json()

    # The editor's next keystroke in the headline re-syncs the slug from the title: it asks for the
    # taken address again, and the autosave of the edit view keeps the free one.
    edit_url = second["url"]
    fields = editor_form(editor, edit_url)
    assert fields["slug"] == f"{SLUG}-2"
    resaved = autosave(editor, edit_url, {**fields, "title": HEADLINE, "slug": SLUG})

    assert resaved.status_code == 200 and resaved.json()["success"], resaved.content
    assert ArticlePage.objects.get(pk=second["pk"]).get_latest_revision_as_object().slug == f"{SLUG}-2"


def test_save_draft_tells_the_editor_and_points_to_the_other_draft(pub, editor):
    section = pub.sections[0]
    first = autosave(editor, add_url(section), typed(editor_form(editor, add_url(section)))).json()

    saved = editor.post(add_url(section), typed(editor_form(editor, add_url(section))), follow=True)

    assert saved.status_code == 200
    second = ArticlePage.objects.exclude(pk=first["pk"]).get(title=HEADLINE)
    assert saved.redirect_chain[-1][0] == f"/admin/pages/{second.pk}/edit/"
    soup = soup_of(saved)
    messages = " ".join(soup.select_one(".messages").get_text(" ").split())
    assert f"“{SLUG}” belongs to another page in Politics, “{HEADLINE}”" in messages
    assert f"this story's address is “{SLUG}-2”" in messages
    assert soup.select_one(f'.messages a[href="/admin/pages/{first["pk"]}/edit/"]') is not None
    # The story's editor itself names the other draft, on every visit, until one is deleted.
    warning = soup.select_one("[data-same-headline]")
    assert warning is not None and "the same headline" in warning.get_text()
    assert warning.select_one(f'a[href="/admin/pages/{first["pk"]}/edit/"]') is not None

    # Once the first draft is deleted, the warning goes.
    ArticlePage.objects.get(pk=first["pk"]).delete()
    assert soup_of(editor.get(f"/admin/pages/{second.pk}/edit/")).select_one("[data-same-headline]") is None


def test_a_story_with_its_own_headline_shows_no_warning(pub, editor):
    section = pub.sections[0]
    autosave(editor, add_url(section), typed(editor_form(editor, add_url(section))))
    other = editor.post(
        add_url(section), typed(editor_form(editor, add_url(section)), "Kessen answers"), follow=True
    )
    soup = soup_of(other)
    assert soup.select_one("[data-same-headline]") is None
    assert "belongs to another page" not in soup.get_text()
    assert ArticlePage.objects.get(title="Kessen answers").slug == "kessen-answers"


def test_publishing_straight_away_with_a_taken_address_publishes_under_the_next_free_one(pub, editor):
    section = pub.sections[0]
    autosave(editor, add_url(section), typed(editor_form(editor, add_url(section))))

    fields = typed(editor_form(editor, add_url(section)), **whole_story(pub), **{"action-publish": "1"})
    published = editor.post(add_url(section), fields)

    assert published.status_code == 302, soup_of(published).select(".error-message")
    story = ArticlePage.objects.live().get(title=HEADLINE)
    assert story.slug == f"{SLUG}-2" and story.url.endswith(f"/{SLUG}-2/")
    assert ArticlePage.objects.get(slug=SLUG).live is False


def test_the_same_headline_in_another_section_keeps_its_address(pub, editor):
    politics, business = pub.sections
    autosave(editor, add_url(politics), typed(editor_form(editor, add_url(politics))))
    elsewhere = autosave(editor, add_url(business), typed(editor_form(editor, add_url(business)))).json()
    assert ArticlePage.objects.get(pk=elsewhere["pk"]).slug == SLUG
    assert "slug" not in elsewhere["field_updates"]


def test_a_published_story_is_never_moved_to_another_address(pub, editor):
    """Readers have links to a published story: taking a sibling's address is refused, as before."""
    one = make_article(pub, title="One")
    two = make_article(pub, title="Two")
    edit_url = f"/admin/pages/{two.pk}/edit/"

    refused = editor.post(edit_url, {**editor_form(editor, edit_url), "slug": one.slug})

    assert refused.status_code == 200
    errors = " ".join(e.get_text(" ") for e in soup_of(refused).select(".error-message"))
    assert f"The slug '{one.slug}' is already in use within the parent page." in errors
    two.refresh_from_db()
    assert two.get_latest_revision_as_object().slug != one.slug


def test_autosave_answers_json_the_editor_script_reads(pub, editor):
    """The autosave response stays the shape Wagtail's script expects (it replaces the URL)."""
    section = pub.sections[0]
    autosave(editor, add_url(section), typed(editor_form(editor, add_url(section))))
    again = autosave(editor, add_url(section), typed(editor_form(editor, add_url(section))))
    body = json.loads(again.content)
    assert {"success", "pk", "revision_id", "field_updates", "url", "hydrate_url"} <= set(body)


def test_after_an_autosave_save_draft_works_and_a_byline_added_later_is_kept(pub, editor):
    """The browser applies the autosave's field updates to the open form, then the editor clicks
    "Save draft", then picks an author in the byline row they had left empty."""
    section = pub.sections[0]
    fields = typed(editor_form(editor, add_url(section)))
    saved = autosave(editor, add_url(section), fields).json()
    fields = {**fields, **saved["field_updates"]}
    assert fields["bylines-INITIAL_FORMS"] == "0"  # the empty row was not saved, and stays new

    draft = editor.post(saved["url"], fields)
    assert draft.status_code == 302, [
        e.get_text(" ", strip=True) for e in soup_of(draft).select(".error-message")
    ]

    with_author = editor.post(
        saved["url"], {**editor_form(editor, saved["url"]), "bylines-0-author": str(pub.author.pk)}
    )
    assert with_author.status_code == 302
    story = ArticlePage.objects.get(pk=saved["pk"])
    assert [b.author for b in story.get_latest_revision_as_object().bylines.all()] == [pub.author]
