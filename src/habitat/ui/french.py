"""The served page in French: `<html lang="fr">` and Streamlit's own words translated.

Streamlit's frontend has no locale: its index.html says `lang="en"` and its
widgets, table toolbars and menus draw English (`Open`, `Clear all`, `Search`,
`Download as CSV`, `Help for …`). The app's own calls give French wherever
Streamlit lets them (placeholders, date formats, the expanded menu); `FrenchPage`
rewrites the served index.html for the rest: `lang="fr"`, and a small script that
translates the remaining words in the page as Streamlit draws them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from habitat.ui import phone

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Streamlit's words, as a whole text or attribute, and their French.
WORDS: dict[str, str] = {
    # Select boxes and multiselects (the app passes its own placeholder; these are the rest).
    "Choose an option": "Choisir…",
    "Choose options": "Choisir…",
    "No options to select": "Aucun choix possible",
    "No results": "Aucun résultat",
    "Select all": "Tout sélectionner",
    "Open": "Ouvrir",
    "Close": "Fermer",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Selected values": "Valeurs choisies",
    # Date and time inputs.
    "Choose date": "Choisir une date",
    "Choose date range": "Choisir des dates",
    "Choose date and time": "Choisir une date et une heure",
    "Clear date": "Effacer la date",
    "Clear dates": "Effacer les dates",
    "Clear time": "Effacer l'heure",
    "Previous month": "Mois précédent",
    "Next month": "Mois suivant",
    "dd": "jj",
    "yyyy": "aaaa",
    # Number and text inputs.
    "Increment": "Augmenter",
    "Decrement": "Diminuer",
    "Show password": "Afficher le mot de passe",
    "Hide password": "Masquer le mot de passe",
    "Press Enter to apply": "Entrée pour valider",
    "Press Enter to submit form": "Entrée pour envoyer",
    "Press ⌘+Enter to apply": "⌘+Entrée pour valider",
    "Press Ctrl+Enter to apply": "Ctrl+Entrée pour valider",
    # Tables, charts and their toolbars.
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Download as CSV": "Télécharger en CSV",
    "Download as PNG": "Télécharger en PNG",
    "Search": "Rechercher",
    "Close Search": "Fermer la recherche",
    "Previous Result": "Résultat précédent",
    "Next Result": "Résultat suivant",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Toggle fullscreen": "Plein écran",
    "Show data": "Voir les données",
    "Show chart": "Voir le graphique",
    "Copy Vega-Lite spec": "Copier la description du graphique",
    "Clear selection": "Effacer la sélection",
    "Copy column name": "Copier le nom de la colonne",
    "Dataframe column menu": "Menu de la colonne",
    "Sort ascending": "Trier par ordre croissant",
    "Sort descending": "Trier par ordre décroissant",
    "Autosize": "Largeur automatique",
    "Pin column": "Épingler la colonne",
    "Unpin column": "Détacher la colonne",
    "Hide column": "Masquer la colonne",
    "Copy to clipboard": "Copier",
    # The frame: menu, sidebar, tabs, the status of a run.
    "Skip to main content": "Aller au contenu",
    "Main menu": "Menu principal",
    "App pages": "Pages",
    "Sidebar": "Menu",
    "Collapse sidebar": "Replier le menu",
    "Expand sidebar": "Déplier le menu",
    "View less": "Voir moins",
    "Scroll tabs left": "Onglets précédents",
    "Scroll tabs right": "Onglets suivants",
    "Link to heading": "Lien vers ce titre",
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "Stop script": "Arrêter",
    "Rerun": "Relancer",
    "Print": "Imprimer",
    "Settings": "Réglages",
    "Connecting": "Connexion…",
    # File uploads and charts.
    "Upload": "Choisir un fichier",
    "file upload": "envoi de fichier",
    "Vega visualization": "Graphique",
    "Please wait...": "Veuillez patienter…",
}

#: Streamlit's sentences around a number or a name: pattern, French (`$1` is the group).
PATTERNS: list[tuple[str, str]] = [
    (r"^View (\d+) more$", "Voir $1 de plus"),
    (r"^Select (\d+) matches$", "Sélectionner les $1"),
    (r"^Help for (.+)$", "Aide : $1"),
    (r"^Remove (.+)$", "Retirer $1"),
    (r"^(\d+(?:\.\d+)?)\s?KB per file$", "$1 ko par fichier"),
    (r"^(\d+(?:\.\d+)?)\s?MB per file$", "$1 Mo par fichier"),
    (r"^(\d+(?:\.\d+)?)\s?GB per file$", "$1 Go par fichier"),
    # The parts of a date or time input, read aloud with the field's label.
    (r"^day, (.+)$", "jour, $1"),
    (r"^month, (.+)$", "mois, $1"),
    (r"^year, (.+)$", "année, $1"),
    (r"^hour, (.+)$", "heure, $1"),
]

#: Watches the page and translates each text and attribute as Streamlit (re)draws it.
_SCRIPT = """<script>
(() => {
  const words = new Map(Object.entries(%(words)s));
  const patterns = %(patterns)s.map(([p, fr]) => [new RegExp(p), fr]);
  const attributes = ["aria-label", "title", "placeholder"];
  const french = (text) => {
    const key = text.trim();
    if (!key) return null;
    if (words.has(key)) return text.replace(key, words.get(key));
    for (const [pattern, fr] of patterns) {
      if (pattern.test(key)) return text.replace(key, key.replace(pattern, fr));
    }
    return null;
  };
  const translateText = (node) => {
    const fr = french(node.data);
    if (fr !== null && fr !== node.data) node.data = fr;
  };
  const translateAttributes = (element) => {
    for (const name of attributes) {
      const value = element.getAttribute(name);
      const fr = value && french(value);
      if (fr && fr !== value) element.setAttribute(name, fr);
    }
  };
  const translate = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return translateText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    translateAttributes(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) translateText(node);
      else translateAttributes(node);
    }
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "childList") change.addedNodes.forEach(translate);
      else if (change.type === "characterData") translateText(change.target);
      else translateAttributes(change.target);
    }
  }).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: attributes,
  });
  document.addEventListener("DOMContentLoaded", () => translate(document.body));
})();
</script>"""

_HTML_LANG = re.compile(rb"<html\s+lang=\"[^\"]*\"", re.IGNORECASE)


def script() -> str:
    """The `<script>` that translates Streamlit's words in the page."""
    return _SCRIPT % {"words": json.dumps(WORDS), "patterns": json.dumps(PATTERNS)}


