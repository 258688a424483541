"""The crisis floor: signs of danger found by patterns, under the safety classifier.

A floor under the safety classifier (`bot.safety`): these patterns are deliberately broad for the
kinds where a false alarm costs little (112 and a helpline shown once too often) and a miss
costs a life. They run on folded text (no diacritics, lower case), because a panicked
message is typed fast: "lapsi ei hengita".
"""

from __future__ import annotations

import re

from language.text import fold
from service_catalog.taxonomy import CRISIS_KINDS

KINDS = CRISIS_KINDS

_NOW = r"\b(nyt|just|juuri|parhaillaan|tal+a hetkel+a|heti|now|right now|nu|just nu|pa riktigt nu)\b"

_PATTERNS: dict[str, list[str]] = {
    "suicide": [
        r"itsemurh",
        r"tap(an|paa|pa) itse",
        r"tappaa? (itse|itte)",
        r"(itseni|itteni|itsensa|ittensa) tappa",
        r"(en|ei) halua (enaa )?olla olemassa",
        r"parempi ilman (minua|mua)",
        r"hyvastikirje|jaahyvaiskirje|goodbye (letter|note)|suicide note|avskedsbrev",
        r"(pillerit|tabletit|laakkeet) .{0,30}(ottaa|syoda) (ne )?kaikki",
        r"take (them|the pills|all the pills) all|take all (the|my) (pills|tablets)",
        r"ta (sitt|mitt|hennes|hans) liv|ta alla (tabletter|piller)|tanker ta alla",
        r"(haluan|haluun|halua|tekis mieli) kuol",
        r"en (halua|jaksa) (enaa )?(elaa|el[aä]a)",
        r"vahingoittaa itse",
        r"viilt[aeo]",
        r"hypata (sillalta|katolta|junan)",
        r"suicid",
        r"kill (my|him|her)sel",
        r"end(ing)? (my|it all|his|her) (life|lives)|end it all",
        r"want(s)? to die",
        r"don'?t want to live(?! (at|with|in|there|here))",
        r"hurt (my|him|her)self",
        r"sjalvmord",
        r"ta livet av",
        r"vill (inte leva|do)\b",
        r"skada mig sjalv",
    ],
    "violence": [
        r"(lyo|hakkaa|potki|kurist|riehu)\w* .{0,30}" + _NOW,
        _NOW + r" .{0,30}(lyo|hakkaa|potki|kurist)",
        r"uhkaa? (tappaa|tapp|puukottaa|ampua)",
        r"uhka(a|ilee) (aseella|puukolla|veitsella)",
        r"kurist(i|aa)\b",
        r"tunkeutu|murtautu|murtaa (sen|oven)",
        r"uhkaa (meita|minua|mua|lapsia|tappaa)",
        r"(on|oli) (puukko|veitsi|ase|kirves)\b|kirvee",
        r"(puukko|veitsi|ase) (kadessa|kourassa)",
        r"(tappaa|tappamaan) (minut|meidat|lapset|mut)",
        r"(is|are|keeps) (hitting|beating|choking|attacking)",
        r"(hitting|beating|choking|attacking|strangling) .{0,20}" + _NOW,
        r"(will|gonna|going to) kill (me|us|the kids|my)",
        r"breaking in|threatening (me|us|to)",
        r"threaten\w* to kill",
        r"(has|with) a (knife|gun)",
        r"going to kill (me|us)",
        r"(slar|sparkar|stryper|misshandlar) .{0,20}" + _NOW,
        r"hotar (oss|mig|barnen|att)|ta sig in",
        r"hotar att doda",
        r"(har|med) (en )?(kniv|pistol)",
        # Violence told as ongoing or habitual, without "now" (chat-payload.md: "ongoing as well as now").
        r"(lyo|loi|lyonyt|hakkaa|hakkas|hakkasi|potkii|potki|kuristi|kuristaa|tuuppaa|tuuppasi|"
        r"toni|tonii|riepottel)\w* (mua|minua|mut|minut|meita|meidat)\b",
        r"(pelkaan|pelottaa|pelkaa) (mun |minun )?(miesta|miestani|mieheni|puolisoa|puolisoani|exaa|exaani|"
        r"poikaystavaa|poikaystavaani|isaa|isaani)",
        r"(husband|boyfriend|bf|partner|ex|wife|girlfriend|gf|dad|father)\b.{0,20}"
        r"\b(hits|hit|beats|beat|chokes|choked|strangled|pushed|slaps|slapped|kicks|kicked|threatens|threatened) (me|us)\b",
        r"(afraid|scared|terrified) of (my )?(husband|boyfriend|partner|ex|wife|dad|father)",
        r"(man|sambo|pojkvan|ex|karl|pappa)\b.{0,20}\b(slar|slog|hotar|hotade|sparkar|sparkade|stryper|strypte|knuffar|knuffade) (mig|mej|oss)\b",
        r"radd for (min )?(man|sambo|pojkvan|ex|karl|pappa)",
    ],
    "poisoning": [
        r"myrkyt",
        r"(soi|syonyt|nieli|niellyt|nielaisi|nielaissut|nielas|joi|juonut|otti|ottanut|imeskeli) .{0,25}"
        r"(pillere|tablet|laakke|pesuaine|tiskiaine|lamppuoljy|sytytysnest|nikotiin|sieni|"
        r"kemikaal|kloori|marjo|paristo|kapsel)",
        r"(swallowed|drank|drunk|ate|eaten|took|taken) .{0,25}(pill|tablet|medicin|medication|"
        r"detergent|bleach|chemical|battery|nicotine|mushroom|cleaning|cleaner|dishwasher|laundry|soap)",
        r"poison",
        r"overdos",
        r"yliannostu",
        r"forgift",
        r"(svalt|svalde|druckit|drack|atit|at|tagit|tog) .{0,25}(tablett|piller|medicin|"
        r"tvattmedel|rengoringsmedel|diskmedel|klorin|kemikal|lampolja|tandvatska|nikotin|batteri)",
    ],
    "medical": [
        r"ei hengit",
        r"ei herate",
        r"ei hera\b",
        r"tajuton",
        r"tajuttom",
        r"ei reagoi",
        # Signs that breathing or consciousness is failing.
        r"sinert|siniset huulet|huulet (on )?sinis|(vauva|lapsi|taapero|poika|tytto) .{0,15}sininen",
        r"lakkasi hengit|en saa .{0,15}heraamaan",
        r"veltto",
        r"kourist",
        r"tukehtu",
        r"ei saa (henkea|happea)",
        r"turning blue|blue lips|(is|gone|went) (all )?limp",
        r"seizure|convuls",
        r"chok(ing|ed) on",
        r"can'?t breathe",
        r"(blir|ar) blatt?\b|bla lappar",
        r"\bkramp(er|anfall)",
        r"satt i halsen",
        r"far inte luft",
        r"not breathing",
        r"stopped breathing",
        r"unconscious",
        r"won'?t wake",
        r"andas inte",
        r"medvetslos",
        r"vaknar inte",
    ],
    "missing_child": [
        r"(lapsi|poika|tytto|vauva|taapero|\d+ ?v\w*) .{0,20}(kadon|hukas|kateissa|havi(s|nn|ny))",
        r"ei (ole |oo )?tull?(ut|u) .{0,20}kotiin",
        r"ei loydy mistaan",
        r"(en loyda|ei loydy|hukassa|kateissa|kadonnut).{0,30}(lasta|lapsi|poika|poikaa|tytto|"
        r"tyttoa|vauva|taapero|\d+ ?-?v)",
        r"karan(nut|si) kotoa|lahti kotoa .{0,30}ei vastaa",
        r"(child|son|daughter|kid|baby|toddler|boy|girl|\d+ ?(year|yr)s?[ -]old) .{0,20}missing",
        r"(has|have) gone missing|ran away from home",
        r"can'?t find (my|our) (child|son|daughter|kid|baby|\d+ ?(year|yr))",
        r"did ?n'?t come home|has ?n'?t come (home|back)",
        r"(barn|son|dotter|bebis|pojke|flicka|\d+ ?-?aring\w*) .{0,20}(forsvunn|borta|saknas)",
        r"hittar inte (mitt|min|vart|var) (barn|son|dotter|pojke|flicka|\d+ ?-?aring)",
        r"inte kommit hem|rymt hemifran",
    ],
    "child_abuse": [
        r"(isa|aiti|isapuoli|aitipuoli|iska|faija|mutsi|isi|aidin poikaystava|aidin mies)"
        r" .{0,20}(lyo|lyoo|loi|hakkaa|potkii|satuttaa|uhkaa|koskettel|kahmii|ahdistel)\w* (mua|minua|mut|minut)",
        r"pelkaan (menna )?kotiin|pelottaa menna kotiin|en uskalla menna kotiin",
        r"(koskettel|kosketteli|kopeloi|kahmi)\w* (mua|minua|mun|minun)",
        r"(dad|mum|mom|stepdad|stepmom|stepfather|mother'?s boyfriend|mums? boyfriend|moms? boyfriend)"
        r" .{0,20}(hits|hit|beats|beat|hurts|hurt|slaps|kicks|touches|threatens) me",
        r"(scared|afraid) to go home",
        r"(pappa|mamma|styvpappa|styvmamma|bonuspappa|mammas kille)"
        r" .{0,20}(slar|slog|sparkar|hotar|tafsar|ror|skadar) (mig|mej)",
        r"radd (for )?att (ga|komma) hem|vagar inte (ga|aka) hem",
    ],
    "harm_to_child": [
        r"pelkaan (etta )?(satutan|vahingoitan|lyon|ravistan|teen jotain) .{0,20}(vauva|lasta|lapsel|poikaa|tyttoa)",
        r"ravist(in|elin|i|ettiin)\b.{0,20}vauva|vauva.{0,20}ravist",
        r"(afraid|scared) (i'?ll|i will|i might|of) (hurt|hurting|harm|harming|shake|shaking) (my|the) (baby|child|son|daughter|kid)",
        r"shook (my|the) baby|shaken baby",
        r"radd (att|for att) (jag )?(skadar|skada|slar|sla|skakar|skaka) (mitt|min|bebisen|barnet)",
        r"skakade (bebisen|barnet|min bebis)",
    ],
    "no_carer": [
        r"(lapset|lapsi|pienet) .{0,25}(yksin kotona|kotona yksin)",
        r"(sammunut|sammui|tajuton|kannissa) .{0,30}(lapset|lapsi)|(lapset|lapsi) .{0,30}(sammunut|sammui)",
        r"(kids|children|baby|toddler) .{0,20}(home )?alone (at home|for days)",
        r"(passed out|collapsed) .{0,40}(kids|children|baby)",
        r"(barnen|barn) .{0,20}ensamma hemma",
    ],
}
_COMPILED = {kind: [re.compile(p) for p in patterns] for kind, patterns in _PATTERNS.items()}


