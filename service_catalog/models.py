"""The catalogue's tables.

Localised text is stored as `<field>_fi/_sv/_en` columns so SQL can search and sort it.
Opening hours are stored in the shape of the national register PTV (see `hours.py`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import declared_attr, relationship

from database import Base, utc_now

# Re-exported while every importer moves to language.text, the one definition.
from language.text import LANGUAGES as LANGUAGES

PROVIDER_KINDS = ("sote", "municipality", "ngo", "parish", "kela", "company")


class Editable:
    """Mixin for rows staff edit: a version for optimistic concurrency and a soft delete.

    SQLAlchemy checks the version on every UPDATE (`version_id_col`), so two writers who read
    the same version cannot both commit; the API exposes it as the ETag.
    """

    version = Column(Integer, nullable=False, default=1, server_default="1")
    # Soft delete: the row stays (with its history) but leaves search, places and routing.
    deleted_at = Column(DateTime(timezone=True), index=True)

    @declared_attr
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805
        return {"version_id_col": cls.version}

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class Localised:
    """Mixin: `text(field, lang)` returns the field in `lang`, falling back to Finnish."""

    def text(self, field: str, lang: str) -> str | None:
        return getattr(self, f"{field}_{lang}", None) or getattr(self, f"{field}_fi", None)


class Region(Base, Localised):
    """A wellbeing services county (hyvinvointialue)."""

    __tablename__ = "region"
    id = Column(String(64), primary_key=True)
    name_fi = Column(String(200), nullable=False)
    name_sv = Column(String(200))
    name_en = Column(String(200))
    municipalities = relationship("Municipality", back_populates="region", lazy="raise")


class Municipality(Base, Editable, Localised):
    __tablename__ = "municipality"
    id = Column(String(64), primary_key=True)
    code = Column(String(3), unique=True)
    region_id = Column(ForeignKey("region.id"), nullable=False, index=True)
    name_fi = Column(String(200), nullable=False)
    name_sv = Column(String(200))
    name_en = Column(String(200))
    region = relationship("Region", back_populates="municipalities", lazy="raise")
    areas = relationship("Area", back_populates="municipality", lazy="raise")


class Area(Base, Editable, Localised):
    """A part of a municipality with its own family-centre network (e.g. Turku's ten areas)."""

    __tablename__ = "area"
    id = Column(String(64), primary_key=True)
    municipality_id = Column(ForeignKey("municipality.id"), nullable=False, index=True)
    name_fi = Column(String(200), nullable=False)
    name_sv = Column(String(200))
    name_en = Column(String(200))
    # Neighbourhood names that mean this area ("Varissuo" for Varissuo-Lauste).
    districts = Column(JSON, nullable=False, default=list)
    municipality = relationship("Municipality", back_populates="areas", lazy="raise")


class Provider(Base, Editable, Localised):
    __tablename__ = "provider"
    id = Column(String(64), primary_key=True)
    kind = Column(String(20), nullable=False)
    name_fi = Column(String(200), nullable=False)
    name_sv = Column(String(200))
    name_en = Column(String(200))


class Service(Base, Editable, Localised):
    __tablename__ = "service"
    __table_args__ = (
        # The search asks for a type's services in one place tier at a time (area, municipality,
        # region, nationwide): one index seek each, whatever the catalogue's size.
        Index("ix_service_coverage", "type", "region_id", "municipality_id", "area_id"),
        # With no place known, a type's first services by id (a short walk, not a sort of all).
        # On PostgreSQL migration 0005 makes `id` COLLATE "C" here, the order Python sorts in.
        Index("ix_service_type_id", "type", "id"),
    )
    id = Column(String(64), primary_key=True)
    type = Column(String(40), nullable=False)
    provider_id = Column(ForeignKey("provider.id"), index=True)
    # Coverage: no region = nationwide; no municipality = the whole region; area = one area.
    region_id = Column(ForeignKey("region.id"), index=True)
    municipality_id = Column(ForeignKey("municipality.id"), index=True)
    area_id = Column(ForeignKey("area.id"), index=True)
    languages = Column(JSON, nullable=False, default=lambda: ["fi"])
    min_age = Column(Integer)
    max_age = Column(Integer)
    name_fi = Column(String(200), nullable=False)
    name_sv = Column(String(200))
    name_en = Column(String(200))
    description_fi = Column(Text)
    description_sv = Column(Text)
    description_en = Column(Text)
    keywords = Column(JSON, nullable=False, default=dict)
    example_data = Column(Boolean, nullable=False, default=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utc_now, onupdate=utc_now)
    provider = relationship("Provider", lazy="raise")
    municipality = relationship("Municipality", lazy="raise")
    area = relationship("Area", lazy="raise")
    locations = relationship(
        "ServiceLocation",
        back_populates="service",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ServiceLocation.id",
    )


class ServiceLocation(Base, Editable, Localised):
    """A place or channel where the service is given: address, phone, hours."""

    __tablename__ = "service_location"
    __table_args__ = (
        # A service's live locations in one seek. With `service_id` alone, SQLite (no statistics)
        # took the `deleted_at` index for "IS NULL" and read every live location instead.
        Index("ix_service_location_live", "service_id", "deleted_at"),
    )
    id = Column(String(64), primary_key=True)
    service_id = Column(ForeignKey("service.id", ondelete="CASCADE"), nullable=False)
    municipality_id = Column(ForeignKey("municipality.id"), index=True)
    area_id = Column(ForeignKey("area.id"), index=True)
    name_fi = Column(String(200))
    name_sv = Column(String(200))
    name_en = Column(String(200))
    street_address = Column(String(200))
    postal_code = Column(String(10))
    post_office = Column(String(100))
    phone = Column(String(40))
    email = Column(String(200))
    url = Column(String(500))
    # PTV-shaped service hours, see service_catalog.hours.ServiceHours.
    hours = Column(JSON, nullable=False, default=list)
    service = relationship("Service", back_populates="locations", lazy="raise")
    municipality = relationship("Municipality", lazy="raise")

    @property
    def address(self) -> str | None:
        place = " ".join(p for p in (self.postal_code, self.post_office) if p)
        parts = [p for p in (self.street_address, place) if p]
        return ", ".join(parts) or None


contact_municipality = Table(
    "contact_municipality",
    Base.metadata,
    Column("contact_id", ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True),
    # Indexed on its own too: every answer looks the perheneuvo up by municipality.
    Column("municipality_id", ForeignKey("municipality.id"), primary_key=True, index=True),
)

contact_area = Table(
    "contact_area",
    Base.metadata,
    Column("contact_id", ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("area.id"), primary_key=True),
)


class Contact(Base, Editable):
    """A named perheneuvo: the one door of the family-centre network for some places."""

    __tablename__ = "contact"
    id = Column(String(64), primary_key=True)
    name = Column(String(200), nullable=False)
    phone = Column(String(40))
    email = Column(String(200))
    languages = Column(JSON, nullable=False, default=lambda: ["fi"])
    hours = Column(JSON, nullable=False, default=list)
    example_data = Column(Boolean, nullable=False, default=True)
    municipalities = relationship("Municipality", secondary=contact_municipality, lazy="raise")
    areas = relationship("Area", secondary=contact_area, lazy="raise")


class TypeWord(Base):
    """How many live services of a type have a word (a folded lemma of their names or keywords).

    The keyword routing needs only which types have the message's words; this table answers
    that with a primary-key lookup per word instead of reading every service. It is kept in
    step by `service_catalog.vocabulary` (every ORM write and the catalogue import).
    """

    __tablename__ = "type_word"
    word = Column(String, primary_key=True)
    type = Column(String(40), primary_key=True)
    services = Column(Integer, nullable=False)


class Helpline(Base, Editable, Localised):
    __tablename__ = "helpline"
    id = Column(String(64), primary_key=True)
    name_fi = Column(String(200), nullable=False)
    name_sv = Column(String(200))
    name_en = Column(String(200))
    phone = Column(String(40), nullable=False)
    hours = Column(String(100))
    # Crisis kinds this line answers; "any" for the emergency number.
    crisis = Column(JSON, nullable=False, default=list)
    order = Column(Integer, nullable=False, default=100)
    example_data = Column(Boolean, nullable=False, default=False)
