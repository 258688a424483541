"""The words of a crisis answer, per kind and per moment (danger now, or harm told as ongoing).

Short, kind and plain: the family reads them on a phone, perhaps in a hurry or in hiding.
"""

from __future__ import annotations

CRISIS_TEXTS: dict[str, dict[str, str]] = {
    "crisis_112": {
        "fi": "Soita heti hätänumeroon 112.",
        "sv": "Ring genast nödnumret 112.",
        "en": "Call the emergency number 112 now.",
    },
    "crisis_112_ongoing": {
        "fi": "Jos sinä tai joku muu on vaarassa nyt, soita hätänumeroon 112.",
        "sv": "Om du eller någon annan är i fara nu, ring nödnumret 112.",
        "en": "If you or anyone else is in danger now, call the emergency number 112.",
    },
    "crisis_lines": {
        "fi": "Apua saat myös täältä: {lines}.",
        "sv": "Hjälp får du också här: {lines}.",
        "en": "You can also get help here: {lines}.",
    },
    "crisis_lines_ongoing": {
        "fi": "Voit puhua luottamuksellisesti: {lines}.",
        "sv": "Du kan prata i förtroende: {lines}.",
        "en": "You can talk in confidence: {lines}.",
    },
    "crisis_suicide": {
        "fi": "Kiitos, että kerroit. Sinun ei tarvitse olla yksin näiden ajatusten kanssa.",
        "sv": "Tack för att du berättade. Du behöver inte vara ensam med de här tankarna.",
        "en": "Thank you for telling me. You do not have to be alone with these thoughts.",
    },
    "crisis_violence": {
        "fi": "Väkivalta ei ole koskaan sinun syysi. Apua saa, vaikka et olisi vielä päättänyt mitään.",
        "sv": "Våldet är aldrig ditt fel. Du kan få hjälp även om du inte har bestämt något än.",
        "en": "Violence is never your fault. You can get help even if you have not decided anything yet.",
    },
    "crisis_child_abuse": {
        "fi": "Lapsen turvallisuus menee kaiken edelle. Hätänumerosta 112 saat myös sosiaalipäivystyksen.",
        "sv": "Barnets trygghet går före allt. Via nödnumret 112 når du också socialjouren.",
        "en": "A child's safety comes first. 112 also reaches the social emergency service.",
    },
    "crisis_child_voice": {
        "fi": "Et ole tehnyt mitään väärää. Sinulla on oikeus olla turvassa, ja aikuisten tehtävä on auttaa.",
        "sv": "Du har inte gjort något fel. Du har rätt att vara trygg, och det är de vuxnas uppgift att hjälpa.",
        "en": "You have done nothing wrong. You have the right to be safe, and it is the adults' job to help.",
    },
    "crisis_harm_to_child": {
        "fi": (
            "Hyvä, että kerroit. Laita lapsi turvalliseen paikkaan, esimerkiksi sänkyyn, ja mene hetkeksi "
            "toiseen huoneeseen. Jos vauvaa on ravisteltu, soita 112 heti, vaikka hän näyttäisi voivan hyvin."
        ),
        "sv": (
            "Bra att du berättade. Lägg barnet på en trygg plats, till exempel i sängen, och gå en stund till "
            "ett annat rum. Om bebisen har skakats, ring 112 genast, även om hen verkar må bra."
        ),
        "en": (
            "It is good that you told me. Put the child somewhere safe, such as the cot, and step into another "
            "room for a moment. If the baby has been shaken, call 112 now, even if the baby seems fine."
        ),
    },
    "crisis_poisoning": {
        "fi": "Jos hänellä on oireita (uneliaisuus, hengitysvaikeus, kouristelu), soita 112. Muuten Myrkytystietokeskus neuvoo.",
        "sv": "Om hen har symtom (dåsighet, andningssvårigheter, kramper), ring 112. Annars ger Giftinformationscentralen råd.",
        "en": "If there are symptoms (drowsiness, trouble breathing, seizures), call 112. Otherwise the Poison Information Centre advises.",
    },
    "crisis_missing_child": {
        "fi": "Kadonneen lapsen etsintä alkaa heti: soita 112, älä jää odottamaan.",
        "sv": "Sökandet efter ett försvunnet barn börjar genast: ring 112, vänta inte.",
        "en": "The search for a missing child starts at once: call 112, do not wait.",
    },
    "crisis_no_carer": {
        "fi": "Jos lapset ovat ilman aikuista, soita 112: hätäkeskus hälyttää sosiaalipäivystyksen, joka järjestää heille hoidon.",
        "sv": "Om barnen är utan vuxen, ring 112: nödcentralen larmar socialjouren, som ordnar vård för dem.",
        "en": "If the children are without an adult, call 112: the emergency centre alerts the social emergency service, who arrange care.",
    },
    "crisis_care": {
        "fi": "Et ole yksin. Kun välitön vaara on ohi, autan löytämään jatkotukea.",
        "sv": "Du är inte ensam. När den akuta faran är över hjälper jag dig att hitta fortsatt stöd.",
        "en": "You are not alone. Once the immediate danger is over, I can help you find further support.",
    },
    "crisis_form_kept": {
        "fi": "Soittopyyntösi on yhä tallessa: voit jatkaa sitä vastaamalla alla olevaan kysymykseen.",
        "sv": "Din begäran om samtal finns kvar: du kan fortsätta den genom att svara på frågan nedan.",
        "en": "Your call-back request is kept: you can go on with it by answering the question below.",
    },
}
