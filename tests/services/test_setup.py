"""The set-up of a real habitat, step by step, from an empty database."""

from __future__ import annotations

from datetime import date, time

import pytest

from habitat import store
from habitat.services import setup
from habitat.services.access import Forbidden, User
from habitat.store.entities import Dwelling, Habitat, PresencePattern, Resident, Role
from habitat.store.queries import dashboard

HABITAT = {"name": "La Maison des Tilleuls", "host_organisation": "Asso Vivre", "address": "1 rue"}


def _user(role: Role = Role.ANIMATOR) -> User:
    return User(1, "c.martin", "Claire Martin", role, None)


@pytest.fixture
def empty_db(tmp_path):
    path = tmp_path / "habitat.db"
    store.init(path)
    with store.connect(path) as db:
        yield db


@pytest.fixture
def animator():
    return _user()


def _set_up(db, user, dwellings: int = 8):
    setup.save_habitat(db, user, {**HABITAT, "dwellings": dwellings})
    setup.save_dwellings(db, user, setup.default_dwelling_names(dwellings))
    setup.save_spaces(db, user, [{"name": "Cuisine", "capacity": 10}, {"name": "Jardin"}])
    setup.save_avp(
        db,
        user,
        {"avp_amount_per_resident": 7500, "avp_tier": "Palier 2", "avp_start": "2026-01-01"},
    )
    setup.save_project(
        db, user, {"text": "Vivre ensemble.", "adopted_on": "2026-01-05", "adopted_by": "Asso"}
    )
    setup.add_patterns(
        db,
        user,
        {"person": "Claire Martin", "role": "animator", "starts": "09:00", "ends": "17:00"},
        [0, 1, 2, 3, 4],
    )


def test_an_empty_database_has_every_step_to_do(empty_db):
    progress = setup.progress(empty_db)
    assert progress.habitat is None and not progress.complete
    assert progress.next_step == "habitat"


def test_each_step_saved_then_resumed_until_complete(empty_db, animator):
    setup.save_habitat(empty_db, animator, {**HABITAT, "dwellings": 8})
    assert setup.progress(empty_db).next_step == "dwellings"
    setup.save_dwellings(empty_db, animator, setup.default_dwelling_names(8))
    assert setup.progress(empty_db).next_step == "spaces"
    _set_up(empty_db, animator)  # saving again changes nothing twice
    progress = setup.progress(empty_db)
    assert progress.complete and progress.next_step is None
    assert [d.name for d in progress.dwellings] == [f"Logement {n}" for n in range(1, 9)]
    assert len(store.find(empty_db, Habitat)) == 1  # no duplicate habitat
    assert len(progress.spaces) == 2
    assert progress.project.number == 1
    assert len(progress.patterns) == 5


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({**HABITAT, "name": "", "dwellings": 8}, "name", "vide"),
        ({**HABITAT, "dwellings": 0}, "dwellings", "supérieur ou égal à 1"),
        ({**HABITAT, "dwellings": "huit"}, "dwellings", "nombre entier"),
        ({"name": "X", "address": "1 rue", "dwellings": 8}, "host_organisation", "obligatoire"),
        ({**HABITAT, "address": "a\x00b", "dwellings": 8}, "address", "caractère"),
    ],
)
def test_bad_habitat_field_is_named_in_french(empty_db, animator, data, field, words):
    with pytest.raises(store.InvalidRecord) as refused:
        setup.save_habitat(empty_db, animator, data)
    assert words in refused.value.by_field()[field]
    assert setup.progress(empty_db).habitat is None


@pytest.mark.parametrize(
    ("names", "words"),
    [
        ([], "au moins un logement"),
        (["Logement 1", ""], "ligne 2 : le nom est vide"),
        (["A", "A"], "ligne 2 : « A » est déjà dans la liste"),
        ([f"L{n}" for n in range(31)], "au plus 30"),
        ("Logement 1", "doit être une liste"),
    ],
)
def test_bad_dwellings_are_refused(empty_db, animator, names, words):
    setup.save_habitat(empty_db, animator, {**HABITAT, "dwellings": 2})
    with pytest.raises(store.InvalidRecord) as refused:
        setup.save_dwellings(empty_db, animator, names)
    assert words in refused.value.by_field()["dwelling_names"]
    assert store.find(empty_db, Dwelling) == []


