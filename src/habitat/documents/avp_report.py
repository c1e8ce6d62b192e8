"""The yearly AVP activity report for the department: CSV, A4 HTML, PDF and xlsx.

Both are pure functions of a `queries.AvpReport`: no database, no clock. Every
text that came from a record is escaped (HTML) or neutralised (CSV formulas).
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from habitat.documents.render import clean, esc, pdf
from habitat.documents.sheets import Sheet, workbook
from habitat.domain import MONTHS_FR, Public, SupportFunction
from habitat.store.entities import (
    ActivityCategory,
    EntryMode,
    ExitReason,
    PartnerKind,
    TensionKind,
)
from habitat.store.gdpr import neutralise
from habitat.store.queries import AvpReport

#: A resident who attended less than this share of the activities is "left out".
LEFT_OUT_SHARE = 0.25

#: Names a code of the report (a support function, activity category, tension kind).
Label = Callable[[StrEnum], str]


def _same(value: StrEnum) -> str:
    return value.value


def _code(enum: type[StrEnum], value: str) -> StrEnum | str:
    try:
        return enum(value)
    except ValueError:  # a code this version does not know: shown as stored
        return value


def _named(label: Label, enum: type[StrEnum], value: str) -> str:
    code = _code(enum, value)
    return label(code) if isinstance(code, StrEnum) else str(code)


def _number(value: float, decimals: int = 1) -> str:
    text = f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")
    return text.removesuffix(",0") if decimals == 1 else text


def _euros(value: float) -> str:
    return _number(value, 0) + " €"


def _percent(value: float) -> str:
    return f"{value * 100:.0f} %"


def _period(report: AvpReport) -> str:
    start, end = report.start, report.end
    if start is None or end is None:
        return f"du 01/01/{report.year} au 31/12/{report.year}"
    return f"du {start:%d/%m/%Y} au {end:%d/%m/%Y}"


@dataclass(frozen=True)
class Line:
    """One figure of the report: its section, what it is, its value as shown."""

    section: str
    item: str
    value: str


def lines(
    report: AvpReport, *, label: Label = _same, residents: Mapping[int, str] | None = None
) -> list[Line]:
    """The report's figures, section by section, as the department reads them.

    Args:
        report: the year's figures.
        label: French label of a code (support function, activity category, tension kind).
        residents: how to name a resident in the participation table (their
            pseudonym); residents missing from it are named by number.
    """
    habitat = report.habitat
    residents = residents or {}
    out = [
        Line("Habitat", "Nom", habitat.name),
        Line("Habitat", "Porteur du projet partagé", habitat.host_organisation),
        Line("Habitat", "Adresse", habitat.address),
        Line("Habitat", "Nombre de logements", str(habitat.dwellings)),
        Line("Habitat", "Année", str(report.year)),
        Line("Habitat", "Période", _period(report)),
        Line("AVP", "Palier", habitat.avp_tier or "—"),
        Line("AVP", "Montant par habitant et par an", _euros(habitat.avp_amount_per_resident)),
        Line("AVP", "Journées de présence des habitants", _number(report.resident_days, 0)),
        Line(
            "AVP",
            "Habitants en équivalent année pleine",
            _number(report.resident_days / (366 if calendar.isleap(report.year) else 365)),
        ),
        Line("AVP", "Montant dû au prorata de la présence", _euros(report.avp_budget)),
    ]
    out.extend(_profile(report, label))
    for function in SupportFunction:
        hours = report.hours_by_function.get(function.value, 0.0)
        out.append(Line("Temps par fonction de soutien (h)", label(function), _number(hours)))
    out.append(
        Line(
            "Temps par fonction de soutien (h)",
            "Total",
            _number(sum(report.hours_by_function.values())),
        )
    )
    for month in range(1, 13):
        hours = report.avp_hours_by_month.get(month, 0.0)
        out.append(
            Line("Temps financé par l'AVP par mois (h)", MONTHS_FR[month - 1], _number(hours))
        )
    for category, count in sorted(report.activities_by_category.items()):
        out.append(
            Line("Activités collectives", _named(label, ActivityCategory, category), str(count))
        )
    out.append(
        Line("Activités collectives", "Total", str(sum(report.activities_by_category.values())))
    )
    out.append(Line("Activités collectives", "Dont à l'extérieur", str(report.activities_outside)))
    rates = report.participation
    if rates:
        mean = sum(rates.values()) / len(rates)
        out.append(Line("Participation", "Taux moyen de participation", _percent(mean)))
        left_out = sum(1 for rate in rates.values() if rate < LEFT_OUT_SHARE)
        out.append(
            Line(
                "Participation",
                f"Habitants présents à moins de {_percent(LEFT_OUT_SHARE)} des activités",
                str(left_out),
            )
        )
        for resident_id, rate in sorted(rates.items(), key=lambda item: (-item[1], item[0])):
            name = residents.get(resident_id, f"habitant n° {resident_id}")
            out.append(Line("Participation par habitant", name, _percent(rate)))
    for kind, count in sorted(report.tensions_by_kind.items()):
        out.append(Line("Tensions régulées", _named(label, TensionKind, kind), str(count)))
    out.append(Line("Tensions régulées", "Total", str(sum(report.tensions_by_kind.values()))))
    out.extend(_regulation(report, label))
    out.extend(
        [
            Line("Conseil des habitants", "Réunions", str(report.council_meetings)),
            Line("Conseil des habitants", "Décisions prises", str(report.decisions_total)),
            Line("Conseil des habitants", "Décisions réalisées", str(report.decisions_done)),
        ]
    )
    out.extend(_partners(report, label))
    out.extend(_budget(report))
    out.extend(_model_need(report, label))
    out.append(Line("Le mot de l’animatrice ou de l’animateur", "Texte", report.narrative or NONE))
    return out


#: What an empty section shows.
NONE = "aucun"


def _counts(section: str, counts: Mapping[str, int], name: Callable[[str], str]) -> list[Line]:
    if not counts:
        return [Line(section, "Total", NONE)]
    rows = [Line(section, name(k), str(v)) for k, v in sorted(counts.items())]
    return [*rows, Line(section, "Total", str(sum(counts.values())))]


def _profile(report: AvpReport, label: Label) -> list[Line]:
    return [
        *_counts(
            "Habitants présents par public",
            report.residents_by_public,
            lambda k: _named(label, Public, k),
        ),
        *_counts(
            "Habitants présents par GIR",
            report.residents_by_gir,
            lambda k: f"GIR {k}" if k else "GIR non évalué",
        ),
        *_counts(
            "Entrées dans la période",
            report.entries_by_mode,
            lambda k: _named(label, EntryMode, k),
        ),
        *_counts(
            "Sorties dans la période",
            report.exits_by_reason,
            lambda k: _named(label, ExitReason, k),
        ),
    ]


def _regulation(report: AvpReport, label: Label) -> list[Line]:
    section = "Régulation des tensions"
    out = [
        Line(section, f"Résolues : {_named(label, TensionKind, k)}", str(v))
        for k, v in sorted(report.tensions_resolved_by_kind.items())
    ]
    resolved = sum(report.tensions_resolved_by_kind.values())
    out.append(Line(section, "Tensions résolues", str(resolved) if resolved else NONE))
    days = report.tension_days_open
    median = statistics.median(days) if days else None
    out.append(
        Line(
            section,
            "Durée médiane avant résolution (jours)",
            NONE if median is None else _number(float(median)),
        )
    )
    return out


def _partners(report: AvpReport, label: Label) -> list[Line]:
    section = "Partenariats avec le quartier"
    if not report.partnerships:
        return [Line(section, "Partenariats actifs", NONE)]
    out = []
    for name, kind, started, ended in report.partnerships:
        since = f"depuis le {started:%d/%m/%Y}"
        until = f", terminé le {ended:%d/%m/%Y}" if ended else ""
        out.append(Line(section, name, f"{_named(label, PartnerKind, kind)} ({since}{until})"))
    out.append(Line(section, "Partenariats actifs", str(len(report.partnerships))))
    return out


def _budget(report: AvpReport) -> list[Line]:
    section = "Budget utilisé"
    hours = sum(report.avp_hours_by_month.values())
    cost = (
        report.habitat.animator_hourly_cost
        if hasattr(report.habitat, "animator_hourly_cost")
        else None
    )
    out = [Line(section, "Heures financées par l'AVP", _number(hours))]
    if cost is None:
        out.append(
            Line(
                section,
                "Coût horaire de l'animation",
                "non renseigné (paramètres de l'habitat) : budget non calculé",
            )
        )
        out.append(Line(section, "Autres dépenses", _euros(report.other_spending)))
    else:
        used = hours * cost + report.other_spending
        out.extend(
            [
                Line(section, "Coût horaire de l'animation", _euros(cost)),
                Line(section, "Coût du temps d'animation", _euros(hours * cost)),
                Line(section, "Autres dépenses", _euros(report.other_spending)),
                Line(section, "Budget utilisé", _euros(used)),
            ]
        )
        out.append(Line(section, "Écart avec l'AVP due", _euros(report.avp_budget - used)))
    out.append(Line(section, "AVP due pour la période", _euros(report.avp_budget)))
    return out


#: The section the habitat's model's AVP answer goes in (absent when none was saved).
MODEL_NEED = "Besoin en temps d'animation estimé par le modèle de l'habitat"

#: What the department reads before the model's figures.
MODEL_CAVEAT = (
    "Estimation du modèle de l'habitat, pas une mesure : elle part des fiches de l'habitat "
    "(pseudonymisées) au jour de l'estimation et repose sur les hypothèses du modèle "
    "(paramètres généraux publiés et hypothèses déclarées), avec la fourchette où tombent "
    "90 % des simulations."
)


def _group(label: Label, group: str) -> str:
    """A group of support functions as the AVP question answers it (`decisions.GROUPS`)."""
    if group == "presence_and_individual":
        presence = label(SupportFunction.COLLECTIVE_PRESENCE)
        return f"{presence} et {label(SupportFunction.INDIVIDUAL_SUPPORT)}"
    if group == "total":
        return "Total"
    return _named(label, SupportFunction, group)


def _model_need(report: AvpReport, label: Label) -> list[Line]:
    need = report.model_need
    if need is None:
        return []
    section = MODEL_NEED
    out = [
        Line(section, "Avertissement", MODEL_CAVEAT),
        Line(section, "Date de l'estimation", f"{need.model_from:%d/%m/%Y}"),
        Line(
            section,
            "Période simulée",
            f"du {need.model_from:%d/%m/%Y} au {need.model_to:%d/%m/%Y}"
            f" ({need.replications} simulations)",
        ),
    ]
    try:
        figures = json.loads(need.figures_json)
        rows = [(str(f["group"]), f["logged"], f["need"], f["low"], f["high"]) for f in figures]
    except (ValueError, TypeError, KeyError):  # written by hand outside the app: no figures
        rows = []
    for group, logged, median, low, high in rows:
        name = _group(label, group)
        out.extend(
            [
                Line(section, f"{name} : temps saisi (h/semaine)", _number(float(logged))),
                Line(
                    section, f"{name} : besoin selon le modèle (h/semaine)", _number(float(median))
                ),
                Line(
                    section,
                    f"{name} : fourchette du besoin (h/semaine)",
                    f"{_number(float(low))} à {_number(float(high))}",
                ),
            ]
        )
    needed = need.avp_per_resident
    out.append(
        Line(
            section,
            "AVP par habitant et par an que ce besoin justifie",
            "non calculée (coût horaire non renseigné)" if needed is None else _euros(needed),
        )
    )
    out.append(
        Line(
            section,
            "AVP par habitant et par an de la convention",
            _euros(need.current_avp_per_resident),
        )
    )
    out.append(Line(section, "Habitants pris en compte", str(need.residents)))
    if need.hourly_cost is not None:
        out.append(Line(section, "Coût horaire retenu", _number(need.hourly_cost, 2) + " €"))
    if need.note:
        out.append(Line(section, "Note", need.note))
    return out


def avp_csv(
    report: AvpReport, *, label: Label = _same, residents: Mapping[int, str] | None = None
) -> str:
    """The report as CSV for a French spreadsheet (`;`, UTF-8 with BOM), formulas neutralised.

    Args:
        report: the year's figures.
        label: French label of a code.
        residents: pseudonym of each resident, for the participation table.

    Returns:
        The CSV text: section, item, value; every cell a spreadsheet would run as a
        formula starts with an apostrophe.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so a spreadsheet reads the accents as UTF-8
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Rubrique", "Élément", "Valeur"])
    for line in lines(report, label=label, residents=residents):
        writer.writerow(
            [
                neutralise(clean(line.section)),
                neutralise(clean(line.item)),
                neutralise(clean(line.value)),
            ]
        )
    return buffer.getvalue()


