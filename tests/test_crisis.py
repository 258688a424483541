"""The crisis guard catches immediate danger without the classifier, and not past events."""

import pytest

from bot.crisis import crisis_kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mies lyö minua nyt", "violence"),
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
        ("vauva ei hengitä", "child_danger"),
        ("vauva ei hengita", "child_danger"),
        ("en löydä 4-vuotiasta mistään", "child_danger"),
        ("our son is missing", "child_danger"),
        ("min son andas inte", "child_danger"),
        ("vår son har druckit diskmedel", "poisoning"),
        ("the baby has eaten a dishwasher tablet", "poisoning"),
        ("taapero on syönyt nappipariston", "poisoning"),
        ("our 5 year old is missing since noon", "child_danger"),
        ("my daughter has gone missing", "child_danger"),
        ("vår 7-åring saknas", "child_danger"),
        ("taaperon huulet on siniset", "child_danger"),
        ("vauva kouristelee", "child_danger"),
        ("my baby is having a seizure", "child_danger"),
        ("he is choking on a grape", "child_danger"),
        ("bebisen har kramper", "child_danger"),
    ],
)
def test_immediate_danger_is_recognised(text, kind):
    assert kind in crisis_kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        "mies on lyönyt minua aiemmin, mistä saan apua",
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
