"""Places from the catalogue, in inflected forms and without diacritics."""

import pytest

from service_catalog.models import Municipality, Region
from service_catalog.places import find_place, only_place


@pytest.mark.parametrize(
    ("text", "municipality"),
    [
        ("Missä on lastenneuvola Mikkelissä?", "mikkeli"),
        ("mikkelissa", "mikkeli"),
        ("asun Pieksämäellä", "pieksamaki"),
        ("Savonlinnasta", "savonlinna"),
        ("neuvola Turussa", "turku"),
        ("entäs Juvalla", "juva"),
        ("Kangasniemellä", "kangasniemi"),
        ("vi bor i Åbo", "turku"),
        ("i Nyslott", "savonlinna"),
        ("Mäntyharjulla", "mantyharju"),
    ],
)
def test_inflected_municipalities(session, text, municipality):
    place = find_place(session, text)
    assert place is not None and place.municipality_id == municipality


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("perhekahvila Varissuolla", "turku-varissuo-lauste"),
        ("Turku, Runosmäki", "turku-runosmaki-raunistula"),
        ("asutaan Hirvensalossa", "turku-hirvensalo-kakskerta"),
    ],
)
def test_turku_areas_and_their_districts(session, text, area):
    place = find_place(session, text)
    assert place is not None and place.area_id == area and place.municipality_id == "turku"


@pytest.mark.parametrize(
    "text", ["tarvitsen turvakotia", "vauva ei nuku", "kela lapsilisä", "where is neuvola"]
)
def test_no_place_is_invented(session, text):
    assert find_place(session, text) is None


def test_a_new_municipality_is_found_without_retraining(session):
    with session.begin():
        session.add(Region(id="keski-suomi", name_fi="Keski-Suomi"))
        session.add(Municipality(id="jyvaskyla", code="179", region_id="keski-suomi", name_fi="Jyväskylä"))
        session.add(Municipality(id="uurainen", code="892", region_id="keski-suomi", name_fi="Uurainen"))
    assert find_place(session, "neuvola Jyväskylässä").municipality_id == "jyvaskyla"
    assert find_place(session, "neuvola jyvaskylassa").municipality_id == "jyvaskyla"
    assert find_place(session, "perhekahvila Uuraisilla").municipality_id == "uurainen"


@pytest.mark.parametrize(
    ("text", "area"),
    [
        ("Kupittaa", "turku-keskusta"),
        ("Lauste", "turku-varissuo-lauste"),
        ("Pansio", "turku-pansio-jyrkkala"),
        ("asun Lausteella", "turku-varissuo-lauste"),
        ("Turun keskusta", "turku-keskusta"),
    ],
)
def test_a_bare_area_name_is_an_answer_to_which_area(session, text, area):
    place = only_place(session, text)
    assert place is not None and place.area_id == area


@pytest.mark.parametrize(
    "text", ["ok", "ei", "hmm", "neuvola Turussa", "perhekahvila Lausteella", "I live in Helsinki"]
)
def test_a_text_with_more_than_a_place_is_not_only_a_place(session, text):
    assert only_place(session, text) is None
