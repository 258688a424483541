"""Export the whole catalogue to JSON or CSV, and import such an export back.

    python -m service_catalog.exchange export PATH [--database-url URL]
    python -m service_catalog.exchange import PATH [--database-url URL] [--dry-run] [--max-delete-share 0.25]

PATH ending in `.json` is one JSON file; ending in `.zip` is a zip of CSV files; anything else
is a folder of CSV files. Both formats hold every table of the catalogue (regions,
municipalities, areas, providers, helplines, services, their locations, contacts and the
contacts' municipalities and areas), one record per row, in primary-key order, so the same
catalogue always gives the same bytes:

    {"format": "perhekeskus-catalogue", "version": 1,
     "tables": {"region": [{"id": "etela-savo", "name": {"fi": "…", "sv": "…", "en": "…"}}, …], …}}

Localised columns (`name_fi`, `name_sv`, `name_en`) are one field, `name`, holding
`{"fi", "sv", "en"}`. Opening hours stay in PTV's `serviceHours` shape (see hours.py). In CSV
(one `<table>.csv` per table) a cell of a localised, hours or other JSON field is JSON text,
booleans are `true`/`false`, and an empty cell is null.

Import makes the catalogue equal to the file, in one transaction: rows are matched by primary
key and created, updated or left alone, and rows the file does not have are deleted, but never
more than `--max-delete-share` of a table's records (the brake). The whole file is checked
first (shape, types, service types, hours, references between tables); a malformed file raises
CatalogueFormatError and changes nothing. The tables follow `models.py`, so a column added there
is exported and imported without a change here.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Integer,
    String,
    Table,
    and_,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from database import Base
from language.text import LANGUAGES
from service_catalog import vocabulary
from service_catalog.csv_cells import neutralised_row
from service_catalog.db import new_session
from service_catalog.hours import service_hours_problems
from service_catalog.importers.common import (
    DEFAULT_MAX_DELETE_SHARE,
    check_brake,
    in_one_transaction,
)
from service_catalog.models import PROVIDER_KINDS, Service
from service_catalog.taxonomy import service_types

FORMAT, VERSION = "perhekeskus-catalogue", 1
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so one catalogue always gives the same zip bytes

Record = dict[str, Any]


class CatalogueFormatError(ValueError):
    """The file is not a catalogue export this code can import; nothing was changed."""


# ---------------------------------------------------------------- fields: columns as the file shows them


@dataclass(frozen=True)
class Field:
    name: str
    columns: tuple[Column, ...]  # three for a localised field (fi, sv, en), else one

    @property
    def localised(self) -> bool:
        return len(self.columns) > 1

    @property
    def holds_json(self) -> bool:
        return self.localised or isinstance(self.columns[0].type, JSON)


# The catalogue proper; staff accounts, tokens and audit entries never leave in an export.
CATALOGUE_TABLES = (
    "region",
    "municipality",
    "area",
    "provider",
    "helpline",
    "service",
    "service_location",
    "contact",
    "contact_municipality",
    "contact_area",
)


def tables() -> list[Table]:
    """The catalogue's tables, parents before children."""
    return [table for table in Base.metadata.sorted_tables if table.name in CATALOGUE_TABLES]


# Bookkeeping columns of the Editable mixin go last, so a file reads from its id on.
_BOOKKEEPING = ("version", "deleted_at")


def fields(table: Table) -> list[Field]:
    names = set(table.columns.keys())
    result = []
    columns = sorted(table.columns, key=lambda column: column.name in _BOOKKEEPING)
    for column in columns:
        base, _, lang = column.name.rpartition("_")
        if lang in LANGUAGES and all(f"{base}_{other}" in names for other in LANGUAGES):
            if lang == LANGUAGES[0]:
                result.append(Field(base, tuple(table.columns[f"{base}_{other}"] for other in LANGUAGES)))
            continue
        result.append(Field(column.name, (column,)))
    return result


def _to_plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _record(table: Table, row: Any) -> Record:
    record: Record = {}
    for f in fields(table):
        if f.localised:
            record[f.name] = {lang: row[c.name] for lang, c in zip(LANGUAGES, f.columns, strict=True)}
        else:
            record[f.name] = _to_plain(row[f.name])
    return record


def _rows(session: Session, table: Table) -> list[Any]:
    return list(session.execute(select(table).order_by(*table.primary_key.columns)).mappings())


