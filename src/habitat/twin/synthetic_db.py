"""The synthetic habitat as a database in the app's schema, for trainers (`habitat serve --db`).

Written through the store's own functions (`store.connect`, `store.migrate`,
`store.add`: validated, ruled and audited as any record), on the synthetic
calendar: the store's rules ("nothing after today") are checked as of the
calendar's last day, which is the day to serve it on
(`HABITAT_TODAY=<end> habitat serve --db habitat.db`). Residents' pseudonyms are
the synthetic ones as the app writes them (`app_pseudonym`: `H-0...`, never drawn
for a real resident); no birth year is written. The store's own bookkeeping
(`created_at`, `updated_at`, the audit log's times) says when the file was written.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from habitat import clock, store
from habitat.store.entities import (
    Account,
    Activity,
    Attendance,
    Carer,
    Dwelling,
    EntryMode,
    Habitat,
    Relation,
    Resident,
    Role,
    Tension,
    TimeEntry,
)
from habitat.twin.synthetic import FIRST_NAMES, SyntheticHabitat, app_pseudonym

__all__ = ["ACCOUNTS", "write_database"]

#: Who the audit log says wrote the records.
ACTOR = "synthetic"
#: The accounts written (no password: `habitat users passwd` sets one).
ACCOUNTS = {"animateur": Role.ANIMATOR, "organisme": Role.HOST}
#: The invented surname every synthetic person shares.
SURNAME = "Synthétique"
#: The animator's hours of a week are spread over its first five days.
WORKING_DAYS = 5


def write_database(habitat: SyntheticHabitat, path: str | Path) -> None:
    """Write the synthetic habitat into a new database file at `path`.

    Raises:
        InvalidRecord: a synthetic record broke one of the store's rules (a bug).
    """
    tables = habitat.tables
    with store.connect(path) as db, clock.as_of(habitat.end):
        store.migrate(db)
        with store.transaction(db):
            habitat_id = _add(
                db,
                Habitat(
                    name="Habitat synthétique",
                    host_organisation="Organisme fictif",
                    address="Adresse fictive",
                    dwellings=habitat.dwellings,
                    avp_amount_per_resident=habitat.avp_amount_per_resident,
                    animator_hours_per_week=habitat.animator_hours_per_week,
                ),
            )
            for number in range(1, habitat.dwellings + 1):
                _add(db, Dwelling(habitat_id=habitat_id, name=f"D{number:02d}"))
            resident_of: dict[str, int] = {}
            for row in tables["residents"]:
                code = row["pseudonym"]
                resident_of[code] = _add(
                    db,
                    Resident(
                        habitat_id=habitat_id,
                        pseudonym=app_pseudonym(code),
                        first_name=row["first_name"],
                        last_name=SURNAME,
                        public=row["public"],
                        gir=row["gir_last"],
                        dwelling=row["dwelling"],
                        entry_date=date.fromisoformat(row["entry_date"]),
                        entry_mode=EntryMode.DEFAULT
                        if row["entered_by_default"] == "true"
                        else EntryMode.CHOSEN,
                        exit_date=date.fromisoformat(row["exit_date"])
                        if row["exit_date"]
                        else None,
                        exit_reason=row["exit_reason"] or None,
                    ),
                )
                if row["family_hours_per_week"] > 0:
                    names = FIRST_NAMES["female" if len(resident_of) % 2 else "male"]
                    _add(
                        db,
                        Carer(
                            resident_id=resident_of[code],
                            first_name=names[len(resident_of) % len(names)],
                            last_name=SURNAME,
                            relation=Relation.CHILD,
                            does_care=True,
                            usual_hours_per_week=row["family_hours_per_week"],
                        ),
                    )
            for row in tables["tensions"]:
                _add(
                    db,
                    Tension(
                        habitat_id=habitat_id,
                        kind=row["kind"],
                        severity=row["severity"],
                        occurred_on=date.fromisoformat(row["occurred_on"]),
                        description=row["description"],
                        status=row["status"],
                        resolved_on=date.fromisoformat(row["resolved_on"])
                        if row["resolved_on"]
                        else None,
                        resident_ids=[resident_of[c] for c in row["residents"].split()],
                    ),
                )
            activity_of: dict[int, int] = {}
            for row in tables["activities"]:
                activity_of[row["number"]] = _add(
                    db,
                    Activity(
                        habitat_id=habitat_id,
                        title=row["title"],
                        category=row["category"],
                        place=row["place"],
                        starts_at=datetime.fromisoformat(row["starts_at"]),
                        ends_at=datetime.fromisoformat(row["ends_at"]),
                    ),
                )
            for row in tables["attendance"]:
                _add(
                    db,
                    Attendance(
                        activity_id=activity_of[row["activity"]],
                        resident_id=resident_of[row["pseudonym"]],
                        status=row["status"],
                    ),
                )
            for row in tables["animator_time"]:
                week = date.fromisoformat(row["week_start"])
                share = round(row["hours"] / WORKING_DAYS, 2)
                for offset in range(WORKING_DAYS):
                    day = week + timedelta(days=offset)
                    if share > 0 and day <= habitat.end:
                        _add(
                            db,
                            TimeEntry(
                                habitat_id=habitat_id,
                                person="Animateur·rice synthétique",
                                worked_on=day,
                                function=row["function"],
                                hours=share,
                            ),
                        )
            for username, role in ACCOUNTS.items():
                _add(
                    db,
                    Account(username=username, display_name=f"{username} (synthétique)", role=role),
                )


def _add(db, record) -> int:
    """Store one record (validated, ruled, audited); its id."""
    return store.add(db, ACTOR, record).stored_id
