"""Ratings from the widget (public POST /feedback) and what staff learn from the chat (viewer)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response, status

from api.deps import CurrentUser, SessionDep
from api.schemas import FeedbackCreate, UnansweredQuestionPublic, WeekFigures
from office import insights
from office.insights import UnansweredQuestion

ERRORS: dict[int | str, dict[str, Any]] = {401: {"description": "no token, or an invalid one"}}

Since = Annotated[datetime | None, Query(description="from this time (ISO 8601)")]
Until = Annotated[datetime | None, Query(description="before this time (ISO 8601)")]

feedback = APIRouter(prefix="/feedback", tags=["feedback"])
router = APIRouter(prefix="/insights", tags=["insights"])


@feedback.post(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    summary="Rate an answer",
    responses={409: {"description": "the conversation has no answer to rate, or every one is rated"}},
)
def add_rating(body: FeedbackCreate, session: SessionDep) -> Response:
    if reason := insights.rating_refusal(session, body.sender):
        raise HTTPException(status.HTTP_409_CONFLICT, reason)
    insights.add_rating(
        session, sender_id=body.sender, helpful=body.helpful, services=body.services, language=body.language
    )
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


def _filters(
    since: datetime | None = None,
    until: datetime | None = None,
    language: Literal["fi", "sv", "en"] | None = None,
    municipality: str | None = None,
) -> dict[str, Any]:
    return {"since": since, "until": until, "language": language, "municipality_id": municipality}


@router.get(
    "/unanswered",
    response_model=list[UnansweredQuestionPublic],
    responses=ERRORS,
    summary="What the bot could not answer (masked), newest first",
)
def list_unanswered(
    session: SessionDep,
    _user: CurrentUser,
    since: Since = None,
    until: Until = None,
    language: Literal["fi", "sv", "en"] | None = Query(None),
    municipality: str | None = Query(None, description="a municipality id, e.g. mikkeli"),
    limit: int = Query(200, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[UnansweredQuestion]:
    return insights.list_unanswered(
        session, **_filters(since, until, language, municipality), limit=limit, offset=offset
    )


@router.get(
    "/unanswered.csv",
    response_class=Response,
    responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
    summary="The same as CSV (all matching rows)",
)
def export_unanswered(
    session: SessionDep,
    _user: CurrentUser,
    since: Since = None,
    until: Until = None,
    language: Literal["fi", "sv", "en"] | None = Query(None),
    municipality: str | None = Query(None),
) -> Response:
    rows = insights.list_unanswered(session, **_filters(since, until, language, municipality), limit=None)
    return Response(
        insights.unanswered_csv(rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="unanswered.csv"'},
    )


@router.get("/weekly", response_model=list[WeekFigures], responses=ERRORS, summary="Figures per ISO week")
def weekly(
    session: SessionDep, _user: CurrentUser, weeks: int = Query(4, ge=1, le=53)
) -> list[dict[str, Any]]:
    return insights.weekly(session, weeks=weeks)
