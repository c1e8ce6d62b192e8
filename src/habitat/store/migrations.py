"""The schema, grown only through migrations (sqlite-utils `Migrations`).

A migration, once released, is never edited: a change is a new migration below it.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.migrations import Migrations

#: The migration set's name, recorded in `_sqlite_migrations`.
MIGRATION_SET = "habitat"

migrations = Migrations(MIGRATION_SET)

# Columns every editable table has: identity, optimistic-concurrency version,
# archive mark (nothing is deleted in normal use) and timestamps.
_RECORD_COLUMNS = """
    id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL"""


def _record_table(db: sqlite_utils.Database, name: str, columns: str) -> None:
    db.execute(f"CREATE TABLE {name} ({_RECORD_COLUMNS},{columns}\n) STRICT")


def _link_table(
    db: sqlite_utils.Database, name: str, owner: str, owner_table: str, extra: str = ""
) -> None:
    """A table linking records of `owner_table` to the residents they concern."""
    db.execute(
        f"""CREATE TABLE {name} (
        {owner} INTEGER NOT NULL REFERENCES {owner_table}(id),
        resident_id INTEGER NOT NULL REFERENCES resident(id),
        {extra}
        PRIMARY KEY ({owner}, resident_id)
        ) STRICT, WITHOUT ROWID"""
    )


def _bool(column: str) -> str:
    return f"{column} INTEGER NOT NULL DEFAULT 0 CHECK ({column} IN (0, 1))"


@migrations()
def m001_records(db: sqlite_utils.Database) -> None:
    """Every entity of DOMAIN.md §2, §3, §5, §7."""
    _record_table(
        db,
        "habitat",
        """
        name TEXT NOT NULL,
        host_organisation TEXT NOT NULL,
        address TEXT NOT NULL,
        dwellings INTEGER NOT NULL CHECK (dwellings BETWEEN 1 AND 30),
        avp_amount_per_resident REAL NOT NULL DEFAULT 0,
        avp_tier TEXT,
        avp_start TEXT,
        avp_end TEXT,
        animator_hours_per_week REAL NOT NULL DEFAULT 0,
        presence_from TEXT NOT NULL,
        presence_to TEXT NOT NULL""",
    )
    _record_table(
        db,
        "common_space",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        name TEXT NOT NULL,
        capacity INTEGER""",
    )
    _record_table(
        db,
        "shared_life_project",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        number INTEGER NOT NULL,
        text TEXT NOT NULL,
        adopted_on TEXT NOT NULL,
        adopted_by TEXT NOT NULL,
        UNIQUE (habitat_id, number)""",
    )
    _record_table(
        db,
        "house_rule",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        adopted_on TEXT NOT NULL,
        adopted_by TEXT NOT NULL""",
    )
    _record_table(
        db,
        "resident",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        pseudonym TEXT NOT NULL UNIQUE,
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        birth_year INTEGER,
        public TEXT NOT NULL,
        gir INTEGER CHECK (gir BETWEEN 1 AND 6),
        support_level TEXT,
        dwelling TEXT,
        emergency_contact TEXT,
        entry_date TEXT NOT NULL,
        entry_mode TEXT NOT NULL,
        exit_date TEXT,
        exit_reason TEXT""",
    )
    _record_table(
        db,
        "carer",
        f"""
        resident_id INTEGER NOT NULL REFERENCES resident(id),
        first_name TEXT NOT NULL,
        last_name TEXT NOT NULL,
        relation TEXT NOT NULL,
        phone TEXT,
        email TEXT,
        {_bool("does_care")},
        {_bool("does_management")},
        {_bool("does_governance")},
        usual_hours_per_week REAL NOT NULL DEFAULT 0,
        {_bool("consent_to_share")},
        consent_date TEXT""",
    )
    _record_table(
        db,
        "provider",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        arrangement TEXT NOT NULL,
        contact_name TEXT,
        phone TEXT,
        email TEXT,
        address TEXT,
        services TEXT,
        finess TEXT""",
    )
    _record_table(
        db,
        "support_plan",
        """
        resident_id INTEGER NOT NULL REFERENCES resident(id),
        started_on TEXT NOT NULL,
        review_due TEXT,
        preferences TEXT""",
    )
    _record_table(
        db,
        "plan_need",
        """
        plan_id INTEGER NOT NULL REFERENCES support_plan(id),
        domain TEXT NOT NULL,
        intensity TEXT NOT NULL,
        description TEXT NOT NULL""",
    )
    _record_table(
        db,
        "intervention",
        """
        plan_id INTEGER NOT NULL REFERENCES support_plan(id),
        provider_id INTEGER NOT NULL REFERENCES provider(id),
        weekdays TEXT NOT NULL,
        start_time TEXT NOT NULL,
        end_time TEXT NOT NULL,
        task TEXT""",
    )
    _record_table(
        db,
        "risk_agreement",
        """
        plan_id INTEGER NOT NULL REFERENCES support_plan(id),
        what TEXT NOT NULL,
        agreed_by TEXT NOT NULL,
        agreed_on TEXT NOT NULL,
        review_on TEXT NOT NULL""",
    )
    _record_table(
        db,
        "plan_review",
        """
        plan_id INTEGER NOT NULL REFERENCES support_plan(id),
        reviewed_on TEXT NOT NULL,
        reviewed_by TEXT NOT NULL,
        summary TEXT NOT NULL""",
    )
    _record_table(
        db,
        "activity",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        title TEXT NOT NULL,
        category TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL,
        place TEXT NOT NULL,
        space_id INTEGER REFERENCES common_space(id),
        location TEXT,
        description TEXT""",
    )
    _record_table(
        db,
        "attendance",
        """
        activity_id INTEGER NOT NULL REFERENCES activity(id),
        resident_id INTEGER NOT NULL REFERENCES resident(id),
        status TEXT NOT NULL,
        UNIQUE (activity_id, resident_id)""",
    )
    _record_table(
        db,
        "booking",
        """
        space_id INTEGER NOT NULL REFERENCES common_space(id),
        resident_id INTEGER REFERENCES resident(id),
        booked_by TEXT NOT NULL,
        purpose TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL""",
    )
    _record_table(
        db,
        "presence_shift",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        person TEXT NOT NULL,
        role TEXT NOT NULL,
        starts_at TEXT NOT NULL,
        ends_at TEXT NOT NULL""",
    )
    _record_table(
        db,
        "account",
        f"""
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        password_hash TEXT,
        provider_id INTEGER REFERENCES provider(id),
        resident_id INTEGER REFERENCES resident(id),
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        CHECK ({"failed_logins >= 0"})""",
    )
    _record_table(
        db,
        "liaison_note",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        author TEXT NOT NULL,
        author_account_id INTEGER REFERENCES account(id),
        written_at TEXT NOT NULL,
        body TEXT NOT NULL,
        audience TEXT NOT NULL,
        audience_resident_id INTEGER REFERENCES resident(id)""",
    )
    _link_table(db, "liaison_note_resident", "note_id", "liaison_note", "written_at TEXT NOT NULL,")
    _record_table(
        db,
        "tension",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        occurred_on TEXT NOT NULL,
        description TEXT NOT NULL,
        others_involved TEXT,
        actions TEXT,
        status TEXT NOT NULL,
        resolved_on TEXT""",
    )
    _link_table(db, "tension_resident", "tension_id", "tension")
    _record_table(
        db,
        "council_meeting",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        held_on TEXT NOT NULL,
        agenda TEXT NOT NULL,
        minutes TEXT,
        others_present TEXT""",
    )
    _link_table(db, "council_attendance", "meeting_id", "council_meeting")
    _record_table(
        db,
        "council_decision",
        """
        meeting_id INTEGER NOT NULL REFERENCES council_meeting(id),
        text TEXT NOT NULL,
        owner TEXT,
        due_on TEXT,
        status TEXT NOT NULL,
        follow_up TEXT,
        done_on TEXT""",
    )
    _record_table(
        db,
        "time_entry",
        f"""
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        person TEXT NOT NULL,
        worked_on TEXT NOT NULL,
        function TEXT NOT NULL,
        hours REAL NOT NULL CHECK (hours > 0 AND hours <= 24),
        {_bool("avp_funded")},
        note TEXT""",
    )


@migrations()
def m002_audit_log(db: sqlite_utils.Database) -> None:
    """The append-only audit log and the trace of erasures."""
    db.execute(
        """CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id INTEGER NOT NULL,
        action TEXT NOT NULL,
        before TEXT,
        after TEXT
        ) STRICT"""
    )
    db.execute("CREATE INDEX audit_log_entity ON audit_log (entity, entity_id)")
    # Erasure is the one lawful rewrite of the log (GDPR art. 17): it runs with a
    # row in `erasure_in_progress`, inside the erasing transaction, and may only
    # change the copied values, never who did what when.
    db.execute("CREATE TABLE erasure_in_progress (token TEXT PRIMARY KEY) STRICT")
    db.execute(
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        WHEN NOT EXISTS (SELECT 1 FROM erasure_in_progress)
          OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
          OR NEW.entity IS NOT OLD.entity OR NEW.entity_id IS NOT OLD.entity_id
          OR NEW.action IS NOT OLD.action
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
    )
    db.execute(
        """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
    )
    db.execute(
        """CREATE TABLE erasure (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        entity TEXT NOT NULL,
        pseudonym TEXT NOT NULL,
        rows_erased INTEGER NOT NULL,
        reason TEXT NOT NULL
        ) STRICT"""
    )
    db.execute(
        """CREATE TRIGGER erasure_no_update BEFORE UPDATE ON erasure
        BEGIN SELECT RAISE(ABORT, 'erasure trace is append-only'); END"""
    )
    db.execute(
        """CREATE TRIGGER erasure_no_delete BEFORE DELETE ON erasure
        BEGIN SELECT RAISE(ABORT, 'erasure trace is append-only'); END"""
    )


