"""Request and response bodies of the admin API (pydantic v1), apart from the ORM models.

`XCreate` carries the id, `XWrite` is the whole row for PUT, `XUpdate` any of its fields for
PATCH, `XPublic` what the API returns. Shapes follow the seed files (`name: {fi, sv, en}`,
references by id); hours are accepted in PTV's serviceHours shape or the seed's compact one
and returned in PTV's.
"""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, StrictBool, conint, constr, root_validator, validator

from service_catalog.models import PROVIDER_KINDS
from service_catalog.taxonomy import HELPLINE_TAGS, service_types
from service_catalog.validation import check_email, check_id, check_phone, check_url, normalise_hours

Language = Literal["fi", "sv", "en"]
HOURS_HELP = (
    "PTV serviceHours entries, or the compact form "
    '{"weekly": {"mo-fr": "8:00-16:00", "sa": "10:00-14:00"}, '
    '"exceptional": [{"from": "2026-12-24", "to": "2026-12-26", "closed": true}]}'
)


class HoursIn(list):
    """Opening hours in either shape, stored in PTV's (no coercion: a list is not read as a dict)."""

    @classmethod
    def __get_validators__(cls):  # type: ignore[no-untyped-def]
        yield normalise_hours

    @classmethod
    def __modify_schema__(cls, field_schema: dict[str, Any]) -> None:
        field_schema.pop("type", None)
        field_schema.pop("items", None)
        field_schema.update(
            anyOf=[{"type": "object"}, {"type": "array", "items": {"type": "object"}}], description=HOURS_HELP
        )


class Strict(BaseModel):
    class Config:
        extra = "forbid"  # a misspelt field is an error, not silently dropped
        anystr_strip_whitespace = True


def partial(model: type[BaseModel], **overrides: Any) -> type[BaseModel]:
    """`model` with every field optional (PATCH), its validators kept; null stays refused.

    `overrides` retype fields, e.g. names whose Finnish part may be left out of a PATCH.
    """
    name = model.__name__.replace("Write", "Update")
    namespace = {"__module__": model.__module__, "__qualname__": name, "__annotations__": overrides}
    namespace.update(dict.fromkeys(overrides))
    updated = type(name, (model,), namespace)
    for f in updated.__fields__.values():
        f.required = False
        f.default = None
    return updated


class Names(Strict):
    fi: constr(min_length=1, max_length=200)
    sv: constr(max_length=200) | None = None
    en: constr(max_length=200) | None = None


class OptionalNames(Strict):
    fi: constr(min_length=1, max_length=200) | None = None
    sv: constr(min_length=1, max_length=200) | None = None
    en: constr(min_length=1, max_length=200) | None = None


class Texts(Strict):
    fi: constr(max_length=5000) | None = None
    sv: constr(max_length=5000) | None = None
    en: constr(max_length=5000) | None = None


class AgeRange(Strict):
    min: conint(ge=0, le=29) | None = None
    max: conint(ge=0, le=29) | None = None

    @root_validator(skip_on_failure=True)
    def _ordered(cls, values: dict) -> dict:  # noqa: N805
        if values.get("min") is not None and values.get("max") is not None and values["min"] > values["max"]:
            raise ValueError("age min must not be above max")
        return values


def _phone(value: str | None) -> str | None:
    return check_phone(value) if value is not None else None


def _email(value: str | None) -> str | None:
    return check_email(value) if value is not None else None


def _url(value: str | None) -> str | None:
    return check_url(value) if value is not None else None


def _id(value: str | None) -> str | None:
    return check_id(value) if value is not None else None


Ref = constr(max_length=64) | None


class LocationIn(Strict):
    id: Ref = Field(None, description="kept when given; generated for a new location when left out")
    name: OptionalNames | None = None
    municipality: Ref = Field(None, description="defaults to the service's municipality")
    area: Ref = None
    street_address: constr(max_length=200) | None = None
    postal_code: constr(regex="^\\d{5}$") | None = None
    post_office: constr(max_length=100) | None = None
    phone: constr(max_length=40) | None = None
    email: constr(max_length=200) | None = None
    url: constr(max_length=500) | None = None
    hours: HoursIn | None = Field(None, description=HOURS_HELP)

    _check_id = validator("id", allow_reuse=True)(_id)
    _check_phone = validator("phone", allow_reuse=True)(_phone)
    _check_email = validator("email", allow_reuse=True)(_email)
    _check_url = validator("url", allow_reuse=True)(_url)


