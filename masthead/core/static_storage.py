"""WhiteNoise's compressed manifest storage, remembering each asset's hashed URL.

Every page asks for the same few assets (`{% static %}`), and each lookup normalises and quotes
the name again; the manifest cannot change while the process runs, so the answer is kept.
"""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage


class CachedUrlManifestStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:  # type: ignore[override]
        if force or name is None:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)
        return found
