"""A plausible demo habitat, fictitious and deterministic from a seed, written through the store."""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, fields
from datetime import date, time, timedelta
from pathlib import Path

import sqlite_utils
import yaml

from habitat import clock
from habitat.demo.draft import french_date, plain_ascii, years_before
from habitat.demo.journal import Journal
from habitat.demo.life import CollectiveLife
from habitat.demo.material import (
    ANIMATOR_HOURS_PER_WEEK,
    DISABILITY_CARE,
    DWELLINGS,
    ELDERLY_HEAVY,
    ELDERLY_LIGHT,
    HAD_VISIT,
    HOUSE_RULES,
    PVSP_TEXTS,
    REVIEW_SUMMARIES,
    SPACES,
    CarePattern,
    provider_specs,
)
from habitat.demo.people import (
    FOUNDERS,
    LEVELS,
    NEWCOMER_PUBLICS,
    Generation,
    Kin,
    Person,
    Profile,
    Ties,
    entry_order,
)
from habitat.domain import Public
from habitat.scenario import AnimatorSpec, HabitatSpec, PopulationGenerator, ResidentsSpec, Scenario
from habitat.store.db import connect, transaction
from habitat.store.entities import (
    RECORDS,
    Account,
    AvpNeed,
    Carer,
    CommonSpace,
    Dwelling,
    EntryMode,
    ExceptionKind,
    ExitReason,
    Habitat,
    HouseRule,
    Intervention,
    LiaisonSheet,
    PartnerKind,
    Partnership,
    PlanNeed,
    PlanReview,
    PresenceException,
    PresencePattern,
    PresenceRole,
    Provider,
    ProviderKind,
    Relation,
    ReportNarrative,
    Resident,
    RiskAgreement,
    Role,
    SavedScenario,
    ScenarioOrigin,
    SharedLifeProject,
    SupportPlan,
    TwinResult,
)
from habitat.store.errors import StoreError
from habitat.store.migrations import migrate
from habitat.store.repository import find

#: The demo's last day unless told otherwise: fixed, never today, so builds repeat.
DEFAULT_END = date(2026, 6, 30)
#: The seed used when none is given.
DEFAULT_SEED = 2026
#: The benchmark's habitat: 5 years at this scale give about 73,000 notes, 5,500
#: tensions and 80,000 attendance rows (issue 3 asks for 50,000 / 5,000 / 20,000).
BENCH_YEARS = 5
BENCH_SCALE = 10.0

#: Page cache during the load, in KiB: SQLite's default 2 MB spills a years-long
#: transaction to disk over and over; 256 MB makes the benchmark build a third faster.
_BULK_CACHE_KIB = 262_144


#: The liaison sheets' plausible, fictional contents.
_GPS = ("Dr Sandrine Perrin", "Dr Marc Giraud", "Dr Hélène Bouchet")
_TREATMENTS = (
    "Pilulier préparé par l'infirmière (traitement pour la tension, le matin).",
    "Traitement pour le diabète, matin et soir ; insuline gérée par l'infirmière.",
    "Traitement au long cours suivi par le CMP ; rendez-vous mensuel.",
    None,
)
_ALLERGIES = ("Aucune connue de l'équipe.", "Pénicilline.", "Arachides.", None)
_USUAL_LIVES = (
    "Se lève vers 7 h, aime le café noir ; se déplace avec une canne.",
    "Aime la radio le matin et la marche au jardin ; rassuré par la présence d'un proche.",
    "A besoin de repères fixes : repas à heure régulière, sa couverture bleue.",
    "Lunettes et appareil auditif ; préfère qu'on lui parle lentement, de face.",
)


_TREATMENTS = (
    "Pilulier préparé par l'infirmière (traitement pour la tension, le matin).",
    "Traitement pour le diabète, matin et soir ; insuline gérée par l'infirmière.",
    "Traitement au long cours suivi par le CMP ; rendez-vous mensuel.",
    None,
)
_ALLERGIES = ("Aucune connue de l'équipe.", "Pénicilline.", "Arachides.", None)
_USUAL_LIVES = (
    "Se lève vers 7 h, aime le café noir ; se déplace avec une canne.",
    "Aime la radio le matin et la marche au jardin ; rassuré par la présence d'un proche.",
    "A besoin de repères fixes : repas à heure régulière, sa couverture bleue.",
    "Lunettes et appareil auditif ; préfère qu'on lui parle lentement, de face.",
)