def frenchify(html: bytes) -> bytes:
    """Streamlit's index.html declared French, with the page's scripts in its head.

    The scripts: the translation of Streamlit's words, and the phone's menu that
    folds once a page is chosen (`habitat.ui.phone`).
    """
    html = _HTML_LANG.sub(b'<html lang="fr"', html, count=1)
    scripts = script() + phone.script()
    return html.replace(b"</head>", scripts.encode() + b"</head>", 1)


class FrenchPage:
    """ASGI middleware: the HTML page the browser opens is `frenchify`-ed; the rest passes.

    Only requests that accept HTML (a browser opening a page) are looked at; their
    answer is asked for uncompressed, so that its text can be rewritten.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve the request; an HTML page's answer is rewritten before it is sent."""
        if scope["type"] != "http" or scope["method"] != "GET" or not _accepts_html(scope):
            await self.app(scope, receive, send)
            return
        scope = {
            **scope,
            "headers": [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"],
        }
        start: Message | None = None
        body: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] == 200 and _is_html(message):
                    start = message
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = frenchify(b"".join(body))
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(page)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self.app(scope, receive, rewrite)


def _accepts_html(scope: Scope) -> bool:
    return any(k.lower() == b"accept" and b"text/html" in v for k, v in scope["headers"])


def _is_html(start: Message) -> bool:
    return any(
        k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in start["headers"]
    )
