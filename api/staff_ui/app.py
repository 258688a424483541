"""The staff web UI at /staff (sqladmin): the catalogue, the call-me-back inbox, the audit log.

Every signed-in staff member reads; editors edit the catalogue and work the inbox; admins also
see the accounts and API tokens. Writes take the same path as the admin API's (see `catalogue`
and `inbox`), so the UI cannot do what the API would refuse.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqladmin import Admin
from sqlalchemy.orm import sessionmaker
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from api.deps import admin_error_status
from api.security import SignInLocked
from api.staff_ui.access import AdminOnly, StaffSignIn, StaffView, locked_message
from api.staff_ui.catalogue import CATALOGUE_VIEWS
from api.staff_ui.inbox import InboxView
from service_catalog.admin import AdminError
from service_catalog.db import get_engine
from service_catalog.models import ServiceLocation
from settings import get_settings
from staff.accounts import ApiToken, StaffUser
from staff.audit import AuditEntry

UI_PATH = "/staff"


class CurrentCatalogue(sessionmaker):
    """Binds each session to the database the settings name when it is opened, not at import."""

    def __call__(self, **options: Any):  # type: ignore[no-untyped-def]
        options.setdefault("bind", get_engine())
        return super().__call__(**options)


class LocationView(StaffView, model=ServiceLocation):
    """Read here; edited as the `locations` of their service, which owns them."""

    name_plural = "Service locations"
    column_list = [
        ServiceLocation.id,
        ServiceLocation.service_id,
        ServiceLocation.street_address,
        ServiceLocation.phone,
        ServiceLocation.deleted_at,
    ]
    column_searchable_list = [ServiceLocation.id, ServiceLocation.street_address, ServiceLocation.phone]
    column_details_exclude_list = [ServiceLocation.service, ServiceLocation.municipality]


class AuditView(StaffView, model=AuditEntry):
    name_plural = "Audit log"
    column_list = [
        AuditEntry.at,
        AuditEntry.actor,
        AuditEntry.action,
        AuditEntry.entity,
        AuditEntry.entity_id,
        AuditEntry.version,
    ]
    column_searchable_list = [AuditEntry.entity_id, AuditEntry.actor]
    column_default_sort = [(AuditEntry.id, True)]


class StaffUserView(AdminOnly, model=StaffUser):
    name_plural = "Staff accounts"
    column_list = [StaffUser.id, StaffUser.email, StaffUser.name, StaffUser.role, StaffUser.active]
    column_details_exclude_list = [StaffUser.password_hash]


class ApiTokenView(AdminOnly, model=ApiToken):
    name_plural = "API tokens"
    column_list = [ApiToken.id, ApiToken.name, ApiToken.role, ApiToken.last_used_at, ApiToken.revoked]
    column_details_exclude_list = [ApiToken.token_hash]


VIEWS = (*CATALOGUE_VIEWS, LocationView, InboxView, AuditView, StaffUserView, ApiTokenView)


def _refused(request: Request, error: Exception) -> PlainTextResponse:
    # Reaches here only from sqladmin's delete, which shows the answer's text in an alert.
    assert isinstance(error, AdminError)
    return PlainTextResponse(str(error), status_code=admin_error_status(error))


def mount_staff_ui(app: FastAPI) -> Admin:
    ui = Admin(
        app,
        session_maker=CurrentCatalogue(),
        base_url=UI_PATH,
        title="Perhekeskus: staff",
        authentication_backend=StaffSignIn(secret_key=get_settings().secret_key),
    )
    ui.admin.add_exception_handler(AdminError, _refused)

    async def locked_out(request: Request, error: Exception) -> Response:
        # Raised by the sign-in form's backend while the account or the address is locked.
        assert isinstance(error, SignInLocked)
        page = await ui.templates.TemplateResponse(
            request, "sqladmin/login.html", {"error": locked_message(error)}, status_code=429
        )
        page.headers["Retry-After"] = str(error.retry_after)
        return page

    ui.admin.add_exception_handler(SignInLocked, locked_out)
    for view in VIEWS:
        ui.add_view(view)
    return ui
