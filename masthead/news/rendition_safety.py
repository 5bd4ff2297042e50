"""Renditions made while serving, safe with any number of threads in a worker.

A worker keeps the routed article and its hero `Image` for the generation and hands the same
object to every thread (`masthead.news.routing`). Wagtail makes a missing rendition by reading the
image's `file`: one `FieldFile`, opened by the first thread, seeked by the next and closed by
whichever finishes first, so the others fail with "read of closed file" or a truncated image.

Guarded here, without changing the image model (`WAGTAILIMAGES_IMAGE_MODEL` stays Wagtail's):
making a rendition takes a lock for that image in this process, works on a private copy of the
image (its own `FieldFile`, so its own file handle) and first looks for the rendition another
thread made while it waited. Finding existing renditions is untouched and takes no lock.
Other processes are kept apart by the database, as Wagtail already does (a unique rendition per
image, spec and focal point).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import models

_locks_guard = threading.Lock()
_locks: dict[Any, tuple[threading.RLock, int]] = {}  # image pk -> (its lock, threads using it)


@contextmanager
def image_lock(pk: Any) -> Iterator[None]:
    """Hold this process's lock for one image (re-entrant: Wagtail may call itself)."""
    with _locks_guard:
        lock, users = _locks.get(pk) or (threading.RLock(), 0)
        _locks[pk] = (lock, users + 1)
    try:
        with lock:
            yield
    finally:
        with _locks_guard:
            lock, users = _locks[pk]
            if users == 1:
                del _locks[pk]  # nobody waits on it: do not keep a lock per image ever shown
            else:
                _locks[pk] = (lock, users - 1)


def private_copy(image: Any) -> Any:
    """The same image as a new object with its own `FieldFile`, built without a query."""
    fields = image._meta.concrete_fields
    values = [
        getattr(image, f.attname).name if isinstance(f, models.FileField) else getattr(image, f.attname)
        for f in fields
    ]
    return type(image).from_db(image._state.db, [f.attname for f in fields], values)


def _guarded_create_rendition(create: Callable[..., Any]) -> Callable[..., Any]:
    def create_rendition(self: Any, filter: Any) -> Any:
        if self.pk is None:
            return create(self, filter)
        with image_lock(self.pk):
            own = private_copy(self)
            made = own.renditions.filter(
                filter_spec=filter.spec, focal_point_key=filter.get_cache_key(own)
            ).first()
            rendition = made or create(own, filter)
        rendition.image = self  # as Wagtail returns it: the caller's image (its contextual alt text)
        return rendition

    return create_rendition


def _guarded_create_renditions(create: Callable[..., Any]) -> Callable[..., Any]:
    def create_renditions(self: Any, *filters: Any) -> dict[Any, Any]:
        if self.pk is None or not filters:
            return create(self, *filters)  # type: ignore[no-any-return]
        with image_lock(self.pk):
            own = private_copy(self)
            renditions = own.find_existing_renditions(*filters)
            renditions.update(create(own, *(f for f in filters if f not in renditions)))
        for rendition in renditions.values():
            rendition.image = self
        return renditions  # type: ignore[no-any-return]

    return create_renditions


def guard_rendition_generation(image_model: type[models.Model]) -> None:
    """Make `image_model` create renditions under its image's lock, from a private copy."""
    if getattr(image_model, "_masthead_renditions_guarded", False):
        return
    image_model.create_rendition = _guarded_create_rendition(image_model.create_rendition)  # type: ignore[attr-defined]
    image_model.create_renditions = _guarded_create_renditions(image_model.create_renditions)  # type: ignore[attr-defined]
    image_model._masthead_renditions_guarded = True  # type: ignore[attr-defined]
