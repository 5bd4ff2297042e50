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


@pytest.mark.django_db
def test_the_ghost_post_carries_the_bench_articles_words_block_for_block() -> None:
    from bench.probe import peer_article
    from tests.builders import make_article, make_image, make_publication

    pub = make_publication(("Business",))
    article = make_article(pub, access="free")
    article.body = [
        {"type": "heading", "value": "What the shipping line said"},
        *[
            {"type": "paragraph", "value": f"<p>Paragraph {i} of the story, told plainly.</p>"}
            for i in range(6)
        ],
        {
            "type": "image",
            "value": {"image": make_image("Harbour").pk, "caption": "The harbour", "credit": "A"},
        },
        {
            "type": "pull_quote",
            "value": {"quote": "We will sail the long way round.", "attribution": "Orrin"},
        },
        # The last block with words is a fact box: the marker the page is checked with comes from it.
        {
            "type": "fact_box",
            "value": {
                "title": "Key facts",
                "body": "<ul><li>Sailings rerouted this winter by the line</li></ul>",
            },
        },
    ]
    article.save_revision().publish()

    post = peer_article({"id": article.pk})

    assert post["title"] == article.title and post["excerpt"] == article.standfirst
    assert post["blocks"] == {
        "paragraph": 6,
        "heading": 1,
        "pull_quote": 1,
        "other_as_text": 1,
        "left_out": 1,
    }
    assert all(f"Paragraph {i} of the story, told plainly." in post["html"] for i in range(6))
    assert "<h2>What the shipping line said</h2>" in post["html"]
    assert "We will sail the long way round." in post["html"]
    assert post["marker"] and post["marker"] in post["html"]
    assert "Harbour" not in post["html"] and "<img" not in post["html"]
