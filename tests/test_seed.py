"""The seed catalogue: complete for both regions, loaded by Alembic's schema, idempotent."""

import shutil
from pathlib import Path

import pytest
import yaml
from sqlalchemy import delete, func, select

from service_catalog.db import new_session
from service_catalog.models import Area, Contact, Helpline, Municipality, Service, ServiceLocation
from service_catalog.seed import SEED_DIR, SeedError, load_seed
from service_catalog.taxonomy import TAXONOMY_FILE, service_types
from settings import REPO_ROOT

SHARED_SPEC = REPO_ROOT.parent / "shared" / "spec"
ETELA_SAVO = {
    "enonkoski",
    "hirvensalmi",
    "juva",
    "kangasniemi",
    "mikkeli",
    "mantyharju",
    "pertunmaa",
    "pieksamaki",
    "puumala",
    "rantasalmi",
    "savonlinna",
    "sulkava",
}


@pytest.mark.skipif(not SHARED_SPEC.exists(), reason="shared/spec is not beside this checkout")
def test_taxonomy_copy_matches_the_binding_contract():
    assert TAXONOMY_FILE.read_text() == (SHARED_SPEC / "taxonomy.yml").read_text()
    schema = REPO_ROOT / "actions" / "pk.v1.schema.json"
    assert schema.read_text() == (SHARED_SPEC / "pk.v1.schema.json").read_text()


def test_every_type_has_services_in_both_regions(session):
    rows = session.execute(select(Service.type, Service.region_id).distinct()).all()
    for region in ("etela-savo", "varsinais-suomi"):
        have = {t for t, r in rows if r == region}
        assert set(service_types()) - have == set(), region


def test_every_etela_savo_municipality_has_a_meeting_point_and_a_perheneuvo(session):
    municipalities = set(
        session.scalars(select(Municipality.id).where(Municipality.region_id == "etela-savo"))
    )
    assert municipalities == ETELA_SAVO
    for mun in municipalities:
        meeting = session.scalar(
            select(func.count())
            .select_from(Service)
            .where(Service.type == "kohtaamispaikka", Service.municipality_id == mun)
        )
        assert meeting >= 1, mun
        contacts = session.scalars(
            select(Contact).join(Contact.municipalities).where(Municipality.id == mun)
        ).all()
        assert contacts, mun


def test_every_turku_area_has_a_clinic_a_meeting_point_and_a_perheneuvo(session):
    areas = list(session.scalars(select(Area).where(Area.municipality_id == "turku")))
    assert len(areas) == 10
    for area in areas:
        types = set(session.scalars(select(Service.type).where(Service.area_id == area.id)))
        assert {"lastenneuvola", "kohtaamispaikka"} <= types, area.id
        assert session.scalars(select(Contact).join(Contact.areas).where(Area.id == area.id)).first(), area.id


def test_helplines_are_the_real_national_numbers(session):
    lines = session.scalars(select(Helpline).order_by(Helpline.order)).all()
    assert lines[0].phone == "112"
    assert {"0800 147 111", "09 2525 0111", "080 005 005", "116 111"} <= {line.phone for line in lines}
    assert not any(line.example_data for line in lines)


def test_invented_contact_details_are_marked_as_example_data(session):
    for service in session.scalars(select(Service)):
        if not service.example_data:
            assert service.type == "kela_etuudet", f"{service.id} claims to be real data"


def count_services(url: str) -> int:
    with new_session(url) as session:
        return session.scalar(select(func.count()).select_from(Service))


def test_loading_twice_changes_nothing(catalog_url):
    before = count_services(catalog_url)
    with new_session(catalog_url) as session, session.begin():
        load_seed(session)
    assert count_services(catalog_url) == before


def test_a_broken_seed_file_is_refused_and_changes_nothing(catalog_url, tmp_path: Path):
    broken = tmp_path / "seed"
    shutil.copytree(SEED_DIR, broken)
    # Sorted last, so the valid files before it have been merged when it fails.
    (broken / "services" / "zz-broken.yml").write_text(
        yaml.safe_dump({"services": [{"id": "x", "type": "no_such_type", "name": {"fi": "X"}}]})
    )
    with new_session(catalog_url) as session, session.begin():
        session.execute(delete(ServiceLocation))
        session.execute(delete(Service))
    before = count_services(catalog_url)
    with pytest.raises(SeedError, match="no_such_type"):
        with new_session(catalog_url) as session, session.begin():
            load_seed(session, broken)
    assert count_services(catalog_url) == before


def test_migration_0006_gives_old_helpline_tags_the_widened_kinds(catalog_url):
    from alembic import command
    from alembic.config import Config

    from settings import REPO_ROOT

    config = Config(str(REPO_ROOT / "alembic.ini"))
    config.attributes["url"] = catalog_url
    command.downgrade(config, "0005")
    with new_session(catalog_url) as session, session.begin():
        session.get(Helpline, "lasten-ja-nuorten-puhelin").crisis = ["child_youth", "child_danger", "suicide"]
    command.upgrade(config, "head")
    with new_session(catalog_url) as session:
        crisis = session.get(Helpline, "lasten-ja-nuorten-puhelin").crisis
    assert crisis == ["child", "medical", "missing_child", "child_abuse", "suicide"]