_CSS = """
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #222;
       margin: 0 auto; max-width: 180mm; }
h1 { font-size: 17pt; margin: 0 0 2mm; color: #2e6b4f; }
h2 { font-size: 12.5pt; margin: 7mm 0 2mm; border-bottom: 1px solid #2e6b4f; color: #2e6b4f; }
p.meta { margin: 0; color: #555; }
table { width: 100%; border-collapse: collapse; page-break-inside: avoid; }
td { padding: 1.2mm 2mm; border-bottom: 1px solid #ddd; vertical-align: middle; }
td.value { text-align: right; white-space: nowrap; width: 30%; }
td.bar { width: 35%; }
div.bar { height: 3.2mm; background: #2e6b4f; }
section { page-break-inside: avoid; }
footer { margin-top: 8mm; font-size: 8.5pt; color: #666; }
@media print { body { max-width: none; } a { color: inherit; text-decoration: none; } }
"""

#: Sections drawn with a bar per line (their values are numbers of the same unit).
_CHARTED = {
    "Temps par fonction de soutien (h)",
    "Temps financé par l'AVP par mois (h)",
    "Activités collectives",
    "Tensions régulées",
}


def _value_of(text: str) -> float:
    try:
        return float(text.replace(" ", "").replace(",", ".").rstrip("%€ "))
    except ValueError:
        return 0.0


