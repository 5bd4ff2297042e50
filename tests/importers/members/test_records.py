"""Reading single rows of the exports (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from masthead.importers.members.records import RowError, ghost_record, substack_record


def test_ghost_row_in_the_newsroom_s_words() -> None:
    record = ghost_record(
        {
            "email": " Ana.Example@Example.COM ",
            "name": "Ana Example",
            "subscribed_to_emails": "false",
            "complimentary_plan": "true",
            "labels": "VIP, exp-2027-12",
            "tiers": "Free, Premium",
            "created_at": "2023-03-01 09:15:00",
        },
        7,
    )
    assert record.email == "ana.example@example.com"
    assert (record.subscribed, record.complimentary) == (False, True)
    assert record.tiers == ["Premium"]
    assert record.created_at == datetime(2023, 3, 1, 9, 15, tzinfo=UTC)
    # A comp migrated from Substack with "exp-2027-12" keeps access to the end of December 2027.
    assert record.expiry == datetime(2028, 1, 1, tzinfo=UTC)
    assert not record.paid_without_record


def test_a_free_tier_alone_is_not_a_payment() -> None:
    record = ghost_record({"email": "f@example.com", "tiers": "Free"}, 2)
    assert not record.paid_without_record


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"email": ""}, "no e-mail address"),
        (
            {"email": "a@example.com", "created_at": "last tuesday"},
            "created_at is 'last tuesday', not a date",
        ),
        ({"email": "a@example.com", "deleted_at": "2023-01-01"}, "deleted in Ghost"),
    ],
)
def test_ghost_rows_that_cannot_be_read_say_why(cells: dict[str, str], reason: str) -> None:
    with pytest.raises(RowError, match=reason):
        ghost_record(cells, 3)


def test_substack_paid_reader_with_an_expiry_becomes_complimentary_until_it() -> None:
    record = substack_record(
        {
            "email": "p@example.com",
            "active_subscription": "true",
            "plan": "yearly",
            "expiry": "2027-01-31T00:00:00.000Z",
            "email_disabled": "true",
        },
        4,
    )
    assert (record.complimentary, record.subscribed, record.paid_without_record) == (True, False, False)
    assert record.expiry == datetime(2027, 1, 31, tzinfo=UTC)


def test_substack_inactive_plan_gives_nothing() -> None:
    record = substack_record(
        {"email": "x@example.com", "active_subscription": "false", "plan": "monthly", "expiry": "2027-01-31"},
        5,
    )
    assert not (record.complimentary or record.paid_without_record)
