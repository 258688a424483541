"""Which day a follow-up asks about: "onko se auki lauantaina?", "is it open tomorrow?"."""

from __future__ import annotations

from datetime import date, timedelta

from language.text import fold, lemma, words

_WEEKDAYS = {
    "fi": ("maanantai", "tiistai", "keskiviikko", "torstai", "perjantai", "lauantai", "sunnuntai"),
    "sv": ("mandag", "tisdag", "onsdag", "torsdag", "fredag", "lordag", "sondag"),
    "en": ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
}
_RELATIVE = {
    "tanaan": 0,
    "nyt": 0,
    "idag": 0,
    "today": 0,
    "now": 0,
    "nu": 0,
    "huomenna": 1,
    "huomen": 1,
    "imorgon": 1,
    "morgon": 1,
    "tomorrow": 1,
}


def asked_day(text: str, today: date) -> date | None:
    """The date the text asks about, or None when it names no day."""
    for word in words(text):
        for lang, names in _WEEKDAYS.items():
            for form in {fold(word), fold(lemma(word, lang))}:
                for index, name in enumerate(names):
                    # "lauantaina", "lauantaisin", "lördagen", "saturdays"
                    if form.startswith(name):
                        return today + timedelta(days=(index - today.weekday()) % 7)
        if fold(word) in _RELATIVE:
            return today + timedelta(days=_RELATIVE[fold(word)])
    return None
