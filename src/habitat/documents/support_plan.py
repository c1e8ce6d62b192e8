"""A resident's file and individual support plan, printable for signature (plain French).

Pure: it takes the resident's file (`store.queries.ResidentFile`) and returns an HTML
page; every typed text is escaped and cleaned of control characters (`render.esc`).
"""

from __future__ import annotations

from datetime import date

from habitat.documents.render import esc, lines_of, page
from habitat.store.labels import LABELS
from habitat.store.queries import ResidentFile

#: What a missing value prints as.
MISSING = '<span class="empty">non renseigné</span>'
#: What an empty list prints as.
NONE = '<p class="empty">aucun</p>'
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

CSS = """
body { font-size: 11pt; }
dl { display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 4mm; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; }
td.time { white-space: nowrap; }
"""


def fr_date(day: date | None) -> str:
    """A date as 02/12/2026, or "non renseigné"."""
    return MISSING if day is None else day.strftime("%d/%m/%Y")


def label(value: object) -> str:
    """The French label of an enumeration's value (escaped), "non renseigné" for None."""
    if value is None:
        return MISSING
    text = str(getattr(value, "value", value))
    for labels in LABELS.values():
        if text in labels:
            return esc(labels[text])
    return esc(text)


def text_or_missing(value: object) -> str:
    """A typed text as HTML (line breaks kept), or "non renseigné"."""
    return lines_of(value) if value not in (None, "") else MISSING


def autonomy(file_or_resident) -> str:
    """The resident's GIR and support level in plain words."""
    resident = getattr(file_or_resident, "resident", file_or_resident)
    gir = f"GIR {resident.gir}" if resident.gir else "GIR non renseigné"
    level = label(resident.support_level) if resident.support_level else MISSING
    return f"{gir} ; niveau de soutien : {level}"


def _hhmm(moment: object) -> str:
    """A time of day as 08h15."""
    text = esc(moment)
    return text[:5].replace(":", "h") if len(text) >= 5 else text


def interventions_table(file: ResidentFile) -> str:
    """The current interventions: who, which days, which times, what for."""
    if not file.interventions:
        return NONE
    rows = []
    for i in file.interventions:
        provider = file.providers.get(i.provider_id)
        days = (
            "tous les jours"
            if len(set(i.weekdays)) == 7
            else ", ".join(WEEKDAYS_FR[d] for d in sorted(set(i.weekdays)))
        )
        rows.append(
            f"<tr><td>{esc(provider.name) if provider else MISSING}</td><td>{esc(days)}</td>"
            f'<td class="time">{_hhmm(i.start_time)}–{_hhmm(i.end_time)}</td>'
            f"<td>{esc(i.task) if i.task else MISSING}</td></tr>"
        )
    return (
        "<table><tr><th>Intervenant</th><th>Jours</th><th>Horaires</th><th>Pour quoi</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def support_plan_html(file: ResidentFile, *, habitat_name: str, today: date) -> str:
    """The resident's file and support plan as a printable page with signature blocks.

    Args:
        file: the resident's file (plan, needs, interventions, agreements, carers).
        habitat_name: the habitat's name, for the heading.
        today: the date printed on the document.

    Returns:
        A self-contained HTML page (see `render.page`).
    """
    r = file.resident
    name = f"{esc(r.first_name)} {esc(r.last_name)}"
    plan = file.plan
    parts = [
        f"<h1>Projet d'accompagnement de {name}</h1>",
        f'<p class="meta">{esc(habitat_name)} — document du {fr_date(today)}</p>',
        "<section><h2>La personne</h2><dl>",
        f"<dt>Nom</dt><dd>{name}</dd>",
        f"<dt>Année de naissance</dt><dd>{esc(r.birth_year) if r.birth_year else MISSING}</dd>",
        f"<dt>Logement</dt><dd>{esc(r.dwelling) if r.dwelling else MISSING}</dd>",
        f"<dt>Autonomie</dt><dd>{autonomy(r)}</dd>",
        f"<dt>Projet commencé le</dt><dd>{fr_date(plan.started_on) if plan else MISSING}</dd>",
        f"<dt>Prochaine révision</dt><dd>{fr_date(plan.review_due) if plan else MISSING}</dd>",
        "</dl></section>",
        "<section><h2>Mes besoins</h2>",
    ]
    if file.needs:
        parts.append(
            "<table><tr><th>Domaine</th><th>Intensité</th><th>Ce dont j'ai besoin</th></tr>"
        )
        parts += [
            f"<tr><td>{label(n.domain)}</td><td>{label(n.intensity)}</td>"
            f"<td>{lines_of(n.description)}</td></tr>"
            for n in file.needs
        ]
        parts.append("</table>")
    else:
        parts.append(NONE)
    parts += [
        "</section><section><h2>Qui intervient, quand</h2>",
        interventions_table(file),
        "</section><section><h2>Mes préférences</h2>",
        f"<p>{text_or_missing(plan.preferences if plan else None)}</p>",
        "</section><section><h2>Mes choix entre autonomie et sécurité</h2>",
    ]
    if file.agreements:
        parts.append(
            "<table><tr><th>Ce qui a été convenu</th><th>Convenu par</th>"
            "<th>Le</th><th>À revoir le</th></tr>"
        )
        parts += [
            f"<tr><td>{lines_of(a.what)}</td><td>{esc(', '.join(a.agreed_by))}</td>"
            f"<td>{fr_date(a.agreed_on)}</td><td>{fr_date(a.review_on)}</td></tr>"
            for a in file.agreements
        ]
        parts.append("</table>")
    else:
        parts.append(NONE)
    parts += [
        "</section><section><h2>Signatures</h2>",
        f"<p>Fait le {fr_date(today)}.</p>",
        '<div class="signatures">',
        f'<div class="signature">L\'habitant·e<br>{name}</div>',
        '<div class="signature">Son représentant ou sa famille</div>',
        '<div class="signature">L\'animateur·rice</div>',
        "</div></section>",
    ]
    return page(
        f"Projet d'accompagnement de {r.first_name} {r.last_name}", "\n".join(parts), css=CSS
    )
