"""The production recipe holds against slow clients: deploy/nginx/masthead.conf, run by Debian's
nginx, in front of a real gunicorn (2 gthread workers x 4 threads, deploy/gunicorn.conf.py).

Sixteen clients announce a 100 KB sign-in body and send one byte. Without the proxy they hold
every gunicorn thread; through nginx they never reach gunicorn at all, readers of the front page
are answered as usual meanwhile, and nginx drops the stalled clients after client_body_timeout.
The same file also has to give the app the reader's address (everything the app counts per
address reads REMOTE_ADDR), refuse oversized bodies where the app would, and serve media from disk.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.live.harness import (
    PROBE_HEADER,
    ROOT,
    Editor,
    Host,
    embedded,
    free_port,
    gunicorn,
    server_env,
)

# The public address the app is configured with; the proxy is reached on 127.0.0.1 ports.
SITE_URL = "https://news.example.test"

pytestmark = [
    pytest.mark.live,
    # nginx in front of an embedded site: the database does not matter, one leg of `make test`
    # is enough (the SQLite one, which always runs).
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs in the SQLite leg"
    ),
]

NGINX = "/usr/sbin/nginx"
SITE_CONF = ROOT / "deploy" / "nginx" / "masthead.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
SLOW_CLIENTS = 16
READS = 40
# client_body_timeout in the site file; the test waits this long plus a margin for the drop.
BODY_TIMEOUT = 10


@dataclass
class Proxy:
    https_port: int
    http_port: int
    app: Host
    media: Path

    def connect(self, *, source: str = "127.0.0.1", timeout: float = 5) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(
            "127.0.0.1", self.https_port, timeout=timeout, source_address=(source, 0), context=_tls()
        )

    def app_log(self) -> list[str]:
        return self.app.log.read_text().splitlines() if self.app.log.exists() else []

    def answered(self, probes: set[str]) -> set[str]:
        """Which of these requests gunicorn's access log shows (a line can lag its reply)."""
        deadline = time.monotonic() + 5
        while True:
            seen = {parts[1] for parts in map(str.split, self.app_log()) if len(parts) >= 2} & probes
            if seen == probes or time.monotonic() > deadline:
                return seen
            time.sleep(0.1)


