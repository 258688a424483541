"""The staff UI's edit forms: one per catalogue entity, in the shape of the admin API.

A form is filled from `admin.record` (the row as the API shows it, flattened: `name.fi` is the
field `name_fi`) and what is typed in is checked by the pydantic schema a POST to the API is
checked by, so the UI accepts exactly what the API accepts. A schema error is shown at its field
and the form keeps what was typed. Lists and objects with no better widget (a service's
locations, keywords, a contact's hours) are JSON in a text area.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ValidationError
from sqladmin.fields import JSONField
from wtforms import (
    BooleanField,
    Form,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.meta import DefaultMeta
from wtforms.validators import InputRequired, Optional

from api import schemas
from language.text import LANGUAGES
from service_catalog import admin
from service_catalog.admin import ENTITIES, Data, InvalidData
from service_catalog.models import PROVIDER_KINDS
from service_catalog.taxonomy import HELPLINE_TAGS, service_types

# The API's objects that are flat fields in a form: name.fi <-> name_fi, age.min <-> age_min.
NESTED = {"name": LANGUAGES, "description": LANGUAGES, "age": ("min", "max")}
LANGUAGE_CHOICES = [(lang, lang) for lang in LANGUAGES]
REF_HELP = "the id of a {}; leave empty for none"


def flatten(record: Data) -> Data:
    flat: Data = {}
    for key, value in record.items():
        if key in NESTED and isinstance(value, dict):
            flat.update({f"{key}_{part}": value.get(part) for part in NESTED[key]})
        else:
            flat[key] = value
    return flat


def api_data(form_data: Mapping[str, Any]) -> Data:
    """The form's data in the API's shape; an empty field is left out, so the API's default applies."""
    data: Data = {}
    for key, value in form_data.items():
        if key == "version":
            continue
        if isinstance(value, str):
            value = value.strip() or None
        head, _, part = key.rpartition("_")
        if part in NESTED.get(head, ()):
            data.setdefault(head, {})[part] = value
        elif value is not None:
            data[key] = value
    return data


def form_version(form_data: Mapping[str, Any]) -> int:
    """The version of the row the form was filled from: the edit is refused if it has changed since."""
    try:
        return int(form_data.get("version") or "")
    except ValueError:
        raise InvalidData("the form does not say which version of the row it shows: reload it") from None


class PrettyJSONField(JSONField):
    """sqladmin's JSON text area, indented, and empty (not "{}") when there is nothing."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else json.dumps(self.data, ensure_ascii=False, indent=2)


class CommaListField(StringField):
    """A short list of ids or words as one line, "mikkeli, savonlinna" (works without JavaScript)."""

    def _value(self) -> str:
        return ", ".join(self.data or [])

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = [part.strip() for value in valuelist for part in value.split(",") if part.strip()]


def _json(label: str, description: str, rows: int = 6) -> PrettyJSONField:
    return PrettyJSONField(label, [Optional()], description=description, render_kw={"rows": rows})


def _ref(label: str) -> StringField:
    return StringField(label, [Optional()], description=REF_HELP.format(label.lower()))


class StyledForm(Form):
    """A form whose fields carry the CSS classes sqladmin's theme gives the forms it makes itself."""

    class Meta(DefaultMeta):
        def render_field(self, field: Any, render_kw: dict[str, Any]) -> Any:
            if "class" not in render_kw and "class_" not in render_kw:  # sqladmin marks errors itself
                render_kw = {**render_kw, "class": _css_class(field)}
            return super().render_field(field, render_kw)


def _css_class(field: Any) -> str:
    if field.type == "BooleanField":
        return "form-check-input"
    return "form-select" if "Select" in field.type else "form-control"


