"""Personal data out of what we keep and log: identity codes, emails and phone numbers masked.

Used wherever a family's own words are stored or logged: the unanswered questions of the
insights, the Rasa tracker store (`bot.stores`) and every process's log (`install_log_masking`).
What counts as personal data is `privacy.grammar`'s to say.
"""

from __future__ import annotations

import logging

from privacy.grammar import Found, find_emails, find_identity_codes, find_phone_numbers

IDENTITY_CODE_TOKEN = "[henkilötunnus]"
PHONE_TOKEN = "[puhelin]"
EMAIL_TOKEN = "[sähköposti]"

# In this order: an address may hold what looks like a code or a number, and a code's digits are
# not a phone number.
_FINDERS = (
    (find_emails, EMAIL_TOKEN),
    (find_identity_codes, IDENTITY_CODE_TOKEN),
    (find_phone_numbers, PHONE_TOKEN),
)


def _replace(text: str, found: list[Found], token: str) -> str:
    parts, at = [], 0
    for start, end, _value in found:
        parts += (text[at:start], token)
        at = end
    parts.append(text[at:])
    return "".join(parts)


def mask_personal_data(text: str | None) -> str:
    """The text with identity codes, emails and phone numbers replaced by neutral tokens."""
    text = text or ""
    for find, token in _FINDERS:
        text = _replace(text, find(text), token)
    return text


class MaskingFormatter(logging.Formatter):
    """Masks the whole record as another formatter writes it: the message, its arguments, the
    traceback of exc_info and the stack of stack_info, which a filter on the message misses."""

    def __init__(self, inner: logging.Formatter | None = None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        formatted = mask_personal_data(self.inner.format(record))
        # The inner formatter leaves the traceback's text on the record for the next handler to
        # print as it is: leave it masked there too, and the stack with it.
        if record.exc_text:
            record.exc_text = mask_personal_data(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return formatted


def mask_handler(handler: logging.Handler) -> None:
    """Wraps the handler's formatter in a MaskingFormatter, once."""
    if not isinstance(handler.formatter, MaskingFormatter):
        handler.setFormatter(MaskingFormatter(handler.formatter))


def install_log_masking() -> None:
    """Masks what every handler configured so far prints (idempotent).

    That is the root logger's handlers and those of every other logger that has its own:
    uvicorn, sanic and rasa give some of theirs handlers that do not propagate to the root.
    Python's last-resort handler too, which prints a record that no handler takes. A handler
    added after this call is not masked: call it again once a framework has set up its logging.
    """
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    loggers = [
        root,
        *(
            item
            for item in list(logging.Logger.manager.loggerDict.values())
            if isinstance(item, logging.Logger)
        ),
    ]
    for logger in loggers:
        for handler in list(logger.handlers):
            mask_handler(handler)
    if logging.lastResort is not None:
        mask_handler(logging.lastResort)
