"""/media/ served by the app (the embedded setup without nginx; `make demo`; the tests).

Cache lifetimes, the same as deploy/nginx/masthead.conf gives:
- renditions (`images/`): a year, immutable. A rendition never changes once made: its name is a
  fresh random token (masthead.core.media_names), and a new crop or a replaced photo is a new
  rendition under a new name, which the pages then link to.
- originals (`original_images/`) and anything else: a day. Readers are never sent to them, and an
  editor who deletes one should not find it kept for a year.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from django.views.static import serve

RENDITION_MAX_AGE = 365 * 24 * 60 * 60
OTHER_MAX_AGE = 24 * 60 * 60


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    response = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    if response.status_code in (200, 304):
        if path.startswith("images/"):
            patch_cache_control(response, public=True, max_age=RENDITION_MAX_AGE, immutable=True)
        else:
            patch_cache_control(response, public=True, max_age=OTHER_MAX_AGE)
    return response
