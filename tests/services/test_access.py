"""Need-to-know access: what each role may read and write, enforced by the services."""

from __future__ import annotations

from datetime import datetime

import pytest

from habitat import store
from habitat.services import notebook, records
from habitat.services.access import (
    Forbidden,
    Screen,
    note_scope,
    require,
    require_resident,
    served_resident_ids,
    visible_resident_ids,
)
from habitat.store.entities import Audience, LiaisonNote, Provider, Resident, Role, Tension


def _residents(db):
    return [r.id for r in store.find(db, Resident, "exit_date IS NULL")]


def test_team_sees_every_resident_family_and_resident_only_theirs(demo_conn, users):
    assert visible_resident_ids(demo_conn, users[Role.ANIMATOR]) is None
    assert visible_resident_ids(demo_conn, users[Role.HOST]) is None
    for role in (Role.FAMILY, Role.RESIDENT):
        user = users[role]
        assert visible_resident_ids(demo_conn, user) == {user.resident_id}
        other = next(r for r in _residents(demo_conn) if r != user.resident_id)
        with pytest.raises(Forbidden):
            require_resident(demo_conn, user, other)


def test_provider_sees_exactly_the_residents_with_its_interventions(demo_conn, users):
    provider = users[Role.PROVIDER]
    served = served_resident_ids(demo_conn, provider.provider_id)
    assert served and set(served) < set(_residents(demo_conn))
    assert visible_resident_ids(demo_conn, provider) == served
    outside = next(r for r in _residents(demo_conn) if r not in served)
    with pytest.raises(Forbidden):
        require_resident(demo_conn, provider, outside)


@pytest.mark.parametrize("screen", list(Screen))
@pytest.mark.parametrize("role", list(Role))
def test_require_refuses_screens_outside_the_role(users, screen, role):
    from habitat.services.access import READ

    if screen in READ[role]:
        assert require(users[role], screen) is users[role]
    else:
        with pytest.raises(Forbidden) as refusal:
            require(users[role], screen)
        assert refusal.value.message_fr == "Votre rôle ne donne pas accès à cette page."


def test_not_signed_in_is_refused_everywhere():
    with pytest.raises(Forbidden):
        require(None, Screen.ACCOUNT)


@pytest.mark.parametrize("role", [Role.HOST, Role.PROVIDER, Role.FAMILY, Role.RESIDENT])
def test_only_the_animator_writes_records_other_than_notes(demo_conn, users, role):
    before = demo_conn.execute("SELECT COUNT(*) FROM tension").fetchone()[0]
    data = {
        "habitat_id": 1,
        "kind": "common_spaces",
        "severity": "low",
        "occurred_on": "2026-06-30",
        "description": "bruit",
    }
    with pytest.raises(Forbidden):
        records.create(demo_conn, users[role], Tension, data)
    assert demo_conn.execute("SELECT COUNT(*) FROM tension").fetchone()[0] == before
    records.create(demo_conn, users[Role.ANIMATOR], Tension, data)


def _note(resident_ids, audience, family_of=None):
    return {
        "habitat_id": 1,
        "author": "x",
        "written_at": datetime(2026, 6, 30, 10),
        "body": "passage",
        "audience": audience,
        "audience_resident_id": family_of,
        "resident_ids": resident_ids,
    }


def test_provider_writes_notes_about_served_residents_only(demo_conn, users):
    provider = users[Role.PROVIDER]
    served = sorted(served_resident_ids(demo_conn, provider.provider_id))
    outside = next(r for r in _residents(demo_conn) if r not in served)
    records.create(demo_conn, provider, LiaisonNote, _note([served[0]], Audience.PROVIDERS))
    with pytest.raises(Forbidden, match="may not write this note"):
        records.create(demo_conn, provider, LiaisonNote, _note([outside], Audience.PROVIDERS))
    with pytest.raises(Forbidden):
        records.create(demo_conn, provider, LiaisonNote, _note([served[0]], Audience.FAMILY))


