"""The rules a record keeps with the others: a dwelling per resident, a space per slot, dates.

`repository` calls `check` inside the write's transaction, after the record's own
validation and its references: each rule reads the rows it needs and refuses with
the field at fault and a French reason. Rules run when a record is written, never
when one is read, so a rule about "today" never makes a stored record unreadable.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlite_utils

from habitat import clock
from habitat.store.entities import (
    Activity,
    Attendance,
    Booking,
    Carer,
    CouncilDecision,
    LiaisonNote,
    PlanReview,
    Registration,
    Resident,
    RiskAgreement,
    Tension,
    TimeEntry,
)
from habitat.store.errors import InvalidRecord
from habitat.store.record import Record


def check(db: sqlite_utils.Database, record: Record) -> None:
    """Refuse the record if it breaks a rule with the stored ones (nothing is written).

    Raises:
        InvalidRecord: the field at fault, with its French reason.
    """
    if isinstance(record, Activity) and record.id is not None:
        _check_activity_change(db, record)
    if (
        isinstance(record, Booking | Activity)
        and record.archived_at is None
        and not getattr(record, "cancelled", False)
    ):
        _check_space_clash(db, record)
    if isinstance(record, Resident) and record.archived_at is None:
        _check_dwelling(db, record)
    _check_not_future(record)
    if isinstance(record, CouncilDecision):
        _check_after_meeting(db, record)
    if isinstance(record, PlanReview):
        _check_after_plan_start(db, record)
    if isinstance(record, Attendance):
        _check_activity_started(db, record)
    if isinstance(record, LiaisonNote) and record.rectifies_note_id is not None:
        _check_rectification(db, record)
    if isinstance(record, LiaisonNote) and record.audience_provider_id is not None:
        _check_note_provider(db, record)
    if isinstance(record, Registration) and record.archived_at is None:
        _check_activity_to_come(db, record)


#: Dates that say something happened: none of them can be after today.
_PAST_DATES: dict[type[Record], tuple[str, ...]] = {
    Tension: ("occurred_on", "resolved_on"),
    TimeEntry: ("worked_on",),
    PlanReview: ("reviewed_on",),
    CouncilDecision: ("done_on",),
    Carer: ("consent_date",),
    RiskAgreement: ("agreed_on",),
}


def _check_not_future(record: Record) -> None:
    """What has happened is dated today at the latest (a tension, a review, time worked)."""
    today = clock.today()
    for field in _PAST_DATES.get(type(record), ()):
        value = getattr(record, field)
        if value is not None and value > today:
            raise InvalidRecord.one(
                record.label_fr,
                field,
                f"is in the future (today is {today.isoformat()})",
                f"est dans le futur (nous sommes le {_fr_day(today.isoformat())})",
            )


def _check_after_meeting(db: sqlite_utils.Database, decision: CouncilDecision) -> None:
    """A decision is due, and carried out, on or after the meeting that took it."""
    row = db.execute(
        "SELECT held_on FROM council_meeting WHERE id = ?", [decision.meeting_id]
    ).fetchone()
    if row is None:
        return
    held_on = date.fromisoformat(row[0])
    for field, what in (("due_on", "l'échéance"), ("done_on", "la réalisation")):
        value = getattr(decision, field)
        if value is not None and value < held_on:
            raise InvalidRecord.one(
                decision.label_fr,
                field,
                f"is before the meeting ({held_on.isoformat()})",
                f"{what} est avant la réunion du {_fr_day(row[0])} qui a pris la décision",
            )


def _check_after_plan_start(db: sqlite_utils.Database, review: PlanReview) -> None:
    """A plan is reviewed on or after the day it starts."""
    row = db.execute(
        "SELECT started_on FROM support_plan WHERE id = ?", [review.plan_id]
    ).fetchone()
    if row is not None and review.reviewed_on < date.fromisoformat(row[0]):
        raise InvalidRecord.one(
            review.label_fr,
            "reviewed_on",
            f"is before the plan starts ({row[0]})",
            f"est avant le début du projet d'accompagnement ({_fr_day(row[0])})",
        )


#: What makes an activity what it was: fixed once its day has passed.
_ACTIVITY_FACTS = ("title", "category", "starts_at", "ends_at", "place", "space_id", "location")


def _check_activity_change(db: sqlite_utils.Database, activity: Activity) -> None:
    """An activity is changed or called off before its day; after, it is what happened.

    Its description may still be completed (what was done, who led it).
    """
    stored = next(db.query("SELECT * FROM activity WHERE id = ?", [activity.id]), None)
    if stored is None:
        return
    day = date.fromisoformat(stored["starts_at"][:10])
    if day >= clock.today():
        return
    before = Activity.from_row({k: v for k, v in stored.items() if k in Activity.model_fields})
    if activity.cancelled_reason != before.cancelled_reason:
        raise InvalidRecord.one(
            activity.label_fr,
            "cancelled_reason",
            f"the activity took place on {day.isoformat()}: it can no longer be called off",
            f"l'activité a eu lieu le {_fr_day(day.isoformat())} : elle ne s'annule plus "
            "(notez plutôt les absents dans les présences)",
        )
    for field in _ACTIVITY_FACTS:
        if getattr(activity, field) != getattr(before, field):
            raise InvalidRecord.one(
                activity.label_fr,
                field,
                f"the activity took place on {day.isoformat()}: it is no longer changed",
                f"l'activité a eu lieu le {_fr_day(day.isoformat())} : seule sa description "
                "se complète encore",
            )


def _check_note_provider(db: sqlite_utils.Database, note: LiaisonNote) -> None:
    """A note goes to a provider of its own habitat, never to another habitat's."""
    row = db.execute(
        "SELECT habitat_id, name FROM provider WHERE id = ?", [note.audience_provider_id]
    ).fetchone()
    if row is not None and row[0] != note.habitat_id:
        raise InvalidRecord.one(
            note.label_fr,
            "audience_provider_id",
            "the provider works for another habitat",
            f"« {row[1]} » n'intervient pas dans cet habitat",
        )