@migrations()
def m003_screen_indexes(db: sqlite_utils.Database) -> None:
    """Indexes behind the screens' queries (dashboard, resident file, notebook, AVP)."""
    for table, columns in (
        ("liaison_note", "habitat_id, written_at"),
        ("liaison_note", "author, written_at"),
        # The newest notes about one resident, read in order from the index.
        ("liaison_note_resident", "resident_id, written_at, note_id"),
        ("tension", "habitat_id, status, occurred_on"),
        ("tension_resident", "resident_id, tension_id"),
        # Covering: the AVP report counts a year of activities from the index alone.
        ("activity", "habitat_id, starts_at, archived_at, category, place"),
        # Covering: participation counts read the index only, never the rows.
        ("attendance", "resident_id, archived_at, status"),
        ("attendance", "activity_id, resident_id, status, archived_at"),
        ("presence_shift", "habitat_id, starts_at"),
        ("booking", "space_id, starts_at"),
        ("activity", "space_id, starts_at"),
        ("time_entry", "habitat_id, worked_on"),
        ("resident", "habitat_id"),
        ("carer", "resident_id"),
        ("support_plan", "resident_id"),
        ("plan_need", "plan_id"),
        ("intervention", "plan_id"),
        ("intervention", "provider_id"),
        ("risk_agreement", "plan_id"),
        ("plan_review", "plan_id"),
        ("council_attendance", "resident_id"),
        ("council_decision", "meeting_id"),
        ("council_meeting", "habitat_id, held_on"),
        ("provider", "habitat_id"),
        ("account", "resident_id"),
        ("account", "provider_id"),
    ):
        name = f"idx_{table}_{columns.replace(', ', '_')}"
        db.execute(f"CREATE INDEX {name} ON {table} ({columns})")


