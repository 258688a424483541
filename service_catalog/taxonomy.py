"""The service types of `taxonomy.yml` (a copy of the binding contract in shared/spec)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TAXONOMY_FILE = Path(__file__).with_name("taxonomy.yml")
# Early support before specialist services, as the family-centre model asks.
LEVEL_ORDER = {"one_door": 0, "universal": 1, "community": 1, "basic": 2, "specialist": 3}
# The kinds of danger of chat-payload.md (`crisis_kinds`), in the order their answers are given.
CRISIS_KINDS = (
    "suicide",
    "violence",
    "child_abuse",
    "harm_to_child",
    "poisoning",
    "medical",
    "missing_child",
    "no_carer",
)
# What a helpline can be for: every crisis (112), a kind, or a child or teenager writing.
HELPLINE_TAGS = ("any", *CRISIS_KINDS, "child")


@dataclass(frozen=True)
class ServiceType:
    code: str
    level: str
    names: dict[str, str]
    covers: str

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names["fi"]


@lru_cache
def service_types() -> dict[str, ServiceType]:
    data = yaml.safe_load(TAXONOMY_FILE.read_text(encoding="utf-8"))
    return {
        code: ServiceType(code, spec["level"], dict(spec["name"]), str(spec.get("covers", "")))
        for code, spec in data["types"].items()
    }


def level_of(code: str) -> str:
    return service_types()[code].level
