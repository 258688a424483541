"""The catalogue in the staff UI: editors create, edit, delete and restore rows.

Every write goes through `service_catalog.admin`, as the admin API's do: the API's schema checks
the data (`forms`), the version the form was filled from must still be the row's (a stale form
is refused, not saved over a colleague's change), the audit log names the signed-in staff
member, and delete is the soft delete that takes the row out of the bot's answers.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqladmin import action
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from api.deps import admin_error_status
from api.staff_ui.access import StaffView, back, in_transaction, pks, require, same_site
from api.staff_ui.forms import (
    AreaForm,
    CatalogueForm,
    ContactForm,
    HelplineForm,
    MunicipalityForm,
    ProviderForm,
    ServiceForm,
    form_version,
)
from service_catalog import admin
from service_catalog.admin import ENTITIES, AdminError, Entity, InvalidData
from service_catalog.models import Area, Contact, Helpline, Municipality, Provider, Service


class CatalogueView(StaffView):
    writes = frozenset({"create", "edit", "delete"})
    form: ClassVar[type[CatalogueForm]]

    @property
    def entity(self) -> Entity:
        return ENTITIES[self.form.entity_name]

    async def insert_model(self, request: Request, data: dict) -> Any:
        actor = require("editor").actor
        values = self.form.checked(data)
        return await in_transaction(lambda session: admin.create(session, self.entity, values, actor))

    async def update_model(self, request: Request, pk: str, data: dict) -> Any:
        actor = require("editor").actor
        values, version = self.form.checked(data), form_version(data)
        if values["id"] != pk:
            raise InvalidData("the id of a saved row cannot change; create a new row instead")
        return await in_transaction(
            lambda session: admin.update(session, self.entity, pk, values, actor, expected_version=version)
        )

    async def delete_model(self, request: Request, pk: Any) -> None:
        # sqladmin's delete sends no version: the soft delete is undone with Restore.
        actor = require("editor").actor
        await in_transaction(
            lambda session: admin.soft_delete(session, self.entity, pk, actor, expected_version=None)
        )

    @action("restore", "Restore", "Bring the selected deleted rows back to the bot's answers?")
    async def restore(self, request: Request) -> RedirectResponse:
        same_site(request)
        actor = require("editor").actor

        def restore_all(session: Any) -> None:
            for pk in pks(request):
                admin.restore(session, self.entity, pk, actor, expected_version=None)

        try:
            await in_transaction(restore_all)
        except AdminError as error:
            raise HTTPException(admin_error_status(error), str(error)) from None
        return RedirectResponse(back(request, request.url_for("admin:list", identity=self.identity)), 303)


class ServiceView(CatalogueView, model=Service):
    name_plural = "Services"
    form = ServiceForm
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


class ContactView(CatalogueView, model=Contact):
    name_plural = "Perheneuvo contacts"
    form = ContactForm
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


class MunicipalityView(CatalogueView, model=Municipality):
    name_plural = "Municipalities"
    form = MunicipalityForm
    column_list = [
        Municipality.id,
        Municipality.code,
        Municipality.name_fi,
        Municipality.region_id,
        Municipality.deleted_at,
    ]
    column_searchable_list = [Municipality.id, Municipality.name_fi]
    column_details_exclude_list = [Municipality.region, Municipality.areas]


class AreaView(CatalogueView, model=Area):
    name_plural = "Areas"
    form = AreaForm
    column_list = [Area.id, Area.name_fi, Area.municipality_id, Area.deleted_at]
    column_searchable_list = [Area.id, Area.name_fi]
    column_details_exclude_list = [Area.municipality]


class ProviderView(CatalogueView, model=Provider):
    name_plural = "Providers"
    form = ProviderForm
    column_list = [Provider.id, Provider.kind, Provider.name_fi, Provider.deleted_at]
    column_searchable_list = [Provider.id, Provider.name_fi]


class HelplineView(CatalogueView, model=Helpline):
    name_plural = "Helplines"
    form = HelplineForm
    column_list = [Helpline.id, Helpline.name_fi, Helpline.phone, Helpline.hours, Helpline.deleted_at]


CATALOGUE_VIEWS = (ServiceView, ContactView, MunicipalityView, AreaView, ProviderView, HelplineView)
