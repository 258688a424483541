"""A read-only staff web UI at /staff (sqladmin): browse and search the catalogue and the audit log.

Sign-in uses the staff accounts of the API. Changes are made through the admin API (`/docs`),
not here: only that path validates against the taxonomy and formats, checks the ETag and
writes the audit log, so this UI offers no create, edit or delete.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqladmin import Admin, ModelView
from sqladmin.authentication import AuthenticationBackend
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from api.security import Principal, access_token_for, authenticate, principal_for
from service_catalog.db import get_engine, new_session
from service_catalog.models import Area, Contact, Helpline, Municipality, Provider, Service, ServiceLocation
from service_catalog.settings import get_settings
from service_catalog.staff import ApiToken, AuditEntry, StaffUser, role_allows

UI_PATH = "/staff"


class CurrentCatalogue(sessionmaker):
    """Binds each session to the database the settings name when it is opened, not at import."""

    def __call__(self, **options: Any):  # type: ignore[no-untyped-def]
        options.setdefault("bind", get_engine())
        return super().__call__(**options)


def _sign_in(email: str, password: str) -> str | None:
    with new_session() as session:
        user = authenticate(session, email, password)
        if user is None:
            return None
        session.commit()
        return access_token_for(user)[0]


def _principal(token: str | None) -> Principal | None:
    if not token:
        return None
    with new_session() as session:
        return principal_for(session, token)


class StaffSignIn(AuthenticationBackend):
    async def login(self, request: Request) -> bool:
        form = await request.form()
        token = await run_in_threadpool(
            _sign_in, str(form.get("username", "")), str(form.get("password", ""))
        )
        if token is None:
            return False
        request.session.update({"token": token})
        return True

    async def logout(self, request: Request) -> bool:
        request.session.clear()
        return True

    async def authenticate(self, request: Request) -> bool:
        principal = await run_in_threadpool(_principal, request.session.get("token"))
        if principal is None:
            return False
        request.state.staff_role = principal.role
        return True


class ReadOnly(ModelView):
    can_create = False
    can_edit = False
    can_delete = False
    page_size = 50


class AdminOnly(ReadOnly):
    def is_accessible(self, request: Request) -> bool:
        return role_allows(getattr(request.state, "staff_role", ""), "admin")

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)


class ServiceView(ReadOnly, model=Service):
    name_plural = "Services"
    column_list = [
        Service.id,
        Service.type,
        Service.name_fi,
        Service.municipality_id,
        Service.area_id,
        Service.version,
        Service.deleted_at,
    ]
    column_searchable_list = [Service.id, Service.name_fi, Service.type]
    column_sortable_list = [Service.id, Service.type, Service.name_fi, Service.municipality_id]
    column_details_exclude_list = [Service.provider, Service.municipality, Service.area]


class LocationView(ReadOnly, model=ServiceLocation):
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


class ContactView(ReadOnly, model=Contact):
    name_plural = "Perheneuvo contacts"
    column_list = [
        Contact.id,
        Contact.name,
        Contact.phone,
        Contact.email,
        Contact.version,
        Contact.deleted_at,
    ]
    column_searchable_list = [Contact.id, Contact.name]
    column_details_exclude_list = [Contact.municipalities, Contact.areas]


class MunicipalityView(ReadOnly, model=Municipality):
    name_plural = "Municipalities"
    column_list = [
        Municipality.id,
        Municipality.code,
        Municipality.name_fi,
        Municipality.region_id,
        Municipality.deleted_at,
    ]
    column_searchable_list = [Municipality.id, Municipality.name_fi]
    column_details_exclude_list = [Municipality.region, Municipality.areas]


class AreaView(ReadOnly, model=Area):
    name_plural = "Areas"
    column_list = [Area.id, Area.name_fi, Area.municipality_id, Area.deleted_at]
    column_searchable_list = [Area.id, Area.name_fi]
    column_details_exclude_list = [Area.municipality]


class ProviderView(ReadOnly, model=Provider):
    name_plural = "Providers"
    column_list = [Provider.id, Provider.kind, Provider.name_fi, Provider.deleted_at]
    column_searchable_list = [Provider.id, Provider.name_fi]


class HelplineView(ReadOnly, model=Helpline):
    name_plural = "Helplines"
    column_list = [Helpline.id, Helpline.name_fi, Helpline.phone, Helpline.hours, Helpline.deleted_at]


class AuditView(ReadOnly, model=AuditEntry):
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


VIEWS = (
    ServiceView,
    LocationView,
    ContactView,
    MunicipalityView,
    AreaView,
    ProviderView,
    HelplineView,
    AuditView,
    StaffUserView,
    ApiTokenView,
)


def mount_staff_ui(app: FastAPI) -> Admin:
    ui = Admin(
        app,
        session_maker=CurrentCatalogue(),
        base_url=UI_PATH,
        title="Perhekeskus: catalogue (read only)",
        authentication_backend=StaffSignIn(secret_key=get_settings().secret_key),
    )
    for view in VIEWS:
        ui.add_view(view)
    return ui
