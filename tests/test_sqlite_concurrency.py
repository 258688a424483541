"""The default SQLite catalogue under parallel staff and public use: no 500, no lost write (issue 12).

The real API under uvicorn (its thread pool, its sessions) on a copy of the seeded catalogue,
10 clients at once mixing staff reads, staff writes through the admin API and the staff UI's
pages, and the public search.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import select

from service_catalog.db import new_session
from service_catalog.models import Service
from tests.helpers import STAFF_PASSWORD
from tests.stack import api_server

THREADS, REQUESTS = 10, 20
STEPS = ("staff read", "staff create", "staff update", "public search", "staff UI")


@pytest.fixture
def api(staff_url: str, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    env = {"PK_DATABASE_URL": staff_url, "PK_SECRET_KEY": "concurrency-test-key"}
    # Each client's sessions idle for seconds between their turns on a loaded machine: past
    # uvicorn's 5 s the server closes the connection just as the client reuses it, and the
    # request fails on the client's side (measured once in 200 in a full run), not the server's.
    with api_server(env, tmp_path / "api.log", keep_alive=300) as url:
        yield url


def bearer(base: str, role: str) -> dict[str, str]:
    answer = requests.post(
        base + "/auth/token", data={"username": f"{role}@example.fi", "password": STAFF_PASSWORD}, timeout=30
    )
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def staff_ui(base: str) -> requests.Session:
    browser = requests.Session()
    signed_in = browser.post(
        base + "/staff/login", data={"username": "viewer@example.fi", "password": STAFF_PASSWORD}, timeout=30
    )
    assert signed_in.status_code == 200 and "/login" not in signed_in.url, signed_in.url
    return browser


def new_service(client: int, turn: int) -> dict:
    return {
        "id": f"rinnakkain-{client}-{turn}",
        "type": "kohtaamispaikka",
        "municipality": "mikkeli",
        "name": {"fi": f"Rinnakkainen kahvila {client}-{turn}"},
        "keywords": {"fi": ["vauvakahvila"]},
        "locations": [
            {"street_address": "Maaherrankatu 1", "postal_code": "50100", "post_office": "Mikkeli"}
        ],
    }


def test_parallel_staff_and_public_requests_never_answer_500(api: str, staff_url: str):
    viewer, editor = bearer(api, "viewer"), bearer(api, "editor")
    written: list[str] = []

    def client(number: int) -> Counter:
        statuses: Counter = Counter()
        http, ui = requests.Session(), staff_ui(api)
        for turn in range(REQUESTS):
            step = turn % 5
            try:
                status = request(http, ui, number, turn, step)
            except requests.ConnectionError:
                status = 0  # the server dropped the connection
            statuses[(STEPS[step], status)] += 1
        return statuses

    def request(http: requests.Session, ui: requests.Session, number: int, turn: int, step: int) -> int:
        if step == 0:
            answer = http.get(api + "/admin/services", headers=viewer, timeout=60)
        elif step == 1:
            body = new_service(number, turn)
            answer = http.post(api + "/admin/services", json=body, headers=editor, timeout=60)
            if answer.status_code == 201:
                written.append(body["id"])
        elif step == 2:
            service_id = f"rinnakkain-{number}-{turn - 1}"
            answer = http.patch(
                f"{api}/admin/services/{service_id}",
                json={"name": {"fi": f"Muutettu {number}-{turn}"}},
                headers={**editor, "If-Match": '"1"'},
                timeout=60,
            )
        elif step == 3:
            answer = http.get(
                api + "/services/search", params={"q": "lastenneuvola", "municipality": "Mikkeli"}, timeout=60
            )
        else:
            answer = ui.get(api + "/staff/service/list", timeout=60)
        return answer.status_code

    with ThreadPoolExecutor(THREADS) as pool:
        totals = sum(pool.map(client, range(THREADS)), Counter())

    failed = {key: count for key, count in totals.items() if not 200 <= key[1] < 300}
    assert not failed, f"(request, status): how many answers were not a success: {failed}"
    assert sum(totals.values()) == THREADS * REQUESTS
    expected = {f"rinnakkain-{n}-{t}" for n in range(THREADS) for t in range(REQUESTS) if t % 5 == 1}
    assert set(written) == expected
    with new_session(staff_url) as session:
        stored = {s.id: s for s in session.scalars(select(Service).where(Service.id.like("rinnakkain-%")))}
    assert set(stored) == expected
    assert all(s.name_fi.startswith("Muutettu") and s.version == 2 for s in stored.values())
