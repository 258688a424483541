"""Erasing a family's conversation on request (GDPR): editors, by the chat's conversation id."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from api.deps import EditorUser, SessionDep
from office import conversations

router = APIRouter(prefix="/conversations", tags=["conversations"])


class ErasurePublic(BaseModel):
    tracker_store: str = Field(
        description='"sql", or "in-memory" (conversations live in the Rasa process only)'
    )
    events: int = Field(description="tracker events deleted from the SQL tracker store")
    answer_events: int = Field(description="answer figures of the conversation deleted")
    unanswered_questions: int = Field(
        description="the conversation's unanswered questions deleted (masked texts)"
    )
    ratings: int = Field(description="the family's ratings of answers deleted")


ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "no token, or an invalid one"},
    403: {"description": "erasing needs an editor"},
}


@router.delete("/{sender_id}", response_model=ErasurePublic, responses=ERRORS, summary="Erase a conversation")
def erase_conversation(
    session: SessionDep,
    user: EditorUser,
    sender_id: str = Path(
        ..., min_length=1, max_length=128, description="the chat's conversation id (sender)"
    ),
) -> conversations.Erasure:
    """Deletes the conversation from the tracker store, and its answer figures, unanswered
    questions and ratings; the answer counts the rows deleted.

    The id is the `sender` of the chat webhook (the widget keeps it in the tab's sessionStorage
    as `sender` under `pk-widget:v1`). Erasing an id
    that has nothing stored answers with zero counts; the erasure is audited by a keyed hash.
    A call-me-back request is not tied to a conversation: find it in the inbox by the family's
    phone number or email."""
    erasure = conversations.erase(session, sender_id, user.actor)
    session.commit()
    return erasure
