"""Et si...: the habitat's scenario holds no person, shocks on the same seeds, saved and audited."""

from __future__ import annotations

from datetime import date

import pytest

from habitat import demo, store
from habitat.services import explore, results, what_if
from habitat.services.access import Forbidden
from habitat.services.explore import ShockChoice
from habitat.store.entities import Resident, Role, SavedScenario

from ..store.test_gdpr import _identifying_strings

AS_OF = demo.DEFAULT_END


def test_the_habitat_scenario_holds_no_name_contact_note_or_birth_year(demo_conn, users):
    built = what_if.from_records(demo_conn, users[Role.ANIMATOR], AS_OF)
    texts = [
        results.scenario_yaml(built.scenario, 1, 10),
        repr(built.taken),
        repr(built.residents),
    ]
    identifying = _identifying_strings(demo_conn)
    assert len(identifying) > 100
    for text in texts:
        leaked = [value for value in identifying if value in text]
        assert not leaked, leaked[:5]
    residents = store.find(demo_conn, Resident)
    for resident in residents:
        assert str(resident.birth_year) not in texts[0]
        assert resident.pseudonym not in texts[0]  # not even the pseudonym leaves in the file
    present = [r for r in residents if r.exit_date is None or r.exit_date > AS_OF]
    assert built.scenario.residents.count == len(present)


def test_the_scenario_takes_the_records_codes_and_counts(demo_conn, users):
    built = what_if.from_records(demo_conn, users[Role.HOST], AS_OF)
    extract = built.extract
    scenario = built.scenario
    assert scenario.habitat.dwellings == extract["habitat"]["dwellings"]
    assert scenario.habitat.avp_per_resident_eur == extract["habitat"]["avp_amount_per_resident"]
    assert scenario.animator.hours_per_week == extract["habitat"]["animator_hours_per_week_planned"]
    assert scenario.policies.activities_per_week == extract["activities"]["per_week"]
    members = scenario.residents.members
    assert [m.public.value for m in members] == [r["public"] for r in extract["residents"]]
    assert sum(m.family_hours_per_week for m in members) == pytest.approx(
        sum(c["usual_hours_per_week"] or 0 for c in extract["carers"]), abs=0.5
    )
    habitat_codes = {p["code"] for p in extract["providers"] if p["arrangement"] == "habitat"}
    assert {p.name for p in scenario.providers.habitat} == habitat_codes
    items = [t.item for t in built.taken]
    assert "Logements" in items and "Non lu" in items


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.FAMILY, Role.RESIDENT, Role.PROMOTER])
def test_only_the_animator_and_the_host_build_from_the_records(demo_conn, users, role):
    with pytest.raises(Forbidden):
        what_if.from_records(demo_conn, users[role], AS_OF)


def test_shocks_against_the_baseline_on_the_same_seeds(demo_conn, users):
    baseline = what_if.from_records(demo_conn, users[Role.ANIMATOR], AS_OF).scenario.with_days(60)
    shocked = what_if.with_shocks(
        baseline, [ShockChoice("family_withdrawal", 20), ShockChoice("animator_absence", 30)]
    )
    assert shocked.residents == baseline.residents
    assert [s.kind for s in shocked.shocks] == ["family_withdrawal", "animator_absence"]
    before, after = explore.run_all([baseline, shocked], 10, 3)
    assert (before.values[:19] == after.values[:19]).all()
    assert after.per_replication()["family_withdrawals"].sum() >= 10
    with pytest.raises(explore.InvalidForm) as refusal:
        what_if.with_shocks(baseline, [ShockChoice("provider_exit", 90)])
    assert (
        "après la fin de la simulation (60 jours)" in refusal.value.by_field["shock.provider_exit"]
    )


def test_the_animator_saves_a_scenario_audited_and_runs_it_again(demo_conn, users):
    animator = users[Role.ANIMATOR]
    baseline = what_if.from_records(demo_conn, animator, AS_OF).scenario.with_days(30)
    shocked = what_if.with_shocks(baseline, [ShockChoice("animator_absence", 5)])
    record = what_if.save(
        demo_conn, animator, shocked, as_of=AS_OF, seed=4, replications=5, note="avant l'été"
    )
    assert what_if.saved(demo_conn, animator)[0].id == record.id
    assert what_if.load_saved(record) == shocked
    history = store.history(demo_conn, "saved_scenario", record.id)
    assert [(h.action, h.actor) for h in history] == [("create", animator.actor)]
    again = explore.run(what_if.load_saved(record), record.replications, record.seed)
    first = explore.run(shocked, 5, 4)
    assert (again.values == first.values).all()


