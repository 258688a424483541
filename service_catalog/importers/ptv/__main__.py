"""Import services from the national Service Information Repository PTV (Palvelutietovaranto).

    python -m service_catalog.importers.ptv FILE [--database-url URL] [--dry-run] [--max-delete-share 0.25]
    python -m service_catalog.importers.ptv --fetch 491 [--save FILE] [--dry-run] ...

FILE is recorded PTV open-API v11 JSON, as `fetch_services` returns it (the shape is in
`parsing.py`, what the import does in `sync.py`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from service_catalog.admin import Actor
from service_catalog.importers.common import DEFAULT_MAX_DELETE_SHARE
from service_catalog.importers.ptv.fetch import PtvFetchError, fetch_services
from service_catalog.importers.ptv.parsing import PtvImportError
from service_catalog.importers.ptv.sync import load_file, run_import

CLI = Actor(label="cli:ptv-import")  # the audit log's name for imports run on the server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m service_catalog.importers.ptv", description=__doc__.splitlines()[0]
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("file", nargs="?", type=Path, help="recorded PTV JSON")
    source.add_argument(
        "--fetch", metavar="CODE", help="fetch a municipality's services from the live PTV API"
    )
    parser.add_argument("--save", type=Path, help="with --fetch: also write what was fetched to this file")
    parser.add_argument("--database-url", help="defaults to the PK_DATABASE_URL setting")
    parser.add_argument("--dry-run", action="store_true", help="report what would change, save nothing")
    parser.add_argument("--max-delete-share", type=float, default=DEFAULT_MAX_DELETE_SHARE)
    args = parser.parse_args(argv)
    try:
        if args.fetch:
            data = fetch_services(args.fetch)
            if args.save:
                args.save.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        else:
            data = load_file(args.file)
        report = run_import(
            data, args.database_url, dry_run=args.dry_run, max_delete_share=args.max_delete_share, actor=CLI
        )
    except (PtvImportError, PtvFetchError, RuntimeError) as error:
        print(f"PTV import failed, nothing changed: {error}", file=sys.stderr)
        return 1
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