class ServiceWrite(Strict):
    type: constr(max_length=40) = Field(..., description="a service type code of taxonomy.yml")
    provider: Ref = None
    region: Ref = Field(None, description="leave out region, municipality and area for a nationwide service")
    municipality: Ref = None
    area: Ref = None
    languages: list[Language] = Field(["fi"], min_items=1)
    age: AgeRange = AgeRange()
    name: Names
    description: Texts = Texts()
    keywords: dict[Language, list[constr(min_length=1, max_length=100)]] = Field(
        {}, description="words families use for this service, by language; routing uses them at once"
    )
    example_data: bool = False
    locations: list[LocationIn] = []

    @validator("type")
    def _known_type(cls, value: str) -> str:  # noqa: N805
        if value not in service_types():
            raise ValueError(
                f"unknown service type {value!r}; the codes are in taxonomy.yml: {', '.join(service_types())}"
            )
        return value


class ServiceCreate(ServiceWrite):
    id: constr(max_length=64)
    _check_id = validator("id", allow_reuse=True)(_id)


ServiceUpdate = partial(ServiceWrite, name=OptionalNames)


class LocationPublic(BaseModel):
    id: str
    name: dict[str, str | None]
    municipality: str | None
    area: str | None
    street_address: str | None
    postal_code: str | None
    post_office: str | None
    phone: str | None
    email: str | None
    url: str | None
    hours: list[dict[str, Any]]


class RowMeta(BaseModel):
    id: str
    version: int = Field(..., description="also the ETag; send it back in If-Match to change the row")
    deleted_at: datetime | None


class ServicePublic(RowMeta):
    type: str
    provider: str | None
    region: str | None
    municipality: str | None
    area: str | None
    languages: list[str]
    age: dict[str, int | None]
    name: dict[str, str | None]
    description: dict[str, str | None]
    keywords: dict[str, list[str]]
    example_data: bool
    locations: list[LocationPublic]


class ContactWrite(Strict):
    name: constr(min_length=1, max_length=200)
    phone: constr(max_length=40) | None = None
    email: constr(max_length=200) | None = None
    languages: list[Language] = Field(["fi"], min_items=1)
    hours: HoursIn | None = Field(None, description=HOURS_HELP)
    example_data: bool = False
    municipalities: list[constr(max_length=64)] = Field(
        ..., min_items=1, description="the places this perheneuvo serves"
    )
    areas: list[constr(max_length=64)] = Field(
        [], description="only these areas of the municipalities; empty for all"
    )

    _check_phone = validator("phone", allow_reuse=True)(_phone)
    _check_email = validator("email", allow_reuse=True)(_email)


class ContactCreate(ContactWrite):
    id: constr(max_length=64)
    _check_id = validator("id", allow_reuse=True)(_id)


ContactUpdate = partial(ContactWrite)


class ContactPublic(RowMeta):
    name: str
    phone: str | None
    email: str | None
    languages: list[str]
    hours: list[dict[str, Any]]
    example_data: bool
    municipalities: list[str]
    areas: list[str]


class MunicipalityWrite(Strict):
    code: constr(regex="^\\d{3}$") | None = Field(None, description="Statistics Finland's three-digit code")
    region: constr(max_length=64)
    name: Names


class MunicipalityCreate(MunicipalityWrite):
    id: constr(max_length=64)
    _check_id = validator("id", allow_reuse=True)(_id)


MunicipalityUpdate = partial(MunicipalityWrite, name=OptionalNames)


class MunicipalityPublic(RowMeta):
    code: str | None
    region: str
    name: dict[str, str | None]


class AreaWrite(Strict):
    municipality: constr(max_length=64)
    name: Names
    districts: list[constr(min_length=1, max_length=100)] = Field(
        [], description="neighbourhood names that mean this area"
    )


class AreaCreate(AreaWrite):
    id: constr(max_length=64)
    _check_id = validator("id", allow_reuse=True)(_id)


AreaUpdate = partial(AreaWrite, name=OptionalNames)


class AreaPublic(RowMeta):
    municipality: str
    name: dict[str, str | None]
    districts: list[str]


