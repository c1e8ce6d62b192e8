"""Need-to-know in the store: a family's note concerns its resident; one provider by name."""

from __future__ import annotations

import pytest

from habitat import store
from habitat.store.entities import Habitat, LiaisonNote, Provider, Resident
from habitat.store.migrations import m009_note_for_one_provider


def _count(db) -> tuple[int, int]:
    return (
        db.execute("SELECT COUNT(*) FROM liaison_note").fetchone()[0],
        db.execute("SELECT COUNT(*) FROM liaison_note_resident").fetchone()[0],
    )


@pytest.fixture
def two_residents(fresh_db, resident, factories) -> list[int]:
    other = store.create(fresh_db, "alice", Resident, factories["resident"](fresh_db))
    return [resident.id, other.id]


@pytest.fixture
def provider(fresh_db, habitat, factories) -> Provider:
    return store.create(fresh_db, "alice", Provider, factories["provider"](fresh_db))


def _note(factories, db, **changes):
    return {**factories["liaison_note"](db), **changes}


@pytest.mark.parametrize("concerned", [[1], [0, 1]], ids=["another", "both"])
def test_a_family_note_about_another_resident_is_refused(
    fresh_db, factories, two_residents, concerned
):
    family_of = two_residents[0]
    before = _count(fresh_db)
    data = _note(
        factories,
        fresh_db,
        audience="family",
        audience_resident_id=family_of,
        resident_ids=[two_residents[i] for i in concerned],
    )

    with pytest.raises(store.InvalidRecord) as refused:
        store.create(fresh_db, "alice", LiaisonNote, data)

    assert refused.value.by_field() == {
        "resident_ids": "une note destinée à la famille d'un habitant ne concerne que cet habitant"
    }
    assert _count(fresh_db) == before


def test_a_family_note_naming_no_resident_concerns_that_families_resident(
    fresh_db, factories, two_residents
):
    family_of = two_residents[1]
    data = _note(
        factories, fresh_db, audience="family", audience_resident_id=family_of, resident_ids=[]
    )

    note = store.create(fresh_db, "alice", LiaisonNote, data)

    assert note.resident_ids == [family_of]
    assert store.get(fresh_db, LiaisonNote, note.id).resident_ids == [family_of]


def test_an_edit_moving_a_family_note_to_another_resident_is_refused(
    fresh_db, factories, two_residents
):
    data = _note(
        factories,
        fresh_db,
        audience="family",
        audience_resident_id=two_residents[0],
        resident_ids=[two_residents[0]],
    )
    note = store.create(fresh_db, "alice", LiaisonNote, data)

    with pytest.raises(store.InvalidRecord) as refused:
        store.update(
            fresh_db, "alice", LiaisonNote, note.id, note.version, {"resident_ids": two_residents}
        )

    assert "resident_ids" in refused.value.by_field()
    assert store.get(fresh_db, LiaisonNote, note.id) == note


def test_a_note_for_one_provider_is_stored_with_it(fresh_db, factories, provider):
    data = _note(factories, fresh_db, audience="providers", audience_provider_id=provider.id)

    note = store.create(fresh_db, "alice", LiaisonNote, data)

    assert store.get(fresh_db, LiaisonNote, note.id).audience_provider_id == provider.id


@pytest.mark.parametrize("audience", ["team", "family"])
def test_only_a_note_for_providers_names_a_provider(fresh_db, factories, provider, audience):
    before = _count(fresh_db)
    data = _note(factories, fresh_db, audience=audience, audience_provider_id=provider.id)
    if audience == "family":
        data |= {"audience_resident_id": data["resident_ids"][0], "resident_ids": []}

    with pytest.raises(store.InvalidRecord) as refused:
        store.create(fresh_db, "alice", LiaisonNote, data)

    assert refused.value.by_field() == {
        "audience_provider_id": (
            "seule une note destinée aux intervenants s'adresse à un intervenant"
        )
    }
    assert _count(fresh_db) == before


