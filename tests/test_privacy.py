"""No log line of ours carries a family's phone number, email or identity code."""

from __future__ import annotations

import io
import logging

from service_catalog.privacy import MaskingFilter, install_log_masking


def test_log_records_are_masked_by_the_handler_filter():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("pk-test-privacy")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("request from %s, call %s, id %s", "anna@example.fi", "040 123 4567", "131052-308T")
        logger.warning("no personal data in %d messages", 3)
    finally:
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert lines == [
        "request from [sähköposti], call [puhelin], id [henkilötunnus]",
        "no personal data in 3 messages",
    ]


def test_installing_twice_adds_one_filter():
    install_log_masking()
    install_log_masking()
    for handler in logging.getLogger().handlers:
        assert sum(isinstance(f, MaskingFilter) for f in handler.filters) == 1