def test_dwellings_before_the_habitat_say_so(empty_db, animator):
    with pytest.raises(store.InvalidRecord) as refused:
        setup.save_dwellings(empty_db, animator, ["Logement 1"])
    assert "enregistrez d'abord l'habitat" in refused.value.message_fr


@pytest.mark.parametrize(
    ("spaces", "words"),
    [
        ([], "au moins un espace"),
        ([{"name": ""}], "ligne 1 : Nom ne peut pas être vide"),
        ([{"name": "Cuisine", "capacity": 0}], "ligne 1 : Capacité doit être supérieur"),
        ([{"name": "Cuisine"}, {"name": "Cuisine"}], "ligne 2 : « Cuisine » est déjà nommé"),
    ],
)
def test_bad_spaces_are_refused(empty_db, animator, spaces, words):
    setup.save_habitat(empty_db, animator, {**HABITAT, "dwellings": 2})
    with pytest.raises(store.InvalidRecord) as refused:
        setup.save_spaces(empty_db, animator, spaces)
    assert words in refused.value.by_field()["spaces"]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (
            {"avp_amount_per_resident": 0, "avp_start": "2026-01-01"},
            "avp_amount_per_resident",
            "montant",
        ),
        (
            {"avp_amount_per_resident": 20000, "avp_start": "2026-01-01"},
            "avp_amount_per_resident",
            "inférieur",
        ),
        ({"avp_amount_per_resident": 5000}, "avp_start", "début"),
        (
            {"avp_amount_per_resident": 5000, "avp_start": "2026-01-01", "avp_end": "2025-01-01"},
            "avp_end",
            "finit avant de commencer",
        ),
        ({"avp_amount_per_resident": 5000, "avp_start": "demain"}, "avp_start", "date valide"),
    ],
)
def test_bad_avp_agreement_is_refused(empty_db, animator, data, field, words):
    setup.save_habitat(empty_db, animator, {**HABITAT, "dwellings": 2})
    with pytest.raises(store.InvalidRecord) as refused:
        setup.save_avp(empty_db, animator, data)
    assert words in refused.value.by_field()[field]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": "", "adopted_on": "2026-01-01", "adopted_by": "Asso"}, "text"),
        ({"text": "Vivre", "adopted_on": "hier", "adopted_by": "Asso"}, "adopted_on"),
        ({"text": "Vivre", "adopted_on": "2026-01-01"}, "adopted_by"),
    ],
)
def test_bad_project_is_refused(empty_db, animator, data, field):
    setup.save_habitat(empty_db, animator, {**HABITAT, "dwellings": 2})
    with pytest.raises(store.InvalidRecord) as refused:
        setup.save_project(empty_db, animator, data)
    assert field in refused.value.by_field()


@pytest.mark.parametrize(
    ("slot", "days", "field"),
    [
        ({"person": "Léa", "role": "animator", "starts": "09:00", "ends": "08:00"}, [0], "ends"),
        ({"person": "", "role": "animator", "starts": "09:00", "ends": "10:00"}, [0], "person"),
        ({"person": "Léa", "role": "chef", "starts": "09:00", "ends": "10:00"}, [0], "role"),
        ({"person": "Léa", "role": "animator", "starts": "9h", "ends": "10:00"}, [0], "starts"),
        ({"person": "Léa", "role": "animator", "starts": "09:00", "ends": "10:00"}, [], "weekday"),
        ({"person": "Léa", "role": "animator", "starts": "09:00", "ends": "10:00"}, [7], "weekday"),
    ],
)
def test_bad_weekly_slot_is_refused(empty_db, animator, slot, days, field):
    setup.save_habitat(empty_db, animator, {**HABITAT, "dwellings": 2})
    with pytest.raises(store.InvalidRecord) as refused:
        setup.add_patterns(empty_db, animator, slot, days)
    assert field in refused.value.by_field()
    assert store.find(empty_db, PresencePattern) == []


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ANIMATOR])
def test_only_the_animator_sets_up(empty_db, role):
    with pytest.raises(Forbidden) as refused:
        setup.save_habitat(empty_db, _user(role), {**HABITAT, "dwellings": 2})
    assert "animateur" in refused.value.message_fr
    assert setup.progress(empty_db).habitat is None


