"""Passwords are kept as Argon2 in production; a reader whose password was hashed with PBKDF2
before the switch signs in as before, and from then on their stored hash is Argon2.

The test settings keep MD5 for speed; these tests put back the production list from base.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client, override_settings

from config.settings import base
from tests.builders import make_reader

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase for the ledger"
EMAIL = "pbkdf2-reader@example.com"


@pytest.fixture
def production_hashers() -> Any:
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        yield


@pytest.fixture
def pbkdf2_reader(db: Any, production_hashers: Any) -> Any:
    """A reader whose account was made before the switch: their hash is Django's PBKDF2."""
    reader = make_reader(EMAIL, "placeholder passphrase 1")
    reader.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    reader.save(update_fields=["password"])
    return reader


def stored_hash() -> str:
    return str(get_user_model().objects.get(email=EMAIL).password)


def sign_in(password: str) -> tuple[Any, Client]:
    client = Client(REMOTE_ADDR="198.51.100.31")
    assert client.get("/accounts/login/").status_code == 200
    return client.post("/accounts/login/", {"login": EMAIL, "password": password}), client


def test_production_hashes_new_passwords_with_argon2_and_still_reads_the_old_ones(
    production_hashers: Any,
) -> None:
    assert base.PASSWORD_HASHERS[0] == "masthead.accounts.hashers.NewsroomArgon2Hasher"
    # OWASP's Argon2id cost: 19 MiB, 2 passes, 1 lane (Django's default takes 100 MiB per sign-in).
    assert make_password(PASSWORD).startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    for algorithm in ("pbkdf2_sha256", "pbkdf2_sha1", "scrypt"):
        assert check_password(PASSWORD, make_password(PASSWORD, hasher=algorithm)), algorithm


def test_a_pbkdf2_reader_signs_in_and_is_rehashed_as_argon2(pbkdf2_reader: Any) -> None:
    assert stored_hash().startswith("pbkdf2_sha256$")

    response, client = sign_in(PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(pbkdf2_reader.pk)
    rehashed = stored_hash()
    assert rehashed.startswith("argon2$argon2id$")
    # The new hash holds the same password: the reader signs in with it again, elsewhere.
    again, other = sign_in(PASSWORD)
    assert again.status_code == 302 and other.session[SESSION_KEY] == str(pbkdf2_reader.pk)
    assert stored_hash() == rehashed


def test_a_wrong_password_fails_before_and_after_the_rehash(pbkdf2_reader: Any) -> None:
    before = stored_hash()

    response, client = sign_in("not the passphrase")

    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert "not correct" in response.content.decode()
    assert stored_hash() == before  # a failed try rewrites nothing

    sign_in(PASSWORD)
    assert stored_hash().startswith("argon2$")
    response, client = sign_in("not the passphrase")
    assert response.status_code == 200 and SESSION_KEY not in client.session


def test_a_hash_made_with_djangos_heavier_argon2_is_rewritten_at_sign_in(pbkdf2_reader: Any) -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    user = get_user_model().objects.get(email=EMAIL)
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    assert "m=102400" in stored_hash()

    response, _ = sign_in(PASSWORD)

    assert response.status_code == 302
    assert "$m=19456,t=2,p=1$" in stored_hash()
