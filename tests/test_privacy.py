"""Personal data out of what we keep and log: the grammar, masking in linear time, the log handlers."""

from __future__ import annotations

import io
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from office.inbox import family_contact
from privacy.grammar import callback_number, finnish_phone_number, is_email_address
from privacy.masking import (
    EMAIL_TOKEN,
    IDENTITY_CODE_TOKEN,
    PHONE_TOKEN,
    MaskingFormatter,
    install_log_masking,
    mask_personal_data,
)
from service_catalog.seed import SEED_DIR
from service_catalog.validation import check_email, check_phone
from settings import get_settings

MESSAGE_MAX = get_settings().max_message_chars
TOKENS = (IDENTITY_CODE_TOKEN, EMAIL_TOKEN, PHONE_TOKEN)
ANY_TOKEN = "(?:" + "|".join(re.escape(token) for token in TOKENS) + ")"
CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"

# --- the forms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("131052-308T", IDENTITY_CODE_TOKEN),
        ("131052 308T", IDENTITY_CODE_TOKEN),
        ("131052308T", IDENTITY_CODE_TOKEN),
        ("131052–308T", IDENTITY_CODE_TOKEN),  # en dash
        ("131052−308T", IDENTITY_CODE_TOKEN),  # minus sign
        ("hetu 131052-308t.", f"hetu {IDENTITY_CODE_TOKEN}."),
        ("0101901030", IDENTITY_CODE_TOKEN),  # a code's check character may be a digit
        ("0101901030 5", PHONE_TOKEN),  # but then a longer run of digits is a phone number
        ("0401234567@example.fi", EMAIL_TOKEN),
        ("040 765 4321", PHONE_TOKEN),
        ("040-7654321", PHONE_TOKEN),
        ("040 - 765 4321", PHONE_TOKEN),
        ("040–765 4321", PHONE_TOKEN),
        ("040/7654321", PHONE_TOKEN),
        ("040.765.4321", PHONE_TOKEN),
        ("040.765.43.21", PHONE_TOKEN),
        ("358401234567", PHONE_TOKEN),
        ("+358 40 123 4567", PHONE_TOKEN),
        ("+358(0)40 123 4567", PHONE_TOKEN),
        ("(+358) 40 123 4567", PHONE_TOKEN),
        ("00358 40 123 4567", PHONE_TOKEN),
        ("+46 70 123 45 67", PHONE_TOKEN),
        ("0046 70 123 45 67", PHONE_TOKEN),
        ("+1 (555) 123-4567", PHONE_TOKEN),
        ("(09) 123 4567", PHONE_TOKEN),
        ("(040) 765 4321", PHONE_TOKEN),
        ("09\u00a0123\u00a04567", PHONE_TOKEN),  # no-break spaces
        ("0800 147 111", PHONE_TOKEN),  # national service numbers look like a family's: masked too
        ("soita (040 765 4321)", f"soita ({PHONE_TOKEN})"),
        ("numerot 040 123 4567 050 765 4321", f"numerot {PHONE_TOKEN} {PHONE_TOKEN}"),
        ("puh. 040 123 4567 5.12. asti", f"puh. {PHONE_TOKEN} 5.12. asti"),
        ("klo 10.00 040 123 4567", f"klo 10.00 {PHONE_TOKEN}"),
        ("Anna.Virtanen+neuvola@example.fi", EMAIL_TOKEN),
        ("<anna@sub.example.fi>", f"<{EMAIL_TOKEN}>"),
        ('{"email": "anna@example.fi"}', f'{{"email": "{EMAIL_TOKEN}"}}'),
        ("mailto:anna@example.fi", f"mailto:{EMAIL_TOKEN}"),
    ],
)
def test_every_form_is_masked(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "112",
        "soita 112 tai 116 111",
        "116 117",
        "3-vuotias ja 0-3-vuotiaat",
        "vuonna 2024, vuosina 2019-2023",
        "5.12. ja 05.12.2024 ja 12.3.2024 klo 14",
        "klo 9-16, klo 08.00–16.00, 9.30-11.30",
        "auki 24/7, 1/2 annosta",
        "postinumero 00100 Helsinki",
        "2024-05-12 10:11:12,345 INFO",
        "lapset 5 ja 7 vuotta",
        "040 12",
        "tilaus A1234567 ja 0401234567kpl",
        "131052308X",  # no separator and a wrong check character: a number, not a code
        "python3.10, versio 3.6.2",
    ],
)
def test_short_numbers_dates_and_times_stay(text):
    assert mask_personal_data(text) == text


# --- generated personal data, in any of the forms ------------------------------------------


def _grouped(draw: Any, digits: str, joins: list[str], sizes: tuple[int, int]) -> str:
    groups, rest = [], digits
    while rest:
        size = draw(st.integers(*sizes))
        groups.append(rest[:size])
        rest = rest[size:]
    join = draw(st.sampled_from(joins))
    return join.join(groups)


AREA_CODES = ("40", "41", "44", "45", "46", "50", "9", "2", "3", "13", "17", "800")
FINNISH_PREFIXES = ("0{}", "(0{})", "+358 {}", "+358{}", "+358 (0){}", "(+358) {}", "00358 {}", "358{}")
COUNTRY_CODES = ("46", "47", "49", "44", "1", "372", "33")