@migrations()
def m004_family_notes_index(db: sqlite_utils.Database) -> None:
    """A family's notebook: the newest notes addressed to one family, read from an index."""
    db.execute(
        "CREATE INDEX idx_liaison_note_family ON liaison_note"
        " (audience_resident_id, written_at) WHERE audience_resident_id IS NOT NULL"
    )


@migrations()
def m005_saved_scenarios(db: sqlite_utils.Database) -> None:
    """Simulation scenarios saved with the habitat ("et si..."), to run again later."""
    _record_table(
        db,
        "saved_scenario",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        name TEXT NOT NULL,
        origin TEXT NOT NULL,
        as_of TEXT NOT NULL,
        seed INTEGER NOT NULL CHECK (seed >= 0),
        replications INTEGER NOT NULL CHECK (replications >= 1),
        scenario_yaml TEXT NOT NULL,
        note TEXT""",
    )
    db.execute("CREATE INDEX idx_saved_scenario_habitat_id ON saved_scenario (habitat_id)")


@migrations()
def m006_erasure_renames_erased_accounts(db: sqlite_utils.Database) -> None:
    """An erasure may also rename an erased account in the log's `actor`, nothing else.

    A family member's username ("isabelle.ferreira") names them as surely as their
    note's signature: the erasure writes `role:erased-ID` instead, keeping who (which
    account) did what when.
    """
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute(
        """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        WHEN NOT EXISTS (SELECT 1 FROM erasure_in_progress)
          OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at
          OR (NEW.actor IS NOT OLD.actor AND NEW.actor NOT GLOB '*:erased-[0-9]*')
          OR NEW.entity IS NOT OLD.entity OR NEW.entity_id IS NOT OLD.entity_id
          OR NEW.action IS NOT OLD.action
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"""
    )


@migrations()
def m007_dwellings_and_weekly_rota(db: sqlite_utils.Database) -> None:
    """Named dwellings (one resident at a time) and the weekly presence rota with exceptions."""
    _record_table(
        db,
        "dwelling",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        name TEXT NOT NULL""",
    )
    db.execute("CREATE UNIQUE INDEX idx_dwelling_habitat_id_name ON dwelling (habitat_id, name)")
    _record_table(
        db,
        "presence_pattern",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        person TEXT NOT NULL,
        role TEXT NOT NULL,
        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
        starts TEXT NOT NULL,
        ends TEXT NOT NULL""",
    )
    db.execute("CREATE INDEX idx_presence_pattern_habitat_id ON presence_pattern (habitat_id)")
    _record_table(
        db,
        "presence_exception",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        day TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('cancel', 'add')),
        pattern_id INTEGER REFERENCES presence_pattern(id),
        person TEXT,
        role TEXT,
        starts TEXT,
        ends TEXT,
        reason TEXT""",
    )
    db.execute(
        "CREATE INDEX idx_presence_exception_habitat_id_day ON presence_exception (habitat_id, day)"
    )
    db.execute("CREATE INDEX idx_presence_exception_pattern_id ON presence_exception (pattern_id)")


