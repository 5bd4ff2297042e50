"""The 500 page is rendered without a request context (the failure may be in one) and still in the
reader's language."""

from __future__ import annotations

from django.test import RequestFactory
from django.utils import translation

from masthead.core.views import server_error
from tests.i18n.pages import page_language, reader_facing


def test_server_error_page_in_japanese():
    with translation.override("ja"):
        response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert page_language(html) == "ja"
    assert "申し訳ありません。システムでエラーが発生しました" in reader_facing(html)
    assert "Something went wrong" not in html


def test_server_error_page_in_english():
    with translation.override("en"):
        html = server_error(RequestFactory().get("/")).content.decode()

    assert page_language(html) == "en"
    assert "Something went wrong on our side" in html
