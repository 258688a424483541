"""The call-me-back inbox in the staff UI: newest first, filtered by status and municipality.

Editors claim and close requests (actions) and add notes (the edit page holds only a new note),
all through `office.inbox`, so the rules are the API's: a colleague's claim is not taken
over, a closed request stays closed. The family's phone number or email is shown, as in the API,
only to signed-in staff; it is not exported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqladmin import action
from sqladmin.filters import AllUniqueStringValuesFilter, StaticValuesFilter
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse
from wtforms import TextAreaField
from wtforms.validators import InputRequired, Length

from api.deps import admin_error_status
from api.staff_ui.access import StaffView, back, in_transaction, pks, require, same_site
from api.staff_ui.forms import StyledForm
from office import inbox
from office.inbox import CallbackRequest
from service_catalog.admin import AdminError


class NoteForm(StyledForm):
    note = TextAreaField(
        "Add a note",
        [InputRequired(), Length(max=inbox.NOTE_MAX)],
        description="what was agreed with the family; kept with the request, visible to colleagues",
        render_kw={"rows": 4},
    )


def _notes(request: CallbackRequest, _attribute: Any) -> str:
    return " | ".join(f"{n['at'][:16]} {n['by']}: {n['text']}" for n in request.notes or [])


class InboxView(StaffView, model=CallbackRequest):
    name = "Call-me-back request"
    name_plural = "Call-me-back inbox"
    icon = "fa-solid fa-phone"
    writes = frozenset({"edit"})  # a note; requests are made by families, deleted by the retention
    can_export = False  # personal data stay in the inbox
    form = NoteForm
    column_list = [
        CallbackRequest.created_at,
        CallbackRequest.status,
        CallbackRequest.municipality_id,
        CallbackRequest.contact_id,
        CallbackRequest.language,
        CallbackRequest.contact_channel,
        CallbackRequest.contact_value,
        CallbackRequest.topic,
        CallbackRequest.claimed_by,
        CallbackRequest.closed_at,
    ]
    column_default_sort = [(CallbackRequest.created_at, True)]
    column_filters = [
        StaticValuesFilter(CallbackRequest.status, [(s, s) for s in inbox.STATUSES]),
        AllUniqueStringValuesFilter(CallbackRequest.municipality_id, title="Municipality"),
    ]
    column_searchable_list = [CallbackRequest.topic]
    column_formatters_detail = {CallbackRequest.notes: _notes}

    async def update_model(self, request: Request, pk: str, data: dict) -> Any:
        label = require("editor").actor.label
        return await in_transaction(lambda session: inbox.add_note(session, pk, label, data["note"]))

    async def _each(self, request: Request, change: Callable[[Session, str, int | None], Any]) -> Any:
        same_site(request)
        staff_user_id = require("editor").actor.staff_user_id

        def change_all(session: Session) -> None:
            for pk in pks(request):
                change(session, pk, staff_user_id)

        try:
            await in_transaction(change_all)
        except AdminError as error:  # closed already, or a colleague's
            raise HTTPException(admin_error_status(error), str(error)) from None
        return RedirectResponse(back(request, request.url_for("admin:list", identity=self.identity)), 303)

    @action("claim", "Claim", "Take the selected requests on? Colleagues see that you call.")
    async def claim(self, request: Request) -> RedirectResponse:
        return await self._each(request, inbox.claim)

    @action("close", "Close", "Close the selected requests?")
    async def close(self, request: Request) -> RedirectResponse:
        return await self._each(request, inbox.close)