def _check_rectification(db: sqlite_utils.Database, note: LiaisonNote) -> None:
    """A rectification goes to the readers of the note it rectifies, no one else."""
    original = next(
        db.query("SELECT * FROM liaison_note WHERE id = ?", [note.rectifies_note_id]), None
    )
    if original is None:
        return
    links = [
        row[0]
        for row in db.execute(
            "SELECT resident_id FROM liaison_note_resident WHERE note_id = ? ORDER BY resident_id",
            [original["id"]],
        )
    ]
    same = (
        original["habitat_id"] == note.habitat_id
        and original["audience"] == note.audience.value
        and original["audience_resident_id"] == note.audience_resident_id
        and original["audience_provider_id"] == note.audience_provider_id
        and links == sorted(note.resident_ids)
        and original["id"] != note.id
    )
    if not same:
        raise InvalidRecord.one(
            note.label_fr,
            "rectifies_note_id",
            "a rectification goes to the same readers, about the same residents",
            "une rectification s'adresse aux mêmes destinataires, au sujet des mêmes "
            "habitants, que la note qu'elle rectifie",
        )


def _check_activity_to_come(db: sqlite_utils.Database, registration: Registration) -> None:
    """One signs up for an activity that has not started and is not cancelled."""
    row = db.execute(
        "SELECT starts_at, cancelled_reason FROM activity WHERE id = ?",
        [registration.activity_id],
    ).fetchone()
    if row is None:
        return
    if row[1] is not None:
        raise InvalidRecord.one(
            registration.label_fr,
            "activity_id",
            "the activity was cancelled",
            f"l'activité est annulée ({row[1]})",
        )
    starts = datetime.fromisoformat(row[0])
    today = clock.today()
    if starts.date() < today or (starts.date() == today and starts.time() <= clock.now().time()):
        raise InvalidRecord.one(
            registration.label_fr,
            "activity_id",
            "the activity has started",
            "l'activité a déjà commencé : on ne s'y inscrit plus",
        )


def _check_activity_started(db: sqlite_utils.Database, attendance: Attendance) -> None:
    """Who came is recorded once the activity's day has come, for an activity not cancelled."""
    row = db.execute(
        "SELECT starts_at, cancelled_reason FROM activity WHERE id = ?", [attendance.activity_id]
    ).fetchone()
    if row is not None and row[1] is not None:
        raise InvalidRecord.one(
            attendance.label_fr,
            "status",
            "the activity was cancelled",
            f"l'activité a été annulée ({row[1]}) : pas de présences à noter",
        )
    if row is not None and date.fromisoformat(row[0][:10]) > clock.today():
        raise InvalidRecord.one(
            attendance.label_fr,
            "status",
            f"the activity has not happened yet ({row[0][:10]})",
            f"l'activité n'a pas encore eu lieu (le {_fr_day(row[0][:10])}) : "
            "les présences se notent le jour même ou après",
        )


