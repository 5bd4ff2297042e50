"""Plain records every source is mapped to before anything is written."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class AuthorRecord:
    source_id: str
    name: str
    slug: str = ""
    bio: str = ""


@dataclass
class TermRecord:
    source_id: str
    name: str
    slug: str


@dataclass
class ItemRecord:
    """One post or page of the source, in the newsroom's words."""

    source: str
    source_id: str
    kind: str  # "article" or "page"
    title: str
    slug: str
    html: str
    status: str = "publish"  # publish, draft, scheduled, private
    published_at: datetime | None = None
    excerpt: str = ""
    subtitle: str = ""
    kicker: str = ""
    access: str = ""  # an AccessLevel value, or "" for the site's default
    sticky: bool = False
    sections: list[TermRecord] = field(default_factory=list)
    topics: list[TermRecord] = field(default_factory=list)
    authors: list[AuthorRecord] = field(default_factory=list)
    feature_image: str = ""
    feature_caption: str = ""
    old_paths: list[str] = field(default_factory=list)
    comment_count: int = 0

    def checksum(self) -> str:
        data = asdict(self)
        data["published_at"] = self.published_at.isoformat() if self.published_at else None
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class ImportOptions:
    dry_run: bool = False
    media_dir: str = ""
    download: bool = True
    section: str = ""  # slug of the section for articles whose source names none we know
    overwrite: bool = False
    old_site: str = ""  # e.g. https://example.com, to make relative media URLs absolute
    section_map: dict[str, str] = field(default_factory=dict)  # source category slug → section slug

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportOptions:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})