def avp_html(
    report: AvpReport, *, label: Label = _same, residents: Mapping[int, str] | None = None
) -> str:
    """The report as one self-contained HTML page to print on A4 (or save as PDF).

    Args:
        report: the year's figures.
        label: French label of a code.
        residents: pseudonym of each resident, for the participation table.

    Returns:
        The HTML document: inline CSS only, no script, no external resource; every
        text escaped with `render.esc`.
    """
    e = esc
    sections: dict[str, list[Line]] = {}
    for line in lines(report, label=label, residents=residents):
        sections.setdefault(line.section, []).append(line)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';'
        " style-src 'unsafe-inline'\">",
        f"<title>{e(f'Rapport d’activité {report.year} – {report.habitat.name}')}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Rapport d’activité {report.year}</h1>",
        f'<p class="meta">{e(report.habitat.name)} · {e(report.habitat.host_organisation)}</p>',
        f'<p class="meta">{e(report.habitat.address)}</p>',
        '<p class="meta">Aide à la vie partagée (AVP) : rapport annuel au Conseil'
        " départemental.</p>",
    ]
    for title, rows in sections.items():
        parts.append(f"<section><h2>{e(title)}</h2><table>")
        charted = title in _CHARTED
        top = max((_value_of(r.value) for r in rows if r.item != "Total"), default=0.0)
        for row in rows:
            bar = ""
            if charted:
                width = 0.0 if row.item == "Total" or top <= 0 else _value_of(row.value) / top
                style = f"width:{width * 100:.1f}%"
                bar = f'<td class="bar"><div class="bar" style="{style}"></div></td>'
            parts.append(
                f'<tr><td>{e(row.item)}</td>{bar}<td class="value">{e(row.value)}</td></tr>'
            )
        parts.append("</table></section>")
    parts.append(
        "<footer>Document établi à partir du registre de l’habitat ; les habitants sont"
        " désignés par leur pseudonyme.</footer></body></html>"
    )
    return "\n".join(parts)


