"""Which of Finnish, Swedish and English a message is written in.

Two detectors from packages vote: lingua's character models (good on short text) and
simplemma's dictionary coverage (good on mixed text). Finnish service names that people
writing English or Swedish use as loanwords ("where is neuvola") are left out of the vote.
A message too short to tell keeps the conversation's language (the hint).
"""

from __future__ import annotations

from functools import lru_cache

import simplemma
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from language.text import LANGUAGES, fold, words

_LINGUA = {Language.FINNISH: "fi", Language.SWEDISH: "sv", Language.ENGLISH: "en"}
LOANWORDS = frozenset(
    {
        "neuvola",
        "neuvolaan",
        "neuvolan",
        "lastenneuvola",
        "aitiysneuvola",
        "kela",
        "kelan",
        "perhekeskus",
        "perhekeskukseen",
        "ohjaamo",
        "perheneuvo",
        "perheneuvola",
        "lastenvalvoja",
        "varhaiskasvatus",
        "turvakoti",
        "kotipalvelu",
        "perhetyo",
    }
)
# How far ahead the winner must be before it overrides the conversation's language.
MIN_MARGIN = 0.35


@lru_cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_LINGUA).with_preloaded_language_models().build()


def warm_up() -> None:
    """Load the detectors' models and the lemma dictionaries (seconds) before the first message."""
    _detector()
    simplemma.langdetect("hei hej hi", lang=LANGUAGES)
    for lang in LANGUAGES:
        simplemma.lemmatize("neuvolassa", lang=lang)


def language_scores(text: str) -> dict[str, float]:
    sample = " ".join(w for w in words(text) if fold(w) not in LOANWORDS and not w.isdigit())
    if not sample:
        return {lang: 0.0 for lang in LANGUAGES}
    scores = {lang: 0.0 for lang in LANGUAGES}
    for value in _detector().compute_language_confidence_values(sample):
        scores[_LINGUA[value.language]] += value.value
    for lang, share in simplemma.langdetect(sample, lang=LANGUAGES):
        if lang in scores:
            scores[lang] += share
    return scores


def _too_little_to_switch(text: str, best: str, hint: str) -> bool:
    """One word carries a language only when it is a word of that language's dictionary and not
    of the conversation's, and is more than an interjection: "hmm", "asdfgh" or a district name
    ("Pansio") kept flipping a Finnish conversation to English."""
    tokens = [w for w in words(text) if not w.isdigit()]
    if len(tokens) != 1:
        return False
    word = tokens[0].lower()
    known = simplemma.is_known(word, lang=best) and not simplemma.is_known(word, lang=hint)
    # A proper noun ("Mikkeli", lemmatised with a capital) is a name in every language.
    proper = simplemma.lemmatize(word, lang=best)[:1].isupper()
    return len(word) < 4 or not known or proper


def detect_language(text: str, hint: str | None = None) -> str:
    """The language to answer in; `hint` is the conversation's or the page's language."""
    hint = hint if hint in LANGUAGES else None
    scores = language_scores(text)
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)
    best, second = ranked[0], ranked[1]
    if scores[best] == 0.0:
        return hint or "fi"
    if hint and _too_little_to_switch(text, best, hint):
        return hint
    if hint and scores[best] - scores[second] < MIN_MARGIN and scores[hint] >= scores[second]:
        return hint
    return best
