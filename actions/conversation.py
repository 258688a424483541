"""Small talk and out-of-scope answers, in the family's language."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from sqlalchemy.orm import Session

from actions.answers import Answer, Context, out_of_scope_answer
from actions.base import CatalogueAction
from actions.routing import place_reply
from actions.texts import say

SMALL_TALK = ("greet", "goodbye", "thank", "bot_challenge", "help", "affirm", "deny")


class ActionSmallTalk(CatalogueAction):
    def name(self) -> str:
        return "action_small_talk"

    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        if reply := place_reply(session, ctx, tracker):
            return reply
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        return Answer([say(intent if intent in SMALL_TALK else "help", ctx.lang)], shown=ctx.shown), []


class ActionOutOfScope(CatalogueAction):
    def name(self) -> str:
        return "action_out_of_scope"

    def answer(self, session: Session, ctx: Context, tracker: Tracker) -> tuple[Answer, list[Any]]:
        return place_reply(session, ctx, tracker) or (out_of_scope_answer(ctx), [])
