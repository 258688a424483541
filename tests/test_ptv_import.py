"""PTV import against a real migrated and seeded catalogue, fed the recorded sample file."""

from __future__ import annotations

import copy
import json
import urllib.error
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from service_catalog.db import new_session
from service_catalog.hours import HELSINKI, is_open_at
from service_catalog.importers.common import SyncBrakeError
from service_catalog.importers.ptv.__main__ import main
from service_catalog.importers.ptv.fetch import PtvFetchError, fetch_services
from service_catalog.importers.ptv.mapping import TypeMapping
from service_catalog.importers.ptv.parsing import PtvImportError
from service_catalog.importers.ptv.sync import load_file, run_import
from service_catalog.models import Provider, Service
from tests.helpers import (
    NEUVOLA,
    NEUVOLA_CHANNEL,
    PERHENEUVOLA,
    PTV_SAMPLE,
    RAKENNUSVALVONTA,
    TURVAKOTI,
    catalogue_dump,
    ptv_channel,
    stored_service,
)


@pytest.fixture
def sample() -> dict:
    return load_file(PTV_SAMPLE)


def test_import_creates_services_and_locations_with_hours_as_ptv_gives_them(
    catalog_url: str, sample: dict
) -> None:
    report = run_import(sample, catalog_url)

    assert {NEUVOLA, PERHENEUVOLA, TURVAKOTI} <= set(report.created)
    service = stored_service(catalog_url, NEUVOLA)
    assert service is not None
    assert (service.type, service.region_id, service.municipality_id) == (
        "lastenneuvola",
        "etela-savo",
        "mikkeli",
    )
    assert (service.name_fi, service.name_sv, service.name_en) == (
        "Lastenneuvola, Mikkeli",
        "Barnrådgivning, S:t Michel",
        "Child health clinic, Mikkeli",
    )
    assert service.description_en.startswith("The child health clinic follows")
    assert service.example_data is False
    assert [loc.id for loc in service.locations] == [
        "ptv-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c01-3f1c2a64",
        "ptv-1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d02-3f1c2a64",
    ]
    location = service.locations[0]
    assert location.address == "Porrassalmenkatu 21, 50100 MIKKELI"
    assert (location.municipality_id, location.phone) == ("mikkeli", "+358 442345678")
    assert location.name_sv == "Barnrådgivningen i S:t Michels familjecenter"
    expected = ptv_channel(sample, NEUVOLA_CHANNEL)["serviceHours"]
    assert json.dumps(location.hours, sort_keys=True) == json.dumps(expected, sort_keys=True)

    with new_session(catalog_url) as session:
        provider = session.get(Provider, service.provider_id)
        assert (provider.name_fi, provider.kind) == ("Etelä-Savon hyvinvointialue", "sote")
        ngo = session.get(Provider, stored_service(catalog_url, TURVAKOTI).provider_id)
        assert ngo.kind == "ngo"


def test_imported_christmas_eve_is_closed_and_over_midnight_hours_run_into_the_next_day(
    catalog_url: str, sample: dict
) -> None:
    run_import(sample, catalog_url)
    neuvola = stored_service(catalog_url, NEUVOLA).locations[0].hours
    assert is_open_at(neuvola, datetime(2026, 12, 23, 10, tzinfo=HELSINKI)) is True  # a Wednesday
    assert (
        is_open_at(neuvola, datetime(2026, 12, 24, 10, tzinfo=HELSINKI)) is False
    )  # Thursday, Christmas Eve
    shelter = stored_service(catalog_url, TURVAKOTI).locations[0].hours
    assert (
        is_open_at(shelter, datetime(2026, 11, 28, 2, tzinfo=HELSINKI)) is True
    )  # Friday night into Saturday
    assert is_open_at(shelter, datetime(2026, 11, 28, 12, tzinfo=HELSINKI)) is False


def test_second_import_changes_nothing(catalog_url: str, sample: dict) -> None:
    run_import(sample, catalog_url)
    before = catalogue_dump(catalog_url)
    report = run_import(sample, catalog_url)
    assert (report.created, report.updated, report.deleted) == ([], [], [])
    assert sorted(report.unchanged) == sorted([NEUVOLA, PERHENEUVOLA, TURVAKOTI])
    assert catalogue_dump(catalog_url) == before