class CatalogueForm(StyledForm):
    entity_name: ClassVar[str]
    schema: ClassVar[type[BaseModel]]  # the API's create schema: the whole row with its id

    id = StringField(
        "Id", [InputRequired()], description="lower-case letters, digits, '-' and '_'; fixed once saved"
    )
    version = HiddenField()

    def __init__(self, formdata: Any = None, obj: Any = None, **kwargs: Any) -> None:
        if obj is not None:  # the edit page: the row as the API shows it, with its version
            kwargs["data"] = flatten(admin.record(ENTITIES[self.entity_name], obj))
        super().__init__(formdata, **kwargs)
        if self.version.data:
            self.id.render_kw = {"readonly": True}

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        try:
            self.checked(self.data)
        except ValidationError as error:
            for problem in error.errors():
                self._show(problem)
            return False
        return True

    @classmethod
    def checked(cls, form_data: Mapping[str, Any]) -> Data:
        """The form's data as the API's schema checks and completes them (defaults, hours in PTV's shape)."""
        return cls.schema.parse_obj(api_data(form_data)).dict()

    def _show(self, problem: dict[str, Any]) -> None:
        loc = [str(part) for part in problem["loc"] if part != "__root__"]
        for size in (2, 1):
            name = "_".join(loc[:size])
            if name in self._fields:
                rest = loc[size:]
                break
        else:  # e.g. age's own check (min above max): shown at its first field
            name = next((n for n in self._fields if loc and n.startswith(loc[0])), "id")
            rest = []
        message = f"{'.'.join(rest)}: {problem['msg']}" if rest else problem["msg"]
        field = self._fields[name]
        field.errors = [*field.errors, message]


class NamedForm(CatalogueForm):
    name_fi = StringField("Name (fi)", [InputRequired()])
    name_sv = StringField("Name (sv)", [Optional()])
    name_en = StringField("Name (en)", [Optional()])


class ServiceForm(NamedForm):
    entity_name = "service"
    schema = schemas.ServiceCreate

    type = SelectField(
        "Type",
        [InputRequired()],
        choices=[(code, f"{code}: {t.name('fi')}") for code, t in sorted(service_types().items())],
    )
    description_fi = TextAreaField("Description (fi)", [Optional()])
    description_sv = TextAreaField("Description (sv)", [Optional()])
    description_en = TextAreaField("Description (en)", [Optional()])
    provider = _ref("Provider")
    region = StringField("Region", [Optional()], description="empty with no municipality: nationwide")
    municipality = _ref("Municipality")
    area = _ref("Area")
    languages = SelectMultipleField("Languages", choices=LANGUAGE_CHOICES, default=["fi"])
    age_min = IntegerField("Age from", [Optional()], description="years, 0-29")
    age_max = IntegerField("Age to", [Optional()], description="years, 0-29")
    keywords = _json("Keywords", 'words families use, by language: {"fi": ["vauvakahvila"]}', rows=3)
    example_data = BooleanField("Example data")
    locations = _json(
        "Locations",
        "a list of places: id, street_address, postal_code, post_office, phone, email, url, hours "
        '(e.g. {"weekly": {"mo-fr": "8:00-16:00"}}); a location left out is removed',
        rows=16,
    )


class ContactForm(CatalogueForm):
    entity_name = "contact"
    schema = schemas.ContactCreate

    name = StringField("Name", [InputRequired()])
    phone = StringField("Phone", [Optional()])
    email = StringField("Email", [Optional()])
    languages = SelectMultipleField("Languages", choices=LANGUAGE_CHOICES, default=["fi"])
    municipalities = CommaListField(
        "Municipalities", description="ids of the municipalities served, comma-separated"
    )
    areas = CommaListField("Areas", description="only these areas of them; empty for all")
    hours = _json("Hours", schemas.HOURS_HELP)
    example_data = BooleanField("Example data")


class MunicipalityForm(NamedForm):
    entity_name = "municipality"
    schema = schemas.MunicipalityCreate

    code = StringField("Code", [Optional()], description="Statistics Finland's three-digit code")
    region = StringField("Region", [InputRequired()], description="the id of its wellbeing services county")


class AreaForm(NamedForm):
    entity_name = "area"
    schema = schemas.AreaCreate

    municipality = StringField("Municipality", [InputRequired()], description="the id of its municipality")
    districts = CommaListField(
        "Districts", description="neighbourhood names that mean this area, comma-separated"
    )


class ProviderForm(NamedForm):
    entity_name = "provider"
    schema = schemas.ProviderCreate

    kind = SelectField("Kind", [InputRequired()], choices=[(k, k) for k in PROVIDER_KINDS])


class HelplineForm(NamedForm):
    entity_name = "helpline"
    schema = schemas.HelplineCreate

    phone = StringField("Phone", [InputRequired()])
    hours = StringField("Hours", [Optional()], description='free text, e.g. "24/7" or "ma-pe 10-15"')
    crisis = SelectMultipleField("Crisis kinds", choices=[(k, k) for k in HELPLINE_TAGS])
    order = IntegerField("Order", [Optional()], description="lower comes first; default 100")
    example_data = BooleanField("Example data")
