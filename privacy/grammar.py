"""The one grammar of the personal data a family may type: identity codes, emails, phone numbers.

Masking (`privacy.masking`), the staff's checks (`service_catalog.validation`) and the call-back
inbox (`office.inbox`) all read these forms here, so what a form accepts is what masking
hides. Every finder runs in time linear in the text: a message is the sender's to choose.

Identity codes (henkilötunnus): DDMMYY, the century sign (+ for the 1800s; - Y X W V U for the
1900s; A B C D E F for the 2000s, the signs of 2023 included), the individual number and the check
character: "131052-308T", "131052–308T" (any dash is a dash). Written with a space or nothing in
place of the sign ("131052 308T", "131052308T"), a code must carry its right check character and
stand alone, not joined to more digits: else every ten-digit phone number would read as one.

Phone numbers are digit groups joined by a space, a dash (with a space either side or not), a
dot, a slash or parentheses: "040 765 4321", "040-7654321", "040/7654321", "040.765.4321",
"(09) 123 4567", "+358 (0)40 123 4567". A family's number is
- Finnish: 0 and a national significant number of 6-12 digits, not starting with 0, or that
  number after +358, 00358 or a bare 358 ("358401234567");
- foreign: + or 00, a country code other than 358 and in all 7-15 digits (E.164).
Kept in clear, on purpose:
- short numbers: 112, 116 111, anything under 7 digits ("3-vuotias", "50100", "klo 9-16");
  the 11x service numbers are for a staff member to enter as a helpline, never a family's;
- dates and times written with dots or slashes ("5.12.", "12.3.2024", "9.30", "24/7"): a
  number never starts or ends inside a dotted sequence, nor starts with two groups of at most two
  digits joined by a dot or slash;
- digits that touch a letter ("A1234567", "4567kiitos"): codes and ids, not numbers.
National service numbers (0800 147 111, 020 692 206) are masked like a family's: they look the
same, and a public number masked in a log costs nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple


class Found(NamedTuple):
    """Where a finder found something, and what: a code or an address as written, a phone
    number in its canonical form ("0401234567", "+358401234567", "+46701234567")."""

    start: int
    end: int
    value: str


_DASH = r"[\-\u2010-\u2014\u2212]"  # hyphen-minus, the Unicode hyphens and dashes, the minus sign
_SPACE = r"[ \t\u00a0\u2009\u202f]"  # with the no-break and thin spaces that group digits in print
_WORD = re.compile(r"\w")
# What joins two digit groups of a phone number: a space or two, a dash with a space either side
# or not, a dot, a slash.
_JOIN = re.compile(rf"{_SPACE}{{1,2}}|{_SPACE}?{_DASH}{_SPACE}?|[./]")
_JOIN_MAX = 3

# --- identity codes ------------------------------------------------------------------------

_CHECK_CHARACTERS = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_IDENTITY_CODE = re.compile(
    r"(?<!\w)((?:0[1-9]|[12][0-9]|3[01])(?:0[1-9]|1[0-2])[0-9]{2})"
    rf"(?:{_SPACE}?([+A-FU-Y]|{_DASH}){_SPACE}?|{_SPACE})?"
    r"([0-9]{3})([0-9A-FHJ-NPR-Y])(?!\w)",
    re.IGNORECASE,
)


# Digits joined to what comes before or after: the code would be a piece of a phone number.
_DIGITS_BEFORE = re.compile(rf"[0-9)](?:{_JOIN.pattern})$")
_DIGITS_AFTER = re.compile(rf"(?:{_JOIN.pattern})[0-9(]")


def _is_identity_code(match: re.Match[str]) -> bool:
    date, sign, individual, check = match.groups()
    if sign:  # the century sign says what it is, even with a typo in the check character
        return True
    text, start, end = match.string, match.start(), match.end()
    return (
        _CHECK_CHARACTERS[int(date + individual) % 31] == check.upper()
        and not _DIGITS_BEFORE.search(text, max(0, start - _JOIN_MAX - 1), start)
        and not _DIGITS_AFTER.match(text, end)
    )


def find_identity_codes(text: str) -> list[Found]:
    return [Found(m.start(), m.end(), m[0]) for m in _IDENTITY_CODE.finditer(text) if _is_identity_code(m)]


# --- emails --------------------------------------------------------------------------------

# Characters no unquoted address holds and that in our texts surround one: prose brackets it or
# puts it after a colon, JSON and Python reprs quote it.
_OUTSIDE_ADDRESS = r"\s@,;:<>()\[\]{}\"'\\"
_ADDRESS_CHARACTER = rf"[^{_OUTSIDE_ADDRESS}]"
_DOMAIN_LABEL = rf"[^{_OUTSIDE_ADDRESS}.]+"
# A match starts only where a run of address characters starts (the lookbehind): without it, a
# long word with no "@" in it would be scanned again from each of its characters (quadratic).
_EMAIL = re.compile(rf"(?<!{_ADDRESS_CHARACTER}){_ADDRESS_CHARACTER}+@{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})+")


def find_emails(text: str) -> list[Found]:
    return [Found(m.start(), m.end(), m[0]) for m in _EMAIL.finditer(text)]


def is_email_address(value: str) -> bool:
    return _EMAIL.fullmatch(value) is not None


# --- phone numbers -------------------------------------------------------------------------

# A digit group: digits, with a + if the group begins a number, or a short group in parentheses
# (an area code "(09)", the trunk zero "(0)", "(+358)").
_GROUP = re.compile(r"\(\+?[0-9]{1,4}\)|\+?[0-9]+")
_SOFT_JOINS = (".", "/")  # what dates and times are written with, too
_MAX_DIGITS = 18  # 00, the 15 digits of E.164 and a trunk zero: no number is longer

# What a whole number may be, each with the digits its canonical form needs in a named group.
_FINNISH_INTERNATIONAL = r"(?:\+|00)?3580?(?P<finnish>[1-9][0-9]{5,11})"
_FINNISH_NATIONAL = r"0[1-9][0-9]{5,11}"
_FOREIGN = r"(?:\+|00)(?!358)(?P<foreign>[1-9][0-9]{6,14})"
_SERVICE = r"11[0-9]{1,4}"


class _Group(NamedTuple):
    start: int
    end: int
    plain: str  # the digits and a leading +, without parentheses
    soft: bool  # joined to the group before it by a dot or a slash
    trunk: bool  # "(0)": dropped from an international number


class _Kind(NamedTuple):
    number: re.Pattern[str]  # what the digits (and +) of a whole number match
    start: re.Pattern[str]  # how its first three characters look: the rest need not be read
    min_digits: int


# A family's number; and what staff may enter for a service, 112 and 116 111 included.
_PERSONAL = _Kind(
    re.compile("|".join((_FINNISH_INTERNATIONAL, _FINNISH_NATIONAL, _FOREIGN))),
    re.compile(r"\+[1-9]|00[1-9]|0[1-9]|358"),
    7,
)
_FINNISH_OR_SERVICE = _Kind(
    re.compile("|".join((_FINNISH_INTERNATIONAL, _FINNISH_NATIONAL, _SERVICE))),
    re.compile(r"\+35|003|0[1-9]|358|11[0-9]"),
    3,
)


def _canonical(match: re.Match[str]) -> str:
    if match.lastgroup == "finnish":
        return "+358" + match["finnish"]
    if match.lastgroup == "foreign":
        return "+" + match["foreign"]
    return match[0]


def _runs(text: str) -> Iterator[list[_Group]]:
    """The runs of joined digit groups, leaving out a group that touches a letter."""
    run: list[_Group] = []
    previous = ""
    for match in _GROUP.finditer(text):
        start, end, written = match.start(), match.end(), match[0]
        gap = text[run[-1].end : start] if run and start - run[-1].end <= _JOIN_MAX else None
        joined = (
            gap is not None
            and not written.lstrip("(").startswith("+")  # a + begins a number
            and bool(_JOIN.fullmatch(gap) if gap else (previous.endswith(")") or written[0] == "("))
        )
        touches_letter = (not joined and start > 0 and _WORD.match(text, start - 1)) or (
            end < len(text) and _WORD.match(text, end) and not text[end].isdigit()
        )
        if not joined or touches_letter:
            if run:
                yield run
            run = []
        if not touches_letter:
            plain = written.strip("()")
            run.append(_Group(start, end, plain, joined and gap in _SOFT_JOINS, written == "(0)"))
            previous = written
    if run:
        yield run


def _dates(run: list[_Group]) -> list[bool]:
    """For each group, whether it and the next read as a date or a time: 5.12.2024, 9.30, 24/7."""
    return [
        k + 1 < len(run)
        and run[k + 1].soft
        and not group.soft
        and max(len(group.plain), len(run[k + 1].plain)) <= 2
        for k, group in enumerate(run)
    ]


def _cover(run: list[_Group], kind: _Kind) -> list[Found]:
    """The numbers of one run, read the way that covers the most digits with the fewest numbers.

    A number spans at most _MAX_DIGITS groups, so this takes time linear in the run. It never
    starts or ends inside a dotted sequence, nor holds a date or a time."""
    n, date = len(run), _dates(run)
    # best[i]: (digits covered, -numbers) in run[i:] and, if a number starts at i, where it ends.
    best: list[tuple[int, int, tuple[int, str] | None]] = [(0, 0, None)] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i] = (best[i + 1][0], best[i + 1][1], None)
        if i and run[i].soft:
            continue
        plain, digits, started = "", 0, False
        for j in range(i + 1, n + 1):
            group = run[j - 1]
            digits += len(group.plain.lstrip("+"))
            plain += "" if group.trunk and j == i + 2 and plain.startswith(("+", "00")) else group.plain
            if not started and len(plain) >= 3:
                if not kind.start.match(plain):
                    break
                started = True
            if digits > _MAX_DIGITS or date[j - 1]:
                break
            if digits < kind.min_digits or (j < n and run[j].soft):
                continue
            match = kind.number.fullmatch(plain)
            if match and (digits + best[j][0], best[j][1] - 1) > best[i][:2]:
                best[i] = (digits + best[j][0], best[j][1] - 1, (j, _canonical(match)))
    found, i = [], 0
    while i < n:
        pick = best[i][2]
        if pick is None:
            i += 1
            continue
        end, number = pick
        found.append(Found(run[i].start, run[end - 1].end, number))
        i = end
    return found


def _numbers(text: str, kind: _Kind) -> list[Found]:
    return [number for run in _runs(text) for number in _cover(run, kind)]


def find_phone_numbers(text: str) -> list[Found]:
    """A family's phone numbers in the text (Finnish or foreign; service numbers like 112 not)."""
    return _numbers(text, _PERSONAL)


def callback_number(text: str) -> str | None:
    """The first number in what a family wrote that they can be called back on, canonical:
    "040 123 4567" -> "0401234567", "00358 44 555 1234" -> "+358445551234", "+46 70 123 45 67"
    -> "+46701234567"; None if there is none (112 and 116 111 reach no family)."""
    numbers = find_phone_numbers(text)
    return numbers[0].value if numbers else None


def finnish_phone_number(value: str) -> str | None:
    """The canonical number if the whole value is one Finnish phone number, a service number
    such as 112 or 116 111 included; else None."""
    value = value.strip()
    numbers = _numbers(value, _FINNISH_OR_SERVICE)
    if len(numbers) == 1 and numbers[0].start == 0 and numbers[0].end == len(value):
        return numbers[0].value
    return None
