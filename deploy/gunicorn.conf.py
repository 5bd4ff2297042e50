"""gunicorn in production, behind deploy/nginx/masthead.conf:

    gunicorn -c deploy/gunicorn.conf.py config.wsgi:application

The worker model is the one measured in docs/performance.md: one gthread worker per core, four
threads each, the application loaded once and forked. Settings given on the command line win over
this file (the live tests pass their own --bind and --workers).

It also gives the application the reader's address. nginx connects from 127.0.0.1, so without
this every reader would share one REMOTE_ADDR, and everything that counts per address (the
sign-in gate, the apps' device-token limit, the new-reader cap, verified crawlers) would count
all readers as one. gunicorn itself never puts a forwarded address in REMOTE_ADDR, so each worker
wraps the application: REMOTE_ADDR becomes X-Real-IP when the connection comes from an address in
forwarded_allow_ips (the proxy), and a client's own X-Real-IP is removed either way.
"""

from __future__ import annotations

import gc
import ipaddress
import logging
import os
from collections.abc import Callable, Iterable
from typing import Any

# Under systemd socket activation (deploy/systemd/masthead-web.socket) gunicorn takes the socket
# systemd hands it and ignores bind.
bind = os.environ.get("MASTHEAD_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 1)
worker_class = "gthread"
threads = 4
preload_app = True
# One listening socket per worker, so the kernel spreads new connections across the workers.
# With one shared socket, whichever worker wakes first accepts: under a burst of new keep-alive
# connections (nginx opening its upstream pool, a load test) one worker could take 28-32 of 32
# and serve them on one core while the other sat idle, halving throughput for as long as those
# connections lived (docs/performance.md, "Workers that share the load"). Not under systemd
# socket activation (LISTEN_FDS): there gunicorn must serve the socket systemd holds, which has
# one queue; gunicorn would otherwise ignore it and bind the same port again.
reuse_port = "LISTEN_FDS" not in os.environ
# A request still running after 30 s is stuck: the worker is restarted. nginx waits up to 60 s.
timeout = 30
graceful_timeout = 30
# Longer than nginx's upstream keepalive_timeout (4 s), so it is always nginx that closes an idle
# connection, never gunicorn while nginx is sending on it.
keepalive = 5
# The proxy: the only peer whose X-Forwarded-Proto (https) and X-Real-IP are believed.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# nginx in front writes the access log (its default /var/log/nginx/access.log); a second one here
# would cost every request a formatted line. MASTHEAD_ACCESS_LOG=- writes it to stdout as well.
accesslog = os.environ.get("MASTHEAD_ACCESS_LOG") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'

server_log = logging.getLogger("gunicorn.error")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ClientAddressFromProxy:
    """REMOTE_ADDR from the proxy's X-Real-IP, for connections from the proxy only."""

    def __init__(self, app: WSGIApp, *, trusted: Iterable[str]) -> None:
        self.app = app
        trusted = [t.strip() for t in trusted if t.strip()]
        self.trust_all = "*" in trusted
        self.networks = [ipaddress.ip_network(t, strict=False) for t in trusted if t != "*"]

    def _from_proxy(self, peer: str) -> bool:
        if self.trust_all:
            return True
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            # A Unix socket has no address; gunicorn treats such peers as allowed, and so do we:
            # only processes on this host can connect to one.
            return True
        return any(address in network for network in self.networks)

    def client_address(self, environ: dict[str, Any]) -> str:
        peer = environ.get("REMOTE_ADDR", "")
        claimed = environ.pop("HTTP_X_REAL_IP", None)
        if claimed is None or not self._from_proxy(peer):
            return str(peer)
        try:
            return str(ipaddress.ip_address(claimed.strip()))
        except ValueError:
            return str(peer)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ["REMOTE_ADDR"] = self.client_address(environ)
        return self.app(environ, start_response)


_warmed = False


def _warm_up(server: Any) -> None:
    """Load in the master what every worker would otherwise load on its first request.

    The URL configuration (and with it every view module: ~220 modules, ~13 MB), the template
    engine with its tag libraries and the page templates readers ask for most are loaded lazily
    by Django; loaded once here, before the fork, their pages are shared by all workers instead
    of copied into each (PSS; docs/performance.md). Nothing here opens a database connection,
    which a fork must never share.
    """
    global _warmed
    if _warmed or not server.cfg.preload_app:
        return
    _warmed = True
    try:
        from django.template.loader import get_template
        from django.urls import get_resolver

        get_resolver().reverse_dict  # noqa: B018 - populating it imports every URL module and view
        for name in ("news/article_page.html", "news/home_page.html", "news/section_page.html"):
            get_template(name)
    except Exception:  # a warm-up must never stop the server: workers load it themselves
        server_log.exception("warm-up before the fork failed; each worker loads what it needs itself")


def pre_fork(server: Any, worker: Any) -> None:
    _warm_up(server)
    # The application is loaded once (preload_app) and forked: move everything it allocated into
    # the garbage collector's permanent generation, so a worker's collections never write to
    # those objects and their pages stay shared with the master (copy-on-write). Measured with
    # the bench's readers on 2 x 4 threads: PSS 97-116 MB per worker without, 78-96 MB with
    # (docs/performance.md, "Issue 16").
    gc.freeze()


def post_worker_init(worker: Any) -> None:
    # gunicorn calls this in each worker after loading the application and before it serves.
    worker.wsgi = ClientAddressFromProxy(worker.wsgi, trusted=worker.cfg.forwarded_allow_ips)