@pytest.mark.parametrize("role", [Role.HOST, Role.PROVIDER, Role.PROMOTER])
def test_only_the_animator_saves(demo_conn, users, role):
    scenario = explore.scenario_from_form(explore.ProjectForm(days=30))
    before = demo_conn["saved_scenario"].count
    with pytest.raises(Forbidden):
        what_if.save(
            demo_conn, users[role], scenario, as_of=date(2026, 1, 1), seed=1, replications=1
        )
    assert demo_conn["saved_scenario"].count == before


def test_the_demo_saved_project_loads(demo_conn, users):
    saved = what_if.saved(demo_conn, users[Role.HOST])
    assert [s.name for s in saved] == ["Projet d'origine"]
    assert isinstance(saved[0], SavedScenario)
    assert what_if.load_saved(saved[0]).habitat.dwellings == 8


def _ninth_resident_in_logement_7(db):
    """A 9th resident in the 8-dwelling demo, into the occupied "Logement 7", written as a
    database from before the dwellings rule held it (the store refuses it today)."""
    columns = [c[0] for c in db.execute("SELECT * FROM resident LIMIT 1").description]
    row = dict(
        zip(
            columns,
            db.execute("SELECT * FROM resident WHERE exit_date IS NULL").fetchone(),
            strict=True,
        )
    )
    row.pop("id")
    row.update(pseudonym="H-ZZZZZZ", dwelling="Logement 7", first_name="Neuvième")
    with store.transaction(db):
        db.execute(
            f"INSERT INTO resident ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )


def test_the_store_refuses_a_ninth_resident_in_an_occupied_dwelling(demo_conn, users):
    from habitat.services import records

    first = store.find(demo_conn, Resident, "exit_date IS NULL")[0]
    data = first.model_dump(exclude={"id", "version", "archived_at", "pseudonym"})
    with pytest.raises(store.InvalidRecord) as refused:
        records.create(
            demo_conn, users[Role.ANIMATOR], Resident, {**data, "dwelling": "Logement 7"}
        )
    assert "Logement 7" in refused.value.by_field()["dwelling"]


def test_inconsistent_records_give_a_french_message_saying_what_to_fix(demo_conn, users):
    _ninth_resident_in_logement_7(demo_conn)
    with pytest.raises(what_if.InconsistentRecords) as refused:
        what_if.from_records(demo_conn, users[Role.ANIMATOR], AS_OF)
    message = refused.value.message_fr
    assert "9 habitant·es présent·es pour 8 logements" in message
    assert "« Logement 7 » est attribué à 2 habitant·es" in message
    assert "Traceback" not in message and "residents" not in message


def test_a_dwelling_added_in_the_settings_counts_in_the_habitats_scenario(demo_conn, users):
    """Nine residents in nine named dwellings, eight declared: the scenario has nine."""
    from habitat.store.entities import Dwelling

    store.create(demo_conn, "test", Dwelling, {"habitat_id": 1, "name": "Logement 9"})
    resident = next(r for r in store.find(demo_conn, Resident) if r.exit_date is None)
    data = {
        **resident.model_dump(exclude={"id", "version", "archived_at", "pseudonym"}),
        "first_name": "Aline",
        "last_name": "Neuvième",
        "dwelling": "Logement 9",
        "entry_date": AS_OF,
    }
    store.create(demo_conn, "test", Resident, data)
    built = what_if.from_records(demo_conn, users[Role.ANIMATOR], AS_OF)
    assert built.scenario.habitat.dwellings == 9
    assert built.scenario.residents.count == 9


def test_a_dwelling_lived_in_by_one_then_another_builds_the_habitat_as_it_was(demo_conn, users):
    """A resident left in spring, a newcomer took the dwelling: winter's habitat is still whole.

    The twin's backtest starts from a past day; the later resident was not there yet.
    """
    from datetime import date, timedelta

    from habitat.services import records

    leaver = next(r for r in store.find(demo_conn, Resident) if r.exit_date is None)
    records.update(
        demo_conn,
        users[Role.ANIMATOR],
        Resident,
        leaver.stored_id,
        leaver.version,
        {"exit_date": date(2026, 3, 1), "exit_reason": "own_home"},
    )
    data = leaver.model_dump(exclude={"id", "version", "archived_at", "pseudonym", "exit_date",
                                      "exit_reason"})  # fmt: skip
    newcomer = {**data, "first_name": "Aline", "last_name": "Suivante"}
    records.create(
        demo_conn, users[Role.ANIMATOR], Resident, {**newcomer, "entry_date": date(2026, 4, 1)}
    )
    winter = date(2026, 1, 15)
    built = what_if.from_records(demo_conn, users[Role.ANIMATOR], winter)
    assert built.scenario.residents.count == len(
        [r for r in store.find(demo_conn, Resident) if r.entry_date <= winter < (r.exit_date or
         winter + timedelta(days=1))]
    )  # fmt: skip
    assert built.scenario.residents.count <= built.scenario.habitat.dwellings
