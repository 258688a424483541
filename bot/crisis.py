"""The crisis guard: signs of immediate danger, found without the classifier.

A safety net under the intent classifier: these patterns are deliberately broad for the
kinds where a false alarm costs little (112 and a helpline shown once too often) and a miss
costs a life. They run on folded text (no diacritics, lower case), because a panicked
message is typed fast: "lapsi ei hengita".
"""

from __future__ import annotations

import re

from bot.text import fold

KINDS = ("suicide", "violence", "poisoning", "child_danger")

_NOW = r"(nyt|just|juuri|tal+a hetkel+a|heti|now|right now|nu|just nu|pa riktigt nu)"

_PATTERNS: dict[str, list[str]] = {
    "suicide": [
        r"itsemurh",
        r"tap(an|paa|pa) itse",
        r"tappaa itse",
        r"itseni tappa",
        r"(haluan|haluun|halua|tekis mieli) kuol",
        r"en (halua|jaksa) (enaa )?(elaa|el[aä]a)",
        r"vahingoittaa itse",
        r"viilt[aeo]",
        r"hypata (sillalta|katolta|junan)",
        r"suicid",
        r"kill (my|him|her)sel",
        r"end (my|it all|my life)",
        r"want(s)? to die",
        r"don'?t want to live",
        r"hurt (my|him|her)self",
        r"sjalvmord",
        r"ta livet av",
        r"vill (inte leva|do)\b",
        r"skada mig sjalv",
    ],
    "violence": [
        r"(lyo|lyovat|hakkaa|hakkaavat|potkii|kuristaa|kuristi) .{0,30}" + _NOW,
        _NOW + r" .{0,30}(lyo|hakkaa|potkii|kuristaa)",
        r"uhkaa? (tappaa|tapp|puukottaa|ampua)",
        r"uhkailee (aseella|puukolla|veitsella)",
        r"(puukko|veitsi|ase) (kadessa|kourassa)",
        r"(tappaa|tappamaan) (minut|meidat|lapset|mut)",
        r"(is|are|keeps) (hitting|beating|choking|attacking)",
        r"threaten\w* to kill",
        r"(has|with) a (knife|gun)",
        r"going to kill (me|us)",
        r"(slar|sparkar|stryper) (mig|oss|barnen|henne|honom) " + _NOW,
        r"hotar att doda",
        r"(har|med) (en )?(kniv|pistol)",
    ],
    "poisoning": [
        r"myrkyt",
        r"(soi|syonyt|nielaisi|nielaissut|nielas|joi|juonut|otti|ottanut|imeskeli) .{0,25}"
        r"(pillere|tablet|laakke|pesuaine|tiskiaine|lamppuoljy|sytytysnest|nikotiin|sieni|"
        r"kemikaal|kloori|marjo|paristo)",
        r"(swallowed|drank|drunk|ate|eaten|took|taken) .{0,25}(pill|tablet|medicin|medication|"
        r"detergent|bleach|chemical|battery|nicotine|mushroom|cleaning|cleaner|dishwasher|laundry)",
        r"poison",
        r"overdos",
        r"yliannostu",
        r"forgift",
        r"(svalt|svalde|druckit|drack|atit|at|tagit|tog) .{0,25}(tablett|piller|medicin|"
        r"tvattmedel|rengoringsmedel|diskmedel|klorin|kemikal|lampolja|tandvatska|nikotin|batteri)",
    ],
    "child_danger": [
        r"ei hengit",
        r"ei herate",
        r"ei hera\b",
        r"tajuton",
        r"tajuttom",
        r"ei reagoi",
        r"(lapsi|poika|tytto|vauva|taapero|\d+ ?v\w*) .{0,20}(kadon|hukas|kateissa)",
        r"(en loyda|ei loydy|hukassa|kateissa|kadonnut).{0,30}(lasta|lapsi|poika|poikaa|tytto|"
        r"tyttoa|vauva|taapero|\d+ ?-?v)",
        r"not breathing",
        r"stopped breathing",
        r"unconscious",
        r"won'?t wake",
        r"(child|son|daughter|kid|baby|toddler|boy|girl|\d+ ?(year|yr)s?[ -]old) .{0,20}missing",
        r"(has|have) gone missing",
        r"can'?t find (my|our) (child|son|daughter|kid|baby)",
        r"andas inte",
        r"medvetslos",
        r"vaknar inte",
        r"(barn|son|dotter|bebis|pojke|flicka|\d+ ?-?aring\w*) .{0,20}(forsvunn|borta|saknas)",
        r"hittar inte (mitt|min|vart|var) (barn|son|dotter)",
    ],
}
_COMPILED = {kind: [re.compile(p) for p in patterns] for kind, patterns in _PATTERNS.items()}


def crisis_kinds(text: str) -> list[str]:
    """The kinds of immediate danger the message shows signs of, in KINDS order."""
    folded = " ".join(fold(text).split())
    return [kind for kind in KINDS if any(p.search(folded) for p in _COMPILED[kind])]