_ALLERGIES = ("Aucune connue de l'équipe.", "Pénicilline.", "Arachides.", None)
_USUAL_LIVES = (
    "Se lève vers 7 h, aime le café noir ; se déplace avec une canne.",
    "Aime la radio le matin et la marche au jardin ; rassuré par la présence d'un proche.",
    "A besoin de repères fixes : repas à heure régulière, sa couverture bleue.",
    "Lunettes et appareil auditif ; préfère qu'on lui parle lentement, de face.",
)


_USUAL_LIVES = (
    "Se lève vers 7 h, aime le café noir ; se déplace avec une canne.",
    "Aime la radio le matin et la marche au jardin ; rassuré par la présence d'un proche.",
    "A besoin de repères fixes : repas à heure régulière, sa couverture bleue.",
    "Lunettes et appareil auditif ; préfère qu'on lui parle lentement, de face.",
)


def _demo_phone(rng: random.Random) -> str:
    return "06 " + " ".join(f"{rng.randint(10, 99)}" for _ in range(4))


class NotEmpty(StoreError):  # noqa: N818 - reads as what happened, like the store's errors
    """The database already holds records: the demo is only written into an empty one."""

    def __init__(self, path: str, rows: int, table: str):
        super().__init__(
            f"{path}: already holds records ({rows} in {table}); "
            "the demo habitat is only written into an empty database"
        )
        self.message_fr = (
            "La base contient déjà des données : l'habitat de démonstration "
            "ne s'installe que dans une base vide."
        )


@dataclass(frozen=True)
class DemoSummary:
    """Rows per entity table after a demo build (residents who left included)."""

    habitat: int = 0
    common_space: int = 0
    dwelling: int = 0
    shared_life_project: int = 0
    house_rule: int = 0
    resident: int = 0
    liaison_sheet: int = 0
    carer: int = 0
    provider: int = 0
    support_plan: int = 0
    plan_need: int = 0
    intervention: int = 0
    risk_agreement: int = 0
    plan_review: int = 0
    activity: int = 0
    attendance: int = 0
    registration: int = 0
    booking: int = 0
    presence_shift: int = 0
    presence_pattern: int = 0
    presence_exception: int = 0
    liaison_note: int = 0
    tension: int = 0
    council_meeting: int = 0
    council_decision: int = 0
    partnership: int = 0
    report_narrative: int = 0
    time_entry: int = 0
    account: int = 0
    saved_scenario: int = 0
    twin_result: int = 0
    habitat_calibration: int = 0
    avp_need: int = 0

    @classmethod
    def count(cls, db: sqlite_utils.Database) -> DemoSummary:
        """Count the rows of each table in a database.

        Args:
            db: an open connection.

        Returns:
            The counts, one field per entity table.
        """
        return cls(
            **{
                f.name: db.execute(f"SELECT COUNT(*) FROM {f.name}").fetchone()[0]
                for f in fields(cls)
            }
        )

    def as_dict(self) -> dict[str, int]:
        """The counts by table name."""
        return asdict(self)

    @property
    def total(self) -> int:
        """Rows written in all entity tables."""
        return sum(self.as_dict().values())

    def __str__(self) -> str:
        return (
            f"{self.resident} residents, {self.carer} carers, {self.provider} providers, "
            f"{self.activity} activities, {self.attendance} attendance rows, "
            f"{self.liaison_note} notes, {self.tension} tensions, "
            f"{self.council_meeting} council meetings, {self.time_entry} time entries"
        )


def build(
    path: str | Path,
    *,
    seed: int = DEFAULT_SEED,
    years: int = 1,
    scale: float = 1.0,
    end: date | None = None,
    actor: str = "demo",
) -> DemoSummary:
    """Create (or migrate) the database file and write the demo habitat into it.

    Args:
        path: the SQLite file; created if missing.
        seed: the random seed; the same seed gives the same records.
        years: years of history, ending on `end`.
        scale: multiplies the volumes of notes, tensions and activities
            (`BENCH_SCALE` with `BENCH_YEARS` gives the benchmark's habitat).
        end: the last day of the history (default `DEFAULT_END`).
        actor: who the audit log says wrote the records.

    Returns:
        The rows written per table.

    Raises:
        NotEmpty: the database already holds records (nothing written).
    """
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with connect(path) as db:
        migrate(db)
        summary = populate(db, seed=seed, years=years, end=end, scale=scale, actor=actor)
        db.execute("ANALYZE")  # planner statistics after a bulk load
        return summary


