"""Every edit reaches every worker of every host at once, proved against a running deployment.

Each test reads the article the way fresh readers would (20 requests at once, each on its own
connection, spread over host A's two workers and host B) before the edit, so every worker keeps
its copies, then makes the edit from another process or in the real admin over HTTP, and checks
that the very next 20 fresh requests all show it. Every response is searched for the article's
canary sentence, which stands only in its gated part.
"""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from tests.live.edits import LEAVER_EMAIL, READER_EMAIL, SUBSCRIBER_EMAIL
from tests.live.harness import Deployment, Reply

pytestmark = [pytest.mark.live]


def article(live: Deployment, name: str) -> dict[str, str]:
    return live.data["articles"][name]


def whole(replies: list[Reply], canary: str) -> int:
    return sum(r.shows(canary) for r in replies)


def spread(live: Deployment, replies: list[Reply]) -> None:
    """The replies came from more than one worker and from both hosts."""
    workers = live.workers_that_answered(replies)
    assert len(workers) >= 2 and {w.split(":")[0] for w in workers} == {"host-a", "host-b"}, workers


def warm(live: Deployment, path: str, *, cookie: str = "") -> list[Reply]:
    replies = live.read(path, n=30, cookie=cookie)
    spread(live, replies)
    return replies


def test_free_article_made_subscriber_only(live: Deployment) -> None:
    story = article(live, "to_subscribers")
    assert whole(warm(live, story["url"]), story["canary"]) == 30

    live.editor("set_access", page_id=story["id"], access="subscribers")

    after = live.read(story["url"])
    spread(live, after)
    assert whole(after, story["canary"]) == 0
    assert all('data-paywall-state="subscribers-only"' in r.body for r in after)


def test_japanese_version_made_subscriber_only(live: Deployment) -> None:
    # The Japanese version is its own URL with its own kept copies in every worker.
    story = article(live, "to_subscribers_ja")
    japanese = f"/ja{story['url']}"
    before = warm(live, japanese)
    assert whole(before, story["canary"]) == 30
    assert all('<html lang="ja"' in r.body for r in before)

    live.editor("set_access", page_id=story["id"], access="subscribers")

    after = live.read(japanese)
    spread(live, after)
    assert whole(after, story["canary"]) == 0
    assert all(
        'data-paywall-state="subscribers-only"' in r.body and '<html lang="ja"' in r.body for r in after
    )
    assert whole(live.read(story["url"]), story["canary"]) == 0


def test_story_published_reaches_the_japanese_front_page(live: Deployment) -> None:
    # Front pages are kept whole for anonymous readers, one copy per language.
    assert all(r.status == 200 for r in warm(live, "/ja/")) and all(r.status == 200 for r in warm(live, "/"))
    headline = f"Harbour bridge reopens {time.time_ns()}"

    live.editor("publish_article_with_new_photo", headline=headline)

    for path in ("/ja/", "/"):
        after = live.read(path)
        spread(live, after)
        assert all(headline in r.body for r in after), path


def test_unpublished_in_the_admin(live: Deployment) -> None:
    story = article(live, "unpublish")
    assert whole(warm(live, story["url"]), story["canary"]) == 30

    live.admin().submit(f"/admin/pages/{story['id']}/unpublish/", changes={})

    after = live.read(story["url"])
    assert [r.status for r in after] == [404] * 20
    assert whole(after, story["canary"]) == 0


def test_deleted_in_the_admin(live: Deployment) -> None:
    story = article(live, "delete")
    assert whole(warm(live, story["url"]), story["canary"]) == 30

    live.admin().submit(f"/admin/pages/{story['id']}/delete/", changes={})

    after = live.read(story["url"])
    assert [r.status for r in after] == [404] * 20
    assert whole(after, story["canary"]) == 0


def test_page_password_set_in_the_admin(live: Deployment) -> None:
    story = article(live, "password")
    assert whole(warm(live, story["url"]), story["canary"]) == 30

    admin = live.admin()
    admin.submit(
        f"/admin/pages/{story['id']}/privacy/",
        html=admin.privacy_modal(story["id"]),
        changes={"restriction_type": "password", "password": "letmein-live"},
    )

    after = live.read(story["url"])
    assert whole(after, story["canary"]) == 0
    assert all(r.status == 200 and 'name="password"' in r.body for r in after)


def test_login_required_set_in_the_admin(live: Deployment) -> None:
    story = article(live, "login_only")
    assert whole(warm(live, story["url"]), story["canary"]) == 30

    admin = live.admin()
    admin.submit(
        f"/admin/pages/{story['id']}/privacy/",
        html=admin.privacy_modal(story["id"]),
        changes={"restriction_type": "login"},
    )

    after = live.read(story["url"])
    assert whole(after, story["canary"]) == 0
    assert all(r.status == 302 and "login" in r.headers.get("Location", "") for r in after)


def test_scheduled_expiry_needs_no_edit_at_that_moment(live: Deployment) -> None:
    story = article(live, "expiry")
    expires = datetime.fromisoformat(live.editor("expire_in", page_id=story["id"], seconds=4))
    assert whole(warm(live, story["url"]), story["canary"]) == 30

    time.sleep(max(0.0, expires.timestamp() - time.time()))

    after = live.read(story["url"])
    assert [r.status for r in after] == [404] * 20
    assert whole(after, story["canary"]) == 0