def test_edited_file_reports_the_service_updated(catalog_url: str, sample: dict) -> None:
    run_import(sample, catalog_url)
    edited = copy.deepcopy(sample)
    channel = ptv_channel(edited, NEUVOLA_CHANNEL)
    channel["phoneNumbers"][0]["number"] = "449999999"
    channel["serviceHours"][0]["openingHour"][0]["to"] = "18:00:00"

    report = run_import(edited, catalog_url)

    assert report.updated == [NEUVOLA]
    assert sorted(report.unchanged) == sorted([PERHENEUVOLA, TURVAKOTI])
    location = stored_service(catalog_url, NEUVOLA).locations[0]
    assert location.phone == "+358 449999999"
    assert location.hours == channel["serviceHours"]


def test_unmappable_service_is_skipped_with_a_reason(catalog_url: str, sample: dict) -> None:
    report = run_import(sample, catalog_url)
    reasons = dict(report.skipped)
    assert "Rakennusvalvonta" in reasons[RAKENNUSVALVONTA]
    assert "ptv_types.yml" in reasons[RAKENNUSVALVONTA]
    assert stored_service(catalog_url, RAKENNUSVALVONTA) is None
    assert any("skipped: " + RAKENNUSVALVONTA in line for line in report.lines())


def test_malformed_json_is_a_typed_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text(PTV_SAMPLE.read_text(encoding="utf-8")[:-200], encoding="utf-8")
    with pytest.raises(PtvImportError, match="JSON"):
        load_file(broken)


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (
            lambda d: ptv_channel(d, NEUVOLA_CHANNEL)["serviceHours"][0]["openingHour"].__setitem__(
                2, {"dayFrom": "Wednesday", "dayTo": None, "from": "08:00:00", "to": "25:99"}
            ),
            "25:99",
        ),
        (
            lambda d: d["serviceChannels"][-1]["addresses"][0]["streetAddress"]["municipality"].__setitem__(
                "code", "999"
            ),
            "999",
        ),
        (lambda d: d.__setitem__("services", {"not": "a list"}), "services"),
    ],
    ids=["invalid time", "unknown municipality code", "wrong shape"],
)
def test_broken_file_changes_nothing(catalog_url: str, sample: dict, breakage, message: str) -> None:
    run_import(sample, catalog_url)
    edited = copy.deepcopy(sample)
    ptv_channel(edited, NEUVOLA_CHANNEL)["phoneNumbers"][0]["number"] = "449999999"  # a valid change...
    breakage(edited)  # ...in a file that is broken elsewhere
    before = catalogue_dump(catalog_url)
    with pytest.raises(PtvImportError, match=message):
        run_import(edited, catalog_url)
    assert catalogue_dump(catalog_url) == before


def test_dry_run_reports_but_saves_nothing(catalog_url: str, sample: dict) -> None:
    before = catalogue_dump(catalog_url)
    report = run_import(sample, catalog_url, dry_run=True)
    assert NEUVOLA in report.created
    assert "dry run" in report.lines()[0]
    assert catalogue_dump(catalog_url) == before


def test_brake_refuses_to_delete_most_services(catalog_url: str, sample: dict) -> None:
    run_import(sample, catalog_url)
    shrunk = copy.deepcopy(sample)
    shrunk["services"] = [s for s in shrunk["services"] if f"ptv-{s['id']}" == NEUVOLA]
    before = catalogue_dump(catalog_url)

    with pytest.raises(SyncBrakeError, match="2 of 3"):
        run_import(shrunk, catalog_url)
    assert catalogue_dump(catalog_url) == before

    report = run_import(shrunk, catalog_url, max_delete_share=1.0)
    assert sorted(report.deleted) == sorted([PERHENEUVOLA, TURVAKOTI])
    assert stored_service(catalog_url, TURVAKOTI) is None


