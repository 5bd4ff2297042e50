"""A real SMTP server on 127.0.0.1 (aiosmtpd) with Django's SMTP backend pointed at it, for tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from aiosmtpd.controller import Controller

from tests.live.harness import free_port


@contextmanager
def smtp_server_for(settings: Any, handler: Any) -> Iterator[int]:
    """Serve `handler` on a free port and send Django's mail there; yields the port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield port
    finally:
        controller.stop()
