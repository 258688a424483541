"""Which of our service types a PTV service is, and which kind of provider runs it: the rules
of `ptv_types.yml` (in `service_catalog/importers/`, beside this package)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from service_catalog.importers.ptv.parsing import Json, texts
from service_catalog.models import PROVIDER_KINDS
from service_catalog.taxonomy import service_types

MAPPING_FILE = Path(__file__).parents[1] / "ptv_types.yml"


@dataclass(frozen=True)
class TypeMapping:
    """The rules of `ptv_types.yml`: PTV terms, classes and name keywords to our type codes."""

    ontology_terms: dict[str, str]
    service_classes: dict[str, str]
    name_keywords: tuple[tuple[str, str], ...]
    provider_kinds: tuple[tuple[str, str], ...]
    default_provider_kind: str

    @classmethod
    def load(cls, path: Path = MAPPING_FILE) -> TypeMapping:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        mapping = cls(
            ontology_terms={k.lower(): v for k, v in (data.get("ontology_terms") or {}).items()},
            service_classes={k.lower(): v for k, v in (data.get("service_classes") or {}).items()},
            name_keywords=tuple(
                (word.lower(), code)
                for code, words in (data.get("name_keywords") or {}).items()
                for word in words
            ),
            provider_kinds=tuple(
                (word.lower(), kind)
                for kind, words in (data.get("provider_kinds") or {}).items()
                for word in words
            ),
            default_provider_kind=data.get("default_provider_kind", "sote"),
        )
        codes = {*mapping.ontology_terms.values(), *mapping.service_classes.values()}
        codes |= {code for _, code in mapping.name_keywords}
        unknown = codes - set(service_types())
        kinds = {kind for _, kind in mapping.provider_kinds} | {mapping.default_provider_kind}
        if unknown or kinds - set(PROVIDER_KINDS):
            raise ValueError(
                f"{path.name}: unknown type codes {sorted(unknown)} or kinds {sorted(kinds - set(PROVIDER_KINDS))}"
            )
        return mapping

    def type_for(self, service: Json) -> tuple[str | None, str]:
        """Our type code for a PTV service and the rule that gave it (or why none did)."""
        for field_name, table in (
            ("ontologyTerms", self.ontology_terms),
            ("serviceClasses", self.service_classes),
        ):
            for term in service.get(field_name) or []:
                for key in _term_keys(term):
                    if key in table:
                        return table[key], f"{field_name} {key!r}"
        names = " | ".join(n.lower() for n in texts(service.get("serviceNames"), "Name").values())
        for word, code in self.name_keywords:
            if word in names:
                return code, f"name keyword {word!r}"
        return None, "no ontology term, service class or name keyword of ptv_types.yml matches"

    def provider_kind(self, name: str) -> str:
        lowered = name.lower()
        words = set(re.findall(r"\w+", lowered))
        for word, kind in self.provider_kinds:
            if (word in words) if len(word) <= 4 else (word in lowered):
                return kind
        return self.default_provider_kind


@lru_cache
def default_mapping() -> TypeMapping:
    return TypeMapping.load()


def _term_keys(term: Any) -> Iterable[str]:
    if not isinstance(term, dict):
        return []
    keys = [str(term["uri"]).lower()] if term.get("uri") else []
    return keys + [
        n["value"].lower() for n in term.get("name") or [] if n.get("language") == "fi" and n.get("value")
    ]