def test_family_writes_about_its_relative_only(demo_conn, users):
    family = users[Role.FAMILY]
    mine = family.resident_id
    other = next(r for r in _residents(demo_conn) if r != mine)
    records.create(demo_conn, family, LiaisonNote, _note([mine], Audience.FAMILY, mine))
    with pytest.raises(Forbidden):
        records.create(demo_conn, family, LiaisonNote, _note([other], Audience.FAMILY, other))
    with pytest.raises(Forbidden):
        records.create(demo_conn, family, LiaisonNote, _note([mine], Audience.TEAM, mine))


def test_a_note_is_never_rewritten_its_author_rectifies_it(demo_conn, users):
    family = users[Role.FAMILY]
    mine = family.resident_id
    note = records.create(
        demo_conn,
        family,
        LiaisonNote,
        {**_note([mine], Audience.FAMILY, mine), "author_account_id": family.account_id},
    )
    for user in (family, users[Role.ANIMATOR]):
        with pytest.raises(Forbidden) as refused:
            records.update(demo_conn, user, LiaisonNote, note.id, note.version, {"body": "x"})
        assert refused.value.message_fr == (
            "Une note du cahier ne se modifie pas : ajoutez une rectification."
        )
    fixed = notebook.rectify(demo_conn, family, note.id, "Pardon : c'était mardi, pas lundi.")
    assert fixed.rectifies_note_id == note.id
    assert (fixed.audience, fixed.audience_resident_id, fixed.resident_ids) == (
        note.audience,
        note.audience_resident_id,
        note.resident_ids,
    )
    assert store.get(demo_conn, LiaisonNote, note.id) == note, "the note stays as written"
    theirs = store.find(
        demo_conn, LiaisonNote, "audience = 'family' AND author_account_id IS NOT ?",
        [family.account_id], limit=1,
    )[0]  # fmt: skip
    with pytest.raises(Forbidden):
        notebook.rectify(demo_conn, family, theirs.id, "x")
    assert notebook.rectify(demo_conn, users[Role.ANIMATOR], theirs.id, "Précision.").id


def test_note_scope_by_role(demo_conn, users):
    assert note_scope(demo_conn, users[Role.ANIMATOR]).audiences is None
    provider = note_scope(demo_conn, users[Role.PROVIDER])
    assert provider.audiences == ("providers",) and provider.resident_ids
    assert provider.provider_id == users[Role.PROVIDER].provider_id
    family = note_scope(demo_conn, users[Role.FAMILY])
    assert family.family_of == users[Role.FAMILY].resident_id
    with pytest.raises(Forbidden):
        note_scope(demo_conn, users[Role.RESIDENT])


def test_a_provider_serving_nobody_still_reads_the_notes_addressed_to_it(demo_conn, users):
    from dataclasses import replace

    from habitat.services import notebook

    provider = users[Role.PROVIDER]
    other = next(
        p.id
        for p in store.find(demo_conn, Provider)
        if p.id != provider.provider_id and not served_resident_ids(demo_conn, p.id)
    )
    resident = _residents(demo_conn)[0]
    for minute, target in enumerate((other, provider.provider_id)):
        store.create(
            demo_conn,
            "animator:test",
            LiaisonNote,
            {
                "habitat_id": provider.habitat_id,
                "author": "Équipe",
                "written_at": datetime(2040, 1, 1, 9, minute),
                "body": f"Pour l'intervenant {target}",
                "audience": "providers",
                "audience_provider_id": target,
                "resident_ids": [resident],
            },
        )
    idle = replace(provider, provider_id=other)

    assert [n.body for n in notebook.read_notes(demo_conn, idle, idle.habitat_id)] == [
        f"Pour l'intervenant {other}"
    ]
    assert notebook.authors(demo_conn, idle, idle.habitat_id) == ["Équipe"]
