"""The minutes of a residents' council meeting, ready to post and to sign.

Pure: the meeting, its decisions and the attendees' names (those the reader may
see, gathered by the service) in, one A4 page out. Every typed text is escaped
and cleaned of control characters (`render.esc`, `render.lines_of`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from habitat.documents.render import esc, lines_of, page
from habitat.documents.support_plan import MISSING, fr_date, label
from habitat.documents.week_programme import long_day
from habitat.store.entities import CouncilDecision, CouncilMeeting, DecisionStatus

CSS = """
body { font-size: 11.5pt; }
h1 { font-size: 19pt; }
dl { display: grid; grid-template-columns: 58mm 1fr; gap: 1mm 4mm; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; overflow-wrap: anywhere; }
td { overflow-wrap: anywhere; }
td.date { white-space: nowrap; }
p, li { overflow-wrap: anywhere; }
"""

#: The signature blocks at the foot of the minutes.
SIGNATURES = (
    "Le ou la président·e de séance",
    "Le ou la secrétaire de séance",
    "L'animateur·rice",
)


@dataclass(frozen=True)
class CouncilMinutes:
    """What the minutes show.

    Attributes:
        habitat_name: the habitat, for the heading.
        address: where the council met (the habitat's address).
        meeting: the meeting (its agenda, minutes and others present).
        attendees: the residents present, by the name the reader may see.
        decisions: the meeting's decisions with their follow-up.
        printed_on: the date printed on the document.
    """

    habitat_name: str
    address: str
    meeting: CouncilMeeting
    attendees: Sequence[str] = field(default_factory=list)
    decisions: Sequence[CouncilDecision] = field(default_factory=list)
    printed_on: date | None = None


def _decision_status(d: CouncilDecision) -> str:
    status = label(d.status)
    if d.status is DecisionStatus.DONE and d.done_on is not None:
        status += f" le {fr_date(d.done_on)}"
    return status


def _decisions(decisions: Sequence[CouncilDecision]) -> str:
    if not decisions:
        return '<p class="empty">Aucune décision n\'a été prise lors de cette réunion.</p>'
    rows = [
        "<table><tr><th>Décision</th><th>Qui s'en charge</th><th>Échéance</th>"
        "<th>Où en est-on</th></tr>"
    ]
    for d in decisions:
        follow_up = f"<br>{lines_of(d.follow_up)}" if d.follow_up else ""
        rows.append(
            f"<tr><td>{lines_of(d.text)}</td><td>{esc(d.owner) if d.owner else MISSING}</td>"
            f'<td class="date">{fr_date(d.due_on) if d.due_on else MISSING}</td>'
            f"<td>{_decision_status(d)}{follow_up}</td></tr>"
        )
    rows.append("</table>")
    return "".join(rows)


def council_minutes_html(minutes: CouncilMinutes) -> str:
    """The council meeting's minutes as a printable page with signature blocks.

    Args:
        minutes: the meeting, its attendees (names the reader may see) and decisions.

    Returns:
        A self-contained HTML page (see `render.page`).
    """
    meeting = minutes.meeting
    held = long_day(meeting.held_on, year=True)
    attendees = sorted(minutes.attendees)
    present = esc(", ".join(attendees)) if attendees else '<span class="empty">aucun</span>'
    printed = f" — imprimé le {fr_date(minutes.printed_on)}" if minutes.printed_on else ""
    parts = [
        f"<h1>Conseil des habitants du {esc(held)}</h1>",
        f'<p class="meta">{esc(minutes.habitat_name)} — compte rendu{printed}</p>',
        "<section><h2>La réunion</h2><dl>",
        f"<dt>Date</dt><dd>{esc(held)}</dd>",
        f"<dt>Lieu</dt><dd>{esc(minutes.address) if minutes.address else MISSING}</dd>",
        "<dt>Instance</dt><dd>Conseil des habitants</dd>",
        f"<dt>Habitants présents ({len(attendees)})</dt><dd>{present}</dd>",
        "<dt>Autres participants</dt>"
        f"<dd>{esc(meeting.others_present) if meeting.others_present else 'aucun'}</dd>",
        "</dl></section>",
        f"<section><h2>Ordre du jour</h2><p>{lines_of(meeting.agenda) or MISSING}</p></section>",
        "<section><h2>Compte rendu des échanges</h2>",
        f"<p>{lines_of(meeting.minutes)}</p>"
        if meeting.minutes
        else '<p class="empty">Pas de compte rendu rédigé.</p>',
        "</section>",
        f"<section><h2>Décisions et suivi</h2>{_decisions(minutes.decisions)}</section>",
        "<section><h2>Signatures</h2>",
        '<div class="signatures">',
        *(f'<div class="signature">{esc(who)}</div>' for who in SIGNATURES),
        "</div></section>",
    ]
    return page(f"Conseil des habitants du {held}", "\n".join(parts), css=CSS)
