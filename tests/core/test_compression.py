"""Bytes on the wire: text replies compressed (brotli or gzip) to the same page, never the replies
that carry an unmasked secret next to what the client sent (BREACH); lifetimes for static files
and photo renditions."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import brotli
import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from masthead.core.media_views import RENDITION_MAX_AGE
from tests.builders import make_article, make_publication

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def article() -> Any:
    pub = make_publication()
    make_article(pub, access="free", with_image=True, title="Harbour reopens")
    return make_article(pub, access="metered", with_image=True, title="Budget vote tonight")


def _decode(response: Any) -> bytes:
    coding = response.get("Content-Encoding")
    if coding == "br":
        return brotli.decompress(response.content)
    if coding == "gzip":
        return gzip.decompress(response.content)
    assert coding is None, coding
    return response.content


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip, deflate", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("identity", None),
    ],
)
def test_pages_come_compressed_as_the_client_accepts_and_decode_to_the_same_page(
    article: Any, accept: str, coding: str | None
) -> None:
    for url in ("/", article.url, "/feeds/latest/", "/sitemap.xml", "/api/v1/articles?limit=5"):
        plain = Client().get(url)
        packed = Client().get(url, HTTP_ACCEPT_ENCODING=accept)
        assert plain.status_code == packed.status_code == 200, url
        assert plain.get("Content-Encoding") is None
        assert packed.get("Content-Encoding") == coding, url
        assert "Accept-Encoding" in packed["Vary"], url
        if coding:
            assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content) / 2, url
        # the same page, but for the per-response CSRF mask and nonce-like values (none here)
        assert _decode(packed) == plain.content, url


def test_a_kept_public_page_is_compressed_too(article: Any) -> None:
    with override_settings(MASTHEAD_PAGE_CACHE_SECONDS=60):
        first = Client().get("/", HTTP_ACCEPT_ENCODING="gzip")
        kept = Client().get("/", HTTP_ACCEPT_ENCODING="br")
        plain = Client().get("/")
    assert first["Content-Encoding"] == "gzip" and kept["Content-Encoding"] == "br"
    assert _decode(first) == _decode(kept) == plain.content


def test_pages_with_the_csrf_token_are_compressed_as_the_token_is_masked_anew_each_time(article: Any) -> None:
    from tests.builders import make_reader

    client = Client()
    client.force_login(make_reader("reader@example.com", "a-long-enough-password-1"))
    # the account page's forms carry the token; the token differs in every reply
    tokens = []
    for _ in range(2):
        response = client.get("/account/", HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        found = re.findall(rb'name="csrfmiddlewaretoken" value="([^"]+)"', _decode(response))
        assert found
        tokens.append(found[0])
    assert tokens[0] != tokens[1]


@pytest.mark.parametrize(
    "url", ["/accounts/login/?next=/reflected-by-the-page/", "/accounts/password/reset/"]
)
def test_sign_in_pages_are_never_compressed(article: Any, url: str) -> None:
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response.get("Content-Encoding") is None
    assert b"<html" in response.content


def test_an_app_token_reply_is_never_compressed(db: Any) -> None:
    from tests.builders import make_reader

    make_reader("app@example.com", "a-long-enough-password-1")
    response = Client().post(
        "/api/v1/auth/token",
        {
            "email": "app@example.com",
            "password": "a-long-enough-password-1",
            "device_name": "Reflected phone name " * 4,
        },
        content_type="application/json",
        HTTP_ACCEPT_ENCODING="gzip, br",
    )
    assert response.status_code in (200, 201), response.content
    assert response.get("Content-Encoding") is None
    assert b"token" in response.content


def test_renditions_are_kept_a_year_and_originals_a_day(article: Any) -> None:
    rendition = article.hero_image.get_rendition("width-640")
    response = Client().get(rendition.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert f"max-age={RENDITION_MAX_AGE}" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert response.get("Content-Encoding") is None  # photos are compressed already
    original = Client().get(article.hero_image.file.url)
    assert original.status_code == 200
    assert "max-age=86400" in original["Cache-Control"] and "immutable" not in original["Cache-Control"]


def test_the_nginx_recipe_gives_media_the_same_lifetimes_and_leaves_sign_in_plain() -> None:
    conf = (ROOT / "deploy" / "nginx" / "masthead.conf").read_text()
    assert re.search(r'~\^/media/images/\s+"public, max-age=31536000, immutable";', conf)
    assert re.search(r"location /accounts/ \{\s*gzip off;", conf)
    assert re.search(r"location /api/v1/auth/ \{\s*gzip off;", conf)


def test_hashed_static_files_are_immutable_for_years_and_come_as_brotli(tmp_path: Path) -> None:
    """What production serves after `collectstatic`: the manifest storage's hashed names."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "masthead.core.static_storage.CachedUrlManifestStorage"},
    }
    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=storages,
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.staticfiles.storage import staticfiles_storage

        staticfiles_storage._setup()  # type: ignore[attr-defined]
        hashed = staticfiles_storage.url("masthead/css/masthead.css")
        assert re.search(r"masthead\.[0-9a-f]{12}\.css$", hashed), hashed
        assert (tmp_path / hashed.removeprefix("/static/")).with_suffix(".css.br").exists()
        middleware = WhiteNoiseMiddleware(lambda request: None)
        response = middleware(RequestFactory().get(hashed, HTTP_ACCEPT_ENCODING="gzip, br"))
        assert response.status_code == 200
        assert response["Content-Encoding"] == "br"
        assert "immutable" in response["Cache-Control"]
        assert int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1)) >= 365 * 24 * 3600
        unhashed = middleware(RequestFactory().get("/static/masthead/css/masthead.css"))
        assert "immutable" not in unhashed["Cache-Control"]
        response.close()
        unhashed.close()


