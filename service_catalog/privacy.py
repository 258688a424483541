"""Personal data out of what we keep: identity codes, emails and phone numbers masked.

Used wherever a family's own words are stored or logged: the unanswered questions of the
insights, the Rasa tracker store (`bot.stores`) and the log records of every process.
"""

from __future__ import annotations

import logging
import re

IDENTITY_CODE_TOKEN = "[henkilötunnus]"
PHONE_TOKEN = "[puhelin]"
EMAIL_TOKEN = "[sähköposti]"

_EMAIL = re.compile(r"[^@\s,;:<>()\[\]]+@[^@\s.,;:<>()\[\]]+(?:\.[^@\s.,;:<>()\[\]]+)+")
# DDMMYY, the century sign (+ 1800s; - Y X W V U 1900s; A B C D E F 2000s, the 2023 ones
# included), the individual number and the check character.
_IDENTITY_CODE = re.compile(
    r"(?<![\w])(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d\d[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y](?!\w)",
    re.IGNORECASE,
)
# A run of digit groups separated by single spaces or dashes; each run is then cut into the
# numbers a person answers (see _phone_spans), so "3-vuotias" or "112" stay.
_DIGIT_RUN = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d+\)?\d*(?:[ \t-]\(?\d+\)?\d*)*(?!\w)")
_GROUP = re.compile(r"\+?\(?\d+\)?\d*")
_PHONE_INTERNATIONAL = re.compile(r"(?:\+|00)358(?:\(0\)|0)?[1-9]\d{4,10}")
_PHONE_NATIONAL = re.compile(r"\(?0\d{1,3}\)?\d{4,9}")


def _is_phone(joined: str) -> bool:
    digits = joined.replace("(0)", "") if joined.startswith(("+", "00")) else joined
    if _PHONE_INTERNATIONAL.fullmatch(joined) or _PHONE_INTERNATIONAL.fullmatch(digits):
        return True
    plain = digits.replace("(", "").replace(")", "")
    return bool(_PHONE_NATIONAL.fullmatch(digits)) and 7 <= len(plain) <= 12 and plain[1] != "0"


def _phone_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for run in _DIGIT_RUN.finditer(text):
        groups = list(_GROUP.finditer(run[0]))
        i = 0
        while i < len(groups):
            for j in range(len(groups), i, -1):  # the longest number starting at group i
                if _is_phone("".join(g[0] for g in groups[i:j])):
                    spans.append((run.start() + groups[i].start(), run.start() + groups[j - 1].end()))
                    i = j
                    break
            else:
                i += 1
    return spans


def mask_personal_data(text: str | None) -> str:
    """The text with identity codes, emails and phone numbers replaced by neutral tokens."""
    text = _IDENTITY_CODE.sub(IDENTITY_CODE_TOKEN, text or "")
    text = _EMAIL.sub(EMAIL_TOKEN, text)
    for start, end in reversed(_phone_spans(text)):
        text = text[:start] + PHONE_TOKEN + text[end:]
    return text


class MaskingFilter(logging.Filter):
    """Masks personal data in every record that passes through a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_data(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def install_log_masking() -> None:
    """Adds the filter to every handler of the root logger (idempotent)."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