@st.composite
def phone_numbers(draw: Any) -> str:
    if draw(st.booleans()):  # Finnish: a mobile or a landline, national or international
        area, subscriber = (
            draw(st.sampled_from(AREA_CODES)),
            draw(st.text("0123456789", min_size=5, max_size=8)),
        )
        prefix = draw(st.sampled_from(FINNISH_PREFIXES)).format(area)
        # Dots and slashes after a national prefix, in groups of three or more: "05.12" is a date.
        dotted = prefix == "0" + area and len(subscriber) >= 6 and draw(st.booleans())
        joins = [".", "/"] if dotted else [" ", "-", " - ", "–", "\u00a0"]
        sizes = (3, 4) if dotted else (2, 4)
        return prefix + draw(st.sampled_from(joins)) + _grouped(draw, subscriber, joins, sizes)
    country, subscriber = (
        draw(st.sampled_from(COUNTRY_CODES)),
        draw(st.text("0123456789", min_size=7, max_size=10)),
    )
    return draw(st.sampled_from(["+", "00"])) + country + " " + _grouped(draw, subscriber, [" ", "-"], (2, 4))


@st.composite
def identity_codes(draw: Any) -> str:
    date = f"{draw(st.integers(1, 28)):02}{draw(st.integers(1, 12)):02}{draw(st.integers(0, 99)):02}"
    individual = f"{draw(st.integers(2, 899)):03}"
    check = CHECK_CHARACTERS[int(date + individual) % 31]
    sign = draw(st.sampled_from(list("+-YXWVUABCDEF") + ["–", " ", ""]))
    code = date + sign + individual + check
    return code.lower() if draw(st.booleans()) else code


emails = st.from_regex(
    r"[a-z0-9]([a-z0-9._+-]{0,15}[a-z0-9])?@([a-z0-9-]{1,10}\.){1,3}[a-z]{2,6}", fullmatch=True
)
personal_data = st.one_of(phone_numbers(), identity_codes(), emails)
# Filler starts and ends with a word, so that no item touches another's digits; short numbers,
# dates and times among the words stay as they are.
filler = st.lists(
    st.sampled_from(
        [
            "soita",
            "minulle",
            "lapsi on 3-vuotias ja",
            "hätätilanteessa 112 tai",
            "numero 116 111 auttaa",
            "vuonna 2024 syntynyt",
            "klo 9-16 auki",
            "viimeistään 5.12. asti",
            "päivänä 12.3.2024 klo",
            "kiitos!",
            "äiti,",
            "neuvola?",
            "postinumero 50100 on",
            "ja",
        ]
    ),
    min_size=1,
    max_size=4,
).map(" ".join)


def _message(items: list[tuple[str, str]], last: str) -> str:
    return " ".join(f"{words} {item}" for item, words in items) + " " + last


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(personal_data, filler), max_size=60), filler)
def test_generated_personal_data_is_masked_in_linear_time(items, last):
    while len(_message(items, last)) > MESSAGE_MAX:
        items = items[:-1]
    text = _message(items, last)
    started = time.perf_counter()
    masked = mask_personal_data(text)
    assert time.perf_counter() - started < 0.05
    expected = " ".join(f"{re.escape(words)} {ANY_TOKEN}" for _, words in items) + " " + re.escape(last)
    assert re.fullmatch(expected, masked), (text, masked)


@pytest.mark.parametrize("unit", ["1 ", "1-", "+358 ", "0", "a@", "0 1 ", "(0)", "040 ", "0.", "131052 "])
def test_adversarial_texts_cost_time_linear_in_their_length(unit):
    def cost(size: int) -> float:
        text = (unit * size)[:size]
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            mask_personal_data(text)
            best = min(best, time.perf_counter() - started)
        return best

    assert cost(MESSAGE_MAX) < 0.05
    assert cost(10 * MESSAGE_MAX) < 0.5  # ten times the text, at most ten times the time


# --- what the forms accept, masking hides ---------------------------------------------------


def _seed_values(value: Any, key: str) -> Iterator[str]:
    if isinstance(value, dict):
        for name, item in value.items():
            if name == key and isinstance(item, str):
                yield item
            else:
                yield from _seed_values(item, key)
    elif isinstance(value, list):
        for item in value:
            yield from _seed_values(item, key)


def _seed(key: str) -> list[str]:
    files = sorted(SEED_DIR.rglob("*.yml"))
    return sorted({v for path in files for v in _seed_values(yaml.safe_load(path.read_text("utf-8")), key)})


def _assert_masked_when_accepted(check: Any, value: str) -> None:
    try:
        accepted = check(value)
    except ValueError:
        return
    masked = mask_personal_data(accepted)
    if check is check_email:
        assert masked == EMAIL_TOKEN, accepted
    elif finnish_phone_number(accepted).startswith("11"):
        assert masked == accepted  # 112, 116 111: public, never a family's
    else:
        assert masked in (PHONE_TOKEN, IDENTITY_CODE_TOKEN), accepted  # ten digits may be a valid code