# ---------------------------------------------------------------- export


def export_records(session: Session) -> dict[str, list[Record]]:
    return {table.name: [_record(table, row) for row in _rows(session, table)] for table in tables()}


def export_json(session: Session) -> str:
    document = {"format": FORMAT, "version": VERSION, "tables": export_records(session)}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _cell(f: Field, value: Any) -> str:
    if value is None:
        return ""
    if f.holds_json:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_csv_files(session: Session) -> dict[str, str]:
    """`<table>.csv` name to CSV text, one per table.

    A text cell that a spreadsheet would run as a formula gets a quote in front (`csv_cells`);
    numbers, phone numbers and JSON cells never do, so a normal catalogue imports back unchanged."""
    files = {}
    for table in tables():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        table_fields = fields(table)
        writer.writerow([f.name for f in table_fields])
        for row in _rows(session, table):
            record = _record(table, row)
            writer.writerow(neutralised_row(_cell(f, record[f.name]) for f in table_fields))
        files[f"{table.name}.csv"] = out.getvalue()
    return files


def write_export(session: Session, path: Path) -> None:
    path = Path(path)
    if path.suffix == ".json":
        path.write_text(export_json(session), encoding="utf-8")
        return
    files = export_csv_files(session)
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(zipfile.ZipInfo(name, _ZIP_DATE), text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        return
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (path / name).write_text(text, encoding="utf-8")


# ---------------------------------------------------------------- reading a file


def parse_json(text: str) -> dict[str, list[Record]]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogueFormatError(f"not JSON: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CatalogueFormatError(f'not a catalogue export: expected "format": "{FORMAT}"')
    if document.get("version") != VERSION:
        raise CatalogueFormatError(f"export version {document.get('version')!r}, this code reads {VERSION}")
    if not isinstance(document.get("tables"), dict):
        raise CatalogueFormatError('"tables" is not an object')
    return document["tables"]


def _from_cell(f: Field, text: str, where: str) -> Any:
    if text == "":
        return None
    if f.holds_json:
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise CatalogueFormatError(f"{where}: {f.name} is not JSON: {error}") from error
    kind = f.columns[0].type
    if isinstance(kind, Boolean):
        if text not in ("true", "false"):
            raise CatalogueFormatError(f"{where}: {f.name} must be true or false, not {text!r}")
        return text == "true"
    if isinstance(kind, Integer):
        try:
            return int(text)
        except ValueError:
            raise CatalogueFormatError(f"{where}: {f.name} is not a whole number: {text!r}") from None
    return text


def parse_csv_files(files: dict[str, str]) -> dict[str, list[Record]]:
    known = {t.name: t for t in tables()}
    result: dict[str, list[Record]] = {}
    for name, text in files.items():
        table = known.get(name.removesuffix(".csv"))
        if table is None or not name.endswith(".csv"):
            raise CatalogueFormatError(
                f"{name}: not a catalogue table (expected one of {sorted(known)} as .csv)"
            )
        by_name = {f.name: f for f in fields(table)}
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if not header or set(header) - set(by_name):
            raise CatalogueFormatError(f"{name}: unknown columns {sorted(set(header or []) - set(by_name))}")
        records = []
        for n, cells in enumerate(reader, 2):
            if len(cells) != len(header):
                raise CatalogueFormatError(
                    f"{name} line {n}: {len(cells)} cells, the header has {len(header)}"
                )
            records.append(
                {h: _from_cell(by_name[h], c, f"{name} line {n}") for h, c in zip(header, cells, strict=True)}
            )
        result[table.name] = records
    return result


def read_export(path: Path) -> dict[str, list[Record]]:
    path = Path(path)
    try:
        if path.suffix == ".json":
            return parse_json(path.read_text(encoding="utf-8"))
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                files = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
        else:
            files = {p.name: p.read_text(encoding="utf-8") for p in sorted(path.glob("*.csv"))}
        return parse_csv_files(files)
    except (OSError, UnicodeDecodeError, zipfile.BadZipFile) as error:
        raise CatalogueFormatError(f"{path}: cannot read it: {error}") from error


# ---------------------------------------------------------------- checking


def _value(column: Column, value: Any, where: str) -> Any:
    """The value the column stores, or CatalogueFormatError."""
    if value is None:
        if not column.nullable and column.default is None:
            raise CatalogueFormatError(f"{where}: {column.name} is required")
        return None
    kind = column.type
    ok = True
    if isinstance(kind, Boolean):
        ok = isinstance(value, bool)
    elif isinstance(kind, Integer):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(kind, DateTime):
        try:
            value = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            value = None
        ok = value is not None
    elif isinstance(kind, String):
        ok = isinstance(value, str)
    if not ok:
        raise CatalogueFormatError(f"{where}: {column.name} has the wrong type: {value!r}")
    return value


def _values(table: Table, record: Any, where: str) -> Record:
    """A file record as column values (only the columns the record has)."""
    if not isinstance(record, dict):
        raise CatalogueFormatError(f"{where}: not an object")
    by_name = {f.name: f for f in fields(table)}
    unknown = set(record) - set(by_name)
    if unknown:
        raise CatalogueFormatError(f"{where}: unknown fields {sorted(unknown)}")
    values: Record = {}
    for name, value in record.items():
        f = by_name[name]
        if f.localised:
            if value is not None and (not isinstance(value, dict) or set(value) - set(LANGUAGES)):
                raise CatalogueFormatError(f"{where}: {name} must be an object with keys {LANGUAGES}")
            for lang, column in zip(LANGUAGES, f.columns, strict=True):
                values[column.name] = _value(column, (value or {}).get(lang), where)
        else:
            values[name] = _value(f.columns[0], value, where)
    for column in table.primary_key.columns:
        if values.get(column.name) is None:
            raise CatalogueFormatError(f"{where}: {column.name} is missing")
    return values


def _check_meaning(table: Table, values: Record, where: str) -> None:
    """What the types cannot say: codes from the taxonomy and PTV-shaped hours."""
    if table.name == "service" and "type" in values and values["type"] not in service_types():
        raise CatalogueFormatError(f"{where}: unknown service type {values['type']!r}")
    if table.name == "provider" and "kind" in values and values["kind"] not in PROVIDER_KINDS:
        raise CatalogueFormatError(f"{where}: unknown provider kind {values['kind']!r}")
    if "hours" in table.columns and isinstance(table.columns["hours"].type, JSON) and "hours" in values:
        problems = service_hours_problems(values["hours"] or [], where, seconds=True)
        if problems:
            raise CatalogueFormatError("; ".join(problems))


def _key(table: Table, values: Record) -> tuple:
    return tuple(values[c.name] for c in table.primary_key.columns)


def check(data: Any) -> dict[str, dict[tuple, Record]]:
    """Every table's rows as column values by primary key; raises CatalogueFormatError."""
    if not isinstance(data, dict):
        raise CatalogueFormatError("expected an object of tables")
    known = {t.name: t for t in tables()}
    if set(data) - set(known):
        raise CatalogueFormatError(f"unknown tables {sorted(set(data) - set(known))}")
    if set(known) - set(data):
        raise CatalogueFormatError(f"missing tables {sorted(set(known) - set(data))}")
    wanted: dict[str, dict[tuple, Record]] = {}
    for table in tables():
        if not isinstance(data[table.name], list):
            raise CatalogueFormatError(f"{table.name}: not a list of records")
        rows: dict[tuple, Record] = {}
        for n, record in enumerate(data[table.name], 1):
            where = f"{table.name}[{n}]"
            values = _values(table, record, where)
            _check_meaning(table, values, where)
            if _key(table, values) in rows:
                raise CatalogueFormatError(f"{where}: {_key(table, values)} appears twice")
            rows[_key(table, values)] = values
        wanted[table.name] = rows
    # The catalogue will be the file, so every reference must point into the file.
    for table in tables():
        for fk in table.foreign_keys:
            targets = {key[0] for key in wanted[fk.column.table.name]}
            for key, values in wanted[table.name].items():
                target = values.get(fk.parent.name)
                if target is not None and target not in targets:
                    raise CatalogueFormatError(
                        f"{table.name} {key[0]}: {fk.parent.name} {target!r} is not in {fk.column.table.name}"
                    )
    return wanted


# ---------------------------------------------------------------- importing


@dataclass
class ExchangeReport:
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    dry_run: bool = False

    def total(self, what: str) -> int:
        return sum(c[what] for c in self.counts.values())

    def lines(self) -> list[str]:
        whats = ("created", "updated", "unchanged", "deleted")
        head = ", ".join(f"{self.total(w)} {w}" for w in whats)
        lines = [f"catalogue import{' (dry run, nothing saved)' if self.dry_run else ''}: {head}"]
        for name, counts in self.counts.items():
            if counts["created"] or counts["updated"] or counts["deleted"]:
                lines.append(f"  {name}: " + ", ".join(f"{counts[w]} {w}" for w in whats))
        return lines


def _where_key(table: Table, key: tuple) -> Any:
    return and_(*(column == value for column, value in zip(table.primary_key.columns, key, strict=True)))


def import_catalogue(
    session: Session, data: Any, *, max_delete_share: float = DEFAULT_MAX_DELETE_SHARE
) -> ExchangeReport:
    """Make the catalogue in `session` equal to `data` (the caller commits or rolls back)."""
    wanted = check(data)
    report = ExchangeReport()
    plans = []
    words = vocabulary.Delta()
    for table in tables():
        existing = {}
        for row in _rows(session, table):
            values = dict(row)
            existing[_key(table, values)] = values
        rows = wanted[table.name]
        new = [values for key, values in rows.items() if key not in existing]
        changed = [
            (key, values)
            for key, values in rows.items()
            if key in existing and any(existing[key][name] != value for name, value in values.items())
        ]
        gone = [key for key in existing if key not in rows]
        if len(table.primary_key.columns) == 1:  # the brake is for records, not link rows
            check_brake(f"rows of {table.name}", len(existing), len(gone), max_delete_share)
        report.counts[table.name] = {
            "created": len(new),
            "updated": len(changed),
            "unchanged": len(rows) - len(new) - len(changed),
            "deleted": len(gone),
        }
        plans.append((table, new, changed, gone))
        if table.name == Service.__tablename__:
            words = _type_words_delta(existing, new, changed, gone)
    try:
        for table, new, changed, _gone in plans:
            if new:
                session.execute(insert(table), new)
            for key, values in changed:
                session.execute(update(table).where(_where_key(table, key)).values(**values))
        for table, _new, _changed, gone in reversed(plans):
            for key in gone:
                session.execute(delete(table).where(_where_key(table, key)))
        vocabulary.apply(session.connection(), words)
        session.flush()
    except IntegrityError as error:
        raise CatalogueFormatError(f"the database refused the file: {error.orig}") from error
    return report


def _type_words_delta(
    existing: dict[tuple, Record], new: list[Record], changed: list, gone: list
) -> vocabulary.Delta:
    """What the service rows' changes do to the type words (Core writes pass the ORM's
    listeners by, so the import keeps `type_word` in step itself)."""
    words = vocabulary.Delta()
    for values in new:
        words.update(vocabulary.delta(None, values))
    for key, values in changed:
        words.update(vocabulary.delta(existing[key], {**existing[key], **values}))
    for key in gone:
        words.update(vocabulary.delta(existing[key], None))
    return words


def run_import(
    path: Path,
    database_url: str | None = None,
    *,
    dry_run: bool = False,
    max_delete_share: float = DEFAULT_MAX_DELETE_SHARE,
) -> ExchangeReport:
    """One unit of work: read, check and import, then commit (or roll back on a dry run or error)."""
    data = read_export(path)
    return in_one_transaction(
        database_url,
        dry_run,
        lambda session: import_catalogue(session, data, max_delete_share=max_delete_share),
    )


def run_export(path: Path, database_url: str | None = None) -> None:
    with new_session(database_url) as session:
        write_export(session, path)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("export", "import"))
    parser.add_argument("path", type=Path, help="FILE.json, FILE.zip (CSV files) or a folder of CSV files")
    parser.add_argument("--database-url", help="defaults to the PK_DATABASE_URL setting")
    parser.add_argument(
        "--dry-run", action="store_true", help="import: report what would change, save nothing"
    )
    parser.add_argument("--max-delete-share", type=float, default=DEFAULT_MAX_DELETE_SHARE)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.action == "export":
        run_export(args.path, args.database_url)
        print(f"catalogue exported to {args.path}")
        return 0
    try:
        report = run_import(
            args.path, args.database_url, dry_run=args.dry_run, max_delete_share=args.max_delete_share
        )
    except (CatalogueFormatError, RuntimeError) as error:
        print(f"catalogue import failed, nothing changed: {error}", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
