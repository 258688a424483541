"""What the bot could not answer, and how it is doing.

Every answer a catalogue action gives leaves an `AnswerEvent` (no text, and the conversation
only as a keyed hash of the Rasa sender id). The questions the bot could not route (out of
scope, a clarifying question, the classifier's fallback) are kept as `UnansweredQuestion`s with
phone numbers, emails and personal identity codes masked (`mask_personal_data`), so staff see
what the catalogue or the training data lacks. Families rate answers (`Rating`). All three are
deleted after `insights_retention_days` (`purge_expired`, run with the inbox's at API start-up).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import JSON, Boolean, Column, DateTime, String, Text, delete, func, select
from sqlalchemy.orm import Session

from database import Base, utc_now
from language.text import fold, lemmas
from privacy.masking import mask_personal_data
from service_catalog.csv_cells import neutralised_row
from service_catalog.hours import HELSINKI
from service_catalog.search import _STOPWORDS
from settings import Settings, get_settings

KINDS = ("services", "crisis", "handoff", "clarify", "out_of_scope", "small_talk")
UNDERSTOOD = ("services", "crisis", "handoff")
UNANSWERED_KINDS = ("clarify", "out_of_scope", "nlu_fallback")
TEXT_MAX = 500

# --- the tables ----------------------------------------------------------------------------


class AnswerEvent(Base):
    __tablename__ = "answer_event"
    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    at = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)
    conversation = Column(String(64), nullable=False, index=True)  # conversation_key(sender)
    kind = Column(String(20), nullable=False)
    intent = Column(String(100))
    language = Column(String(2), nullable=False)
    municipality_id = Column(String(64), index=True)
    service_type = Column(String(64))  # the first service shown, if any
    understood = Column(Boolean, nullable=False)


class UnansweredQuestion(Base):
    __tablename__ = "unanswered_question"
    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    at = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)
    text = Column(Text, nullable=False)  # masked, at most TEXT_MAX characters
    language = Column(String(2), nullable=False, index=True)
    municipality_id = Column(String(64), index=True)
    intent = Column(String(100))
    kind = Column(String(20), nullable=False)  # clarify | out_of_scope | nlu_fallback


class Rating(Base):
    __tablename__ = "rating"
    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    at = Column(DateTime(timezone=True), nullable=False, default=utc_now, index=True)
    conversation = Column(String(64), nullable=False, index=True)
    helpful = Column(Boolean, nullable=False)
    services = Column(JSON, nullable=False, default=list)  # the service ids the answer showed
    language = Column(String(2), nullable=False)


def conversation_key(sender_id: str, settings: Settings | None = None) -> str:
    """The Rasa sender id as a keyed hash: conversations can be counted, not traced back."""
    secret = (settings or get_settings()).secret_key.encode("utf-8")
    return hmac.new(secret, (sender_id or "").encode("utf-8"), hashlib.sha256).hexdigest()


# --- writing -------------------------------------------------------------------------------


def record_answer(
    session: Session,
    *,
    sender_id: str,
    kind: str,
    text: str,
    intent: str | None,
    language: str,
    municipality_id: str | None,
    service_type: str | None,
    now: datetime | None = None,
) -> AnswerEvent:
    """One answer; and the question too when the bot could not route it."""
    now = now or utc_now()
    event = AnswerEvent(
        id=str(uuid.uuid4()),
        at=now,
        conversation=conversation_key(sender_id),
        kind=kind,
        intent=intent,
        language=language,
        municipality_id=municipality_id,
        service_type=service_type,
        understood=kind in UNDERSTOOD,
    )
    session.add(event)
    unanswered = "nlu_fallback" if intent == "nlu_fallback" else kind
    if unanswered in UNANSWERED_KINDS and (text or "").strip():
        session.add(
            UnansweredQuestion(
                id=str(uuid.uuid4()),
                at=now,
                text=mask_personal_data(text.strip())[:TEXT_MAX],
                language=language,
                municipality_id=municipality_id,
                intent=intent,
                kind=unanswered,
            )
        )
    return event


def add_rating(
    session: Session,
    *,
    sender_id: str,
    helpful: bool,
    services: Sequence[str],
    language: str,
    now: datetime | None = None,
) -> Rating:
    rating = Rating(
        id=str(uuid.uuid4()),
        at=now or utc_now(),
        conversation=conversation_key(sender_id),
        helpful=helpful,
        services=list(services),
        language=language,
    )
    session.add(rating)
    return rating


def rating_refusal(session: Session, sender_id: str) -> str | None:
    """Why a rating from this conversation is not taken, or None: a rating is for an answer
    the bot gave with services, once each (500 posts moved a week's figures from 2 to 504)."""
    key = conversation_key(sender_id)
    answers = session.scalar(
        select(func.count()).where(AnswerEvent.conversation == key, AnswerEvent.kind == "services")
    )
    if not answers:
        return "no answer of this conversation to rate"
    if session.scalar(select(func.count()).where(Rating.conversation == key)) >= answers:
        return "every answer of this conversation is rated already"
    return None


def purge_expired(session: Session, *, days: int | None = None, now: datetime | None = None) -> int:
    """Delete the answer events, questions and ratings older than the retention; how many went."""
    days = get_settings().insights_retention_days if days is None else days
    cutoff = (now or utc_now()) - timedelta(days=days)
    count = 0
    for table in (AnswerEvent, UnansweredQuestion, Rating):
        count += session.execute(delete(table).where(table.at < cutoff)).rowcount or 0
    return count


# --- reading -------------------------------------------------------------------------------


def list_unanswered(
    session: Session,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    language: str | None = None,
    municipality_id: str | None = None,
    limit: int | None = 200,
    offset: int = 0,
) -> list[UnansweredQuestion]:
    query = select(UnansweredQuestion).order_by(UnansweredQuestion.at.desc(), UnansweredQuestion.id)
    if since:
        query = query.where(UnansweredQuestion.at >= since)
    if until:
        query = query.where(UnansweredQuestion.at < until)
    if language:
        query = query.where(UnansweredQuestion.language == language)
    if municipality_id:
        query = query.where(UnansweredQuestion.municipality_id == municipality_id)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query.offset(offset)))


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)  # SQLite returns naive UTC


