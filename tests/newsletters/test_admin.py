"""The newsroom's newsletter desk in the Wagtail admin: newsletters, composing (or starting from an
article), preview as each reader kind, a test to oneself, scheduling in the publication's zone,
sending through the task worker, progress and results, and who may do what."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.utils import timezone

from masthead.access.paywall_config import paywall_config
from masthead.accounts.models import User
from masthead.billing.models import Interval, Plan, Provider, Subscription, SubscriptionStatus
from masthead.newsletters.admin_views import ensure_send_permission
from masthead.newsletters.models import DeliveryEvent, Issue, IssueStory, Newsletter, Recipient
from tests.builders import canary_for, make_article

pytestmark = pytest.mark.django_db
ISSUES = "/admin/newsletters/issues/"


@pytest.fixture
def briefing(pub):
    return Newsletter.objects.create(name="The Daily Briefing", slug="daily-briefing", track_opens=False)


@pytest.fixture
def exclusive(pub):
    return make_article(pub, access="subscribers", title="The subscriber-only investigation")


@pytest.fixture
def draft(briefing, exclusive):
    return Issue.objects.create(
        newsletter=briefing, subject="Morning issue", intro="Hello.", article=exclusive
    )


def staff(email: str, *codenames: str) -> User:
    user = User.objects.create_user(email=email, password="an editor's long password", is_staff=True)
    perms = [Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")]
    for codename in codenames:
        if codename == "send_issue":
            perms.append(ensure_send_permission())
        else:
            perms.append(Permission.objects.get(content_type__app_label="newsletters", codename=codename))
    user.user_permissions.add(*perms)
    return User.objects.get(pk=user.pk)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor() -> User:
    return staff("editor@example.com", "add_issue", "change_issue", "view_issue", "send_issue")


@pytest.fixture
def composer() -> User:
    return staff("composer@example.com", "add_issue", "change_issue", "view_issue")


def srcdoc(html: str) -> str:
    match = re.search(r'srcdoc="([^"]*)"', html)
    assert match, "no srcdoc iframe"
    return unescape(match.group(1))


def test_the_menu_and_the_newsletters_themselves(pub):
    admin = User.objects.create_superuser(email="chief@example.com", password="a chief's long password")
    client = signed_in(admin)
    home = client.get("/admin/").content.decode()
    assert "Newsletters" in home and ISSUES in home and "/admin/newsletters/all/" in home
    response = client.post(
        "/admin/newsletters/all/new/",
        {
            "name": "Markets Weekly",
            "slug": "markets-weekly",
            "description": "The week in markets.",
            "audience": "subscribers",
            "schedule": "Fridays at 16:00",
            "is_active": "on",
            "track_clicks": "on",
            "sort_order": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newsletter = Newsletter.objects.get(slug="markets-weekly")
    assert (newsletter.audience, newsletter.track_opens) == ("subscribers", False)
    assert "Markets Weekly" in client.get("/admin/newsletters/all/").content.decode()


def test_send_as_newsletter_issue_starts_from_the_article(editor, briefing, exclusive, pub):
    client = signed_in(User.objects.create_superuser(email="chief@example.com", password="long password 123"))
    edit_page = client.get(f"/admin/pages/{exclusive.pk}/edit/").content.decode()
    assert f'data-send-as-issue="{exclusive.pk}"' in edit_page
    section_page = client.get(f"/admin/pages/{pub.sections[0].pk}/edit/").content.decode()
    assert "data-send-as-issue" not in section_page

    client = signed_in(editor)
    form = client.get(f"{ISSUES}new/?article={exclusive.pk}").content.decode()
    assert 'value="The subscriber-only investigation"' in form
    story = make_article(pub, title="A linked story")
    response = client.post(
        f"{ISSUES}new/?article={exclusive.pk}",
        {
            "newsletter": briefing.pk,
            "subject": "The subscriber-only investigation",
            "preheader": "",
            "intro": "What we found.",
            "article": exclusive.pk,
            "story_1": story.pk,
        },
    )
    issue = Issue.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{ISSUES}{issue.pk}/"
    assert (issue.status, issue.article_id, issue.created_by_id) == ("draft", exclusive.pk, editor.pk)
    assert list(issue.story_links.values_list("article_id", flat=True)) == [story.pk]


def test_an_issue_needs_something_to_say(editor, briefing):
    response = signed_in(editor).post(f"{ISSUES}new/", {"newsletter": briefing.pk, "subject": "Empty"})
    assert response.status_code == 200 and b"needs a lead article" in response.content
    assert not Issue.objects.exists()


@pytest.mark.parametrize(
    ("kind", "whole"),
    [
        ("subscriber", True),
        ("trialist", True),
        ("registered", False),
        ("lapsed", False),
        ("trial_expired", False),
        ("anonymous", False),
    ],
)
def test_preview_as_each_reader_kind(editor, draft, exclusive, kind, whole):
    html = signed_in(editor).get(f"{ISSUES}{draft.pk}/preview/?as={kind}").content.decode()
    document = srcdoc(html)
    assert 'sandbox=""' in html
    assert document.startswith(
        '<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;'
    )
    assert "The subscriber-only investigation" in document
    assert (canary_for(exclusive.slug) in document) is whole
    assert canary_for(exclusive.slug) not in html[: html.index("srcdoc=")]  # only in the sandboxed copy
    assert f'data-preview-as="{kind}"' in html and 'aria-current="page"' in html


def test_preview_side_by_side_shows_every_reader_kind_each_cut_for_itself(editor, draft, exclusive):
    html = signed_in(editor).get(f"{ISSUES}{draft.pk}/preview/?as=all").content.decode()
    assert 'href="?as=all" aria-current="page" data-preview-as="all"' in html
    sections = re.findall(r'data-issue-preview-copy="([a-z_]+)".*?srcdoc="([^"]*)"', html, flags=re.S)
    assert [kind for kind, _doc in sections] == [
        "subscriber", "trialist", "registered", "lapsed", "trial_expired", "anonymous"
    ]  # fmt: skip
    whole = {kind for kind, document in sections if canary_for(exclusive.slug) in unescape(document)}
    assert whole == {"subscriber", "trialist"}  # the same cut as each kind's own preview
    assert all("The subscriber-only investigation" in unescape(document) for _kind, document in sections)
    assert html.count('sandbox=""') == 6
    # Each kind's plain-text part, beside its copy, is cut the same way.
    parts = html.split('data-issue-preview-copy="')[1:]
    texts = {p.split('"', 1)[0]: p.split("data-preview-text>", 1)[1].split("</pre>")[0] for p in parts}
    assert {kind for kind, text in texts.items() if canary_for(exclusive.slug) in text} == whole


def test_a_test_copy_goes_to_the_editor_only(editor, draft):
    response = signed_in(editor).post(f"{ISSUES}{draft.pk}/test/", follow=True)
    assert [m.to for m in mail.outbox] == [["editor@example.com"]]
    assert "[TEST]" in mail.outbox[0].subject
    assert "A test copy is on its way to editor@example.com." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_scheduling_reads_the_time_in_the_publications_zone(editor, draft):
    zone = ZoneInfo(paywall_config(request=None).time_zone)
    when = (
        (timezone.now() + timedelta(days=3))
        .astimezone(zone)
        .replace(hour=7, minute=0, second=0, microsecond=0)
    )
    client = signed_in(editor)
    client.post(f"{ISSUES}{draft.pk}/schedule/", {"send_at": when.strftime("%Y-%m-%dT%H:%M")})
    draft.refresh_from_db()
    assert draft.status == "scheduled"
    assert draft.send_at == when.astimezone(UTC)
    assert draft.send_at.astimezone(zone).hour == 7

    client.post(f"{ISSUES}{draft.pk}/schedule/", {"send_at": "2001-01-01T07:00"})
    draft.refresh_from_db()
    assert draft.send_at == when.astimezone(UTC)  # a past time changes nothing
    client.post(f"{ISSUES}{draft.pk}/unschedule/")
    draft.refresh_from_db()
    assert (draft.status, draft.send_at) == ("draft", None)


def test_send_now_hands_the_issue_to_the_task_worker(
    editor, draft, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
        "worker": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    }
    from django_tasks import task_backends

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(editor).post(f"{ISSUES}{draft.pk}/send/", follow=True)
    draft.refresh_from_db()
    assert draft.status == "sending"
    # Nothing was sent in the request: the worker's queue holds the issue.
    assert not mail.outbox
    assert [r.args for r in task_backends["worker"].results] == [[draft.pk]]
    assert "data-progress-url" in response.content.decode()
    # Sending again is refused.
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(editor).post(f"{ISSUES}{draft.pk}/send/")
    assert len(task_backends["worker"].results) == 1


def test_only_editors_with_the_send_permission_send(composer, draft, pub):
    client = signed_in(composer)
    detail = client.get(f"{ISSUES}{draft.pk}/").content.decode()
    assert "data-send-now" not in detail and "send newsletter issues" in detail
    for action in ("send", "test", "schedule"):
        # Wagtail answers a refused admin action by sending the editor to the dashboard.
        refused = client.post(f"{ISSUES}{draft.pk}/{action}/")
        assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    draft.refresh_from_db()
    assert draft.status == "draft" and not mail.outbox
    reader = User.objects.create_user(email="reader@example.com", password="a reader's long password")
    assert signed_in(reader).get(ISSUES).status_code == 302  # to the admin login
    nobody = staff("nobody@example.com")
    assert signed_in(nobody).get(ISSUES)["Location"] == "/admin/"


def test_progress_and_results(editor, briefing, draft):
    draft.status = "sent"
    draft.save()
    readers = [User.objects.create_user(email=f"r{n}@example.com") for n in range(5)]
    statuses = ["sent", "sent", "sent", "skipped", "failed"]
    recipients = [
        Recipient.objects.create(issue=draft, reader=r, email=r.email, status=s)
        for r, s in zip(readers, statuses, strict=True)
    ]
    now = timezone.now()

    def event(recipient, kind, at=now, url=""):
        DeliveryEvent.objects.create(issue=draft, recipient=recipient, kind=kind, at=at, url=url)

    for recipient in recipients[:3]:
        event(recipient, "delivered")
    event(recipients[2], "bounced")
    event(recipients[0], "clicked", at=now - timedelta(days=3), url="https://example.com/a")
    event(recipients[0], "clicked", at=now - timedelta(days=2), url="https://example.com/a")
    event(recipients[1], "clicked", at=now - timedelta(days=20), url="https://example.com/b")
    event(recipients[1], "unsubscribed")
    event(recipients[0], "opened")
    event(recipients[1], "machine_open")
    plan = Plan.objects.create(name="Monthly", interval=Interval.MONTH, price_minor=1500, currency="USD")
    for reader in readers[:2]:  # the first clicked 3 days before; the second 20 days before
        Subscription.objects.create(
            user=reader, plan=plan, provider=Provider.DEMO, status=SubscriptionStatus.ACTIVE, started_at=now
        )
    client = signed_in(editor)
    progress = client.get(f"{ISSUES}{draft.pk}/progress/").json()
    assert {k: progress[k] for k in ("total", "sent", "skipped", "failed", "waiting")} == {
        "total": 5,
        "sent": 3,
        "skipped": 1,
        "failed": 1,
        "waiting": 0,
    }
    html = client.get(f"{ISSUES}{draft.pk}/").content.decode()

    def cell(name):
        return re.search(rf'data-result="{name}">([^<]*)<', html).group(1)

    assert (cell("delivered"), cell("bounced"), cell("unsubscribed")) == ("3", "1", "1")
    assert cell("clicks") == "3 (2)"
    assert cell("subscriptions") == "1"
    assert 'data-result="opens"' not in html and "not counted (turned off for this newsletter)" in html
    briefing.track_opens = True
    briefing.save()
    html = client.get(f"{ISSUES}{draft.pk}/").content.decode()
    assert (cell("opens"), cell("machine_opens")) == ("1", "1")


def test_a_sent_issue_cannot_be_edited(editor, draft):
    draft.status = "sent"
    draft.save()
    client = signed_in(editor)
    response = client.post(
        f"{ISSUES}{draft.pk}/edit/", {"newsletter": draft.newsletter_id, "subject": "Changed"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.subject == "Morning issue"


def test_issue_story_links_survive_an_edit(editor, draft, pub):
    stories = [make_article(pub) for _ in range(2)]
    for order, story in enumerate(stories):
        IssueStory.objects.create(issue=draft, article=story, sort_order=order)
    client = signed_in(editor)
    form = client.get(f"{ISSUES}{draft.pk}/edit/").content.decode()
    assert f'value="{stories[0].pk}"' in form and f'value="{stories[1].pk}"' in form
    client.post(
        f"{ISSUES}{draft.pk}/edit/",
        {
            "newsletter": draft.newsletter_id,
            "subject": "Morning issue",
            "article": draft.article_id,
            "story_1": stories[1].pk,
            "story_2": stories[0].pk,
        },
    )
    assert list(draft.story_links.order_by("sort_order").values_list("article_id", flat=True)) == [
        stories[1].pk,
        stories[0].pk,
    ]


def test_datetime_shown_default_is_in_the_zone(editor, draft):
    html = signed_in(editor).get(f"{ISSUES}{draft.pk}/").content.decode()
    zone = paywall_config(request=None).time_zone
    assert f"Send at ({zone})" in html
    value = re.search(r'name="send_at" value="([^"]+)"', html).group(1)
    shown = datetime.strptime(value, "%Y-%m-%dT%H:%M").replace(tzinfo=ZoneInfo(zone))
    assert timedelta(minutes=50) < shown - timezone.now() < timedelta(minutes=70)


def test_the_send_permission_can_be_granted_to_a_group(pub):
    chief = User.objects.create_superuser(email="chief@example.com", password="a chief's long password")
    html = signed_in(chief).get("/admin/groups/new/").content.decode()
    permission = Permission.objects.get(content_type__app_label="newsletters", codename="send_issue")
    assert f'value="{permission.pk}"' in html


def test_the_issue_page_tells_the_editor_how_many_copies_are_in_doubt(editor, draft):
    draft.status = "sent"
    draft.save()
    readers = [User.objects.create_user(email=f"d{n}@example.com") for n in range(4)]
    for n, reader in enumerate(readers):  # one copy's server never answered its final "."
        Recipient.objects.create(
            issue=draft, reader=reader, email=reader.email, status="sent", in_doubt=n == 2
        )
    client = signed_in(editor)
    html = client.get(f"{ISSUES}{draft.pk}/").content.decode()
    row = re.search(r'<th scope="row">([^<]*)</th><td data-count="in_doubt">([^<]*)<', html)
    assert row is not None and row.group(1).startswith("In doubt") and row.group(2) == "1"
    assert client.get(f"{ISSUES}{draft.pk}/progress/").json()["in_doubt"] == 1
    Recipient.objects.filter(issue=draft).update(in_doubt=False)  # the normal case
    assert 'data-count="in_doubt">0<' in client.get(f"{ISSUES}{draft.pk}/").content.decode()
