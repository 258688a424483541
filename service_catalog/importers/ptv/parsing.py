"""Reading PTV's open-API v11 JSON: localised texts, areas, addresses, phones, web pages and
emails, and the check of a whole file before anything is written.

A file is shaped as `fetch.fetch_services` returns it:

    {"municipalityCodes": ["491"],            # optional: the municipalities this file covers
     "services": [<v11 service>, ...],
     "serviceChannels": [<v11 service channel>, ...]}
"""

from __future__ import annotations

import re
from typing import Any

from language.text import LANGUAGES
from service_catalog.hours import service_hours_problems

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

Json = dict[str, Any]


class PtvImportError(ValueError):
    """The PTV data cannot be imported as it is; nothing was changed."""


def texts(items: Any, kind: str | None = None) -> dict[str, str]:
    """PTV's [{language, value, type}] as {lang: value} for our languages, first one wins."""
    result: dict[str, str] = {}
    for item in items or []:
        if not isinstance(item, dict) or (kind and item.get("type", kind) != kind):
            continue
        lang, value = item.get("language"), item.get("value")
        if lang in LANGUAGES and value and lang not in result:
            result[lang] = str(value).strip()
    return result


def localised(field_name: str, values: dict[str, str]) -> Json:
    return {f"{field_name}_{lang}": values.get(lang) for lang in LANGUAGES}


def finnish_first(items: Any) -> Json | None:
    items = [i for i in items or [] if isinstance(i, dict)]
    return next((i for i in items if i.get("language") == "fi"), items[0] if items else None)


def area_codes(areas: Any) -> list[str]:
    codes = []
    for area in areas or []:
        if isinstance(area, dict) and area.get("type", "Municipality") == "Municipality":
            codes += [str(m.get("code")) for m in area.get("municipalities") or [] if isinstance(m, dict)]
    return codes


def location_address(channel: Json) -> Json | None:
    addresses = [a for a in channel.get("addresses") or [] if isinstance(a, dict)]
    visiting = [
        a for a in addresses if a.get("type") == "Location" and a.get("subType") in ("Single", "Street")
    ]
    return (visiting or [None])[0]


def address_code(channel: Json) -> str | None:
    address = location_address(channel)
    municipality = ((address or {}).get("streetAddress") or {}).get("municipality") or {}
    return str(municipality["code"]) if municipality.get("code") else None


def phone(channel: Json) -> str | None:
    number = finnish_first(channel.get("phoneNumbers"))
    if not number or not number.get("number"):
        return None
    digits = str(number["number"]).strip()
    prefix = number.get("prefixNumber")
    if number.get("isFinnishServiceNumber") or not prefix:
        return digits
    return f"{prefix} {digits.lstrip('0')}"


def url(channel: Json) -> str | None:
    page = finnish_first(channel.get("webPages"))
    return (page.get("url") or page.get("value")) if page else None


def email(channel: Json) -> str | None:
    found = finnish_first(channel.get("emails"))
    return found.get("value") if found else None


def check_data(data: Any, codes: dict[str, str]) -> None:
    """Every reason the file cannot be imported, at once; raises PtvImportError."""
    if not isinstance(data, dict) or not isinstance(data.get("services"), list):
        raise PtvImportError('expected an object with a "services" list (and "serviceChannels")')
    if not isinstance(data.get("serviceChannels", []), list):
        raise PtvImportError('"serviceChannels" is not a list')
    problems: list[str] = []
    if not isinstance(data.get("municipalityCodes", []), list):
        raise PtvImportError('"municipalityCodes" is not a list')
    used_codes = [str(c) for c in data.get("municipalityCodes") or []]
    for n, service in enumerate(data["services"], 1):
        if not isinstance(service, dict) or not _UUID.fullmatch(str(service.get("id", ""))):
            problems.append(f"services[{n}]: not a service with a PTV id")
            continue
        used_codes += area_codes(service.get("areas"))
        for link in service.get("serviceChannels") or []:
            if not _UUID.fullmatch(str(((link or {}).get("serviceChannel") or {}).get("id", ""))):
                problems.append(f"service {service['id']}: a serviceChannels entry without a channel id")
    for n, channel in enumerate(data.get("serviceChannels") or [], 1):
        if not isinstance(channel, dict) or not _UUID.fullmatch(str(channel.get("id", ""))):
            problems.append(f"serviceChannels[{n}]: not a channel with a PTV id")
            continue
        problems += service_hours_problems(
            channel.get("serviceHours") or [], f"channel {channel['id']}", seconds=True
        )
        used_codes += area_codes(channel.get("areas")) + [c for c in [address_code(channel)] if c]
    unknown = sorted(set(used_codes) - set(codes))
    if unknown:
        problems.append(
            f"unknown municipality codes {unknown}: add the municipalities to the catalogue first"
        )
    if problems:
        raise PtvImportError("; ".join(problems))
