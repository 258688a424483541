"""Which language to answer in: the message's, unless it carries too little to tell."""

from __future__ import annotations

import pytest

from language.detect import detect_language


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("Where is the child health clinic?", "fi", "en"),
        ("var finns barnrådgivningen", "fi", "sv"),
        ("missä on neuvola", "en", "fi"),
        ("thanks", "fi", "en"),
        ("kiitos", "sv", "fi"),
        # Nothing of a language in it: the conversation's language stays.
        ("hmm", "fi", "fi"),
        ("asdfgh", "fi", "fi"),
        ("Pansio", "fi", "fi"),
        ("Helsinki", "en", "en"),
        ("ok", "sv", "sv"),
        ("😊", "sv", "sv"),
    ],
)
def test_the_answer_language(text, hint, expected):
    assert detect_language(text, hint) == expected
