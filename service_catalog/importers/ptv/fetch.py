"""PTV's open API over HTTP: a municipality's published services and their channels, with a
timeout, retries with back-off and a typed error (`PtvFetchError`). The HTTP getter is a
parameter, so tests feed recorded JSON instead of the network."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from service_catalog.importers.ptv.parsing import Json

PTV_API = "https://api.palvelutietovaranto.suomi.fi/api"

GetJson = Callable[[str, float], Any]


class PtvFetchError(RuntimeError):
    """The PTV API did not answer usefully, even after retries."""


def http_get_json(url: str, timeout: float) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https URL of PTV)
        return json.load(response)


def _get_with_retries(
    get: GetJson, url: str, *, timeout: float, retries: int, backoff: float, sleep: Callable
) -> Any:
    for attempt in range(retries + 1):
        try:
            return get(url, timeout)
        except urllib.error.HTTPError as error:
            if error.code < 500 and error.code != 429:
                raise PtvFetchError(f"{url}: HTTP {error.code}") from error
            last: Exception = error
        except (OSError, TimeoutError) as error:  # URLError, refused connections, timeouts
            last = error
        except ValueError as error:
            raise PtvFetchError(f"{url}: the answer is not JSON: {error}") from error
        if attempt < retries:
            sleep(backoff * 2**attempt)
    raise PtvFetchError(f"{url}: no answer after {retries + 1} tries: {last}") from last


def fetch_services(
    municipality_code: str,
    *,
    get: GetJson = http_get_json,
    base_url: str = PTV_API,
    timeout: float = 20.0,
    retries: int = 3,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Json:
    """A municipality's published services and their channels, in the shape `import_ptv` reads."""

    def fetch(url: str) -> Any:
        return _get_with_retries(get, url, timeout=timeout, retries=retries, backoff=backoff, sleep=sleep)

    services: list[Json] = []
    page, pages = 1, 1
    while page <= pages:
        body = fetch(f"{base_url}/v11/Service/list/area/Municipality/code/{municipality_code}?page={page}")
        services += body.get("itemList") or []
        pages, page = int(body.get("pageCount") or 1), page + 1
    channel_ids = sorted(
        {link["serviceChannel"]["id"] for s in services for link in s.get("serviceChannels") or []}
    )
    channels: list[Json] = []
    for start in range(0, len(channel_ids), 100):  # PTV answers at most 100 guids at a time
        guids = ",".join(channel_ids[start : start + 100])
        channels += fetch(f"{base_url}/v11/ServiceChannel/list?guids={guids}")
    return {"municipalityCodes": [municipality_code], "services": services, "serviceChannels": channels}