CSV_COLUMNS = ("at", "kind", "language", "municipality_id", "intent", "text")


def unanswered_csv(questions: Iterable[UnansweredQuestion]) -> str:
    """The questions as CSV; a family's text cannot become a spreadsheet formula (`csv_cells`)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for q in questions:
        row = [_aware(q.at).isoformat(), q.kind, q.language, q.municipality_id or "", q.intent or "", q.text]
        writer.writerow(neutralised_row(row))
    return out.getvalue()


def top_topics(questions: Iterable[UnansweredQuestion], n: int = 10) -> list[tuple[str, int]]:
    """The most frequent lemmas of the questions, function words and the masks left out."""
    counts: Counter[str] = Counter()
    for q in questions:
        lang = q.language if q.language in ("fi", "sv", "en") else "fi"
        for word in lemmas(q.text, lang):
            word = word.lower()
            if fold(word) in _STOPWORDS or len(word) < 3 or word.isdigit():
                continue
            if word in ("henkilötunnus", "puhelin", "sähköposti"):
                continue
            counts[word] += 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def _week_start(day: date) -> date:
    return day - timedelta(days=day.isoweekday() - 1)


def weekly(session: Session, *, weeks: int = 4, now: datetime | None = None) -> list[dict[str, Any]]:
    """Figures per ISO week (in Finnish time, as the opening hours), the newest week first."""
    tz = HELSINKI
    local_now = (now or utc_now()).astimezone(tz)
    first = _week_start(local_now.date()) - timedelta(weeks=weeks - 1)
    since = datetime.combine(first, datetime.min.time(), tzinfo=tz).astimezone(timezone.utc)

    def week_of(at: datetime) -> date:
        return _week_start(_aware(at).astimezone(tz).date())

    by_week: dict[date, dict[str, list[Any]]] = {
        first + timedelta(weeks=i): {"events": [], "ratings": [], "questions": []} for i in range(weeks)
    }
    for key, table in (("events", AnswerEvent), ("ratings", Rating), ("questions", UnansweredQuestion)):
        for row in session.scalars(select(table).where(table.at >= since)):
            bucket = by_week.get(week_of(row.at))
            if bucket is not None:
                bucket[key].append(row)

    figures = []
    for start in sorted(by_week, reverse=True):
        rows = by_week[start]
        events, ratings = rows["events"], rows["ratings"]
        routing = [e for e in events if e.kind != "small_talk"]
        understood = sum(1 for e in routing if e.understood)
        year, week, _ = start.isocalendar()
        figures.append(
            {
                "week": f"{year}-W{week:02d}",
                "start": start.isoformat(),
                "conversations": len({e.conversation for e in events}),
                "answers": len(events),
                "routing_answers": len(routing),
                "understood_share": round(understood / len(routing), 3) if routing else None,
                "crisis": sum(1 for e in events if e.kind == "crisis"),
                "handoffs": sum(1 for e in events if e.kind == "handoff"),
                "helpful": sum(1 for r in ratings if r.helpful),
                "not_helpful": sum(1 for r in ratings if not r.helpful),
                "unanswered": len(rows["questions"]),
                "top_unanswered": [{"lemma": w, "count": c} for w, c in top_topics(rows["questions"])],
            }
        )
    return figures