def test_a_note_for_an_unknown_provider_is_refused_naming_the_field(fresh_db, factories, habitat):
    before = _count(fresh_db)
    data = _note(factories, fresh_db, audience="providers", audience_provider_id=999)

    with pytest.raises(store.InvalidRecord) as refused:
        store.create(fresh_db, "alice", LiaisonNote, data)

    assert refused.value.by_field() == {"audience_provider_id": "n° 999 introuvable"}
    assert _count(fresh_db) == before


def test_the_migration_narrows_an_old_family_note_about_someone_else_to_the_team(
    fresh_db, factories, two_residents
):
    """Before m009 a family could be sent a note about another resident: it goes to the team."""
    mine, other = two_residents
    good = store.create(
        fresh_db,
        "alice",
        LiaisonNote,
        _note(factories, fresh_db, audience="family", audience_resident_id=mine, resident_ids=[]),
    )
    bad = store.create(
        fresh_db,
        "alice",
        LiaisonNote,
        _note(factories, fresh_db, audience="family", audience_resident_id=mine, resident_ids=[]),
    )
    # What an older version let through, written behind the store's back.
    fresh_db.execute(
        "UPDATE liaison_note_resident SET resident_id = ? WHERE note_id = ?", [other, bad.id]
    )
    fresh_db.execute("DROP INDEX idx_liaison_note_audience_provider_id")
    fresh_db.execute("ALTER TABLE liaison_note DROP COLUMN audience_provider_id")

    m009_note_for_one_provider(fresh_db)

    assert store.get(fresh_db, LiaisonNote, good.id) == good
    narrowed = store.get(fresh_db, LiaisonNote, bad.id)
    assert (narrowed.audience, narrowed.audience_resident_id) == ("team", None)
    assert narrowed.resident_ids == [other]
    assert narrowed.version == bad.version + 1


def test_a_rectification_goes_to_the_same_readers_about_the_same_residents(
    fresh_db, factories, two_residents
):
    first, second = two_residents
    note = store.create(
        fresh_db,
        "alice",
        LiaisonNote,
        _note(
            factories, fresh_db, audience="family", audience_resident_id=first, resident_ids=[first]
        ),
    )
    elsewhere = [
        {"audience": "team", "audience_resident_id": None},
        {"audience": "family", "audience_resident_id": second, "resident_ids": [second]},
    ]
    for changes in elsewhere:
        before = _count(fresh_db)
        with pytest.raises(store.InvalidRecord) as refused:
            store.create(
                fresh_db,
                "alice",
                LiaisonNote,
                _note(
                    factories,
                    fresh_db,
                    **{
                        "audience": "family",
                        "audience_resident_id": first,
                        "resident_ids": [first],
                        **changes,
                    },
                    rectifies_note_id=note.id,
                ),
            )
        assert list(refused.value.by_field()) == ["rectifies_note_id"]
        assert _count(fresh_db) == before
    kept = store.create(
        fresh_db,
        "alice",
        LiaisonNote,
        _note(
            factories,
            fresh_db,
            audience="family",
            audience_resident_id=first,
            resident_ids=[first],
            body="Rectification : le rendez-vous est jeudi.",
            rectifies_note_id=note.id,
        ),
    )
    assert kept.rectifies_note_id == note.id


def test_a_note_goes_to_a_provider_of_its_own_habitat_only(fresh_db, factories, resident):
    elsewhere = store.create(
        fresh_db, "alice", Habitat, {**factories["habitat"](fresh_db), "name": "Les Lilas"}
    )
    other = store.create(
        fresh_db,
        "alice",
        Provider,
        {**factories["provider"](fresh_db), "habitat_id": elsewhere.id, "name": "SSIAD des Lilas"},
    )
    before = _count(fresh_db)
    with pytest.raises(store.InvalidRecord) as refused:
        store.create(
            fresh_db,
            "alice",
            LiaisonNote,
            _note(
                factories,
                fresh_db,
                audience="providers",
                audience_resident_id=None,
                audience_provider_id=other.id,
                resident_ids=[resident.id],
            ),
        )
    assert refused.value.by_field() == {
        "audience_provider_id": "« SSIAD des Lilas » n'intervient pas dans cet habitat"
    }
    assert _count(fresh_db) == before
