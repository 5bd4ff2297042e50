"""The Ghost peer is only ever installed when BENCH_PEERS asks for it; a failed install leaves the
bench running without it, and says why in the results."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from bench import peers
from bench.peers import ghost


def test_bench_peers_names_the_peers_to_run() -> None:
    assert peers.requested({}) == []
    assert peers.requested({"BENCH_PEERS": ""}) == []
    assert peers.requested({"BENCH_PEERS": "ghost"}) == ["ghost"]
    assert peers.requested({"BENCH_PEERS": " Ghost, wordpress "}) == ["ghost"]
    assert peers.unknown({"BENCH_PEERS": "ghost wordpress"}) == ["wordpress"]


def test_nothing_is_installed_unless_ghost_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import run

    def refuse(*args: object, **kwargs: object) -> Path:
        raise AssertionError("Ghost was installed although BENCH_PEERS did not ask for it")

    monkeypatch.setattr(ghost, "install", refuse)
    info: dict[str, dict[str, object]] = {}
    assert run.install_peers([], info) is None
    assert info == {}


def test_a_failed_install_is_reported_and_the_bench_goes_on(monkeypatch: pytest.MonkeyPatch) -> None:
    from bench import run

    def unavailable(*args: object, **kwargs: object) -> Path:
        raise ghost.PeerUnavailable("npm pack ghost@5.130.6 exited 1: E404")

    monkeypatch.setattr(ghost, "install", unavailable)
    info: dict[str, dict[str, object]] = {}
    assert run.install_peers(["ghost"], info) is None
    assert str(info["ghost"]["skipped"]).startswith("not run: Ghost could not be installed")
    assert "E404" in str(info["ghost"]["skipped"])


def test_the_admin_token_names_its_key_and_is_for_the_admin_api() -> None:
    token = ghost.admin_token("65f0c0ffee", "00" * 32, now=1_700_000_000)
    header, payload, signature = token.split(".")

    def decode(part: str) -> dict[str, object]:
        return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))

    assert decode(header) == {"alg": "HS256", "typ": "JWT", "kid": "65f0c0ffee"}
    # Ghost refuses tokens that live longer than 5 minutes.
    assert decode(payload) == {"iat": 1_700_000_000, "exp": 1_700_000_300, "aud": "/admin/"}
    assert signature and ghost.admin_token("65f0c0ffee", "11" * 32, now=1_700_000_000) != token
