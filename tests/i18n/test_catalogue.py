"""The Japanese catalogue is complete, and the compiled .mo is the one built from the .po."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "masthead" / "locale" / "ja" / "LC_MESSAGES"


def po_entries(path: Path) -> list[dict]:
    """Each live entry as {"flags", "msgctxt", "msgid", "msgid_plural", "msgstr", "msgstr[0]", …}."""
    entries = []
    for chunk in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in chunk.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        entry: dict = {"flags": set()}
        field = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[field] += ast.literal_eval(line)
            else:
                field, _, value = line.partition(" ")
                entry[field] = ast.literal_eval(value)
        entries.append(entry)
    return [entry for entry in entries if entry["msgid"]]  # the header has an empty msgid


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.fixture(scope="module")
def japanese() -> list[dict]:
    return po_entries(CATALOGUE / "django.po")


def test_every_japanese_entry_is_translated_and_none_is_fuzzy(japanese):
    assert len(japanese) > 250
    untranslated = [entry["msgid"] for entry in japanese if not all(translations(entry))]
    fuzzy = [entry["msgid"] for entry in japanese if "fuzzy" in entry["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_translations_keep_their_placeholders(japanese):
    # A dropped %(name)s or {remaining} would crash or silently lose the number.
    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    for entry in japanese:
        wanted = sorted(set(placeholder.findall(entry["msgid"])))
        for text in translations(entry):
            assert sorted(set(placeholder.findall(text))) == wanted, entry["msgid"]


def test_compiled_catalogue_matches_the_po(japanese):
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for entry in japanese:
        context = entry.get("msgctxt")
        if "msgid_plural" in entry:
            found = (
                catalogue.npgettext(context, entry["msgid"], entry["msgid_plural"], 2)
                if context
                else (catalogue.ngettext(entry["msgid"], entry["msgid_plural"], 2))
            )
            assert found == entry["msgstr[0]"], entry["msgid"]
        else:
            msgid = entry["msgid"]
            found = catalogue.pgettext(context, msgid) if context else catalogue.gettext(msgid)
            assert found == entry["msgstr"], entry["msgid"]
