"""An editor whose admin language is Japanese reads the newsroom's own admin pages (analytics,
experiments, imports, scheduled work, newsletter previews) in Japanese, not in English."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client
from wagtail.users.models import UserProfile

from masthead.analytics.experiments.models import Experiment, Variant
from tests.i18n.pages import html_of

pytestmark = pytest.mark.django_db


def editor(language: str) -> Client:
    user = get_user_model().objects.create_superuser(email=f"desk-{language}@example.com", password=None)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    client = Client()
    client.force_login(user)
    return client


def running_experiment() -> Experiment:
    experiment = Experiment.objects.create(slug="limit-two", name="Two free articles", status="running")
    Variant.objects.create(experiment=experiment, key="control", label="Control", share=50, sort_order=0)
    Variant.objects.create(
        experiment=experiment, key="limit-2", label="Two", share=50, anonymous_limit=2, sort_order=1
    )
    return experiment


def page_text(html: str) -> str:
    """What the editor reads in the page body (the admin's own menu is not ours to translate)."""
    body = BeautifulSoup(html, "html.parser").select_one("main") or BeautifulSoup(html, "html.parser")
    for hidden in body(["script", "style"]):
        hidden.decompose()
    return " ".join(body.get_text(" ").split())


# (address, what the Japanese editor reads, the English it replaces)
PAGES = [
    (
        lambda: "/admin/analytics/",
        ("ファネル", "購読につながった記事", "CSVをダウンロード", "コホート別継続率", "開始日", "終了日"),
        ("Funnel", "Stories that make subscribers", "Download CSV", "Cohort retention"),
    ),
    (
        lambda: f"/admin/experiments/{running_experiment().pk}/results/",
        (
            "主要指標",
            "パターン",
            "ガードレール指標",
            "必要な読者数",
            "実験を停止",
            "対照群",
            "掲載キャンペーン",
        ),
        (
            "Primary metric",
            "Variant",
            "Guardrails",
            "Readers needed",
            "Stop experiment",
            "(control)",
            "Featured offer",
        ),
    ),
    (
        lambda: "/admin/imports/",
        ("エクスポートファイル", "アップロードして試行（ドライラン）", "旧サイトから画像をダウンロード"),
        ("Export file", "Upload and rehearse", "Download pictures from the old site"),
    ),
    (
        lambda: "/admin/reports/scheduled-work/",
        ("定期処理", "ジョブ", "実行間隔", "前回の実行"),
        ("Scheduled work", "Runs every", "Last run", "Next run"),
    ),
]


@pytest.mark.parametrize(
    ("address", "japanese", "english"), PAGES, ids=["analytics", "experiment", "imports", "scheduled-work"]
)
def test_the_admin_pages_of_the_newsroom_read_in_japanese(pub: Any, address, japanese, english) -> None:
    url = address()

    text = page_text(html_of(editor("ja").get(url)))

    assert [word for word in japanese if word not in text] == []
    assert [word for word in english if word in text] == []


def test_an_english_editor_still_reads_english(pub: Any) -> None:
    text = page_text(html_of(editor("en").get("/admin/analytics/")))

    assert "Funnel" in text and "Download CSV" in text
    assert "ファネル" not in text