def test_sweep_leaves_other_municipalities_and_seed_services_alone(catalog_url: str, sample: dict) -> None:
    run_import(sample, catalog_url)
    mikkeli_only = copy.deepcopy(sample)
    mikkeli_only["municipalityCodes"] = ["491"]
    mikkeli_only["services"] = [s for s in mikkeli_only["services"] if f"ptv-{s['id']}" == NEUVOLA]
    with new_session(catalog_url) as session:
        count = len(session.scalars(select(Service.id)).all())

    report = run_import(mikkeli_only, catalog_url)

    assert report.deleted == []
    with new_session(catalog_url) as session:
        assert len(session.scalars(select(Service.id)).all()) == count


def test_cli_prints_the_report(catalog_url: str, capsys: pytest.CaptureFixture) -> None:
    assert main([str(PTV_SAMPLE), "--database-url", catalog_url]) == 0
    out = capsys.readouterr().out
    assert out.startswith("PTV import: 6 created, 0 updated, 0 unchanged, 0 deleted, 1 skipped")


def test_cli_says_what_is_wrong_with_a_broken_file(catalog_url: str, tmp_path: Path, capsys) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    assert main([str(broken), "--database-url", catalog_url]) == 1
    assert "nothing changed" in capsys.readouterr().err


def test_mapping_file_names_known_types_and_provider_kinds() -> None:
    mapping = TypeMapping.load()
    assert mapping.provider_kind("Turun Ensi- ja turvakoti ry") == "ngo"
    assert mapping.provider_kind("Mikkelin kaupunki") == "municipality"
    assert mapping.provider_kind("Mikkelin tuomiokirkkoseurakunta") == "parish"
    assert mapping.type_for(
        {"serviceNames": [{"type": "Name", "language": "sv", "value": "Familjerådgivning"}]}
    )[0] == ("perheneuvola")


# ---------------------------------------------------------------- fetching, never from the network


class FakePtv:
    """Answers like the PTV API from recorded data; fails the first `failures` calls."""

    def __init__(self, data: dict, failures: int = 0, error: Exception | None = None) -> None:
        self.data, self.failures, self.error, self.urls = data, failures, error, []

    def __call__(self, url: str, timeout: float):
        self.urls.append(url)
        assert timeout > 0
        if self.failures:
            self.failures -= 1
            raise self.error or TimeoutError("timed out")
        if "/Service/list/area/Municipality/code/491" in url:
            services = [
                s for s in self.data["services"] if s["areas"][0]["municipalities"][0]["code"] == "491"
            ]
            page = int(url.rsplit("page=", 1)[1])
            return {"pageNumber": page, "pageCount": 2, "itemList": services[page - 1 : page]}
        guids = url.rsplit("guids=", 1)[1].split(",")
        return [ch for ch in self.data["serviceChannels"] if ch["id"] in guids]


def test_fetch_services_pages_through_services_and_fetches_their_channels(sample: dict) -> None:
    get = FakePtv(sample)
    data = fetch_services("491", get=get, sleep=lambda _s: None)
    assert data["municipalityCodes"] == ["491"]
    assert [s["id"] for s in data["services"]] == [
        NEUVOLA.removeprefix("ptv-"),
        RAKENNUSVALVONTA.removeprefix("ptv-"),
    ]
    assert len(data["serviceChannels"]) == 3
    assert get.urls[0].startswith(
        "https://api.palvelutietovaranto.suomi.fi/api/v11/Service/list/area/Municipality"
    )


def test_fetch_retries_with_back_off_then_gives_a_typed_error(sample: dict) -> None:
    waits: list[float] = []
    data = fetch_services("491", get=FakePtv(sample, failures=2), sleep=waits.append, backoff=0.5)
    assert len(data["services"]) == 2
    assert waits == [0.5, 1.0]

    waits.clear()
    with pytest.raises(PtvFetchError, match="4 tries"):
        fetch_services("491", get=FakePtv(sample, failures=99), sleep=waits.append, retries=3, backoff=0.5)
    assert waits == [0.5, 1.0, 2.0]


def test_fetch_does_not_retry_a_client_error(sample: dict) -> None:
    not_found = urllib.error.HTTPError("https://x", 404, "Not Found", {}, None)  # type: ignore[arg-type]
    get = FakePtv(sample, failures=5, error=not_found)
    with pytest.raises(PtvFetchError, match="HTTP 404"):
        fetch_services("491", get=get, sleep=lambda _s: None)
    assert len(get.urls) == 1
