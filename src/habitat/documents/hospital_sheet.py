"""The hospital liaison sheet, modelled on the emergency liaison document (DLU).

Pure: the resident's file and liaison sheet in, one large legible A4 page out. It
says plainly that it is what the team knows, not a medical record. A carer's phone
prints only if they consented to share their details.
"""

from __future__ import annotations

from datetime import date

from habitat.documents.render import esc, page
from habitat.documents.support_plan import (
    MISSING,
    NONE,
    autonomy,
    fr_date,
    interventions_table,
    label,
    text_or_missing,
)
from habitat.store.entities import LiaisonSheet
from habitat.store.queries import ResidentFile

CSS = """
@page { margin: 10mm 12mm 12mm; }
body { font-size: 11.5pt; line-height: 1.25; }
h1 { font-size: 18pt; }
h2 { font-size: 12.5pt; margin: 3mm 0 1mm; }
h3 { margin: 2mm 0 1mm; }
td, th { padding: 0.8mm 1.5mm; }
section { page-break-inside: auto; }
dl { display: grid; grid-template-columns: 50mm 1fr; gap: 1mm 4mm; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; }
td.time { white-space: nowrap; }
.warning { border: 2px solid #b00; padding: 1.5mm; font-weight: bold; margin: 1.5mm 0; }
"""


def _value(text: object) -> str:
    return esc(text) if text not in (None, "") else MISSING


def hospital_sheet_html(
    file: ResidentFile, sheet: LiaisonSheet | None, *, habitat_name: str, today: date
) -> str:
    """The liaison sheet a resident takes to hospital.

    Args:
        file: the resident's file (identity, carers, interventions and providers).
        sheet: the resident's liaison sheet, None if the team has not written one.
        habitat_name: the habitat's name.
        today: the date printed on the sheet.

    Returns:
        A self-contained HTML page (see `render.page`).
    """
    r = file.resident
    name = f"{esc(r.first_name)} {esc(r.last_name)}"
    updated = fr_date(sheet.updated_on) if sheet else MISSING
    parts = [
        f"<h1>Fiche de liaison hôpital — {name}</h1>",
        f'<p class="meta">{esc(habitat_name)} — imprimée le {fr_date(today)} — '
        f"dernière mise à jour : {updated}</p>",
        "<p class=\"warning\">Ce que l'équipe de l'habitat sait, tel qu'elle l'a noté : "
        "ce n'est pas un dossier médical.</p>",
        "<section><h2>Identité</h2><dl>",
        f"<dt>Nom</dt><dd>{name}</dd>",
        f"<dt>Année de naissance</dt><dd>{_value(r.birth_year)}</dd>",
        f"<dt>Adresse</dt><dd>{esc(habitat_name)} — logement {_value(r.dwelling)}</dd>",
        f"<dt>Autonomie</dt><dd>{autonomy(r)}</dd>",
        "</dl></section><section><h2>Contacts</h2><dl>",
        f"<dt>Personne de confiance</dt><dd>{_value(sheet and sheet.trusted_person)} — "
        f"{_value(sheet and sheet.trusted_person_phone)}</dd>",
        f"<dt>Médecin traitant</dt><dd>{_value(sheet and sheet.gp)} — "
        f"{_value(sheet and sheet.gp_phone)}</dd>",
        f"<dt>Contact d'urgence</dt><dd>{_value(r.emergency_contact)}</dd>",
        "</dl><h3>Famille et proches</h3>",
    ]
    if file.carers:
        parts.append("<table><tr><th>Nom</th><th>Lien</th><th>Téléphone</th></tr>")
        for c in file.carers:
            if c.consent_to_share:
                phone = _value(c.phone)
            else:
                phone = '<span class="empty">non communiqué (pas de consentement)</span>'
            parts.append(
                f"<tr><td>{esc(c.first_name)} {esc(c.last_name)}</td>"
                f"<td>{label(c.relation)}</td><td>{phone}</td></tr>"
            )
        parts.append("</table>")
    else:
        parts.append(NONE)
    parts += [
        "</section><section><h2>Intervenants actuels</h2>",
        interventions_table(file),
        "</section><section><h2>Vie habituelle et préférences</h2>",
        f"<p>{text_or_missing(sheet and sheet.usual_life)}</p>",
        "</section><section><h2>Traitements (tels que notés par l'équipe)</h2>",
        f"<p>{text_or_missing(sheet and sheet.treatments)}</p>",
        "<h2>Allergies (telles que notées par l'équipe)</h2>",
        f"<p>{text_or_missing(sheet and sheet.allergies)}</p></section>",
    ]
    return page(
        f"Fiche de liaison hôpital — {r.first_name} {r.last_name}", "\n".join(parts), css=CSS
    )
