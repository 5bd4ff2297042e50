"""Staff grant and revoke entitlements (print subscribers, complimentary access) in the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from masthead.access.models import Entitlement
from tests.access.conftest import has_canary, make_article, paywall_state, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db: Any) -> Any:
    return get_user_model().objects.create_superuser("desk@example.com", "a long passphrase 42")


def test_staff_grant_complimentary_access_then_revoke_it(pub: Any, reader: Any, staff: Any) -> None:
    exclusive = make_article(pub, access="subscribers")
    desk = signed_in(staff)
    response = desk.post(
        "/django-admin/access/entitlement/add/",
        {
            "user": reader.pk,
            "kind": "complimentary",
            "starts_at_0": "2020-01-01",
            "starts_at_1": "00:00:00",
            "ends_at_0": "",
            "ends_at_1": "",
            "source_ref": "print-subscriber-1042",
            "note": "Print subscriber",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reading = signed_in(reader)
    assert has_canary(reading.get(exclusive.url), exclusive)

    entitlement = Entitlement.objects.get(source_ref="print-subscriber-1042")
    desk.post(
        "/django-admin/access/entitlement/",
        {"action": "revoke_now", "_selected_action": [entitlement.pk]},
    )
    page = reading.get(exclusive.url)
    assert not has_canary(page, exclusive)
    assert paywall_state(page) == "access-expired"


def test_entitlements_are_listed_in_the_wagtail_admin(reader: Any, staff: Any) -> None:
    from django.utils import timezone

    Entitlement.objects.create(user=reader, kind="group", starts_at=timezone.now(), source_ref="acme-corp")
    response = signed_in(staff).get("/admin/snippets/access/entitlement/")
    assert response.status_code == 200
    assert "reader@example.com" in response.content.decode()


def test_readers_cannot_reach_the_entitlement_admin(reader: Any) -> None:
    client = signed_in(reader)
    assert client.get("/django-admin/access/entitlement/").status_code == 302
    assert client.get("/admin/snippets/access/entitlement/").status_code == 302
