"""Ranking: type fit first, then place, then the lowest sufficient level."""

from service_catalog.places import find_place
from service_catalog.search import route_need


def types(ranked):
    return [r.service.type for r in ranked]


def test_type_fit_comes_first(session):
    ranked = route_need(session, "", classifier_scores={"perheneuvola": 0.9, "lastensuojelu": 0.3})
    assert types(ranked)[:2] == ["perheneuvola", "lastensuojelu"]


def test_only_services_that_cover_the_place(session):
    place = find_place(session, "Pieksämäellä")
    ranked = route_need(session, "", place=place, classifier_scores={"lastenneuvola": 1.0})
    best = ranked[0].service
    assert best.type == "lastenneuvola" and best.municipality_id == "pieksamaki"
    assert ranked[0].location.municipality_id == "pieksamaki"


def test_region_wide_services_serve_every_municipality_of_the_region(session):
    place = find_place(session, "Sulkavalla")
    ranked = route_need(session, "", place=place, classifier_scores={"lastensuojelu": 1.0})
    assert ranked and ranked[0].service.region_id == "etela-savo"
    assert ranked[0].service.municipality_id in (None, "sulkava", "savonlinna", "mikkeli", "pieksamaki")


def test_the_lower_level_wins_between_equal_fits(session):
    ranked = route_need(session, "", classifier_scores={"lastensuojelu": 0.5, "perheneuvola": 0.5})
    assert types(ranked)[:2] == ["perheneuvola", "lastensuojelu"]


def test_the_childs_age_decides_between_equal_fits(session):
    scores = {"lastenneuvola": 0.5, "kouluterveydenhuolto": 0.5}
    assert types(route_need(session, "", age=15, classifier_scores=scores))[0] == "kouluterveydenhuolto"
    assert types(route_need(session, "", age=2, classifier_scores=scores))[0] == "lastenneuvola"


def test_catalogue_words_route_without_a_classifier(session):
    assert types(route_need(session, "Kelan lapsilisä", lang="fi"))[0] == "kela_etuudet"
    assert types(route_need(session, "perhekahvila", lang="fi"))[0] == "kohtaamispaikka"
    assert types(route_need(session, "speech therapy for my son", lang="en"))[0] == "lasten_kuntoutus"


def test_one_service_per_type_without_a_place(session):
    ranked = route_need(session, "", classifier_scores={"lastenneuvola": 1.0, "aitiysneuvola": 0.9})
    assert len(types(ranked)) == len(set(types(ranked)))


def test_nothing_for_a_text_with_no_known_words(session):
    assert route_need(session, "qwzx", lang="fi") == []
