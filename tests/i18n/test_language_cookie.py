"""The interface-language cookie: SameSite=Lax and HttpOnly everywhere, Secure in production."""

from __future__ import annotations

import secrets

import pytest
from django.conf import settings
from django.test import Client

from tests.core.test_settings import run_manage

pytestmark = pytest.mark.django_db


def choose_japanese(client: Client):
    response = client.post("/i18n/setlang/", {"language": "ja"}, HTTP_REFERER="http://testserver/")
    assert response.status_code == 302
    return response.cookies[settings.LANGUAGE_COOKIE_NAME]


def test_the_language_cookie_is_same_site_lax_and_out_of_scripts_reach(pub):
    cookie = choose_japanese(Client())

    assert cookie.value == "ja"
    assert cookie["samesite"] == "Lax"
    assert cookie["httponly"] is True
    assert not cookie["secure"]  # plain http in development and tests


def test_the_language_cookie_is_secure_when_the_settings_say_so(pub, settings):
    settings.LANGUAGE_COOKIE_SECURE = True

    cookie = choose_japanese(Client())

    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"


def test_production_settings_make_the_language_cookie_secure():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY)",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="news.example.com",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "Lax", "True"]
