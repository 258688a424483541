/* Sähköinen perhekeskus: the chat widget. Embed with one tag:
 *   <script src="https://…/widget.js" data-webhook="https://…" data-municipality="Mikkeli"
 *           data-lang="fi" defer></script>
 * Vanilla ES2019, no build step. Everything lives in a shadow root, so the host page's
 * styles neither reach in nor are touched. It talks to Rasa's REST webhook and renders the
 * pk.v1 payload of chat-payload.md; unknown fields are ignored. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__pkWidget) return;
  window.__pkWidget = true;

  var STORE = "pk-widget:v1";
  var data = script.dataset;
  var WEBHOOK = (data.webhook || "http://localhost:5005").replace(/\/+$/, "") + "/webhooks/rest/webhook";
  var MUNICIPALITY = data.municipality || null;
  var CSS_URL = data.css || new URL("widget.css", script.src).href;
  var LANGS = ["fi", "sv", "en"];
  var TIMEOUT_MS = Number(data.timeout) || 30000;
  // Ratings go to the API this script was loaded from.
  var FEEDBACK = new URL("/feedback", script.src).href;

  var T = {
    fi: {
      launcher: "Kysy perhekeskukselta", title: "Perhekeskuksen chat", close: "Sulje chat",
      fresh: "Uusi keskustelu", label: "Kirjoita viestisi", send: "Lähetä", help: "Pyydä apua",
      helpMessage: "haluan että minulle soitetaan", language: "Kieli",
      privacy: "Älä kirjoita nimeäsi, henkilötunnustasi tai terveystietojasi. Viestisi lähetetään perhekeskuksen chat-palvelimelle vastausta varten; keskustelu säilyy tässä selainvälilehdessä, kunnes aloitat uuden.",
      hello: "Hei! Kerro omin sanoin, mihin tarvitset apua, niin etsin sopivan palvelun.",
      starters: ["Missä on lähin lastenneuvola?", "Perhekahvila lähellä", "Riitelemme paljon lapsen kanssa"],
      followups: ["Kenelle soitan?", "Onko se auki lauantaina?"],
      you: "Sinä", bot: "Perhekeskus", sending: "Lähetetään…", failed: "Viesti ei mennyt perille. Hätätilanteessa soita 112.",
      retry: "Yritä uudelleen", crisis: "Hätätilanteessa soita heti", openNow: "Auki nyt",
      closedNow: "Suljettu nyt", map: "Kartta", contact: "Perheneuvo – yksi ovi perhekeskukseen",
      phone: "Puhelin", email: "Sähköposti", hours: "Aukioloajat", web: "Verkkosivu",
      helpful: "Hyödyllinen", notHelpful: "Ei hyödyllinen", wasHelpful: "Oliko tästä apua?",
      thanks: "Kiitos palautteesta!", helplines: "Auttavat puhelimet",
      typing: "Perhekeskus kirjoittaa…"
    },
    sv: {
      launcher: "Fråga familjecentret", title: "Familjecentrets chatt", close: "Stäng chatten",
      fresh: "Ny konversation", label: "Skriv ditt meddelande", send: "Skicka", help: "Be om hjälp",
      helpMessage: "jag vill bli uppringd", language: "Språk",
      privacy: "Skriv inte ditt namn, din personbeteckning eller hälsouppgifter. Meddelandena skickas till familjecentrets chattserver för att besvaras; samtalet sparas i den här webbläsarfliken tills du börjar ett nytt.",
      hello: "Hej! Berätta med egna ord vad du behöver hjälp med, så söker jag rätt tjänst.",
      starters: ["Var finns närmaste barnrådgivning?", "Familjecafé i närheten", "Vi grälar mycket med barnet"],
      followups: ["Vem ska jag ringa?", "Är det öppet på lördag?"],
      you: "Du", bot: "Familjecentret", sending: "Skickas…", failed: "Meddelandet kom inte fram. I en nödsituation ring 112.",
      retry: "Försök igen", crisis: "I en nödsituation ring genast", openNow: "Öppet nu",
      closedNow: "Stängt nu", map: "Karta", contact: "Familjerådgivningen – en dörr till familjecentret",
      phone: "Telefon", email: "E-post", hours: "Öppettider", web: "Webbplats",
      helpful: "Till hjälp", notHelpful: "Inte till hjälp", wasHelpful: "Var det här till hjälp?",
      thanks: "Tack för din respons!", helplines: "Stödtelefoner",
      typing: "Familjecentret skriver…"
    },
    en: {
      launcher: "Ask the family centre", title: "Family centre chat", close: "Close chat",
      fresh: "New conversation", label: "Type your message", send: "Send", help: "Ask for help",
      helpMessage: "I'd like someone to call me", language: "Language",
      privacy: "Please do not write your name, personal identity code or health details. Messages go to the family centre's chat server to be answered; the conversation stays in this browser tab until you start a new one.",
      hello: "Hello! Tell me in your own words what you need help with, and I will find the right service.",
      starters: ["Where is the nearest child health clinic?", "Family cafe nearby", "We argue a lot with our child"],
      followups: ["Who should I call?", "Is it open on Saturday?"],
      you: "You", bot: "Family centre", sending: "Sending…", failed: "The message was not delivered. In an emergency call 112.",
      retry: "Try again", crisis: "In an emergency call", openNow: "Open now", closedNow: "Closed now",
      map: "Map", contact: "Family counselling – one door to the family centre", phone: "Phone",
      email: "Email", hours: "Opening hours", web: "Website", helpful: "Helpful",
      notHelpful: "Not helpful", wasHelpful: "Was this helpful?",
      thanks: "Thank you for your feedback!", helplines: "Helplines",
      typing: "The family centre is typing…"
    }
  };

  function pageLanguage() {
    var hint = (data.lang || document.documentElement.lang || "fi").slice(0, 2).toLowerCase();
    return LANGS.indexOf(hint) >= 0 ? hint : "fi";
  }

  function newId() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return "web-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE));
      if (saved && saved.sender && Array.isArray(saved.messages)) return saved;
    } catch (e) { /* a broken entry starts over */ }
    return { sender: newId(), lang: pageLanguage(), open: false, messages: [], feedback: {}, seq: 0 };
  }

  var state = load();
  // A message caught "sending" by a reload never got its answer recorded: offer a retry.
  state.messages.forEach(function (m) { if (m.status === "sending") m.status = "failed"; });

  function save() {
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode: memory only */ }
  }

  // Labels follow the language of the answer they sit in (an answer in Swedish gets Swedish
  // labels in a Finnish page); the widget's own chrome follows the chosen language.
  function t(key, lang) { return T[T[lang] ? lang : state.lang][key]; }

  // ---- DOM helpers (textContent only: nothing from the server becomes markup) ----
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === "text") node.textContent = v;
      else if (k === "on") Object.keys(v).forEach(function (ev) { node.addEventListener(ev, v[ev]); });
      else node.setAttribute(k, v === true ? "" : v);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function telHref(phone) { return "tel:" + String(phone).replace(/[^\d+]/g, ""); }

  // ---- the shell ----
  var host = el("div", { id: "pk-chat-widget" });
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("link", { rel: "stylesheet", href: CSS_URL }));

  var launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "pk-panel" });
  var panel = el("section", { id: "pk-panel", class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "pk-title", hidden: true });
  var title = el("h2", { id: "pk-title", class: "title" });
  var langGroup = el("div", { class: "langs", role: "group" });
  var langButtons = LANGS.map(function (code) {
    var b = el("button", { type: "button", class: "lang", lang: code, "data-lang": code, text: code.toUpperCase(),
      on: { click: function () { setLanguage(code); } } });
    langGroup.appendChild(b);
    return b;
  });
  var freshButton = el("button", { type: "button", class: "ghost", on: { click: startOver } });
  var closeButton = el("button", { type: "button", class: "ghost close", on: { click: function () { setOpen(false); } } });
  var privacy = el("p", { class: "privacy", id: "pk-privacy" });
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-relevant": "additions", tabindex: "0" });
  var status = el("p", { class: "status", role: "status" });
  var quick = el("div", { class: "quick" });
  var form = el("form", { class: "composer", on: { submit: onSubmit } });
  var inputLabel = el("label", { for: "pk-input", class: "sr-only" });
  var input = el("textarea", { id: "pk-input", rows: "2", maxlength: "1000", "aria-describedby": "pk-privacy", autocomplete: "off" });
  var sendButton = el("button", { type: "submit", class: "primary" });
  var helpButton = el("button", { type: "button", class: "help", on: { click: function () { send(t("helpMessage")); } } });
  form.appendChild(inputLabel);
  form.appendChild(input);
  form.appendChild(el("div", { class: "actions" }, [helpButton, sendButton]));

  panel.appendChild(el("header", { class: "head" }, [title, el("div", { class: "tools" }, [langGroup, freshButton, closeButton])]));
  panel.appendChild(log);
  panel.appendChild(status);
  panel.appendChild(quick);
  panel.appendChild(form);
  panel.appendChild(privacy);
  root.appendChild(launcher);
  root.appendChild(panel);

  launcher.addEventListener("click", function () { setOpen(true); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") setOpen(false); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); onSubmit(e); }
  });

  function setOpen(open, quiet) {
    state.open = open;
    save();
    panel.hidden = !open;
    launcher.hidden = open;
    launcher.setAttribute("aria-expanded", String(open));
    if (open) showLast();
    if (quiet) return;
    if (open) input.focus(); else launcher.focus();
  }

  function setLanguage(code) {
    state.lang = code;
    save();
    labels();
    renderAll();
  }

  function labels() {
    panel.setAttribute("lang", state.lang);
    launcher.setAttribute("lang", state.lang);
    launcher.textContent = t("launcher");
    title.textContent = t("title");
    langGroup.setAttribute("aria-label", t("language"));
    langButtons.forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.lang === state.lang)); });
    freshButton.textContent = t("fresh");
    closeButton.textContent = "×";
    closeButton.setAttribute("aria-label", t("close"));
    privacy.textContent = t("privacy");
    inputLabel.textContent = t("label");
    input.setAttribute("placeholder", t("label"));
    sendButton.textContent = t("send");
    helpButton.textContent = t("help");
  }

  function startOver() {
    state = { sender: newId(), lang: state.lang, open: true, messages: [], feedback: {}, seq: 0 };
    save();
    renderAll();
    input.focus();
  }

  // ---- talking to the bot ----
  function onSubmit(e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  }

  function send(text, display) {
    var message = { id: ++state.seq, role: "user", text: display || text, payload: text, status: "sending" };
    state.messages.push(message);
    save();
    log.appendChild(renderUser(message));
    log.scrollTop = log.scrollHeight;
    deliver(message);
  }

  function deliver(message) {
    message.status = "sending";
    save();
    refresh(message);
    status.textContent = t("typing");
    var metadata = { language: state.lang };
    if (MUNICIPALITY) metadata.municipality = MUNICIPALITY;
    // A server that never answers must not leave the message "sending" for ever.
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    fetch(WEBHOOK, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.sender, message: message.payload, metadata: metadata }),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      clearTimeout(timer);
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (answers) {
      message.status = "sent";
      var reply = { id: ++state.seq, role: "bot", answers: Array.isArray(answers) ? answers : [] };
      state.messages.push(reply);
      save();
      status.textContent = "";
      refresh(message);
      var node = renderBot(reply);
      log.appendChild(node);
      renderQuick();
      showStart(node);
    }).catch(function () {
      clearTimeout(timer);
      message.status = "failed";
      save();
      status.textContent = "";
      refresh(message);
    });
  }

  function refresh(message) {
    var old = log.querySelector('[data-id="' + message.id + '"]');
    if (old) old.replaceWith(renderUser(message));
  }

  // ---- rendering ----
  function renderUser(m) {
    var node = el("div", { class: "msg user", "data-id": m.id, "data-status": m.status }, [
      el("span", { class: "sr-only", text: t("you") + ": " }),
      el("p", { class: "bubble", text: m.text })
    ]);
    if (m.status === "sending") node.appendChild(el("p", { class: "note", text: t("sending") }));
    if (m.status === "failed") {
      node.appendChild(el("p", { class: "note error", role: "alert" }, [
        t("failed") + " ",
        el("button", { type: "button", class: "retry", text: t("retry"), on: { click: function () { input.focus(); deliver(m); } } })
      ]));
    }
    return node;
  }

  function renderBot(m) {
    var node = el("div", { class: "msg bot", "data-id": m.id }, [el("span", { class: "sr-only", text: t("bot") + ": " })]);
    var shown = cardEntries(m.answers);
    var crisis = m.answers.filter(isCrisis);
    // On a phone the first screen must hold 112 and the words for the moment: the crisis banner
    // stands first, whatever order the messages came in, then the texts, then any card.
    crisis.forEach(function (answer) { node.appendChild(crisisBanner(answer.custom)); });
    m.answers.forEach(function (answer) {
      var custom = answer.custom;
      if (custom && custom.payload === "pk.v1" && !isCrisis(answer)) node.appendChild(renderPayload(custom, m));
      if (answer.text && !repeats(answer.text, shown)) node.appendChild(el("p", { class: "bubble", text: answer.text }));
      if (answer.image) node.appendChild(el("img", { src: answer.image, alt: "" }));
    });
    crisis.forEach(function (answer) { node.appendChild(renderPayload(answer.custom, m)); });
    return node;
  }

  // The bot also writes each service, the perheneuvo and the lines out as text (for plain-text
  // channels). The cards say the same, better: a text that transcribes a card (its name and its
  // number) is left out on screen (it stays in the stored conversation). A text that only names
  // a card is the bot's own answer ("closed on Saturday", "X will call you back") and shows.
  function cardEntries(list) {
    var entries = [];
    function add(name, phone) { if (name) entries.push({ name: name, phone: phone || "" }); }
    list.forEach(function (a) {
      var p = a.custom;
      if (!p || p.payload !== "pk.v1") return;
      (p.services || []).forEach(function (s) { add(s.name, s.phone); });
      if (p.contact) add(p.contact.name, p.contact.phone);
      // The banner lists the lines: the sentence that lists them again would push the words
      // for the moment ("you have done nothing wrong") below a phone's first screen.
      (p.helplines || []).forEach(function (h) { if (h.phone !== "112") add(h.name, h.phone); });
    });
    return entries;
  }

  function repeats(text, entries) {
    return entries.some(function (e) {
      return text.indexOf(e.name) >= 0 && (!e.phone || text.indexOf(e.phone) >= 0);
    });
  }

  function isCrisis(answer) { return answer.custom && answer.custom.kind === "crisis" ? 1 : 0; }

  function crisisBanner(p) {
    var helplines = Array.isArray(p.helplines) ? p.helplines : [];
    var banner = el("div", { class: "crisis", role: "alert" });
    var first = helplines[0] || { phone: "112" };
    banner.appendChild(el("p", { class: "crisis-title" }, [t("crisis", p.language) + " ",
      el("a", { href: telHref(first.phone), class: "crisis-call", text: first.phone })]));
    var rest = helplines.slice(1);
    if (rest.length) banner.appendChild(helplineList(rest));
    return banner;
  }

  // The cards of an answer (a crisis answer's banner is drawn apart, before its texts).
  function renderPayload(p, m) {
    var box = el("div", { class: "payload", "data-kind": p.kind });
    var helplines = Array.isArray(p.helplines) ? p.helplines : [];
    var lang = p.language;
    if (p.kind !== "crisis" && helplines.length) {
      box.appendChild(el("p", { class: "subhead", text: t("helplines", lang) }));
      box.appendChild(helplineList(helplines));
    }
    (Array.isArray(p.services) ? p.services : []).forEach(function (s) { box.appendChild(serviceCard(s, lang)); });
    if (p.contact) box.appendChild(contactCard(p.contact, lang));
    if (p.kind === "services" && (p.services || []).length) box.appendChild(feedback(m));
    return box;
  }

  function helplineList(lines) {
    return el("ul", { class: "helplines" }, lines.map(function (h) {
      return el("li", {}, [h.name + ": ", el("a", { href: telHref(h.phone), text: h.phone }), h.hours ? " (" + h.hours + ")" : ""]);
    }));
  }

  function row(label, content) {
    return content ? el("div", { class: "row" }, [el("dt", { text: label }), el("dd", {}, [content])]) : null;
  }

  function serviceCard(s, lang) {
    var mapUrl = s.address ? "https://www.openstreetmap.org/search?query=" + encodeURIComponent(s.address) : null;
    var open = s.open_now === true ? t("openNow", lang) : s.open_now === false ? t("closedNow", lang) : null;
    return el("article", { class: "card", "data-type": s.type || "" }, [
      el("h3", { text: s.name || "" }),
      s.provider ? el("p", { class: "provider", text: s.provider }) : null,
      open ? el("p", { class: "open " + (s.open_now ? "yes" : "no"), text: open }) : null,
      el("dl", {}, [
        row(t("phone", lang), s.phone ? el("a", { href: telHref(s.phone), text: s.phone }) : null),
        row(t("email", lang), s.email ? el("a", { href: "mailto:" + s.email, text: s.email }) : null),
        s.address ? el("div", { class: "row" }, [el("dt", { class: "sr-only", text: t("map", lang) }), el("dd", {}, [
          s.address + " ", el("a", { href: mapUrl, target: "_blank", rel: "noopener", "aria-label": t("map", lang) + ": " + s.address, text: t("map", lang) })])]) : null,
        row(t("hours", lang), s.hours ? document.createTextNode(s.hours) : null),
        row(t("web", lang), /^https?:\/\//.test(s.url || "") ? el("a", { href: s.url, target: "_blank", rel: "noopener", text: s.url.replace(/^https?:\/\//, "") }) : null)
      ])
    ]);
  }

  function contactCard(c, lang) {
    return el("article", { class: "card contact", "data-type": "perheneuvo" }, [
      el("h3", { text: t("contact", lang) }),
      el("p", { class: "provider", text: [c.name, c.area].filter(Boolean).join(" · ") }),
      el("dl", {}, [
        row(t("phone", lang), c.phone ? el("a", { href: telHref(c.phone), text: c.phone }) : null),
        row(t("email", lang), c.email ? el("a", { href: "mailto:" + c.email, text: c.email }) : null),
        row(t("hours", lang), c.hours ? document.createTextNode(c.hours) : null)
      ])
    ]);
  }

  // The rating goes to the API (retried once) and is kept in this tab's state too; a failure
  // is never shown to the family.
  function postRating(m, helpful, retried) {
    var ids = [];
    m.answers.forEach(function (a) {
      if (a.custom) (a.custom.services || []).forEach(function (s) { if (s && s.id) ids.push(String(s.id)); });
    });
    var body = JSON.stringify({ sender: state.sender, helpful: helpful, services: ids.slice(0, 20), language: state.lang });
    try {
      fetch(FEEDBACK, { method: "POST", headers: { "Content-Type": "application/json" }, body: body, keepalive: true })
        .then(function (response) { if (!response.ok && response.status >= 500) throw new Error("HTTP " + response.status); })
        .catch(function () { if (!retried) setTimeout(function () { postRating(m, helpful, true); }, 2000); });
    } catch (e) { /* no fetch: the local state is enough */ }
  }

  function feedback(m) {
    var chosen = state.feedback[m.id];
    var group = el("div", { class: "feedback", role: "group", "aria-label": t("wasHelpful") }, [el("span", { text: t("wasHelpful") })]);
    [["up", t("helpful")], ["down", t("notHelpful")]].forEach(function (pair) {
      group.appendChild(el("button", { type: "button", class: "chip", "aria-pressed": String(chosen === pair[0]), text: pair[1],
        on: { click: function () {
          if (state.feedback[m.id] !== pair[0]) postRating(m, pair[0] === "up", false);
          state.feedback[m.id] = pair[0];
          save();
          var fresh = feedback(m);
          group.replaceWith(fresh);
          fresh.querySelector('[aria-pressed="true"]').focus();
        } } }));
    });
    if (chosen) group.appendChild(el("span", { class: "note", role: "status", text: t("thanks") }));
    return group;
  }

  function renderQuick() {
    quick.textContent = "";
    var last = state.messages[state.messages.length - 1];
    var options = [];
    if (!last) options = t("starters").map(function (s) { return { title: s, payload: s }; });
    else if (last.role === "bot") {
      last.answers.forEach(function (a) { (a.buttons || []).forEach(function (b) { options.push({ title: b.title, payload: b.payload || b.title }); }); });
      var routed = last.answers.some(function (a) { return a.custom && a.custom.kind === "services"; });
      if (!options.length && routed) options = t("followups").map(function (s) { return { title: s, payload: s }; });
    }
    options.forEach(function (o) {
      quick.appendChild(el("button", { type: "button", class: "chip", text: o.title, on: { click: function () { send(o.payload, o.title); } } }));
    });
  }

  function renderAll() {
    // Re-rendering (start, language switch) is not news: keep screen readers from reading it all out.
    log.setAttribute("aria-live", "off");
    setTimeout(function () { log.setAttribute("aria-live", "polite"); }, 0);
    log.textContent = "";
    log.appendChild(el("div", { class: "msg bot hello" }, [el("p", { class: "bubble", text: t("hello") })]));
    state.messages.forEach(function (m) { log.appendChild(m.role === "user" ? renderUser(m) : renderBot(m)); });
    renderQuick();
    showLast();
  }

  function showLast() {
    var answers = log.querySelectorAll(".msg.bot");
    showStart(answers[answers.length - 1]);
  }

  // A long answer is read from its start (a crisis banner first), not from its last line.
  function showStart(node) {
    log.scrollTop = node ? node.offsetTop - 8 : log.scrollHeight;
  }

  function mount() {
    document.body.appendChild(host);
    labels();
    renderAll();
    setOpen(state.open || data.open === "true", true);
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