@migrations()
def m008_activity_cancellation(db: sqlite_utils.Database) -> None:
    """An activity called off keeps its place on the calendar, with the reason."""
    db.execute("ALTER TABLE activity ADD COLUMN cancelled_reason TEXT")


@migrations()
def m009_note_for_one_provider(db: sqlite_utils.Database) -> None:
    """A note for providers may go to one named provider; a family's note concerns its resident.

    Notes already addressed to a family but concerning another resident (which the
    family could read) are narrowed to the team: nothing is lost, the family stops
    reading about someone else. Their version moves on so that an open form sees it.
    """
    db.execute(
        "ALTER TABLE liaison_note ADD COLUMN audience_provider_id INTEGER REFERENCES provider(id)"
    )
    db.execute(
        "CREATE INDEX idx_liaison_note_audience_provider_id ON liaison_note"
        " (audience_provider_id, written_at) WHERE audience_provider_id IS NOT NULL"
    )
    db.execute(
        """UPDATE liaison_note SET audience = 'team', audience_resident_id = NULL,
        version = version + 1
        WHERE audience = 'family' AND EXISTS (
          SELECT 1 FROM liaison_note_resident l WHERE l.note_id = liaison_note.id
          AND l.resident_id IS NOT liaison_note.audience_resident_id)"""
    )


@migrations()
def m010_activity_registration(db: sqlite_utils.Database) -> None:
    """Residents sign up for activities to come (one registration per resident and activity)."""
    _record_table(
        db,
        "registration",
        """
        activity_id INTEGER NOT NULL REFERENCES activity(id),
        resident_id INTEGER NOT NULL REFERENCES resident(id),
        UNIQUE (activity_id, resident_id)""",
    )
    db.execute("CREATE INDEX idx_registration_resident_id ON registration (resident_id)")


@migrations()
def m011_note_rectification(db: sqlite_utils.Database) -> None:
    """A note is corrected by a later note that rectifies it (never rewritten in place)."""
    db.execute(
        "ALTER TABLE liaison_note ADD COLUMN rectifies_note_id INTEGER REFERENCES liaison_note(id)"
    )
    db.execute(
        "CREATE INDEX idx_liaison_note_rectifies_note_id ON liaison_note (rectifies_note_id)"
        " WHERE rectifies_note_id IS NOT NULL"
    )


@migrations()
def m012_web_session(db: sqlite_utils.Database) -> None:
    """Signed-in sessions on the server, so that a reload keeps the person signed in.

    The browser holds a random token in an HttpOnly cookie; the table keeps only its
    SHA-256 (as it keeps only the claim's, the one-time secret the page trades for
    the cookie). A session is ended, never deleted: sign-out, expiry, a new
    password and a restore each say so in `end_reason`.
    """
    db.execute(
        """CREATE TABLE web_session (
        id INTEGER PRIMARY KEY,
        account_id INTEGER NOT NULL REFERENCES account(id),
        claim_hash TEXT UNIQUE,
        claim_expires_at REAL,
        token_hash TEXT UNIQUE,
        started_at REAL NOT NULL,
        last_seen_at REAL NOT NULL,
        ended_at REAL,
        end_reason TEXT
        ) STRICT"""
    )
    db.execute(
        "CREATE INDEX idx_web_session_account_id ON web_session (account_id) WHERE ended_at IS NULL"
    )


