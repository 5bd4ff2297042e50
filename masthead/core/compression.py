"""Text replies compressed on the way out: brotli when the client accepts it, else gzip.

Django's GZipMiddleware only speaks gzip; brotli makes HTML pages a further 15-20 % smaller at a
similar cost at quality 5 (the highest quality is meant for files compressed once, like
collectstatic's; whitenoise writes those .br files when the Brotli package is installed).

What is compressed: HTML, CSS, JS, JSON, XML (sitemaps, Atom/RSS feeds), plain text and SVG,
200 bytes or more, not already encoded, not streamed (static files from whitenoise arrive already
compressed or as file streams; photos are compressed already).

BREACH. Over TLS, an attacker who can put text into a compressed reply and watch its size can
guess a secret in the same reply a character at a time. What this site sends:
- Pages with a form carry the CSRF token; Django masks it anew for every response (a fresh random
  mask XORed over the secret), so the bytes differ every time and sizes reveal nothing. Those
  pages are compressed (the nginx recipe does the same, deploy/nginx/masthead.conf).
- Public pages (articles, listings, feeds, sitemaps, the API's article JSON) hold no secret.
- Replies that carry a secret that is NOT masked are not compressed at all: the API's sign-in
  replies (`/api/v1/auth/...`: a bearer token next to the device name the app sent) and allauth's
  pages (`/accounts/...`: a password-reset key in the form's address, sign-in codes), which also
  echo what the reader typed. They are small; compressing them would save little.
A view can opt out too: `response.masthead_no_compression = True`.
docs/performance.md says the same for operators.

Cost. Compressing a 20-36 KB page at brotli quality 5 takes 0.3-0.6 ms of CPU, a tenth of an
anonymous article view and as much again as serving a kept front page (`make bench`,
docs/performance.md). Most replies are the same bytes many times over: a kept page, or an article
as every new anonymous reader gets it. So each process keeps its last compressed replies, by coding
and a digest of the plain bytes (`CompressedReplies`), and a reply seen before costs a hash of its
bytes instead. Keyed by content, it can never serve a stale page, and the bytes are exactly what
compressing afresh would give (brotli is deterministic; gzip is written with mtime=0). A reply that
carries a masked CSRF token differs every time, so it never repeats and is never kept long.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile

try:  # the Brotli package (pyproject.toml); without it gzip alone
    import brotli
except ImportError:  # pragma: no cover - always installed by the project
    brotli = None

# Paths whose replies carry an unmasked secret next to what the client sent (see above).
UNCOMPRESSED_PREFIXES = ("/api/v1/auth/", "/accounts/")
COMPRESSIBLE_TYPES = (
    "text/html",
    "text/css",
    "text/plain",
    "text/xml",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/ld+json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/manifest+json",
    "image/svg+xml",
)
MIN_LENGTH = 200
BROTLI_QUALITY = 5
GZIP_LEVEL = 6
# Compressed replies kept per process (CompressedReplies): at most this many bytes of them, and
# none made from a reply larger than MEMO_MAX_INPUT (such replies are rare and seldom repeat).
MEMO_BYTES = 4 * 1024 * 1024
MEMO_MAX_INPUT = 512 * 1024

_token = _lazy_re_compile(r"\s*([a-z*]+)\s*(?:;\s*q\s*=\s*([0-9.]+))?\s*", flags=0)


def accepted_encodings(header: str) -> set[str]:
    """The codings the client accepts (q=0 means refused)."""
    accepted: set[str] = set()
    for part in header.lower().split(","):
        match = _token.fullmatch(part)
        if not match:
            continue
        name, quality = match.group(1), match.group(2)
        try:
            if quality is not None and float(quality) <= 0:
                continue
        except ValueError:
            continue
        accepted.add(name)
    return accepted


def choose_encoding(header: str) -> str | None:
    accepted = accepted_encodings(header)
    if brotli is not None and "br" in accepted:
        return "br"
    if "gzip" in accepted or "*" in accepted:
        return "gzip"
    return None


def compressible(request: HttpRequest, response: HttpResponse) -> bool:
    if response.streaming or response.has_header("Content-Encoding"):
        return False
    if getattr(response, "masthead_no_compression", False):
        return False
    if request.path.startswith(UNCOMPRESSED_PREFIXES):
        return False
    content_type = response.get("Content-Type", "").split(";", 1)[0].strip().lower()
    if content_type not in COMPRESSIBLE_TYPES:
        return False
    return len(response.content) >= MIN_LENGTH


def compress_now(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        packed: bytes = brotli.compress(body, quality=BROTLI_QUALITY)
        return packed
    # mtime=0: the same page gives the same bytes (no timestamp in the gzip header).
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


class CompressedReplies:
    """The most recently used compressed replies of this process, by coding and a digest of the
    plain bytes, within a budget of compressed bytes (least recently used dropped first)."""

    def __init__(self, budget: int = MEMO_BYTES, max_input: int = MEMO_MAX_INPUT) -> None:
        self.budget, self.max_input = budget, max_input
        self._kept: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def compress(self, body: bytes, encoding: str) -> bytes:
        if len(body) > self.max_input:
            return compress_now(body, encoding)
        key = (encoding, hashlib.blake2b(body, digest_size=16).digest())
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        # Outside the lock: other threads serve and compress meanwhile.
        compressed = compress_now(body, encoding)
        with self._lock:
            if key not in self._kept and len(compressed) <= self.budget:
                self._kept[key] = compressed
                self._size += len(compressed)
                while self._size > self.budget:
                    _, dropped = self._kept.popitem(last=False)
                    self._size -= len(dropped)
        return compressed

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._size = 0


compressed_replies = CompressedReplies()


class CompressionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not compressible(request, response):
            return response
        # Whether compressed or not, the reply depends on Accept-Encoding from here on.
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
        if encoding is None:
            return response
        original = response.content
        compressed = compressed_replies.compress(original, encoding)
        if len(compressed) >= len(original):
            return response
        response.content = compressed
        response["Content-Length"] = str(len(compressed))
        response["Content-Encoding"] = encoding
        # The compressed bytes are a different representation: a strong ETag must not match both.
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response["ETag"] = "W/" + etag
        return response