# "No suicidal thoughts" tells the opposite; such a phrase is taken out before matching.
_DENIED = re.compile(
    r"\b(no|not|dont have|don't have|inga|inte|ei ole|ei oo|ilman)\b[^.,!?]{0,25}"
    r"(suicid\w*|sjalvmord\w*|itsetuho\w*|itsemurha\w*|hurt (my|him|her)sel\w*)"
)


# "Nyt olen turvassa": the danger is over; the "now" in it must not make a past event urgent.
_SAFE_NOW = re.compile(
    r"\b(nyt|now|nu)\b (oon |olen |ollaan |olemme |i am |i'm |im |we are |ar jag |ar vi )?"
    r"(turvassa|safe|trygg|i sakerhet)"
)


def crisis_kinds(text: str) -> list[str]:
    """The kinds of immediate danger the message shows signs of, in KINDS order."""
    folded = " ".join(fold(text).split())
    folded = _SAFE_NOW.sub(" ", _DENIED.sub(" ", folded))
    return [kind for kind in KINDS if any(p.search(folded) for p in _COMPILED[kind])]


# Kinds whose danger is to life or health at once, whatever the tense.
URGENT_KINDS = frozenset({"poisoning", "medical", "missing_child", "no_carer"})
_URGENT_WORDS = re.compile(
    _NOW + r"|\b(apua|auta|help|hjalp|hatatilanne|emergency|tanaan|tonight|today|idag|ikvall|tana yona|"
    r"(on|has|har) (kniv|puukko|veitsi|ase|a knife|a gun)|oven takana|outside the door|utanfor dorren)\b"
)
# A child or teenager telling of their own parent: first person with a parent as the doer.
_CHILD_VOICE = re.compile(
    r"\b(mun|minun|mein|meidan) (isa|aiti|isapuoli|aitipuoli|iska|iskasi|faija|mutsi|isi|"
    r"aidin poikaystava|aidin mies|isovanhemp|vanhemmat)\b|\b(isa|aiti|isapuoli|aitipuoli|faija|mutsi|isi)\b"
    r".{0,30}\b(mua|minua|mut|minut|mulle|minulle)\b|\bmy (dad|mum|mom|stepdad|stepmom|stepfather|"
    r"stepmother|father|mother|parents|mums boyfriend|mum'?s boyfriend|moms boyfriend|mom'?s boyfriend)\b"
    r"|\b(min|mina|mitt) (pappa|mamma|styvpappa|styvmamma|bonuspappa|bonusmamma|foraldrar|mammas kille)\b"
    r"|\b(pappa|mamma|styvpappa|styvmamma|bonuspappa|farsan|morsan)\b.{0,30}\b(mig|mej)\b"
    r"|\b(dad|daddy|mum|mom|mommy|stepdad|stepmom)\b.{0,30}\bme\b"
    r"|\b(pelkaan|pelottaa|en uskalla) (menna )?kotiin|\b(scared|afraid|dont dare|dare not) to go home"
    r"|(radd (for )?att|vagar inte|tor inte) (ga|komma) hem"
)
_PARENT_TELLING = re.compile(
    r"\b(mun|minun|meidan) (lapsi|lapsen|lapseni|poika|poikani|tytto|tyttoni|lapset|lapsia|vauva)|"
    r"\bmy (child|son|daughter|kid|kids|children|baby)\b|\b(mitt|min|vart|vara) (barn|son|dotter|bebis)\b"
)


def is_urgent(text: str, kinds: list[str]) -> bool:
    """Danger now (call 112 at once), as against harm told as ongoing or past."""
    return bool(URGENT_KINDS.intersection(kinds)) or bool(_URGENT_WORDS.search(" ".join(fold(text).split())))


def child_voice(text: str) -> bool:
    """Whether a child or teenager seems to be telling of their own home."""
    folded = " ".join(fold(text).split())
    return bool(_CHILD_VOICE.search(folded)) and not _PARENT_TELLING.search(folded)