def _fr_day(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def _check_dwelling(db: sqlite_utils.Database, resident: Resident) -> None:
    """A present resident lives in one of the habitat's dwellings, alone, and fits in.

    Present: no exit date, or one still to come. When the habitat declares its
    dwellings by name, the resident's dwelling must be one of them and nobody
    else may live there during the resident's stay; in any case the habitat holds
    no more present residents than dwellings.
    """
    today = clock.today().isoformat()
    if resident.exit_date is not None and resident.exit_date.isoformat() <= today:
        return
    names = [
        row[0]
        for row in db.execute(
            "SELECT name FROM dwelling WHERE habitat_id = ? AND archived_at IS NULL ORDER BY id",
            [resident.habitat_id],
        )
    ]
    if names and resident.dwelling is not None:
        if resident.dwelling not in names:
            shown = ", ".join(f"« {name} »" for name in names[:12])
            raise InvalidRecord.one(
                resident.label_fr,
                "dwelling",
                f"{resident.dwelling!r} is not one of the habitat's dwellings",
                f"« {resident.dwelling} » n'est pas un logement de l'habitat "
                f"(logements : {shown}{'…' if len(names) > 12 else ''})",
            )
        stay_end = resident.exit_date.isoformat() if resident.exit_date else "9999-12-31"
        other = db.execute(
            "SELECT exit_date FROM resident WHERE habitat_id = ? AND dwelling = ?"
            " AND archived_at IS NULL AND id IS NOT ? AND (exit_date IS NULL OR exit_date > ?)"
            " AND (exit_date IS NULL OR exit_date > ?) AND entry_date < ?"
            " ORDER BY exit_date IS NULL DESC, exit_date DESC LIMIT 1",
            [
                resident.habitat_id,
                resident.dwelling,
                resident.id,
                today,
                resident.entry_date.isoformat(),
                stay_end,
            ],
        ).fetchone()
        if other is not None:
            until = f"au {_fr_day(other[0])}" if other[0] else "à son départ"
            raise InvalidRecord.one(
                resident.label_fr,
                "dwelling",
                f"the dwelling {resident.dwelling!r} is taken until {other[0] or 'further notice'}",
                f"le logement « {resident.dwelling} » est occupé par un·e autre habitant·e "
                f"jusqu'{until} : choisissez un logement libre ou indiquez la sortie de "
                "l'habitant·e qui l'occupe",
            )
    capacity = (
        len(names)
        or (
            db.execute(
                "SELECT dwellings FROM habitat WHERE id = ?", [resident.habitat_id]
            ).fetchone()
            or [None]
        )[0]
    )
    if capacity is None:
        return
    present = db.execute(
        "SELECT COUNT(*) FROM resident WHERE habitat_id = ? AND archived_at IS NULL"
        " AND id IS NOT ? AND (exit_date IS NULL OR exit_date > ?)",
        [resident.habitat_id, resident.id, today],
    ).fetchone()[0]
    if present + 1 > capacity:
        raise InvalidRecord.one(
            resident.label_fr,
            "dwelling",
            f"the habitat has {capacity} dwellings and {present} present residents",
            f"l'habitat compte {capacity} logements et {present} habitant·es présent·es : "
            "indiquez d'abord la sortie d'un·e habitant·e, ou déclarez un logement de plus "
            "dans les Paramètres de l'habitat",
        )


def _check_space_clash(db: sqlite_utils.Database, use: Booking | Activity) -> None:
    """A common space holds one booking or activity at a time."""
    if use.space_id is None:
        return
    start, end = use.starts_at.isoformat(), use.ends_at.isoformat()
    booking_id = use.id if isinstance(use, Booking) else None
    activity_id = use.id if isinstance(use, Activity) else None
    clash = db.execute(
        "SELECT purpose, starts_at, ends_at FROM booking"
        " WHERE space_id = ? AND archived_at IS NULL AND id IS NOT ?"
        " AND starts_at < ? AND ends_at > ?"
        " UNION ALL SELECT title, starts_at, ends_at FROM activity"
        " WHERE space_id = ? AND archived_at IS NULL AND cancelled_reason IS NULL AND id IS NOT ?"
        " AND starts_at < ? AND ends_at > ?"
        " LIMIT 1",
        [use.space_id, booking_id, end, start, use.space_id, activity_id, end, start],
    ).fetchone()
    if clash:
        what, other_start, other_end = clash
        raise InvalidRecord.one(
            use.label_fr,
            "starts_at",
            f"the space is already taken from {other_start} to {other_end} ({what})",
            f"l'espace est déjà réservé de {other_start[11:16]} à {other_end[11:16]} "
            f"le {other_start[:10]} ({what})",
        )
