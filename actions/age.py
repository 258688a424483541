"""The child's age when a message tells it: "3-vuotias", "8v", "min 5-åring", "my 2 year old"."""

from __future__ import annotations

import re

from language.text import fold

_NUMBER = re.compile(
    r"\b(\d{1,2})\s*-?\s*(v\b|vuot\w*|vee\b|v\.|ar\b|ars\w*|aring\w*|year\w*|yr\w*|yo\b|y/o)"
)
_WORDS = {
    "vauva": 0,
    "vauvan": 0,
    "vastasyntyn": 0,
    "baby": 0,
    "bebis": 0,
    "newborn": 0,
    "nyfodd": 0,
    "taapero": 2,
    "toddler": 2,
    "eskari": 6,
    "esikoulu": 6,
    "forskola": 6,
    "ekaluokka": 7,
    "koululai": 10,
    "skolbarn": 10,
    "teini": 15,
    "tonaring": 15,
    "teen": 15,
    "murrosik": 14,
}


def child_age(text: str) -> int | None:
    folded = fold(text)
    match = _NUMBER.search(folded)
    if match and int(match[1]) <= 29:
        return int(match[1])
    for word in re.findall(r"\w+", folded):
        for stem, age in _WORDS.items():
            if word.startswith(stem):
                return age
    return None
