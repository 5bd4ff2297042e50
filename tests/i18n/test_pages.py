"""The Japanese version of every page (under /ja/, or by the browser's language where a page has no
language in its URL) has the whole interface in Japanese; English stays English."""

from __future__ import annotations

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from masthead.billing.models import Interval, Plan
from masthead.sponsored.models import Sponsor
from tests.builders import make_article
from tests.i18n.pages import english_words_in, html_of, page_language, reader_facing

pytestmark = pytest.mark.django_db


def japanese() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="ja")


def english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def assert_japanese_page(html: str, *words: str) -> None:
    assert page_language(html) == "ja"
    text = reader_facing(html)
    for word in ("メニュー", "検索", *words):
        assert word in text, word
    assert english_words_in(html) == []


def test_front_page_in_japanese(pub):
    html = html_of(japanese().get("/ja/"))

    assert_japanese_page(html, "ログイン", "会員登録", "トップニュース", "最新ニュース", "言語")
    # Card dates use the Japanese date format, not "Nov. 28, 2026".
    card_date = BeautifulSoup(html, "html.parser").select_one(".card time").get_text()
    assert "年" in card_date and "月" in card_date and card_date.endswith("日")


def test_section_page_in_japanese(pub):
    html = html_of(japanese().get("/ja/politics/"))

    assert_japanese_page(html, "ログイン", "セクション", "RSSフィード")
    assert "Ministers meet in Valdora" in html  # content stays as the newsroom wrote it


def test_metered_article_in_japanese_for_an_anonymous_reader(pub):
    article = pub.articles[0]
    article.updated_at = dt.datetime(2026, 11, 28, 15, 30, tzinfo=dt.UTC)
    article.save_revision().publish()

    html = html_of(japanese().get(f"/ja{article.url}"))

    assert_japanese_page(html, "この記事をシェア", "印刷", "文：", "更新", "写真：Test Photographer")
    soup = BeautifulSoup(html, "html.parser")
    # The meter prompt, in Japanese, with the anonymous reader's way in.
    prompt = soup.select_one("[data-paywall-state]")
    assert prompt["data-paywall-state"] == "metered-remaining"
    assert prompt.select_one(".paywall__message").get_text(strip=True) == "今月の無料記事は残り2本です。"
    assert "ログイン" in prompt.get_text() and "無料で会員登録" in prompt.get_text()
    # 15:30 UTC is 10:30 in the publication's zone: a Japanese date, not "28 November 2026".
    assert soup.select_one("time.updated").get_text().startswith("2026年11月28日")
    topic = soup.select_one(".article-footer__topic")
    assert topic.get_text(strip=True) == f"{pub.topic.name}の関連記事"


def test_search_page_in_japanese(pub):
    html = html_of(japanese().get("/ja/search/", {"q": "Valdora"}))

    assert_japanese_page(html, "記事を検索", "「Valdora」の検索結果：1件")


def test_subscribe_page_in_japanese(pub):
    Plan.objects.create(name="Monthly", interval=Interval.MONTH, price_minor=1500, trial_days=14)

    html = html_of(japanese().get("/subscribe/"))

    trial = "新規購読者は14日間無料でお試しいただけます。"
    assert_japanese_page(html, "購読する", "プラン", "月額$15.00", trial)


def test_not_found_page_in_japanese(pub):
    html = html_of(japanese().get("/ja/no-such-story/"), status=404)

    assert_japanese_page(html, "お探しのページは見つかりませんでした", "トップページへ")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("/", ("Lead story", "Latest")),
        ("/politics/", ("Sections", "RSS feed")),
        ("/search/?q=Valdora", ("Search articles", "1 result for “Valdora”")),
        ("/subscribe/", ("Subscribe", "Plans")),
    ],
)
def test_english_pages_stay_english(pub, url, words):
    html = html_of(english().get(url))

    assert page_language(html) == "en"
    text = reader_facing(html)
    for word in ("Log in", "Search", "Menu", *words):
        assert word in text, word
    assert "メニュー" not in text and "ログイン" not in text


def test_english_article_keeps_its_english_interface(pub):
    article = pub.articles[0]
    article.updated_at = dt.datetime(2026, 11, 28, 15, 30, tzinfo=dt.UTC)
    article.save_revision().publish()

    html = html_of(english().get(article.url))

    assert page_language(html) == "en"
    assert english_words_in(html) == ["Log in", "Search", "Share this article", "Print", "Menu"]
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one("time.updated").get_text().startswith("Nov. 28, 2026")
    assert "You have 2 free articles left this month." in soup.select_one(".paywall__message").get_text()


def test_a_page_read_in_japanese_first_does_not_turn_the_english_page_japanese(pub):
    # Pages and article parts are kept per language: the second reader must not get the first's.
    article = pub.articles[0]
    html_of(japanese().get(f"/ja{article.url}"))
    html_of(japanese().get("/ja/"))

    assert "Share this article" in html_of(english().get(article.url))
    assert page_language(html_of(english().get("/"))) == "en"


def test_topic_author_and_login_pages_in_japanese(pub):
    reader = japanese()

    assert_japanese_page(html_of(reader.get(f"/ja/topics/{pub.topic.slug}/")), "トピック")
    assert_japanese_page(html_of(reader.get(f"/ja/authors/{pub.author.slug}/")), "Ada Reporterの記事")
    # allauth's own pages, inside the publication's frame, use allauth's Japanese catalogue.
    assert_japanese_page(html_of(reader.get("/accounts/login/")), "パスワード", "ログイン")


def test_sponsored_article_discloses_its_sponsor_in_japanese(pub):
    sponsor = Sponsor.objects.create(name="Acme", url="https://acme.example/", disclosure="Paid for by Acme.")
    article = make_article(pub, sponsor=sponsor, title="A word from our sponsor")

    soup = BeautifulSoup(html_of(japanese().get(f"/ja{article.url}")), "html.parser")

    assert soup.select_one(".article-header .label--sponsored").get_text() == "スポンサーコンテンツ"
    line = soup.select_one(".sponsor__line")
    assert line.get_text(strip=True) == "提供：Acme"
    assert line.find("a", href="https://acme.example/")["rel"] == ["sponsored", "noopener"]
    assert soup.select_one(".sponsor summary").get_text() == "スポンサーコンテンツについて"
