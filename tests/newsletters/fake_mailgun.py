"""A small Mailgun on 127.0.0.1 for tests: anymail's real Mailgun backend (MAILGUN_API_URL pointed
here) posts to `/v3/<domain>/messages`, and this server does what Mailgun's batch sending does:
each `to` recipient gets their own copy, with every `%recipient.KEY%` in the subject, the bodies and
the `h:` headers filled from that recipient's `recipient-variables`. It keeps each copy, answers
`{"id": "<…>", "message": "Queued. Thank you."}`, and can be told to answer a call with an error,
to refuse a batch holding a given address (Mailgun's 400 for the whole call), or to stall a call
(read, never answered, never kept: a provider that has not accepted it) and call a hook then.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import getaddresses
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from tests.live.harness import free_port

_FIELD = re.compile(r"%recipient\.([^%]+)%")


@dataclass
class Copy:
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str]
    variables: dict[str, str]  # Mailgun's custom data (v:), as filled for this recipient
    call: int


@dataclass
class FakeMailgun:
    port: int = 0
    copies: list[Copy] = field(default_factory=list)
    calls: list[int] = field(default_factory=list)  # recipients per call that reached the server
    fail_next: list[int] = field(default_factory=list)  # HTTP statuses for the next calls
    refuse_address: str = ""
    stall_call: int = 0  # stall the n-th call (1-based); 0: never
    on_stall: Callable[[], None] | None = None
    keep_copies: bool = True  # False: count each address and time the calls only (a benchmark)
    received: Counter[str] = field(default_factory=Counter)
    first: float = 0.0  # when the first accepted call was answered (perf_counter)
    last: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    released: threading.Event = field(default_factory=threading.Event)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v3"

    def receive(self, fields: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        recipients = [address for _name, address in getaddresses(fields.get("to", []))]
        with self.lock:
            self.calls.append(len(recipients))
            number = len(self.calls)
            status = self.fail_next.pop(0) if self.fail_next else 0
        if number == self.stall_call:
            if self.on_stall is not None:
                self.on_stall()
            self.released.wait(60)
            return 503, {"message": "stalled"}
        if status:
            return status, {"message": "Internal error" if status >= 500 else "Bad request"}
        if self.refuse_address and self.refuse_address in recipients:
            return 400, {"message": "'to' parameter is not a valid address. please check documentation"}
        message_id = f"<{time.time_ns()}.{number}@mailgun.fake>"
        with self.lock:
            self.received.update(recipients)
            self.first = self.first or time.perf_counter()
            self.last = time.perf_counter()
        if not self.keep_copies:
            return 200, {"id": message_id, "message": "Queued. Thank you."}
        variables = json.loads((fields.get("recipient-variables") or ["{}"])[0])
        with self.lock:
            for address in recipients:
                own = variables.get(address, {})

                def fill(value: str, own: dict[str, Any] = own) -> str:
                    return _FIELD.sub(lambda m: str(own.get(m.group(1), "")), value)

                self.copies.append(
                    Copy(
                        to=address,
                        subject=fill(fields.get("subject", [""])[0]),
                        text=fill(fields.get("text", [""])[0]),
                        html=fill(fields.get("html", [""])[0]),
                        headers={k[2:]: fill(v[0]) for k, v in fields.items() if k.startswith("h:")},
                        variables={k[2:]: fill(v[0]) for k, v in fields.items() if k.startswith("v:")},
                        call=number,
                    )
                )
        return 200, {"id": message_id, "message": "Queued. Thank you."}


def _fields(content_type: str, body: bytes) -> dict[str, list[str]]:
    if content_type.startswith("application/x-www-form-urlencoded"):
        return parse_qs(body.decode(), keep_blank_values=True)
    parsed = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    found: dict[str, list[str]] = {}
    for part in parsed.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        found.setdefault(str(name), []).append(payload.decode("utf-8"))
    return found


@contextmanager
def fake_mailgun() -> Iterator[FakeMailgun]:
    server_state = FakeMailgun(port=free_port())

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            if not re.fullmatch(r"/v3/[^/]+/messages", self.path):
                self.send_error(404)
                return
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status, answer = server_state.receive(_fields(self.headers.get("Content-Type", ""), body))
            data = json.dumps(answer).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the worker is gone

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", server_state.port), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_state
    finally:
        server_state.released.set()
        server.shutdown()
        server.server_close()
