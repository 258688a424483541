"""CSV cells a spreadsheet will not run: formula injection neutralised in every CSV we write.

Excel, LibreOffice and Google Sheets take a cell that starts with `=`, `+`, `-` or `@` (or a tab
or carriage return before one) as a formula, so a family's question `=HYPERLINK("http://…")` or
a street address typed as `=WEBSERVICE(…)` would run on a staff member's machine. As OWASP
recommends ("CSV Injection"), such a cell gets a single quote in front: the spreadsheet shows
the text, quote hidden, and runs nothing.

One exception keeps numbers usable: a cell of only digits and the marks of numbers and phone
numbers (`-12`, `-1,5`, `+358 40 123 4567`, `(09) 310 1234`) stays as it is. It can hold no
function name, cell reference or DDE link (those need letters or `|`), so at worst a spreadsheet
does sums with it; and a negative number in a numeric column stays a number, a catalogue export
imports back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_OR_PHONE = re.compile(r"[+-]?[0-9][0-9 ().,/-]*")


def neutralised(cell: str) -> str:
    """The cell as a spreadsheet shows it without running it."""
    if cell.startswith(FORMULA_STARTS) and not _NUMBER_OR_PHONE.fullmatch(cell):
        return "'" + cell
    return cell


def neutralised_row(cells: Iterable[object]) -> list[object]:
    """A row for `csv.writer`: its text cells neutralised, numbers and None left to the writer."""
    return [neutralised(cell) if isinstance(cell, str) else cell for cell in cells]
