"""Everything the bot says, in Finnish, Swedish and English."""

from __future__ import annotations

from datetime import datetime

from actions.crisis_texts import CRISIS_TEXTS
from service_catalog.hours import HELSINKI

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
    "affirm": {
        "fi": "Selvä! Jos voin auttaa vielä jossain, kerro asiasi omin sanoin.",
        "sv": "Okej! Om jag kan hjälpa till med något mer, berätta med egna ord.",
        "en": "All right! If there is anything else I can help with, tell me in your own words.",
    },
    "deny": {
        "fi": "Selvä. Kun haluat, kerro omin sanoin, mistä olet huolissasi, niin etsin sopivan palvelun.",
        "sv": "Okej. När du vill kan du berätta med egna ord vad du är orolig för, så söker jag en passande tjänst.",
        "en": "All right. Whenever you like, tell me in your own words what worries you and I will find the right service.",
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
    "example_service": {
        "fi": "Esimerkki tällaisesta palvelusta: {name}{provider}, {municipality}. Oman kuntasi palvelun kerron, kun tiedän, missä asut.",
        "sv": "Ett exempel på en sådan tjänst: {name}{provider}, {municipality}. Tjänsten i din egen kommun kan jag berätta när jag vet var du bor.",
        "en": "An example of such a service: {name}{provider}, {municipality}. I can tell you the one in your own municipality once I know where you live.",
    },
    "not_covered": {
        "fi": "{place} ei vielä kuulu tämän chatin alueeseen, joten en tunne sen palveluja. Hätätilanteessa soita 112.",
        "sv": "{place} hör ännu inte till den här chattens område, så jag känner inte till tjänsterna där. I en nödsituation ring 112.",
        "en": "{place} is not yet covered by this chat, so I do not know its services. In an emergency call 112.",
    },
    "not_covered_everyone": {
        "fi": "Nämä palvelut palvelevat koko maata: {names}.",
        "sv": "De här tjänsterna betjänar hela landet: {names}.",
        "en": "These services serve the whole country: {names}.",
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
    "closed_next": {
        "fi": "Perheneuvo ei vastaa juuri nyt; seuraavan kerran {when}.",
        "sv": "Familjerådgivaren svarar inte just nu; nästa gång {when}.",
        "en": "The family adviser is not answering right now; next {when}.",
    },
    "button_yes": {"fi": "Kyllä", "sv": "Ja", "en": "Yes"},
    "button_no": {"fi": "Ei", "sv": "Nej", "en": "No"},
    "callback_offer": {
        "fi": "Voit myös jättää soittopyynnön: kirjoita 'pyydä apua'.",
        "sv": "Du kan också be att bli uppringd: skriv 'be om hjälp'.",
        "en": "You can also leave a call-me-back request: write 'ask for help'.",
    },
    "callback_ask_consent": {
        "fi": "Voin välittää perheneuvolle pyynnön ottaa sinuun yhteyttä. Tallennan sitä varten puhelinnumerosi tai sähköpostiosoitteesi, asiasi muutamalla sanalla ja kuntasi; ne poistetaan {days} päivän kuluttua. Sopiiko tämä? (kyllä / ei)",
        "sv": "Jag kan be familjerådgivaren att kontakta dig. För det sparar jag ditt telefonnummer eller din e-postadress, ditt ärende med några ord och din kommun; de raderas efter {days} dagar. Går det bra? (ja / nej)",
        "en": "I can ask the family adviser to contact you. For that I store your phone number or email, your matter in a few words and your municipality; they are deleted after {days} days. Is that all right? (yes / no)",
    },
    "callback_ask_contact": {
        "fi": "Mihin puhelinnumeroon tai sähköpostiin perheneuvo voi ottaa yhteyttä?",
        "sv": "Till vilket telefonnummer eller vilken e-postadress kan familjerådgivaren höra av sig?",
        "en": "Which phone number or email can the family adviser contact you at?",
    },
    "callback_bad_contact": {
        "fi": "Tuo ei näytä suomalaiselta puhelinnumerolta tai sähköpostiosoitteelta. Kirjoita esimerkiksi 040 123 4567 tai nimi@esimerkki.fi.",
        "sv": "Det ser inte ut som ett finskt telefonnummer eller en e-postadress. Skriv till exempel 040 123 4567 eller namn@exempel.fi.",
        "en": "That does not look like a Finnish phone number or an email address. Write for example 040 123 4567 or name@example.fi.",
    },
    "callback_ask_topic": {
        "fi": "Kerro muutamalla sanalla, mistä asiasta haluat puhua.",
        "sv": "Berätta med några ord vad du vill prata om.",
        "en": "Tell me in a few words what you would like to talk about.",
    },
    "callback_ask_municipality": {
        "fi": "Missä kunnassa asut? Välitän pyynnön sen perheneuvolle.",
        "sv": "I vilken kommun bor du? Jag skickar begäran till familjerådgivaren där.",
        "en": "Which municipality do you live in? I will pass the request to its family adviser.",
    },
    "callback_bad_municipality": {
        "fi": "En tunnistanut kuntaa. Kirjoita kuntasi nimi, esimerkiksi Mikkeli.",
        "sv": "Jag kände inte igen kommunen. Skriv namnet på din kommun, till exempel Mikkeli.",
        "en": "I did not recognise the municipality. Write its name, for example Mikkeli.",
    },
    "callback_no_consent": {
        "fi": "Selvä, en tallentanut mitään.",
        "sv": "Okej, jag sparade ingenting.",
        "en": "All right, I did not store anything.",
    },
    "callback_call_yourself": {
        "fi": "Voit soittaa perheneuvolle itse: {name}, puh. {phone}.",
        "sv": "Du kan ringa familjerådgivaren själv: {name}, tfn {phone}.",
        "en": "You can call the family adviser yourself: {name}, phone {phone}.",
    },
    "callback_ask_contact_question": {
        "fi": "Perheneuvon numeron saat, kun kysyt 'kenelle soitan?' ja kerrot kuntasi.",
        "sv": "Familjerådgivarens nummer får du om du frågar 'vem ska jag ringa?' och nämner din kommun.",
        "en": "Ask 'who do I call?' and name your municipality to get the family adviser's number.",
    },
    "callback_done": {
        "fi": "Kiitos! Pyyntösi on välitetty: {name} ({place}) ottaa sinuun yhteyttä {channel}.",
        "sv": "Tack! Din begäran är skickad: {name} ({place}) kontaktar dig {channel}.",
        "en": "Thank you! Your request has been passed on: {name} ({place}) will contact you {channel}.",
    },
    "callback_done_no_contact": {
        "fi": "Kiitos! Pyyntösi on tallennettu, ja perhekeskuksen työntekijä ({place}) ottaa sinuun yhteyttä {channel}.",
        "sv": "Tack! Din begäran är sparad, och en medarbetare på familjecentralen ({place}) kontaktar dig {channel}.",
        "en": "Thank you! Your request is saved, and a family centre worker ({place}) will contact you {channel}.",
    },
    "channel_phone": {"fi": "puhelimitse", "sv": "per telefon", "en": "by phone"},
    "channel_email": {"fi": "sähköpostitse", "sv": "per e-post", "en": "by email"},
    "callback_crisis_note": {
        "fi": "Jos tilanne on kiireellinen, älä jää odottamaan: soita 112.",
        "sv": "Om det är brådskande, vänta inte: ring 112.",
        "en": "If it is urgent, do not wait: call 112.",
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


CLOCK_WORD = {"fi": "klo", "sv": "kl.", "en": "at"}


TEXTS.update(CRISIS_TEXTS)


# A coming moment today or tomorrow is said so, not by its weekday and date.
NEAR_DAY_WORDS = {"fi": ("tänään", "huomenna"), "sv": ("i dag", "i morgon"), "en": ("today", "tomorrow")}


def when_text(moment: datetime, lang: str, now: datetime | None = None) -> str:
    """A coming moment in Helsinki time: "tänään klo 9.00", "huomenna klo 9.00",
    "maanantaina 30.11. klo 8.00", "on Monday 30.11. at 8:00"."""
    local = moment.astimezone(HELSINKI)
    separator = ":" if lang == "en" else "."
    clock = f"{local.hour}{separator}{local.minute:02d}"
    ahead = (local.date() - (now or datetime.now(HELSINKI)).astimezone(HELSINKI).date()).days
    if ahead in (0, 1):
        day = NEAR_DAY_WORDS.get(lang, NEAR_DAY_WORDS["fi"])[ahead]
    else:
        day = DAY_WORDS.get(lang, DAY_WORDS["fi"])[local.weekday()] + f" {local.day}.{local.month}."
    return f"{day} {CLOCK_WORD.get(lang, 'klo')} {clock}"


def say(key: str, lang: str, **values: object) -> str:
    texts = TEXTS[key]
    return (texts.get(lang) or texts["fi"]).format(**values)
