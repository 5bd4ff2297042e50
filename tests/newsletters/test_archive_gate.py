"""The web archive gates an issue's own text: in a subscribers-only newsletter the introduction is
subscriber content, decided by the paywall's one decision for each reader kind — the canary
sentence past the first paragraph appears exactly for subscribers, trialists and staff; everyone
else reads the subject, the first paragraph and the prompt that fits them. A registered-audience
newsletter's issues stay open to all."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import timezone

from masthead.newsletters.models import Issue, Newsletter
from tests.builders import make_article, make_image, make_reader
from tests.newsletters.conftest import make_kind_of_reader

pytestmark = pytest.mark.django_db

OPENING = "Markets opened quietly this morning."
CANARY = "Canary: the desk gated note about bond yields 4417."
READER_KINDS = [
    "anonymous",
    "registered",
    "subscriber",
    "trialist",
    "lapsed-subscriber",
    "expired-trial",
    "staff",
]
ENTITLED = {"subscriber", "trialist", "staff"}
# The prompt each reader who is not entitled sees (access.policy's PromptState, as the include marks it).
EXPECTED_PROMPT = {
    "anonymous": "subscribers-only",
    "registered": "subscribers-only",
    "lapsed-subscriber": "access-expired",
    "expired-trial": "trial-expired",
}


def reader_client(kind: str) -> Client:
    client = Client()
    if kind == "staff":
        staff = make_reader(f"staff-{timezone.now().timestamp()}@example.com", "pw-Long-enough-1")
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
        client.force_login(staff)
    elif kind != "anonymous":
        client.force_login(make_kind_of_reader(kind))
    return client


def sent_issue(newsletter: Newsletter, **fields) -> Issue:
    return Issue.objects.create(
        newsletter=newsletter,
        subject="Bonds at the open",
        intro=f"{OPENING}\n\n{CANARY}",
        status=Issue.Status.SENT,
        finished_at=timezone.now(),
        **fields,
    )


@pytest.fixture
def markets(pub):
    return Newsletter.objects.create(name="Markets Weekly", slug="markets-weekly", audience="subscribers")


@pytest.mark.parametrize("kind", READER_KINDS)
def test_a_subscribers_newsletter_issue_text_reaches_only_entitled_readers(pub, markets, kind):
    issue = sent_issue(markets)
    response = reader_client(kind).get(f"/newsletters/markets-weekly/{issue.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bonds at the open" in html and OPENING in html  # subject and teaser for everyone
    assert (CANARY in html) is (kind in ENTITLED)
    if kind in ENTITLED:
        assert "data-paywall-state" not in html
    else:
        assert f'data-paywall-state="{EXPECTED_PROMPT[kind]}"' in html
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("kind", ["anonymous", "lapsed-subscriber"])
def test_a_gated_issue_with_a_walled_lead_shows_one_prompt(pub, markets, kind):
    issue = sent_issue(markets, article=make_article(pub, access="subscribers"))
    html = reader_client(kind).get(f"/newsletters/markets-weekly/{issue.pk}/").content.decode()
    assert CANARY not in html
    assert html.count('id="paywall-message"') == 1


def test_the_list_page_shows_no_gated_text(pub, markets):
    sent_issue(markets)
    for kind in ("anonymous", "subscriber"):
        html = reader_client(kind).get("/newsletters/markets-weekly/").content.decode()
        assert "Bonds at the open" in html
        assert CANARY not in html


def test_reading_a_gated_issue_counts_no_meter_read(pub, markets):
    from masthead.access.models import MeterRead

    issue = sent_issue(markets)
    client = reader_client("registered")
    for _ in range(3):
        client.get(f"/newsletters/markets-weekly/{issue.pk}/")
    assert MeterRead.objects.count() == 0


@pytest.mark.parametrize("kind", ["anonymous", "registered"])
def test_a_registered_audience_newsletter_stays_open(pub, kind):
    briefing = Newsletter.objects.create(name="The Daily Briefing", slug="daily-briefing")
    issue = sent_issue(briefing)
    html = reader_client(kind).get(f"/newsletters/daily-briefing/{issue.pk}/").content.decode()
    assert OPENING in html and CANARY in html
    assert "data-paywall-state" not in html


# -- the issue's own blocks (Issue.body) ------------------------------------------------------------

BODY_CANARY = "Canary: the body block about the central bank 9021."


def issue_with_body(newsletter: Newsletter) -> Issue:
    photo = make_image("Trading floor", size=(1600, 900))
    photo.description = "Traders at their desks"
    photo.save()
    return sent_issue(
        newsletter,
        body=[
            ("heading", "What moved today"),
            ("paragraph", f"<p>{BODY_CANARY} <b>Rates</b> held.</p>"),
            ("image", {"image": photo, "caption": "The floor at noon", "credit": "Ana Ruiz"}),
            ("quote", {"quote": "Nobody expected the pause.", "attribution": "A trader"}),
            ("divider", None),
        ],
    )


@pytest.mark.parametrize("kind", ["anonymous", "registered", "lapsed-subscriber", "subscriber", "staff"])
def test_the_archive_renders_the_body_blocks_to_entitled_readers_only(pub, markets, kind):
    issue = issue_with_body(markets)
    html = reader_client(kind).get(f"/newsletters/markets-weekly/{issue.pk}/").content.decode()
    shown = kind in ENTITLED
    for part in (BODY_CANARY, "What moved today", "Nobody expected the pause.", "Traders at their desks"):
        assert (part in html) is shown, part
    assert ("Photo: Ana Ruiz" in html) is shown
    assert OPENING in html


def test_a_registered_newsletter_shows_its_body_to_anyone(pub):
    briefing = Newsletter.objects.create(name="The Daily Briefing", slug="daily-briefing")
    issue = issue_with_body(briefing)
    html = Client().get(f"/newsletters/daily-briefing/{issue.pk}/").content.decode()
    assert BODY_CANARY in html and "<hr>" in html


def test_the_email_carries_the_body_blocks_in_html_and_text(pub, markets, site_url):
    from masthead.newsletters.rendering import render_issue_as

    issue = issue_with_body(markets)
    message = render_issue_as(issue, "subscriber")
    html = message.alternatives[0][0]
    text = message.body
    assert BODY_CANARY in html and BODY_CANARY in text
    assert "What moved today" in html and "WHAT MOVED TODAY" in text
    assert "Nobody expected the pause." in html and "“Nobody expected the pause.” — A trader" in text
    assert "<hr" in html
    # The photo: an absolute address at the site, a rendition 600 px wide, with its alt text.
    src = re.search(r'<img src="([^"]+)" alt="Traders at their desks"', html)
    assert src is not None and src.group(1).startswith(f"{site_url}/")
    rendition = issue.body[2].value["image"].get_rendition("width-600")
    assert rendition.width == 600 and src.group(1) == f"{site_url}{rendition.url}"
    assert "The floor at noon Photo: Ana Ruiz" in html and "[The floor at noon Photo: Ana Ruiz]" in text
    # The intro still opens the issue.
    assert html.index(OPENING) < html.index("What moved today")


def test_the_body_is_rendered_once_for_every_reader_kind(
    pub, markets, site_url, django_assert_max_num_queries
):
    from masthead.access.policy import ReaderKind
    from masthead.newsletters.rendering import IssueRenderer

    issue = issue_with_body(markets)
    renderer = IssueRenderer(issue)
    first = renderer.body_html
    assert BODY_CANARY in first
    # A second kind's copy reuses the one rendering of the blocks (no rendition looked up again).
    with django_assert_max_num_queries(0):
        assert renderer.body_html is first
    copy = renderer.message(
        to="r@example.com",
        kind=ReaderKind.REGISTERED,
        user_id=None,
        language="en",
        since=timezone.now(),
        test=False,
    )
    assert BODY_CANARY in copy.body


def test_the_compose_form_edits_the_body_with_the_stream_editor(pub, markets):
    from tests.newsletters.test_admin import staff

    editor = staff("editor@example.com", "add_issue", "change_issue", "view_issue")
    client = Client()
    client.force_login(editor)
    form = client.get("/admin/newsletters/issues/new/").content.decode()
    # Wagtail's StreamField editor, with this issue's block types offered.
    assert 'data-controller="w-block"' in form and 'id="body"' in form
    assert all(name in form for name in ("paragraph", "heading", "image", "quote", "divider"))
    response = client.post(
        "/admin/newsletters/issues/new/",
        {
            "newsletter": markets.pk,
            "subject": "Composed from blocks",
            "preheader": "",
            "intro": OPENING,
            "body-count": "2",
            "body-0-type": "heading",
            "body-0-value": "What moved today",
            "body-0-deleted": "",
            "body-0-order": "0",
            "body-0-id": "",
            "body-1-type": "paragraph",
            "body-1-value": f'{{"blocks":[{{"key":"a","text":"{BODY_CANARY}","type":"unstyled",'
            '"depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
            "body-1-deleted": "",
            "body-1-order": "1",
            "body-1-id": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    issue = Issue.objects.get(subject="Composed from blocks")
    assert [block.block_type for block in issue.body] == ["heading", "paragraph"]
    assert BODY_CANARY in str(issue.body[1].value)
    # Edited again without the body's editor in the post: the body stays.
    client.post(
        f"/admin/newsletters/issues/{issue.pk}/edit/",
        {"newsletter": markets.pk, "subject": "Composed from blocks", "intro": OPENING},
    )
    issue.refresh_from_db()
    assert len(issue.body) == 2
