"""Import services from the national Service Information Repository PTV (Palvelutietovaranto).

- `parsing`: reading PTV's open-API JSON (texts, areas, addresses, phones) and the check of a
  whole file before anything is written (`PtvImportError`);
- `mapping`: PTV's terms, classes and names to our service types and provider kinds
  (`TypeMapping`, the rules of `../ptv_types.yml`);
- `sync`: the plan and the writes, mark-and-sweep in one transaction (`import_ptv`, `run_import`,
  `load_file`, `Report`);
- `fetch`: PTV's HTTP API with retries (`fetch_services`, `PtvFetchError`);
- `__main__`: the command line, `python -m service_catalog.importers.ptv FILE | --fetch CODE`.

The names callers use are importable from here.
"""

from service_catalog.importers.ptv.fetch import PTV_API, PtvFetchError, fetch_services, http_get_json
from service_catalog.importers.ptv.mapping import MAPPING_FILE, TypeMapping, default_mapping
from service_catalog.importers.ptv.parsing import PtvImportError
from service_catalog.importers.ptv.sync import PREFIX, Report, import_ptv, load_file, run_import

__all__ = [
    "MAPPING_FILE",
    "PREFIX",
    "PTV_API",
    "PtvFetchError",
    "PtvImportError",
    "Report",
    "TypeMapping",
    "default_mapping",
    "fetch_services",
    "http_get_json",
    "import_ptv",
    "load_file",
    "run_import",
]
