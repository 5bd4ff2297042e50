"""Production settings must refuse unsafe configurations and pass Django's deployment checklist."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, unset: tuple[str, ...] = (), **env: str) -> subprocess.CompletedProcess[str]:
    # Only what a production host would set: no test-runner leftovers (e.g. DJANGO_ALLOW_ASYNC_UNSAFE).
    unsafe = {"SECRET_KEY", "MASTHEAD_DEMO", "DJANGO_ALLOW_ASYNC_UNSAFE", *unset}
    base_env = {k: v for k, v in os.environ.items() if k not in unsafe}
    base_env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=base_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_a_short_or_dev_secret_key():
    result = run_manage("check", SECRET_KEY="dev-only-not-secret-masthead-local-key-0123456789-padding")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_demo_mode():
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(64), MASTHEAD_DEMO="1")
    assert result.returncode != 0
    assert "MASTHEAD_DEMO is on" in result.stderr


@pytest.mark.parametrize("database_url", ["", "postgres://postgres@127.0.0.1:5432/masthead_prodcheck"])
def test_production_passes_check_deploy_without_warnings(database_url):
    env = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "news.example.com",
        "MASTHEAD_SITE_URL": "https://news.example.com",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("site_url", "allowed_hosts", "warning"),
    [
        (None, "news.example.com", "masthead.W002"),  # never set: the development default
        ("http://news.example.com", "news.example.com", "masthead.W002"),
        ("https://news.example.com", "other.example.com", "masthead.W003"),
    ],
)
def test_check_deploy_warns_until_the_site_url_is_the_public_https_address(site_url, allowed_hosts, warning):
    env = {"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": allowed_hosts}
    if site_url:
        env["MASTHEAD_SITE_URL"] = site_url
    unset = ("MASTHEAD_SITE_URL", "WAGTAILADMIN_BASE_URL") if site_url is None else ()

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", unset=unset, **env)

    assert result.returncode != 0
    assert warning in result.stdout + result.stderr


@pytest.mark.parametrize(
    "site_url", ["news.example.com", "https://news.example.com/edition/", "ftp://news.example.com"]
)
def test_a_site_url_that_cannot_start_every_link_stops_manage_py(site_url):
    result = run_manage("check", SECRET_KEY=secrets.token_urlsafe(64), MASTHEAD_SITE_URL=site_url)

    assert result.returncode != 0
    assert "masthead.E003" in result.stderr


def test_production_takes_its_smtp_server_from_the_environment():
    shown = run_manage(
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, "
        "s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT)",
        SECRET_KEY=secrets.token_urlsafe(64),
        MASTHEAD_SITE_URL="https://news.example.com",
        EMAIL_HOST="smtp.example.net",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="newsroom",
        EMAIL_USE_TLS="true",
    )

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1].split() == [
        "smtp.example.net",
        "587",
        "newsroom",
        "True",
        "False",
        "10",
    ]
