"""The crisis guard catches immediate danger without the classifier, and not past events."""

import pytest

from bot.crisis import child_voice, crisis_kinds, is_urgent


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mies lyö minua nyt", "violence"),
        # Ongoing or past violence by a partner is a crisis too (chat-payload.md, widened).
        ("mies on lyönyt minua aiemmin, mistä saan apua", "violence"),
        ("my boyfriend hits me when he drinks", "violence"),
        ("mun isäpuoli lyö mua", "child_abuse"),
        ("pelkään että satutan vauvaa", "harm_to_child"),
        ("lapset on yksin kotona ja äiti on sammunut", "no_carer"),
        ("isä uhkaa tappaa äidin", "violence"),
        ("my husband is hitting me right now", "violence"),
        ("han slår mig nu", "violence"),
        ("haluun kuolla", "suicide"),
        ("en jaksa enää elää", "suicide"),
        ("my daughter says she wants to die", "suicide"),
        ("jag vill ta livet av mig", "suicide"),
        ("lapsi söi pillereitä", "poisoning"),
        ("taapero joi pesuainetta", "poisoning"),
        ("my toddler drank bleach", "poisoning"),
        ("vauva ei hengitä", "medical"),
        ("vauva ei hengita", "medical"),
        ("en löydä 4-vuotiasta mistään", "missing_child"),
        ("our son is missing", "missing_child"),
        ("min son andas inte", "medical"),
        ("vår son har druckit diskmedel", "poisoning"),
        ("the baby has eaten a dishwasher tablet", "poisoning"),
        ("taapero on syönyt nappipariston", "poisoning"),
        ("our 5 year old is missing since noon", "missing_child"),
        ("my daughter has gone missing", "missing_child"),
        ("vår 7-åring saknas", "missing_child"),
        ("taaperon huulet on siniset", "medical"),
        ("vauva kouristelee", "medical"),
        ("my baby is having a seizure", "medical"),
        ("he is choking on a grape", "medical"),
        ("bebisen har kramper", "medical"),
    ],
)
def test_immediate_danger_is_recognised(text, kind):
    assert kind in crisis_kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "missä on lastenneuvola Mikkelissä?",
        "vauva ei nuku öisin",
        "lapsi on ollut surullinen",
        "where can I get help with anger",
        "var finns barnrådgivningen i Åbo",
        "16v joi alkoholia viikonloppuna, mistä apua",
        "i miss my old job",
        "isä löi äitiä viime vuonna, nyt ollaan turvassa mutta lapset pelkää",
        "feeling low for months but no suicidal thoughts",
        "vauvalla on ollut vatsakramppeja iltaisin",
        "blåbärssoppa till barnen",
    ],
)
def test_ordinary_needs_and_past_events_are_not_a_crisis(text):
    assert crisis_kinds(text) == []


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("mies lyö minua nyt", True),
        ("taapero joi pesuainetta", True),
        ("mieheni lyö minua kun hän juo", False),
        ("my stepdad hits me sometimes", False),
    ],
)
def test_danger_now_is_told_apart_from_harm_told_as_ongoing(text, urgent):
    assert is_urgent(text, crisis_kinds(text)) is urgent


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("mun isä hakkaa mua", True),
        ("my stepdad touches me and says its a secret", True),
        ("min styvpappa slår mig", True),
        ("pelkään mennä kotiin", True),
        ("pappa slår mig och jag vågar inte gå hem", True),
        ("dad hits me when he is drunk", True),
        ("en uskalla mennä kotiin", True),
        ("min man slår mig", False),
        ("mieheni lyö meidän poikaa", False),
        ("my husband hits my son", False),
    ],
)
def test_a_child_telling_of_their_own_home_is_recognised(text, child):
    assert child_voice(text) is child