def test_the_week_is_pattern_plus_exceptions_plus_dated_shifts_and_gaps_follow(empty_db, animator):
    _set_up(empty_db, animator)
    habitat = setup.current_habitat(empty_db)
    monday = date(2026, 11, 30)
    week = setup.week(empty_db, habitat.id, date(2026, 12, 2))
    assert week.monday == monday
    assert len(week.slots) == 5
    # 8h-21h expected, 9h-17h covered on weekdays: 5 h a weekday, 13 h a weekend day.
    assert week.gap_hours == pytest.approx(5 * 5 + 2 * 13)
    tuesday = setup.progress(empty_db).patterns[1]
    setup.add_exception(
        empty_db,
        animator,
        {"day": "2026-12-01", "kind": "cancel", "pattern_id": tuesday.id, "reason": "Formation"},
    )
    setup.add_exception(
        empty_db,
        animator,
        {
            "day": "2026-12-05",
            "kind": "add",
            "person": "Famille Durand",
            "role": "family",
            "starts": "14:00",
            "ends": "18:00",
        },
    )
    week = setup.week(empty_db, habitat.id, monday)
    assert len(week.slots) == 5
    assert week.gap_hours == pytest.approx(5 * 5 + 2 * 13 + 8 - 4)
    board = dashboard(empty_db, habitat.id, monday)
    assert sum(g.hours for g in board.gaps_week) == pytest.approx(week.gap_hours)
    assert [s.person for s in board.shifts_today] == ["Claire Martin"]


def test_a_cancelled_slot_must_be_on_that_weekday(empty_db, animator):
    _set_up(empty_db, animator)
    monday_slot = setup.progress(empty_db).patterns[0]
    with pytest.raises(store.InvalidRecord) as refused:
        setup.add_exception(
            empty_db,
            animator,
            {"day": "2026-12-01", "kind": "cancel", "pattern_id": monday_slot.id},
        )
    assert "lundi, pas le mardi" in refused.value.by_field()["pattern_id"]


def test_an_added_slot_needs_its_person_and_times(empty_db, animator):
    _set_up(empty_db, animator)
    with pytest.raises(store.InvalidRecord) as refused:
        setup.add_exception(empty_db, animator, {"day": "2026-12-01", "kind": "add"})
    assert "obligatoire" in refused.value.by_field()["person"]


def test_dwellings_in_use_cannot_be_removed_or_fewer_than_residents(empty_db, animator):
    _set_up(empty_db, animator, dwellings=2)
    store.create(
        empty_db,
        "t",
        Resident,
        {
            "habitat_id": 1,
            "first_name": "Jeanne",
            "last_name": "Roux",
            "public": "elderly",
            "gir": 4,
            "dwelling": "Logement 2",
            "entry_date": "2026-01-10",
        },
    )
    with pytest.raises(store.InvalidRecord) as refused:
        setup.save_dwellings(empty_db, animator, ["Logement 1"])
    assert "« Logement 2 » est occupé" in refused.value.by_field()["dwelling_names"]
    setup.save_dwellings(empty_db, animator, ["Logement 2", "Studio"])
    assert setup.free_dwellings(empty_db, 1) == ["Studio"]
    assert store.get(empty_db, Habitat, 1).dwellings == 2


def test_the_dwelling_count_follows_the_named_dwellings(empty_db, animator):
    _set_up(empty_db, animator, dwellings=3)
    with pytest.raises(store.InvalidRecord) as refused:
        setup.save_habitat(empty_db, animator, {"dwellings": 5})
    assert "Les logements" in refused.value.by_field()["dwellings"]
    setup.save_dwellings(empty_db, animator, setup.default_dwelling_names(5))
    assert store.get(empty_db, Habitat, 1).dwellings == 5
    assert store.get(empty_db, Habitat, 1).presence_from == time(8, 0)