class ProviderWrite(Strict):
    kind: Literal[PROVIDER_KINDS]  # type: ignore[valid-type]
    name: Names


class ProviderCreate(ProviderWrite):
    id: constr(max_length=64)
    _check_id = validator("id", allow_reuse=True)(_id)


ProviderUpdate = partial(ProviderWrite, name=OptionalNames)


class ProviderPublic(RowMeta):
    kind: str
    name: dict[str, str | None]


class HelplineWrite(Strict):
    name: Names
    phone: constr(max_length=40)
    hours: constr(max_length=100) | None = Field(None, description='free text, e.g. "24/7" or "ma-pe 10-15"')
    crisis: list[Literal[HELPLINE_TAGS]] = []  # type: ignore[valid-type]
    order: conint(ge=0, le=10000) = 100
    example_data: bool = False

    _check_phone = validator("phone", allow_reuse=True)(_phone)


class HelplineCreate(HelplineWrite):
    id: constr(max_length=64)
    _check_id = validator("id", allow_reuse=True)(_id)


HelplineUpdate = partial(HelplineWrite, name=OptionalNames)


class HelplinePublic(RowMeta):
    name: dict[str, str | None]
    phone: str
    hours: str | None
    crisis: list[str]
    order: int
    example_data: bool


class AuditEntryPublic(BaseModel):
    id: int
    at: datetime
    actor: str
    entity: str
    entity_id: str
    action: str
    version: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    class Config:
        orm_mode = True


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class StaffUserPublic(BaseModel):
    id: int
    email: str
    name: str | None
    role: str
    active: bool

    class Config:
        orm_mode = True


class StaffUserCreate(Strict):
    email: constr(min_length=3, max_length=254)
    name: constr(max_length=200) | None = None
    role: Literal["viewer", "editor", "admin"] = "viewer"
    password: constr(min_length=10, max_length=200)

    _check_email = validator("email", allow_reuse=True)(_email)


class ApiTokenCreate(Strict):
    name: constr(min_length=1, max_length=200) = Field(
        ..., description="what uses the token, e.g. 'ptv-sync'"
    )
    role: Literal["viewer", "editor", "admin"] = "viewer"


class ApiTokenPublic(BaseModel):
    id: int
    name: str
    role: str
    created_by: int | None
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool

    class Config:
        orm_mode = True


class ApiTokenIssued(ApiTokenPublic):
    token: str = Field(..., description="shown only now: store it safely, it cannot be read again")


# --- the call-me-back inbox ------------------------------------------------------------------


class CallbackNote(BaseModel):
    by: str
    at: datetime
    text: str


class CallbackRequestPublic(BaseModel):
    id: str
    created_at: datetime
    municipality_id: str
    contact_id: str | None
    contact_channel: str
    contact_value: str
    topic: str
    language: str
    status: str
    claimed_by: int | None
    notes: list[CallbackNote]
    closed_at: datetime | None

    class Config:
        orm_mode = True


class CallbackNoteCreate(Strict):
    text: str = Field(..., min_length=1, max_length=2000)


class FeedbackCreate(Strict):
    """A family's rating of an answer, from the widget."""

    sender: constr(strip_whitespace=True, min_length=1, max_length=128)  # type: ignore[valid-type]
    helpful: StrictBool
    services: list[constr(min_length=1, max_length=100)] = Field(  # type: ignore[valid-type]
        default_factory=list, max_items=20
    )
    language: Literal["fi", "sv", "en"] = "fi"


class UnansweredQuestionPublic(BaseModel):
    id: str
    at: datetime
    kind: str
    language: str
    municipality_id: str | None
    intent: str | None
    text: str

    class Config:
        orm_mode = True


class TopicCount(BaseModel):
    lemma: str
    count: int


class WeekFigures(BaseModel):
    week: str = Field(..., description="ISO week in Europe/Helsinki, e.g. 2026-W48")
    start: date
    conversations: int
    answers: int
    routing_answers: int = Field(..., description="answers other than small talk")
    understood_share: float | None = Field(
        ..., description="services, crisis and handoff answers / routing answers"
    )
    crisis: int
    handoffs: int
    helpful: int
    not_helpful: int
    unanswered: int
    top_unanswered: list[TopicCount]