def test_the_seed_is_accepted_and_masked():
    phones, addresses = _seed("phone"), _seed("email")
    assert len(phones) > 20 and addresses
    for value in phones:
        check_phone(value)
        _assert_masked_when_accepted(check_phone, value)
    for value in addresses:
        check_email(value)
        _assert_masked_when_accepted(check_email, value)


@settings(max_examples=300, deadline=None)
@given(st.one_of(phone_numbers(), st.text("0123456789 +-()./", max_size=20)))
def test_every_phone_the_staff_check_accepts_is_masked(value):
    _assert_masked_when_accepted(check_phone, value)


@settings(max_examples=200, deadline=None)
@given(st.one_of(emails, st.text("ab.@-_+ ", max_size=20)))
def test_every_email_the_staff_check_accepts_is_masked(value):
    _assert_masked_when_accepted(check_email, value)
    assert is_email_address(value) == (mask_personal_data(value) == EMAIL_TOKEN)


@settings(max_examples=300, deadline=None)
@given(st.one_of(phone_numbers(), emails))
def test_every_callback_contact_a_family_gives_is_accepted_and_masked(text):
    channel, value = family_contact(text)
    token = PHONE_TOKEN if channel == "phone" else EMAIL_TOKEN
    assert mask_personal_data(text) == token
    # Its canonical form too; written without a separator, ten digits may be a valid code.
    assert mask_personal_data(value) in (token, IDENTITY_CODE_TOKEN)


@settings(max_examples=300, deadline=None)
@given(st.text("0123456789 +-()./@a", max_size=24))
def test_what_a_callback_keeps_of_any_text_is_masked(text):
    found = family_contact(text)
    if found:
        assert mask_personal_data(found[1]) in TOKENS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+46 70 123 45 67", "+46701234567"),
        ("358401234567", "+358401234567"),
        ("+358 (0)40 123 4567", "+358401234567"),
        ("040.765.4321", "0407654321"),
        ("112", None),
        ("116 111", None),
    ],
)
def test_a_callback_number_is_canonical(text, expected):
    assert callback_number(text) == expected


def test_the_staff_check_takes_finnish_and_service_numbers_only():
    assert finnish_phone_number("+358 (0)9 310 1234") == "+35893101234"
    assert finnish_phone_number("116 111") == "116111"
    assert finnish_phone_number("040/7654321") == "0407654321"
    for value in ("+46 8 123 456", "+999 40 123 4567", "12345", "040 123 4567 kiitos", "05.12.2024"):
        assert finnish_phone_number(value) is None, value


# --- the log --------------------------------------------------------------------------------


@contextmanager
def _logger(formatter: logging.Formatter | None = None) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(MaskingFormatter(formatter))
    logger = logging.getLogger("pk-test-privacy")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield logger, stream
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def test_log_records_are_masked_by_the_formatter():
    with _logger(logging.Formatter("%(levelname)s %(message)s")) as (logger, stream):
        logger.warning("request from %s, call %s, id %s", "anna@example.fi", "040 123 4567", "131052-308T")
        logger.warning("no personal data in %d messages", 3)
    assert stream.getvalue().splitlines() == [
        "WARNING request from [sähköposti], call [puhelin], id [henkilötunnus]",
        "WARNING no personal data in 3 messages",
    ]


def test_a_traceback_and_a_stack_are_masked_too():
    with _logger() as (logger, stream):
        try:
            raise RuntimeError("tracker {'text': 'soita 040 765 4321', 'email': 'anna@example.fi'}")
        except RuntimeError:
            logger.exception("action failed")
        logger.warning("where 050-765 4321 was seen", stack_info=True)
    output = stream.getvalue()
    assert "Traceback (most recent call last)" in output and "Stack (most recent call last)" in output
    assert "040 765 4321" not in output and "anna@example.fi" not in output and "050-765 4321" not in output
    assert "'soita [puhelin]', 'email': '[sähköposti]'" in output


def test_the_cached_traceback_is_left_masked_for_the_next_handler():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), None)
    try:
        raise ValueError("anna@example.fi")
    except ValueError:
        record.exc_info = sys.exc_info()
    MaskingFormatter().format(record)
    assert record.exc_text and "anna@example.fi" not in record.exc_text
    assert "anna@example.fi" not in logging.Formatter().format(record)


def test_installing_masks_every_handler_once_those_of_loggers_that_do_not_propagate_too():
    access = logging.getLogger("uvicorn.access")
    handler = logging.StreamHandler(io.StringIO())
    access.addHandler(handler)
    propagate, access.propagate = access.propagate, False
    try:
        install_log_masking()
        install_log_masking()
        for each in [*logging.getLogger().handlers, handler, logging.lastResort]:
            assert isinstance(each.formatter, MaskingFormatter)
            assert not isinstance(each.formatter.inner, MaskingFormatter)
        access.warning("GET /?phone=040 123 4567")
        assert "040 123 4567" not in handler.stream.getvalue()
    finally:
        access.removeHandler(handler)
        access.propagate = propagate
