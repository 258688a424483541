"""Everything the bot says, in Finnish, Swedish and English."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "greet": {
        "fi": "Hei! Olen sähköisen perhekeskuksen opas. Kerro, mikä asia perheelläsi on mielessä, niin etsin sopivan palvelun.",
        "sv": "Hej! Jag är den elektroniska familjecentralens guide. Berätta vad din familj behöver hjälp med, så söker jag en passande tjänst.",
        "en": "Hi! I am the guide of the electronic family centre. Tell me what your family needs help with and I will find the right service.",
    },
    "goodbye": {
        "fi": "Kiitos keskustelusta. Voimia arkeen!",
        "sv": "Tack för samtalet. Allt gott!",
        "en": "Thank you for the chat. Take care!",
    },
    "thank": {
        "fi": "Ole hyvä! Kysy rohkeasti lisää.",
        "sv": "Varsågod! Fråga gärna mer.",
        "en": "You're welcome! Feel free to ask more.",
    },
    "bot_challenge": {
        "fi": 'Olen botti, en ihminen. Ihmisen tavoitat perheneuvosta: kysy vaikka "kenelle soitan?".',
        "sv": 'Jag är en bot, inte en människa. En människa når du via familjerådgivaren: fråga till exempel "vem ska jag ringa?".',
        "en": 'I am a bot, not a person. You can reach a person through the family adviser: just ask "who do I call?".',
    },
    "help": {
        "fi": "Autan löytämään perhekeskuksen palvelut: neuvolat, perheneuvolan, perhetyön, kotipalvelun, lastenvalvojan, kohtaamispaikat, nuorten palvelut, Kelan etuudet ja paljon muuta. Kerro huolesi omin sanoin ja kuntasi, niin kerron sopivan palvelun, sen yhteystiedot ja aukioloajat sekä alueesi perheneuvon.",
        "sv": "Jag hjälper dig att hitta familjecentralens tjänster: rådgivningen, familjerådgivningen, familjearbete, hemservice, barnatillsyningsmannen, mötesplatser, tjänster för unga, FPA:s förmåner och mycket mer. Berätta med egna ord och nämn din kommun, så berättar jag vilken tjänst som passar, dess kontaktuppgifter och öppettider samt din familjerådgivare.",
        "en": "I help you find the family centre's services: maternity and child health clinics, family counselling, family work, home help, the child welfare supervisor, meeting points, youth services, Kela benefits and more. Tell me your concern in your own words and your municipality, and I will tell you which service fits, its contact details and opening hours, and your local family adviser.",
    },
    "out_of_scope": {
        "fi": "Tähän en valitettavasti osaa vastata. Autan perheitä löytämään perhekeskuksen palvelut: neuvolat, perheneuvolan, perhetyön, kohtaamispaikat, nuorten palvelut, Kelan etuudet ja oman alueen perheneuvon.",
        "sv": "Det kan jag tyvärr inte svara på. Jag hjälper familjer att hitta familjecentralens tjänster: rådgivningen, familjerådgivningen, familjearbete, mötesplatser, tjänster för unga, FPA:s förmåner och den egna familjerådgivaren.",
        "en": "Sorry, I can't help with that. I help families find the family centre's services: child health clinics, family counselling, family work, meeting points, youth services, Kela benefits and your local family adviser.",
    },
    "clarify": {
        "fi": "En ole varma, mitä palvelua tarvitset. Kerrotko vähän lisää, esimerkiksi lapsen iän ja mistä olet huolissasi? Perheneuvo auttaa myös, jos et tiedä, mistä aloittaa.",
        "sv": "Jag är inte säker på vilken tjänst du behöver. Kan du berätta lite mer, till exempel barnets ålder och vad du är orolig för? Familjerådgivaren hjälper också om du inte vet var du ska börja.",
        "en": "I'm not sure which service you need. Could you tell me a little more, for example your child's age and what worries you? The family adviser can also help if you don't know where to start.",
    },
    "ask_need": {
        "fi": "Selvä, {place}. Kerro, missä asiassa tarvitset apua, niin etsin sopivan palvelun.",
        "sv": "Okej, {place}. Berätta vad du behöver hjälp med, så söker jag en passande tjänst.",
        "en": "All right, {place}. Tell me what you need help with and I will find the right service.",
    },
    "best_service": {
        "fi": "Tähän sopii parhaiten: {name}{provider}.",
        "sv": "Bäst passar: {name}{provider}.",
        "en": "The best fit is: {name}{provider}.",
    },
    "phone": {"fi": "puh. {value}", "sv": "tfn {value}", "en": "phone {value}"},
    "hours": {"fi": "Aukioloajat: {value}", "sv": "Öppettider: {value}", "en": "Opening hours: {value}"},
    "open_now": {"fi": "nyt auki", "sv": "öppet nu", "en": "open now"},
    "closed_now": {"fi": "nyt suljettu", "sv": "stängt nu", "en": "closed now"},
    "also": {
        "fi": "Myös nämä voivat auttaa: {names}.",
        "sv": "Också dessa kan hjälpa: {names}.",
        "en": "These may also help: {names}.",
    },
    "contact": {
        "fi": "Perheneuvosi ({place}): {name}{phone}{hours}. Perheneuvo ohjaa eteenpäin, jos et ole varma oikeasta paikasta.",
        "sv": "Din familjerådgivare ({place}): {name}{phone}{hours}. Familjerådgivaren hjälper dig vidare om du är osäker.",
        "en": "Your family adviser ({place}): {name}{phone}{hours}. The adviser will guide you further if you are not sure where to go.",
    },
    "ask_municipality": {
        "fi": "Missä kunnassa asut? Niin kerron lähimmän palvelun ja oman perheneuvosi.",
        "sv": "I vilken kommun bor du? Då kan jag berätta om närmaste tjänst och din familjerådgivare.",
        "en": "Which municipality do you live in? Then I can tell you the nearest service and your own family adviser.",
    },
    "ask_area": {
        "fi": "Millä alueella asut ({municipality})? Niin löydän alueesi palvelut ja perheneuvon.",
        "sv": "I vilket område bor du ({municipality})? Då hittar jag ditt områdes tjänster och familjerådgivare.",
        "en": "Which area of {municipality} do you live in? Then I can find your area's services and family adviser.",
    },
    "no_service_here": {
        "fi": "En löytänyt tähän sopivaa palvelua kohteesta {place}. Perheneuvo auttaa löytämään oikean paikan.",
        "sv": "Jag hittade ingen passande tjänst i {place}. Familjerådgivaren hjälper dig att hitta rätt.",
        "en": "I found no matching service in {place}. The family adviser can help you find the right place.",
    },
    "hours_on_day": {
        "fi": "{name}: {day} {hours}.",
        "sv": "{name}: {day} {hours}.",
        "en": "{name}: {day} {hours}.",
    },
    "hours_unknown": {
        "fi": "Palvelulla {name} ei ole säännöllisiä aukioloaikoja; ajan voi sopia puhelimitse{phone}.",
        "sv": "{name} har inga regelbundna öppettider; tid bokas per telefon{phone}.",
        "en": "{name} has no regular opening hours; appointments are made by phone{phone}.",
    },
    "no_previous_service": {
        "fi": "Kerro ensin, mitä palvelua etsit, niin kerron sen aukioloajat.",
        "sv": "Berätta först vilken tjänst du söker, så berättar jag dess öppettider.",
        "en": "Tell me first which service you are looking for and I will tell you its opening hours.",
    },
    "call_service": {
        "fi": "Asiassa {name} soita numeroon {phone}.",
        "sv": "I ärendet {name}, ring {phone}.",
        "en": "For {name}, call {phone}.",
    },
    "crisis_112": {
        "fi": "Jos joku on välittömässä vaarassa, soita heti hätänumeroon 112.",
        "sv": "Om någon är i omedelbar fara, ring genast nödnumret 112.",
        "en": "If anyone is in immediate danger, call the emergency number 112 now.",
    },
    "crisis_lines": {
        "fi": "Apua saat myös täältä: {lines}.",
        "sv": "Hjälp får du också här: {lines}.",
        "en": "You can also get help here: {lines}.",
    },
    "crisis_care": {
        "fi": "Et ole yksin. Kun välitön vaara on ohi, autan löytämään jatkotukea.",
        "sv": "Du är inte ensam. När den akuta faran är över hjälper jag dig att hitta fortsatt stöd.",
        "en": "You are not alone. Once the immediate danger is over, I can help you find further support.",
    },
}

DAY_WORDS = {
    "fi": (
        "maanantaina",
        "tiistaina",
        "keskiviikkona",
        "torstaina",
        "perjantaina",
        "lauantaina",
        "sunnuntaina",
    ),
    "sv": ("på måndag", "på tisdag", "på onsdag", "på torsdag", "på fredag", "på lördag", "på söndag"),
    "en": ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday"),
}


def say(key: str, lang: str, **values: object) -> str:
    texts = TEXTS[key]
    return (texts.get(lang) or texts["fi"]).format(**values)