def avp_pdf(
    report: AvpReport, *, label: Label = _same, residents: Mapping[int, str] | None = None
) -> bytes:
    """The report as an A4 PDF: the HTML page rendered by WeasyPrint, DejaVu fonts embedded.

    Raises:
        RenderingUnavailableError: WeasyPrint or Pango is missing.
    """
    return pdf(avp_html(report, label=label, residents=residents))


def avp_xlsx(
    report: AvpReport, *, label: Label = _same, residents: Mapping[int, str] | None = None
) -> bytes:
    """The report as an xlsx workbook: a summary sheet of every line, then a sheet per section.

    Numbers stay text as the department reads them ("12,5", "1 200 €"); every typed
    text is cleaned and never a formula (`sheets.cell`).
    """
    rows = lines(report, label=label, residents=residents)
    sections: dict[str, list[Line]] = {}
    for line in rows:
        sections.setdefault(line.section, []).append(line)
    sheets = [
        Sheet(
            f"Rapport {report.year}",
            ["Rubrique", "Élément", "Valeur"],
            [[r.section, r.item, r.value] for r in rows],
            (34, 44, 20),
        )
    ]
    for title, section in sections.items():
        sheets.append(
            Sheet(title, ["Élément", "Valeur"], [[r.item, r.value] for r in section], (44, 20))
        )
    return workbook(sheets)
