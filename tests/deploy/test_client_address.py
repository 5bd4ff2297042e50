"""deploy/gunicorn.conf.py: which address the app sees as REMOTE_ADDR behind nginx (no server)."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

CONF = runpy.run_path(str(Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"))
ClientAddressFromProxy = CONF["ClientAddressFromProxy"]


@pytest.mark.parametrize(
    ("trusted", "peer", "real_ip", "seen"),
    [
        ("127.0.0.1,::1", "127.0.0.1", "203.0.113.7", "203.0.113.7"),  # through nginx
        ("127.0.0.1,::1", "::1", "2001:db8::5", "2001:db8::5"),
        ("127.0.0.1,::1", "203.0.113.9", "198.51.100.1", "203.0.113.9"),  # a client claiming another
        ("127.0.0.1,::1", "127.0.0.1", None, "127.0.0.1"),  # nginx's own request, or no proxy
        ("127.0.0.1,::1", "127.0.0.1", "not an address", "127.0.0.1"),
        ("127.0.0.1,::1", "127.0.0.1", " 203.0.113.7 ", "203.0.113.7"),
        ("10.0.0.0/8", "10.1.2.3", "203.0.113.7", "203.0.113.7"),  # a proxy on another host
        ("*", "192.0.2.1", "203.0.113.7", "203.0.113.7"),
        ("127.0.0.1", "", "203.0.113.7", "203.0.113.7"),  # a Unix socket: only this host connects
    ],
)
def test_remote_addr_is_the_readers_only_when_the_proxy_says_so(
    trusted: str, peer: str, real_ip: str | None, seen: str
) -> None:
    # given
    environ = {"REMOTE_ADDR": peer}
    if real_ip is not None:
        environ["HTTP_X_REAL_IP"] = real_ip
    got: dict[str, str] = {}

    def app(env: dict[str, str], start_response: object) -> list[bytes]:
        got.update(env)
        return [b""]

    # when
    ClientAddressFromProxy(app, trusted=trusted.split(","))(environ, lambda *a: None)

    # then: the address, and the header never reaches the app
    assert got["REMOTE_ADDR"] == seen
    assert "HTTP_X_REAL_IP" not in got


def test_the_settings_file_keeps_the_documented_worker_model() -> None:
    assert (CONF["worker_class"], CONF["threads"], CONF["preload_app"]) == ("gthread", 4, True)
    # gunicorn must outlast nginx's idle upstream connections (keepalive_timeout 4s)
    assert CONF["keepalive"] > 4