def test_anonymous_allowance_lowered_then_raised_in_the_admin(live: Deployment) -> None:
    first = article(live, "metered")[0]
    before = warm(live, first["url"])
    assert all('data-remaining="2"' in r.body for r in before)
    admin = live.admin()
    settings_page = f"/admin/settings/access/metersettings/{live.data['site_id']}/"

    admin.submit(settings_page, changes={"anonymous_limit": "1"})

    lowered = live.read(first["url"])
    spread(live, lowered)
    assert all('data-paywall-state="metered-last"' in r.body for r in lowered)
    assert whole(lowered, first["canary"]) == 20  # the one free article is still read whole
    # The same reader's next metered article meets the wall on every host.
    cookie = next(r for r in lowered if r.headers.get("Set-Cookie")).headers["Set-Cookie"].split(";")[0]
    second = article(live, "metered")[1]
    walled = live.read(second["url"], cookie=cookie)
    assert whole(walled, second["canary"]) == 0
    assert all('data-paywall-state="registration-wall"' in r.body for r in walled)

    admin.submit(settings_page, changes={"anonymous_limit": "5"})

    raised = live.read(first["url"])
    assert all('data-remaining="4"' in r.body for r in raised)
    admin.submit(settings_page, changes={"anonymous_limit": "3"})


def test_meter_period_changed_in_the_admin(live: Deployment) -> None:
    first = article(live, "metered")[2]
    assert all("this month" in r.body for r in warm(live, first["url"]))
    admin = live.admin()
    settings_page = f"/admin/settings/access/metersettings/{live.data['site_id']}/"

    admin.submit(settings_page, changes={"period": "rolling-days", "rolling_days": "30"})

    after = live.read(first["url"])
    assert all("in the last 30 days" in r.body and "this month" not in r.body for r in after)
    admin.submit(settings_page, changes={"period": "calendar-month"})


def test_teaser_length_changed_from_another_process(live: Deployment) -> None:
    story = article(live, "teaser")
    third = "Paragraph 3 of story"
    before = warm(live, story["url"])
    assert [r.status for r in before] == [200] * 30, [
        (r.status, r.host, r.body[:300]) for r in before if r.status != 200
    ]
    missing = [(r.host, r.body[r.body.find("<main") :][:1500]) for r in before if third not in r.body]
    assert not missing, missing
    assert whole(before, story["canary"]) == 0

    live.editor("set_teaser_blocks", blocks=1)

    after = live.read(story["url"])
    assert not any(third in r.body for r in after) and whole(after, story["canary"]) == 0
    live.editor("set_teaser_blocks", blocks=3)


def test_prompt_text_edited_from_another_process(live: Deployment) -> None:
    story = article(live, "subscriber_only")
    warm(live, story["url"])
    wording = "Only our subscribers read this one, live from the editor."

    live.editor("set_prompt", state="subscribers-only", text=wording)

    after = live.read(story["url"])
    assert all(wording in r.body for r in after) and whole(after, story["canary"]) == 0


def test_offer_ended_from_another_process(live: Deployment) -> None:
    story = article(live, "offer")
    headline = live.data["offer"]["headline"]
    assert all(headline in r.body for r in warm(live, story["url"]))

    live.editor("end_offer", offer_id=live.data["offer"]["id"])

    after = live.read(story["url"])
    assert not any(headline in r.body for r in after)
    assert whole(after, story["canary"]) == 0


def test_refund_ends_a_subscribers_access(live: Deployment) -> None:
    story = article(live, "subscriber_only")
    cookie = live.sign_in(SUBSCRIBER_EMAIL)
    assert whole(warm(live, story["url"], cookie=cookie), story["canary"]) == 30

    live.editor("refund_subscriber", email=SUBSCRIBER_EMAIL)

    after = live.read(story["url"], cookie=cookie)
    assert whole(after, story["canary"]) == 0


def test_deactivated_reader_loses_access(live: Deployment) -> None:
    story = article(live, "subscriber_only")
    cookie = live.sign_in(LEAVER_EMAIL)
    assert whole(warm(live, story["url"], cookie=cookie), story["canary"]) == 30

    live.editor("deactivate", email=LEAVER_EMAIL)

    after = live.read(story["url"], cookie=cookie)
    assert whole(after, story["canary"]) == 0


def test_entitlement_granted_then_revoked_in_the_admin(live: Deployment) -> None:
    story = article(live, "subscriber_only")
    cookie = live.sign_in(READER_EMAIL)
    assert whole(warm(live, story["url"], cookie=cookie), story["canary"]) == 0
    admin = live.admin()

    admin.submit(
        "/admin/snippets/access/entitlement/add/",
        changes={
            "user": str(live.data["reader_id"]),
            "kind": "complimentary",
            "starts_at": "2020-01-01 00:00",
            "ends_at": "",
            "note": "Press pass",
        },
    )

    granted = live.read(story["url"], cookie=cookie)
    spread(live, granted)
    assert whole(granted, story["canary"]) == 20

    live.editor("revoke_entitlements", user_id=live.data["reader_id"])

    revoked = live.read(story["url"], cookie=cookie)
    assert whole(revoked, story["canary"]) == 0