def _tls() -> ssl.SSLContext:
    # The test's own self-signed certificate.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _site_config(tmp: Path, *, upstream: str, https_port: int, http_port: int) -> str:
    """deploy/nginx/masthead.conf as shipped, with this machine's ports, paths and certificate."""
    text = SITE_CONF.read_text()
    for shipped, here in [
        ("server 127.0.0.1:8000;", f"server {upstream};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("/etc/letsencrypt/live/news.example.org/fullchain.pem", str(tmp / "cert.pem")),
        ("/etc/letsencrypt/live/news.example.org/privkey.pem", str(tmp / "key.pem")),
        ("/srv/masthead/var/media/", f"{tmp / 'media'}/"),
        ("root /var/www/html;", f"root {tmp / 'acme'};"),
    ]:
        assert text.count(shipped) == 1, f"{SITE_CONF.name} no longer has {shipped!r} once: update this test"
        text = text.replace(shipped, here)
    return text


def _nginx_config(tmp: Path, site: Path) -> Path:
    temp = tmp / "nginx-temp"
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (temp / name).mkdir(parents=True, exist_ok=True)
    # Debian's nginx.conf, reduced to what a site file relies on, with every path in tmp.
    main = f"""
{"user root;" if os.geteuid() == 0 else ""}
daemon off;
worker_processes 2;
pid {tmp / "nginx.pid"};
error_log {tmp / "nginx-error.log"} warn;
events {{ worker_connections 512; }}
http {{
    sendfile on;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {tmp / "nginx-access.log"};
    client_body_temp_path {temp / "body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};
    include {site};
}}
"""
    path = tmp / "nginx.conf"
    path.write_text(main)
    return path


def _certificate(tmp: Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=news.example.org",
         "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxy]:
    if not os.access(NGINX, os.X_OK):
        pytest.skip(f"{NGINX} is missing: apt-get install nginx (.ci/run installs it)")
    if not shutil.which("openssl"):
        pytest.skip("openssl is missing: apt-get install openssl (.ci/run installs it)")
    tmp = tmp_path_factory.mktemp("slow-clients")
    env = server_env(embedded(tmp), tmp)
    env["MASTHEAD_SITE_URL"] = SITE_URL
    # gunicorn reads its settings file from here; the harness's own flags (bind, 2 workers x 4
    # threads, logs) still win over the file, as they would on a command line.
    env["GUNICORN_CMD_ARGS"] = f"--config {GUNICORN_CONF}"
    editor = Editor(env)  # embedded() gave it a migrated database (tests/migrated.py)
    try:
        editor("setup", password=secrets.token_urlsafe(12))
    finally:
        editor.close()
    (tmp / "media").mkdir(exist_ok=True)
    (tmp / "acme").mkdir()
    _certificate(tmp)
    https_port, http_port = free_port(), free_port()
    with gunicorn("app", env, tmp, workers=2, threads=4) as app:
        site = tmp / "masthead.conf"
        upstream = app.base_url.removeprefix("http://")
        site.write_text(_site_config(tmp, upstream=upstream, https_port=https_port, http_port=http_port))
        conf = _nginx_config(tmp, site)
        errors = tmp / "nginx-error.log"
        command = [NGINX, "-p", str(tmp), "-c", str(conf), "-e", str(errors)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        assert checked.returncode == 0, f"nginx refuses the site file:\n{checked.stderr}"
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for_port(https_port, process, errors)
            yield Proxy(https_port, http_port, app, tmp / "media")
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for_port(port: int, process: subprocess.Popen[bytes], errors: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    log = errors.read_text() if errors.exists() else ""
    raise RuntimeError(f"nginx did not start:\n{log[-3000:]}")


def _slow_sign_in(port: int) -> ssl.SSLSocket:
    """A client that announces a 100 KB sign-in form, sends one byte of it and stalls."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock = _tls().wrap_socket(raw)
    sock.sendall(
        b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nl"
    )
    return sock


def _read_front_page(proxy: Proxy) -> tuple[int, float, str]:
    probe = secrets.token_hex(6)
    started = time.monotonic()
    connection = proxy.connect(timeout=10)
    try:
        connection.request("GET", "/", headers={PROBE_HEADER: probe, "Connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started, probe
    except OSError:
        return 0, time.monotonic() - started, probe
    finally:
        connection.close()


def _still_waiting(sock: ssl.SSLSocket) -> bool:
    """Open, and nothing received yet: the client is still stalled in nginx."""
    sock.setblocking(False)
    try:
        return sock.recv(1) == b"x"  # never: any byte or an EOF means nginx answered or hung up
    except (ssl.SSLWantReadError, BlockingIOError):
        return True
    except OSError:
        return False
    finally:
        sock.setblocking(True)


def test_readers_are_served_while_sixteen_clients_stall_their_sign_in_bodies(proxy: Proxy) -> None:
    # given: sixteen stalled sign-ins, twice the 8 threads gunicorn has
    stalled = [_slow_sign_in(proxy.https_port) for _ in range(SLOW_CLIENTS)]
    try:
        stalled_at = time.monotonic()
        # when: forty readers open the front page meanwhile, eight at a time
        with ThreadPoolExecutor(max_workers=8) as pool:
            reads = list(pool.map(lambda _: _read_front_page(proxy), range(READS)))
        reads_took = time.monotonic() - stalled_at

        # then: every reader got the page, none waited long
        statuses = [status for status, _, _ in reads]
        assert statuses == [200] * READS, f"front page answers while clients stall: {statuses}"
        slowest = max(seconds for _, seconds, _ in reads)
        assert slowest < 5, f"the slowest front page took {slowest:.1f} s"
        # ... while all sixteen were still hanging (the reads were not simply waited out)
        assert reads_took < BODY_TIMEOUT - 1, f"the reads took {reads_took:.1f} s"
        assert all(_still_waiting(sock) for sock in stalled), "nginx dropped a stalled client early"
        # ... every read went through to gunicorn, and no stalled sign-in ever reached it
        probes = {probe for _, _, probe in reads}
        assert proxy.answered(probes) == probes, "a front page did not come from gunicorn"
        log = proxy.app_log()
        assert not [line for line in log if "/accounts/login/" in line], "a stalled body reached gunicorn"

        # and: nginx drops the stalled clients once client_body_timeout has passed
        for sock in stalled:
            sock.settimeout(max(0.1, stalled_at + BODY_TIMEOUT + 6 - time.monotonic()))
            try:
                reply = sock.recv(200)
            except TimeoutError:
                pytest.fail(f"a stalled client was still connected {BODY_TIMEOUT + 6} s after it stalled")
            except OSError:
                reply = b""
            assert reply == b"" or reply.startswith(b"HTTP/1.1 408"), reply
    finally:
        for sock in stalled:
            sock.close()


def _device_token(proxy: Proxy, *, source: str, direct: bool = False, claim: str = "") -> int:
    """Status of one anonymous device-token request (30 per address per hour), from `source`."""
    if direct:
        port = int(proxy.app.base_url.rsplit(":", 1)[1])
        connection: http.client.HTTPConnection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=10, source_address=(source, 0)
        )
    else:
        connection = proxy.connect(source=source, timeout=10)
    headers = {"Content-Type": "application/json"}
    if claim:  # a client pretending to be someone else
        headers |= {"X-Real-IP": claim, "X-Forwarded-For": claim}
    try:
        connection.request("POST", "/api/v1/auth/device", body=json.dumps({}), headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_each_reader_is_counted_at_their_own_address_and_cannot_claim_another(proxy: Proxy) -> None:
    # given: a reader at 127.0.0.2 uses up their address's anonymous device tokens
    first = [_device_token(proxy, source="127.0.0.2") for _ in range(30)]
    assert first == [201] * 30, first
    assert _device_token(proxy, source="127.0.0.2") == 429

    # then: a reader at another address is not walled with them (through one proxy address)
    assert _device_token(proxy, source="127.0.0.3") == 201
    # a client that claims to be someone else in X-Real-IP / X-Forwarded-For is still itself:
    # 127.0.0.3 claiming the used-up 127.0.0.2 is not refused, 127.0.0.2 claiming 127.0.0.4 is
    assert _device_token(proxy, source="127.0.0.3", claim="127.0.0.2") == 201
    assert _device_token(proxy, source="127.0.0.2", claim="127.0.0.4") == 429
    # and gunicorn believes X-Real-IP from the proxy only, not from a client that reaches it directly
    assert _device_token(proxy, source="127.0.0.2", direct=True, claim="127.0.0.5") == 429


def _declared_body(proxy: Proxy, path: str, *, size: int) -> int:
    """Status of a POST to `path` whose body has `size` bytes."""
    connection = proxy.connect(timeout=30)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "application/octet-stream")
        connection.putheader("Content-Length", str(size))
        connection.endheaders()
        try:
            chunk = b"x" * 65536
            for start in range(0, size, len(chunk)):
                connection.send(chunk[: size - start])
        except OSError:
            pass  # nginx may refuse before the body is sent; its reply says why
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_bodies_larger_than_the_app_accepts_are_refused_at_the_proxy(proxy: Proxy) -> None:
    # A reader's form over 3 MB (Django's own limit is 2 MB) is refused by nginx ...
    assert _declared_body(proxy, "/accounts/login/", size=4 * 1024 * 1024) == 413
    # ... while the newsroom's 10 MB photo uploads get through to the admin (which asks to sign in)
    assert _declared_body(proxy, "/admin/images/multiple/add/", size=10 * 1024 * 1024 + 4096) != 413
    assert _declared_body(proxy, "/admin/images/multiple/add/", size=13 * 1024 * 1024) == 413


def test_media_from_disk_static_through_whitenoise_text_compressed_https_told(proxy: Proxy) -> None:
    photo = secrets.token_bytes(2048)
    (proxy.media / "original_images").mkdir(exist_ok=True)
    (proxy.media / "original_images" / "harbour-at-dawn.jpg").write_bytes(photo)
    connection = proxy.connect()
    try:
        connection.request("GET", "/media/original_images/harbour-at-dawn.jpg")
        media = connection.getresponse()
        assert (media.status, media.read(), media.getheader("Content-Type")) == (200, photo, "image/jpeg")

        connection.request("GET", "/static/masthead/css/masthead.css", headers={"Accept-Encoding": "gzip"})
        css = connection.getresponse()
        css.read()
        assert css.status == 200

        connection.request("GET", "/", headers={"Accept-Encoding": "gzip"})
        page = connection.getresponse()
        page.read()
        assert (page.status, page.getheader("Content-Encoding")) == (200, "gzip")

        # Absolute links name the site's one address (MASTHEAD_SITE_URL), never the host or scheme the
        # proxy was asked on (tests/core/test_absolute_urls.py proves it for every page).
        connection.request("GET", "/api/v1/articles?limit=1")
        articles = json.loads(connection.getresponse().read())
        assert articles["items"][0]["url"].startswith(f"{SITE_URL}/"), articles["items"][0]
    finally:
        connection.close()
    log = proxy.app_log()
    assert not [line for line in log if "/media/" in line], "media went to gunicorn"
    assert [line for line in log if "/static/masthead/css/masthead.css" in line], "static did not"

    plain = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=5)
    try:
        plain.request("GET", "/world/some-story/?page=2")
        moved = plain.getresponse()
        assert moved.status == 301
        assert moved.getheader("Location") == "https://127.0.0.1/world/some-story/?page=2"
    finally:
        plain.close()
