"""Against a real server: the cross-channel race and schemathesis on the live OpenAPI schema."""

from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from masthead.api.tokens import issue_user_token
from tests.api.conftest import PASSWORD, bearer
from tests.api.live_server import serve
from tests.builders import canary_for, make_article, make_publication

# Transactional: the server process must see what the test committed. make_publication() puts
# back the Wagtail root that the flush after an earlier transactional test removed.
pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

REGISTERED_LIMIT = 5
CPYTHON_AST_BUG = "AST constructor recursion depth mismatch"


def test_one_free_article_left_and_twenty_parallel_reads_on_web_and_app_give_one_full_body(
    tmp_path: Path,
) -> None:
    # given: a registered reader with one free article left, signed in on the web and in the app
    pub = make_publication()
    reader = get_user_model().objects.create_user(email="racer@example.com", password=PASSWORD)
    token = issue_user_token(user=reader, device_name="Phone").token
    api = Client()
    for article in [make_article(pub) for _ in range(REGISTERED_LIMIT - 1)]:
        assert api.get(f"/api/v1/articles/{article.pk}", **bearer(token)).json()["granted"]
    web_articles = [make_article(pub) for _ in range(10)]
    app_articles = [make_article(pub) for _ in range(10)]
    browser = Client()
    browser.force_login(reader)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value

    with serve(tmp_path) as base:
        # when: ten web pages and ten app reads of different articles start at once
        def read_on_web(article: Any) -> bool:
            url = base + article.url_path[len(pub.home.url_path) - 1 :]
            response = requests.get(url, cookies={settings.SESSION_COOKIE_NAME: session}, timeout=30)
            assert response.status_code == 200, url
            return canary_for(article.slug) in response.text

        def read_in_app(article: Any) -> bool:
            response = requests.get(
                f"{base}/api/v1/articles/{article.pk}",
                headers={"Authorization": f"Bearer {token}"},
                timeout=30,
            )
            assert response.status_code == 200
            body = response.json()
            assert body["granted"] == (canary_for(article.slug) in response.text)
            return bool(body["granted"])

        with ThreadPoolExecutor(max_workers=20) as pool:
            web = [pool.submit(read_on_web, a) for a in web_articles]
            app = [pool.submit(read_in_app, a) for a in app_articles]
            full_bodies = [f.result() for f in web + app]

        # then: exactly one of the twenty got the whole article, and the meter says none are left
        assert sum(full_bodies) == 1
        me = requests.get(
            f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=10
        ).json()
        assert me["meter"]["read"] == REGISTERED_LIMIT and me["meter"]["remaining"] == 0


def test_schemathesis_finds_no_server_error_and_no_schema_violation(tmp_path: Path) -> None:
    pub = make_publication()
    for access in ("metered", "free", "registered", "subscribers", "metered"):
        make_article(pub, access=access)
    reader = get_user_model().objects.create_user(email="fuzz@example.com", password=PASSWORD)
    token = issue_user_token(user=reader, device_name="Fuzzer").token

    with serve(tmp_path) as base:
        st = Path(sys.executable).with_name("st")
        for _attempt in range(2):
            result = subprocess.run(
                [str(st), "run", f"{base}/api/v1/openapi.json",
                 "--checks", "not_a_server_error,response_schema_conformance",
                 "--max-examples", "5", "--phases", "examples,coverage,fuzzing", "--workers", "2",
                 "--seed", "20251101", "--header", f"Authorization: Bearer {token}",
                 # Signing the fuzzer's own token out would leave the rest of the run unauthenticated.
                 "--exclude-operation-id-regex", "delete_token",
                 "--request-timeout", "20", "--no-shrink"],
                capture_output=True, text=True, timeout=170,
            )  # fmt: skip
            # CPython 3.11.7 sometimes fails inside the fuzzer's own strategy repr ("AST constructor
            # recursion depth mismatch", fixed in later 3.11 releases): that is the client, not the
            # API; run it once more. Any finding about the server fails at once.
            if CPYTHON_AST_BUG not in result.stdout + result.stderr:
                break

    print(result.stdout[-3000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
