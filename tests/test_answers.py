"""The answer builders of `actions.answers` on a real seeded catalogue, without Rasa."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from actions.answers import Context, _place_question, one_door, route_answer
from service_catalog.models import Area, Service, ServiceLocation
from service_catalog.places import place_by_name

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=timezone.utc)


def test_the_one_door_is_chosen_in_the_familys_own_language(session: Session):
    finnish = session.get(Service, "mikkeli-perheneuvo")
    swedish = Service(
        id="mikkeli-perheneuvo-sv",
        type="perheneuvo",
        region_id=finnish.region_id,
        municipality_id=finnish.municipality_id,
        name_fi="Perheneuvo ruotsiksi",
        name_sv="Familjerådgivare på svenska",
        languages=["sv"],
        provider_id=finnish.provider_id,
    )
    session.add(swedish)
    session.add(
        ServiceLocation(
            id="mikkeli-perheneuvo-sv-paikka", service=swedish, municipality_id=finnish.municipality_id
        )
    )
    session.commit()
    place = place_by_name(session, "Mikkeli")
    assert [r.service.id for r in one_door(session, Context("hjälp", "sv", NOW, place))] == [
        "mikkeli-perheneuvo-sv"
    ]
    assert [r.service.id for r in one_door(session, Context("apua", "fi", NOW, place))] == [
        "mikkeli-perheneuvo"
    ]


def test_no_area_is_asked_for_when_the_municipalitys_areas_are_all_removed(session: Session):
    turku = place_by_name(session, "Turku")
    assert _place_question(session, Context("apua", "fi", NOW, turku))  # which area of Turku?
    session.execute(update(Area).where(Area.municipality_id == turku.municipality_id).values(deleted_at=NOW))
    session.commit()
    assert (
        session.scalars(
            select(Area).where(Area.deleted_at.is_(None), Area.municipality_id == turku.municipality_id)
        ).first()
        is None
    )
    assert _place_question(session, Context("apua", "fi", NOW, turku)) is None


def test_a_place_the_catalogue_does_not_cover_is_named_and_never_replaced(session: Session):
    answer = route_answer(
        session, Context("I live in Helsinki, where is the child health clinic?", "en", NOW)
    )
    assert answer.texts[0].startswith("Helsinki is not yet covered")
    shown = [session.get(Service, s["id"]) for s in answer.payload["services"]]
    assert all(service.region_id is None for service in shown)  # nationwide only, no Mikkeli clinic
    assert answer.payload["helplines"]


def test_with_no_place_a_municipalitys_service_is_called_an_example(session: Session):
    answer = route_answer(session, Context("missä on lastenneuvola", "fi", NOW))
    assert answer.payload["services"][0]["municipality"]
    assert answer.texts[0].startswith("Esimerkki tällaisesta palvelusta")
    assert any("Missä kunnassa asut" in t for t in answer.texts)
