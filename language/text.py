"""Tokens, folding and lemmas for Finnish, Swedish and English chat text."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import simplemma

LANGUAGES = ("fi", "sv", "en")
_WORD = re.compile(r"\w+(?:[-:']\w+)*", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without diacritics: people type "mikkelissa" for "Mikkelissä"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def lemma(word: str, lang: str) -> str:
    """The dictionary form by simplemma's dictionaries (e.g. "Turussa" -> "turku")."""
    return simplemma.lemmatize(word.lower(), lang=lang).lower()


def lemmas(text: str, lang: str) -> list[str]:
    return [lemma(w, lang) for w in words(text)]