def populate(
    db: sqlite_utils.Database,
    *,
    seed: int = DEFAULT_SEED,
    years: int = 1,
    end: date | None = None,
    scale: float = 1.0,
    actor: str = "demo",
) -> DemoSummary:
    """Write a plausible habitat into an empty database, in one transaction.

    "La Maison des Tilleuls" (or a sister house, by seed): 8 dwellings, an AVP
    agreement, common spaces, house rules, a shared-life project in two versions;
    8 residents of mixed publics (4 elderly people GIR 2-5, and motor, psychic,
    intellectual and autism disabilities), some entered by default; their carers
    (two families carry most of the hours; one resident has only a friend as
    emergency contact, one has nobody, for the dashboard's alert); providers of
    every kind, the residents' own and the habitat's; a support plan each, with
    needs, interventions (own and habitat providers sometimes overlapping), risk
    agreements (some due for review) and reviews; then, day by day, activities
    and attendance (one resident clearly left out), bookings without clashes, the
    collective-presence rota (with gaps), liaison notes, tensions of the six
    kinds (most closed), monthly council meetings and decisions, and the
    animator's time by support function. Over several years residents leave
    (date and reason) and newcomers take their dwelling, never more than 8
    present; the last 12 months have no departure. As in a real habitat, the
    rota, activities and bookings are planned `PLANNED_AHEAD_DAYS` past `end`
    and the next council meeting has its agenda.

    Every value comes from `random.Random(seed)` and dates from `end`, never
    from the clock: two builds with the same arguments hold the same records
    (only the store's own timestamps, `created_at`, `updated_at` and the audit
    log's `at`, differ). Accounts (one per role) have no password hash: the app
    sets passwords. Every row goes through `add`, so is validated and audited.

    Args:
        db: an open connection to a migrated, empty database.
        seed: the random seed.
        years: years of history, ending on `end` (1 or more).
        end: the last day of the history (default `DEFAULT_END`).
        scale: multiplies the volumes of notes, tensions and activities; years=5
            at `BENCH_SCALE` gives at least 50,000 notes, 5,000 tensions and
            20,000 attendance rows.
        actor: who the audit log says wrote the records.

    Returns:
        The rows per table.

    Raises:
        NotEmpty: the database already holds records (nothing written).
        ValueError: years below 1 or a scale that is not positive.
    """
    if years < 1:
        raise ValueError(f"years: must be 1 or more, got {years}")
    if not scale > 0:
        raise ValueError(f"scale: must be positive, got {scale}")
    previous_cache = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{_BULK_CACHE_KIB}")
    try:
        with transaction(db):
            for table in RECORDS:
                rows = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                if rows:
                    raise NotEmpty(_db_name(db), rows, table)
            with clock.as_of(end or DEFAULT_END):
                _Demo(db, random.Random(seed), end or DEFAULT_END, years, scale, actor).write()
            return DemoSummary.count(db)
    finally:
        db.execute(f"PRAGMA cache_size = {previous_cache}")


def _db_name(db: sqlite_utils.Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] or ":memory:"


def _care_pattern(profile: Profile) -> CarePattern:
    if profile.public is Public.ELDERLY:
        return ELDERLY_HEAVY if (profile.gir or 6) <= 3 else ELDERLY_LIGHT
    return DISABILITY_CARE[profile.public]


# --- The builder --------------------------------------------------------------------