@pytest.fixture
def counted_compression(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every compression the middleware really performs, by coding (kept replies start empty)."""
    from masthead.core import compression

    compression.compressed_replies.clear()
    done: list[str] = []
    real = compression.compress_now

    def counting(body: bytes, encoding: str) -> bytes:
        done.append(encoding)
        return real(body, encoding)

    monkeypatch.setattr(compression, "compress_now", counting)
    return done


def test_a_page_served_again_is_not_compressed_again_and_a_changed_page_is(
    article: Any, counted_compression: list[str]
) -> None:
    # Two new anonymous readers get the same article: compressed once, the same bytes twice.
    first = Client().get(article.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    second = Client().get(article.url, HTTP_ACCEPT_ENCODING="gzip, deflate, br, zstd")
    assert first["Content-Encoding"] == second["Content-Encoding"] == "br"
    assert first.content == second.content
    assert _decode(second) == Client().get(article.url).content
    assert counted_compression == ["br"]
    # A gzip reader of the same page gets gzip, compressed for them.
    assert _decode(Client().get(article.url, HTTP_ACCEPT_ENCODING="gzip")) == _decode(first)
    assert counted_compression == ["br", "gzip"]

    # Kept by content, never by address: the republished story is what the next reader gets.
    article.title = "Budget vote delayed to Thursday"
    article.save_revision().publish()
    after = Client().get(article.url, HTTP_ACCEPT_ENCODING="br")
    assert b"Budget vote delayed to Thursday" in _decode(after)
    assert b"Budget vote tonight" not in _decode(after)
    assert counted_compression == ["br", "gzip", "br"]


def test_kept_compressed_replies_stay_within_their_budget_and_drop_the_oldest_first(
    counted_compression: list[str],
) -> None:
    from masthead.core.compression import CompressedReplies

    pages = [
        f"<p>{index} {'x' * index} {' '.join(str(n) for n in range(index * 50))}</p>".encode()
        for index in range(1, 40)
    ]
    kept = CompressedReplies(budget=4000, max_input=100_000)
    for page in pages:
        assert brotli.decompress(kept.compress(page, "br")) == page
        assert kept.size <= 4000
    assert 0 < len(kept) < len(pages)
    assert len(counted_compression) == len(pages)
    # The newest page is still kept: no new compression. The oldest was dropped: compressed again.
    assert brotli.decompress(kept.compress(pages[-1], "br")) == pages[-1]
    assert len(counted_compression) == len(pages)
    assert brotli.decompress(kept.compress(pages[0], "br")) == pages[0]
    assert len(counted_compression) == len(pages) + 1
    # A reply larger than max_input is compressed every time and never kept.
    big = CompressedReplies(budget=4000, max_input=10)
    assert gzip.decompress(big.compress(pages[5], "gzip")) == pages[5]
    assert len(big) == 0 and big.size == 0
