"""The words of each service type, kept in the `type_word` table as services change.

A type's words are the folded lemmas of its live services' names and keywords (descriptions'
everyday words fit every type, see bench/RESULTS.md). The keyword routing reads only the rows
of the message's words; writes add and take away counts, so a keyword staff add counts from
the next message on and a word leaves a type with its last service.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from language.text import LANGUAGES, fold, lemmas
from service_catalog.models import Service, TypeWord

COLUMNS = ("id", "type", "deleted_at", "name_fi", "name_sv", "name_en", "keywords")

Delta = Counter  # (word, type) -> change in the number of services


def words_of(values: Mapping[str, Any]) -> frozenset[str]:
    """The folded lemmas a service gives its type; none while it is deleted."""
    if values.get("deleted_at") is not None:
        return frozenset()
    keywords = values.get("keywords") or {}
    found = set()
    for lang in LANGUAGES:
        for phrase in [values.get(f"name_{lang}") or "", *keywords.get(lang, [])]:
            found.update(fold(w) for w in lemmas(phrase, lang))
    return frozenset(found)


def delta(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> Delta:
    """The change to `type_word` when a service goes from `old` to `new` (None: no row)."""
    change: Delta = Counter()
    for values, sign in ((old, -1), (new, 1)):
        if values is not None:
            for word in words_of(values):
                change[(word, values["type"])] += sign
    return Counter({key: n for key, n in change.items() if n})


def apply(connection: Connection, change: Delta) -> None:
    if not change:
        return
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[connection.dialect.name]
    upsert = dialect.insert(TypeWord)
    # An upsert adds to the count in one statement, so two writers never lose each other's.
    upsert = upsert.on_conflict_do_update(
        index_elements=["word", "type"], set_={"services": TypeWord.services + upsert.excluded.services}
    )
    connection.execute(upsert, [{"word": w, "type": t, "services": n} for (w, t), n in change.items()])
    gone = [(w, t) for (w, t), n in change.items() if n < 0]
    for word, code in gone:
        connection.execute(
            delete(TypeWord).where(TypeWord.word == word, TypeWord.type == code, TypeWord.services <= 0)
        )


def _stored(connection: Connection, service_id: str) -> Mapping[str, Any] | None:
    columns = [getattr(Service, c) for c in COLUMNS]
    return connection.execute(select(*columns).where(Service.id == service_id)).mappings().first()


def _current(target: Service) -> dict[str, Any]:
    return {c: getattr(target, c) for c in COLUMNS}


def _inserted(_mapper: Any, connection: Connection, target: Service) -> None:
    apply(connection, delta(None, _current(target)))


def _updating(_mapper: Any, connection: Connection, target: Service) -> None:
    state = inspect(target)
    if not any(state.attrs[c].history.has_changes() for c in COLUMNS):
        return
    # The old words from the row as stored: the object may never have loaded them.
    apply(connection, delta(_stored(connection, target.id), _current(target)))


def _deleting(_mapper: Any, connection: Connection, target: Service) -> None:
    apply(connection, delta(_stored(connection, target.id), None))


_LISTENERS = (("after_insert", _inserted), ("before_update", _updating), ("before_delete", _deleting))


def keep_in_step() -> None:
    """Registers the listeners that keep `type_word` in step with every service written
    (idempotent; `db` calls it for every engine it makes, as smbackend registers its hooks)."""
    for name, listener in _LISTENERS:
        if not event.contains(Service, name, listener):
            event.listen(Service, name, listener)


def rebuild(connection: Connection) -> int:
    """Count every type's words afresh from the services (after a bulk load, or if the
    lemmatiser changed). Returns the number of rows."""
    counts: Delta = Counter()
    for values in connection.execute(select(*[getattr(Service, c) for c in COLUMNS])).mappings():
        counts.update(delta(None, values))
    connection.execute(delete(TypeWord))
    rows = [{"word": w, "type": t, "services": n} for (w, t), n in counts.items()]
    for start in range(0, len(rows), 5000):
        connection.execute(insert(TypeWord), rows[start : start + 5000])
    return len(rows)


def type_words(session: Session, words: Iterable[str]) -> list[tuple[str, str]]:
    """(word, type) for each of `words` some live service of the type has."""
    words = sorted(set(words))
    if not words:
        return []
    return [
        tuple(row)
        for row in session.execute(select(TypeWord.word, TypeWord.type).where(TypeWord.word.in_(words)))
    ]