class _Demo(CollectiveLife, Journal):
    """Writes one habitat, section by section, drawing everything from one RNG."""

    def write(self) -> None:
        self._habitat()
        self._plan_residents()
        self._providers()
        self._store_residents()
        self._support_plans()
        self._accounts()
        self._activities()
        self._bookings()
        self._presence_rota()
        self._council()
        self._notes()
        self._tensions()
        self._time_entries()
        self._saved_scenario()
        self._report_texts()
        self._liaison_sheets()
        self._saved_forecast()
        self._saved_avp_answer()

    def _animator_half_a_year_ago(self):
        """The day the demo's animator used the twin (half a year ago) and their account.

        None when the history is too short to have used it then.
        """
        from habitat.services.access import user_of

        saved_on = self.end - timedelta(days=182)
        if saved_on < self.start + timedelta(days=91):
            return None
        animator = next(
            a for a in find(self.db, Account, "role = ?", [Role.ANIMATOR.value], order_by="id")
        )
        return saved_on, user_of(self.db, animator)

    def _saved_forecast(self) -> None:
        """A forecast of the habitat's own model, saved half a year ago to compare now.

        Run as the animator would have run it on that day (the records as they stood,
        the pseudonymised extract); its audit entry is the demo's history too.
        """
        from habitat.services import twin, twin_results

        asked = self._animator_half_a_year_ago()
        if asked is None:
            return
        saved_on, animator = asked
        with clock.as_of(saved_on):
            run = twin.forecast(self.db, animator, months=12, replications=50, seed=2026)
        record = twin_results.twin_result(self.habitat_id, run, "Prévision de l'hiver")
        self._put(TwinResult.model_validate(record))

    def _saved_avp_answer(self) -> None:
        """The AVP question asked on the same day, saved for that year's AVP report.

        Asked as the animator would have asked it (audited like the forecast).
        """
        from habitat.services import decisions, twin_results

        asked = self._animator_half_a_year_ago()
        if asked is None:
            return
        saved_on, animator = asked
        with clock.as_of(saved_on):
            answer = decisions.avp(self.db, animator, months=12, replications=50, seed=2026)
        record = twin_results.avp_need(self.habitat_id, answer, "Pour la demande d'AVP")
        self._put(AvpNeed.model_validate(record))

    def _liaison_sheets(self) -> None:
        """Most present residents' hospital liaison sheet (one has none yet).

        Drawn from an RNG of its own (seeded by the residents' pseudonyms), so the
        rest of the demo is the same with or without these sheets.
        """
        rng = random.Random("-".join(p.pseudonym for p in self.residents))
        present = [p for p in self.residents if p.exit is None]
        for person in present[:-1]:
            gp = rng.choice(_GPS)
            trusted = person.carers[0].full_name if person.carers else None
            self._put(
                LiaisonSheet(
                    resident_id=person.id,
                    trusted_person=trusted,
                    trusted_person_phone=_demo_phone(rng) if trusted else None,
                    gp=gp,
                    gp_phone="05 46" + _demo_phone(rng)[5:],
                    treatments=rng.choice(_TREATMENTS),
                    allergies=rng.choice(_ALLERGIES),
                    usual_life=rng.choice(_USUAL_LIVES),
                    updated_on=self.end - timedelta(days=rng.randint(3, 120)),
                )
            )

    def _report_texts(self) -> None:
        """Partnerships with the neighbourhood and the animator's text of the last full year.

        Drawn without the RNG (written last): the rest of the demo is unchanged.
        """
        start, end = self.start, self.end
        partners = [
            ("Médiathèque du quartier", PartnerKind.CULTURE, start + timedelta(days=60), None),
            (
                "Centre social des Tilleuls",
                PartnerKind.ASSOCIATION,
                start + timedelta(days=30),
                None,
            ),
            (
                "École élémentaire Jules-Ferry",
                PartnerKind.SCHOOL,
                start + timedelta(days=120),
                start + timedelta(days=480),
            ),
        ]
        for name, kind, started, ended in partners:
            if started <= end:
                self._put(
                    Partnership(
                        habitat_id=self.habitat_id,
                        name=name,
                        kind=kind,
                        started_on=started,
                        ended_on=ended if ended and ended <= end else None,
                    )
                )
        year = end.year - 1
        if year >= start.year:
            self._put(
                ReportNarrative(
                    habitat_id=self.habitat_id,
                    period_start=date(year, 1, 1),
                    period_end=date(year, 12, 31),
                    text=(
                        "Une année marquée par le jardin partagé et les repas du jeudi.\n"
                        "Le conseil des habitants s'est réuni chaque mois ; les tensions "
                        "sur les espaces communs ont été apaisées par une charte revue ensemble."
                    ),
                    other_spending=1800.0,
                )
            )

    def _saved_scenario(self) -> None:
        """The project as the promoter simulated it before the opening, kept to compare."""
        project = Scenario(
            name="Projet d'origine",
            description="Le projet simulé avant l'ouverture de la maison.",
            habitat=HabitatSpec(dwellings=DWELLINGS, avp_per_resident_eur=7_500.0),
            residents=ResidentsSpec(
                generate=PopulationGenerator(count=DWELLINGS, share_elderly=0.5)
            ),
            animator=AnimatorSpec(hours_per_week=ANIMATOR_HOURS_PER_WEEK),
        )
        text = yaml.safe_dump(
            project.model_dump(mode="json", exclude_none=True), allow_unicode=True, sort_keys=False
        )
        self._put(
            SavedScenario(
                habitat_id=self.habitat_id,
                name=project.name,
                origin=ScenarioOrigin.FORM,
                as_of=self.start,
                seed=2026,
                replications=100,
                scenario_yaml=text,
            )
        )

    def _habitat(self) -> None:
        town, start = self.town, self.start
        avp_start = start.replace(day=1)
        self.habitat_id = self._put(
            Habitat(
                name=town.habitat,
                host_organisation=town.host,
                address=f"{town.street}, {town.postcode} {town.name}",
                dwellings=DWELLINGS,
                avp_amount_per_resident=7_500.0,
                avp_tier="Palier 2 : projet de vie sociale et partagée soutenu (7 500 €)",
                avp_start=avp_start,
                avp_end=years_before(avp_start, -7) - timedelta(days=1),
                animator_hours_per_week=ANIMATOR_HOURS_PER_WEEK,
                presence_from=time(8, 0),
                presence_to=time(21, 0),
            )
        )
        for number in range(1, DWELLINGS + 1):
            self._put(Dwelling(habitat_id=self.habitat_id, name=f"Logement {number}"))
        # The evening visit of the night watch, after the presence hours: the weekly
        # pattern's example (it leaves the day's gaps as the dated shifts make them).
        nights = [
            self._put(
                PresencePattern(
                    habitat_id=self.habitat_id,
                    person="Veille de nuit mutualisée",
                    role=PresenceRole.NIGHT_WATCH,
                    weekday=weekday,
                    starts=time(21, 0),
                    ends=time(23, 30),
                )
            )
            for weekday in range(7)
        ]
        christmas = date(start.year, 12, 24)
        self._put(
            PresenceException(
                habitat_id=self.habitat_id,
                day=christmas,
                kind=ExceptionKind.CANCEL,
                pattern_id=nights[christmas.weekday()],
                reason="Réveillon avec les familles",
            )
        )
        for key, name, capacity in SPACES:
            self.spaces[key] = self._put(
                CommonSpace(habitat_id=self.habitat_id, name=name, capacity=capacity)
            )
        board = f"Conseil d'administration de l'{town.host[0].lower()}{town.host[1:]}"
        opening = start - timedelta(days=60)
        self._put(
            SharedLifeProject(
                habitat_id=self.habitat_id,
                number=1,
                text=PVSP_TEXTS[0].format(habitat=town.habitat, host=town.host),
                adopted_on=opening,
                adopted_by=f"{board} et futurs habitants",
            )
        )
        second = self.second_project
        self._put(
            SharedLifeProject(
                habitat_id=self.habitat_id,
                number=2,
                text=PVSP_TEXTS[1].format(habitat=town.habitat),
                adopted_on=second,
                adopted_by=f"Conseil des habitants du {french_date(second)}",
            )
        )
        for n, (title, text) in enumerate(HOUSE_RULES):
            later = n >= len(HOUSE_RULES) - 2
            adopted = self.rng.choice(self.council_days[1:-1]) if later else opening
            self._put(
                HouseRule(
                    habitat_id=self.habitat_id,
                    title=title,
                    text=text,
                    adopted_on=adopted,
                    adopted_by="Conseil des habitants" if later else board,
                )
            )

    def _person(self, profile: Profile, dwelling: int, entry: date) -> Person:
        rng = self.rng
        female = rng.random() < (0.65 if profile.public is Public.ELDERLY else 0.45)
        elderly = profile.public is Public.ELDERLY
        while True:
            first, last = self._name(female, Generation.OLD if elderly else Generation.YOUNG)
            if first not in self.first_names:
                self.first_names.add(first)
                break
        born = rng.randint(1932, 1947) if elderly else rng.randint(1966, 2001)
        low, high = max(0.02, profile.propensity - 0.05), min(0.95, profile.propensity + 0.05)
        return Person(
            profile=profile,
            female=female,
            first_name=first,
            last_name=last,
            birth_year=born,
            dwelling=dwelling,
            entry=entry,
            pseudonym=self._pseudonym(),
            propensity=rng.uniform(low, high),
        )

    def _newcomer_profile(self) -> Profile:
        rng = self.rng
        public = rng.choice(NEWCOMER_PUBLICS)
        ties = rng.choices((Ties.SOME, Ties.PILLAR, Ties.FRIEND_ONLY), (85, 10, 5))[0]
        mode = EntryMode.DEFAULT if rng.random() < 0.3 else EntryMode.CHOSEN
        propensity = rng.uniform(0.35, 0.85)
        if public is Public.ELDERLY:
            gir = rng.choice((2, 3, 3, 4, 4, 5, 6))
            return Profile(public, gir=gir, entry_mode=mode, ties=ties, propensity=propensity)
        level = rng.choice(LEVELS)
        return Profile(
            public, support_level=level, entry_mode=mode, ties=ties, propensity=propensity
        )

    def _plan_residents(self) -> None:
        """The founders move in over six weeks; then departures and newcomers."""
        rng = self.rng
        dwellings = list(range(1, DWELLINGS + 1))
        rng.shuffle(dwellings)
        for profile, dwelling in zip(FOUNDERS, dwellings, strict=True):
            entry = self.start + timedelta(days=rng.randint(0, 42))
            self.residents.append(self._person(profile, dwelling, entry))
        last_departure = self.end - timedelta(days=365)
        departures = sorted(
            self.start + timedelta(days=365 * year + rng.randint(0, 364))
            for year in range(self.years - 1)
            for _ in range(rng.choice((1, 1, 2, 2, 3)))
        )
        for day in departures:
            if day > last_departure:
                continue
            leaving = [
                p for p in self._present(day) if not p.profile.stays and (day - p.entry).days >= 180
            ]
            if not leaving:
                continue
            person = rng.choice(leaving)
            person.exit = day
            person.exit_reason = self._exit_reason(person.profile)
            entry = day + timedelta(days=rng.randint(21, 90))
            if entry < self.end:
                newcomer = self._person(self._newcomer_profile(), person.dwelling, entry)
                self.residents.append(newcomer)
        self.residents.sort(key=entry_order)
        for person in self.residents:
            self._family(person)

    def _exit_reason(self, profile: Profile) -> ExitReason:
        if profile.public is Public.ELDERLY:
            reasons = (ExitReason.DEATH, ExitReason.INSTITUTION, ExitReason.HOSPITAL)
            return self.rng.choices((*reasons, ExitReason.FAMILY), (40, 35, 15, 10))[0]
        reasons = (ExitReason.OWN_HOME, ExitReason.FAMILY, ExitReason.INSTITUTION)
        return self.rng.choices((*reasons, ExitReason.OTHER), (40, 25, 20, 15))[0]

    def _family(self, person: Person) -> None:
        rng, profile = self.rng, person.profile
        if profile.ties is Ties.NOBODY:
            return
        if profile.ties is Ties.FRIEND_ONLY:
            female = rng.random() < 0.6
            first, last = self._name(female, Generation.OLD)
            who = "voisine et amie" if female else "voisin et ami"
            person.emergency_contact = f"{first} {last} ({who}) : {self._phone(mobile=True)}"
            return
        elderly = profile.public is Public.ELDERLY
        if elderly:
            relations = (Relation.CHILD, Relation.GRANDCHILD, Relation.OTHER_FAMILY)
            weights = (70, 20, 10)
        else:
            relations = (Relation.PARENT, Relation.SIBLING, Relation.LEGAL_GUARDIAN)
            weights = (60, 30, 10)
        count = 2 if profile.ties is Ties.PILLAR else rng.choice((1, 1, 2, 3))
        for n in range(count):
            relation = rng.choices(relations, weights)[0]
            if n == 0 and profile.ties is Ties.PILLAR:
                relation = Relation.CHILD if elderly else Relation.PARENT
            female = rng.random() < 0.6
            if relation is Relation.PARENT and any(k.relation is relation for k in person.carers):
                female = not next(k.female for k in person.carers if k.relation is relation)
            young = relation in (Relation.GRANDCHILD, Relation.SIBLING)
            generation = Generation.YOUNG if young else Generation.MIDDLE
            first, last = self._name(female, generation)
            if relation in (Relation.PARENT, Relation.SIBLING) or rng.random() < 0.4:
                last = person.last_name
            if n == 0 and profile.ties is Ties.PILLAR:
                hours = rng.choice((10.0, 12.0, 14.0))
            else:
                hours = rng.choice((0.5, 1.0, 1.0, 2.0, 3.0))
            consent = profile.consents and (n == 0 or rng.random() < 0.6)
            person.carers.append(Kin(first, last, relation, female, consent, hours))
        main = person.carers[0]
        contact = f"{main.full_name} ({main.relation_fr}) : {self._phone(mobile=True)}"
        person.emergency_contact = contact

    def _providers(self) -> None:
        for spec in provider_specs(self.town):
            phone = self._phone(mobile=spec.kind is ProviderKind.GP)
            if spec.kind is ProviderKind.GP:
                female = self.rng.random() < 0.5
                first, last = self._name(female, Generation.MIDDLE)
                name = f"Dr {first} {last}, médecin traitant"
                contact = f"Dr {last}"
                email = None
            else:
                name = spec.name
                first, last = self._name(self.rng.random() < 0.7, Generation.MIDDLE)
                contact = f"{first} {last}"
                email = f"contact@{plain_ascii(spec.key)}.example.org"
            provider_id = self._put(
                Provider(
                    habitat_id=self.habitat_id,
                    name=name,
                    kind=spec.kind,
                    arrangement=spec.arrangement,
                    contact_name=contact,
                    phone=phone,
                    email=email,
                    address=f"{self.rng.randint(1, 60)} rue de la République, "
                    f"{self.town.postcode} {self.town.name}",
                    services=spec.services,
                    finess=self._finess() if spec.registered else None,
                )
            )
            self.providers[spec.key] = (provider_id, name)

    def _store_residents(self) -> None:
        for person in self.residents:
            profile = person.profile
            person.id = self._put(
                Resident(
                    habitat_id=self.habitat_id,
                    pseudonym=person.pseudonym,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    birth_year=person.birth_year,
                    public=profile.public,
                    gir=profile.gir,
                    support_level=profile.support_level,
                    dwelling=f"Logement {person.dwelling}",
                    emergency_contact=person.emergency_contact,
                    entry_date=person.entry,
                    entry_mode=profile.entry_mode,
                    exit_date=person.exit,
                    exit_reason=person.exit_reason,
                )
            )
            for kin in person.carers:
                first, last = plain_ascii(kin.first_name), plain_ascii(kin.last_name)
                kin.id = self._put(
                    Carer(
                        resident_id=person.id,
                        first_name=kin.first_name,
                        last_name=kin.last_name,
                        relation=kin.relation,
                        phone=self._phone(mobile=True),
                        email=f"{first}.{last}@example.org" if self.rng.random() < 0.7 else None,
                        does_care=kin.hours >= 1.0,
                        does_management=kin.hours >= 2.0 or self.rng.random() < 0.3,
                        does_governance=kin.hours >= 10.0 or self.rng.random() < 0.15,
                        usual_hours_per_week=kin.hours,
                        consent_to_share=kin.consent,
                        consent_date=person.entry if kin.consent else None,
                    )
                )

    def _support_plans(self) -> None:
        rng = self.rng
        for person in self.residents:
            pattern = _care_pattern(person.profile)
            last_day = min(self.end, person.exit or self.end)
            started = min(person.entry + timedelta(days=rng.randint(7, 30)), last_day)
            reviews = []
            due = started + timedelta(days=182)
            while due <= last_day:
                reviews.append(due)
                due += timedelta(days=182)
            if reviews and person.exit is None and rng.random() < 0.25:
                due = reviews.pop()  # overdue: the dashboard shows it
            situation = {"e": "e" if person.female else ""}
            plan_id = self._put(
                SupportPlan(
                    resident_id=person.id,
                    started_on=started,
                    review_due=due,
                    preferences=rng.choice(pattern.preferences).format(**situation),
                )
            )
            for need in pattern.needs:
                self._put(
                    PlanNeed(
                        plan_id=plan_id,
                        domain=need.domain,
                        intensity=need.intensity,
                        description=need.text,
                    )
                )
            visits = list(pattern.visits)
            if person.profile.gir == 2:
                visits.append(HAD_VISIT)
            for visit in visits:
                person.providers.append(visit.provider)
                self._put(
                    Intervention(
                        plan_id=plan_id,
                        provider_id=self.providers[visit.provider][0],
                        weekdays=list(visit.weekdays),
                        start_time=visit.start,
                        end_time=visit.end,
                        task=visit.task,
                    )
                )
            gp = next((key for key in person.providers if key.startswith("gp")), "gp_a")
            gp_name = self.providers[gp][1].split(",")[0]
            signatories = [person.full_name, f"{' '.join(self.animator)} (animatrice)", gp_name]
            if person.carers:
                signatories.insert(
                    1, f"{person.carers[0].full_name} ({person.carers[0].relation_fr})"
                )
            for what in rng.sample(pattern.risks, k=min(2, len(pattern.risks))):
                agreed = min(started + timedelta(days=rng.randint(0, 60)), last_day)
                every = timedelta(days=rng.choice((91, 182, 273, 365)))
                renewals: list[date] = []
                while agreed + every * (len(renewals) + 1) <= last_day:
                    renewals.append(agreed + every * (len(renewals) + 1))
                if renewals and rng.random() < 0.75:
                    agreed = renewals[-1]  # renewed on time; else overdue for review
                elif len(renewals) > 1:
                    agreed = renewals[-2]
                self._put(
                    RiskAgreement(
                        plan_id=plan_id,
                        what=what.format(**situation),
                        agreed_by=signatories,
                        agreed_on=agreed,
                        review_on=agreed + every,
                    )
                )
            for reviewed in reviews:
                self._put(
                    PlanReview(
                        plan_id=plan_id,
                        reviewed_on=reviewed,
                        reviewed_by=f"{' '.join(self.animator)}, {person.full_name}",
                        summary=rng.choice(REVIEW_SUMMARIES).format(r=person.called),
                    )
                )

    def _accounts(self) -> None:
        taken: set[str] = set()

        def username(first: str, last: str) -> str:
            base = f"{plain_ascii(first)[:1]}.{plain_ascii(last)}"[:36]
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base}{n}"
            taken.add(name)
            return name

        animator, host = self.animator, self.host_director
        self.accounts["animator"] = self._put(
            Account(
                username=username(*animator), display_name=" ".join(animator), role=Role.ANIMATOR
            )
        )
        self.accounts["host"] = self._put(
            Account(username=username(*host), display_name=" ".join(host), role=Role.HOST)
        )
        saad_id, saad_name = self.providers["saad_habitat"]
        self.accounts["provider"] = self._put(
            Account(
                username=username("saad", self.town.name),
                display_name=f"Équipe {saad_name}",
                role=Role.PROVIDER,
                provider_id=saad_id,
            )
        )
        for person in self.residents:
            if person.profile.account is Role.FAMILY:
                kin = person.carers[0]
                self.family_author = (kin, person)
                self.accounts["family"] = self._put(
                    Account(
                        username=username(kin.first_name, kin.last_name),
                        display_name=kin.full_name,
                        role=Role.FAMILY,
                        resident_id=person.id,
                    )
                )
            elif person.profile.account is Role.RESIDENT:
                self.accounts["resident"] = self._put(
                    Account(
                        username=username(person.first_name, person.last_name),
                        display_name=person.full_name,
                        role=Role.RESIDENT,
                        resident_id=person.id,
                    )
                )
        # A project promoter of a sister house: explores scenarios, sees nobody's data.
        self.accounts["promoter"] = self._put(
            Account(
                username=username("porteur", self.town.name),
                display_name="Porteur de projet",
                role=Role.PROMOTER,
            )
        )