@migrations()
def m013_documents(db: sqlite_utils.Database) -> None:
    """What the documents need: the emergency liaison sheet, partnerships, the report's text.

    Also two settings of the habitat: whether first names may go on the noticeboard,
    and the animator's hourly cost (the budget used in the yearly report).
    """
    db.execute(f"ALTER TABLE habitat ADD COLUMN {_bool('noticeboard_first_names')}")
    db.execute(
        "ALTER TABLE habitat ADD COLUMN animator_hourly_cost REAL"
        " CHECK (animator_hourly_cost IS NULL OR animator_hourly_cost >= 0)"
    )
    _record_table(
        db,
        "liaison_sheet",
        """
        resident_id INTEGER NOT NULL UNIQUE REFERENCES resident(id),
        trusted_person TEXT,
        trusted_person_phone TEXT,
        gp TEXT,
        gp_phone TEXT,
        treatments TEXT,
        allergies TEXT,
        usual_life TEXT,
        updated_on TEXT NOT NULL""",
    )
    _record_table(
        db,
        "partnership",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        started_on TEXT NOT NULL,
        ended_on TEXT,
        contact_name TEXT,
        description TEXT""",
    )
    db.execute("CREATE INDEX idx_partnership_habitat_id ON partnership (habitat_id)")
    _record_table(
        db,
        "report_narrative",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL,
        text TEXT NOT NULL,
        other_spending REAL NOT NULL DEFAULT 0 CHECK (other_spending >= 0),
        UNIQUE (habitat_id, period_start, period_end)""",
    )


def pending(db: sqlite_utils.Database) -> list[str]:
    """Names of the migrations not yet applied."""
    return [migration.name for migration in migrations.pending(db)]


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every pending migration, each in its own transaction; return their names."""
    names = pending(db)
    migrations.apply(db)
    return names


@migrations()
def m014_twin_results(db: sqlite_utils.Database) -> None:
    """Runs of the habitat's own model, saved to compare later with what happened."""
    _record_table(
        db,
        "twin_result",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        kind TEXT NOT NULL,
        model_from TEXT NOT NULL,
        model_to TEXT NOT NULL,
        seed INTEGER NOT NULL CHECK (seed >= 0),
        replications INTEGER NOT NULL CHECK (replications >= 1),
        bands_json TEXT NOT NULL,
        note TEXT""",
    )
    db.execute("CREATE INDEX idx_twin_result_habitat_id ON twin_result (habitat_id)")


@migrations()
def m015_habitat_calibration(db: sqlite_utils.Database) -> None:
    """The habitat's own calibration, saved for its forecasts and questions to use."""
    _record_table(
        db,
        "habitat_calibration",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        window_from TEXT NOT NULL,
        window_to TEXT NOT NULL,
        seed INTEGER NOT NULL CHECK (seed >= 0),
        waves INTEGER NOT NULL CHECK (waves >= 1),
        candidates INTEGER NOT NULL CHECK (candidates >= 1),
        replications INTEGER NOT NULL CHECK (replications >= 1),
        effective REAL NOT NULL CHECK (effective >= 0),
        parameters_json TEXT NOT NULL,
        targets_json TEXT NOT NULL,
        note TEXT""",
    )
    db.execute(
        "CREATE INDEX idx_habitat_calibration_habitat_id ON habitat_calibration (habitat_id)"
    )


@migrations()
def m016_avp_need(db: sqlite_utils.Database) -> None:
    """The AVP question's answers, saved to go into the yearly AVP report of their period."""
    _record_table(
        db,
        "avp_need",
        """
        habitat_id INTEGER NOT NULL REFERENCES habitat(id),
        model_from TEXT NOT NULL,
        model_to TEXT NOT NULL,
        seed INTEGER NOT NULL CHECK (seed >= 0),
        replications INTEGER NOT NULL CHECK (replications >= 1),
        figures_json TEXT NOT NULL,
        hourly_cost REAL CHECK (hourly_cost IS NULL OR hourly_cost >= 0),
        avp_per_resident REAL CHECK (avp_per_resident IS NULL OR avp_per_resident >= 0),
        current_avp_per_resident REAL NOT NULL DEFAULT 0 CHECK (current_avp_per_resident >= 0),
        residents INTEGER NOT NULL CHECK (residents >= 1),
        note TEXT""",
    )
    db.execute("CREATE INDEX idx_avp_need_habitat_model_from ON avp_need (habitat_id, model_from)")
