"""The screens' reads: each role's scope applied in one place (issue 11, need-to-know)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from habitat import demo, store
from habitat.services import reads
from habitat.services.access import Forbidden, User, user_of, visible_resident_ids
from habitat.store.entities import Account, Activity, CouncilMeeting, Provider, Resident, Role

#: The demo's last day, its last week and its last year (the windows the reads are asked).
DAY = demo.DEFAULT_END
WEEK = (DAY - timedelta(days=6), DAY)
YEAR = (DAY - timedelta(days=365), DAY)
#: Roles drawn for a user; family, provider and resident get a random person each.
ROLES = (Role.ANIMATOR, Role.HOST, Role.FAMILY, Role.PROVIDER, Role.RESIDENT)


@pytest.fixture(scope="module")
def demo_read(tmp_path_factory):
    """One demo database for the whole module: the reads never write."""
    template = tmp_path_factory.mktemp("reads") / "demo.db"
    demo.build(template)
    path = template.with_name("reads.db")
    shutil.copy(template, path)
    with store.connect(path) as db:
        yield db


@pytest.fixture(scope="module")
def team(demo_read) -> dict[Role, User]:
    """The demo's animator and host."""
    return {
        a.role: user_of(demo_read, a)
        for a in store.find(demo_read, Account)
        if a.role in (Role.ANIMATOR, Role.HOST)
    }


@pytest.fixture(scope="module")
def people(demo_read, team):
    """Ids the draws pick from: residents, providers, activities and meetings."""
    habitat_id = team[Role.ANIMATOR].habitat_id
    mine = "habitat_id = ?", [habitat_id]
    return {
        "habitat_id": habitat_id,
        "residents": [r.id for r in store.find(demo_read, Resident, *mine, include_archived=True)],
        "providers": [p.id for p in store.find(demo_read, Provider, *mine, include_archived=True)],
        "activities": [a.id for a in store.find(demo_read, Activity, *mine)],
        "meetings": [m.id for m in store.find(demo_read, CouncilMeeting, *mine)],
    }


def _user(role: Role, habitat_id: int, team: dict[Role, User], person: int) -> User:
    if role in team:
        return team[role]
    return User(
        account_id=999_999,
        username=f"{role.value}-{person}",
        display_name="Tiré au sort",
        role=role,
        habitat_id=habitat_id,
        provider_id=person if role is Role.PROVIDER else None,
        resident_id=person if role is not Role.PROVIDER else None,
    )


def _resident_links(
    db, user: User, habitat_id: int, activity: int, meeting: int, resident: int
) -> set[int]:
    """The resident ids every read hands this user (a refused read hands none)."""
    linked: set[int] = set()
    everyone = list(range(1, 200))
    calls: list[Callable[[], set[int]]] = [
        lambda: {r.id for r in reads.residents(db, user, habitat_id)},
        lambda: {r.id for r in reads.residents(db, user, habitat_id, include_archived=True)},
        lambda: {r.id for part in reads.resident_list(db, user, habitat_id, DAY) for r in part},
        lambda: {a.resident_id for a in reads.activity_attendance(db, user, habitat_id, activity)},
        lambda: {i for m in reads.council_meetings(db, user, habitat_id) for i in m.attendee_ids},
        lambda: {a.resident_id for a in reads.accounts(db, user, habitat_id) if a.resident_id},
        lambda: {r.id for r in reads.current_residents(db, user, habitat_id, DAY)},
        lambda: {r.id for r in reads.living_residents(db, user, habitat_id, DAY)},
        lambda: set(reads.residents_by_id(db, user, habitat_id, everyone)),
        lambda: {m.resident_id for m in reads.monthly_attendance(db, user, habitat_id, *YEAR)},
        lambda: {v.resident_id for v in reads.visits(db, user, habitat_id, *WEEK)},
        lambda: {c.resident_id for c in reads.carers(db, user, habitat_id)},
        lambda: (
            {x.booking.resident_id for x in reads.bookings(db, user, habitat_id, *YEAR)} - {None}
        ),
        lambda: {c.resident_id for c in reads.carers(db, user, habitat_id, archived=True)},
        lambda: {i for t in reads.tensions(db, user, habitat_id) for i in t.resident_ids},
        lambda: {
            i for t in reads.tensions(db, user, habitat_id, closed=True) for i in t.resident_ids
        },
        lambda: {reads.resident_file(db, user, habitat_id, resident).resident.id},
        lambda: {resident} if reads.file_history(db, user, habitat_id, resident) else set(),
        lambda: (
            {resident}
            if reads.resident_participation(db, user, habitat_id, resident, YEAR[0])
            else set()
        ),
    ]
    # The reads below carry no resident: they only have to answer or be refused.
    plain: list[Callable[[], object]] = [
        lambda: reads.providers(db, user, habitat_id),
        lambda: reads.provider_directory(db, user, habitat_id),
        lambda: reads.common_spaces(db, user, habitat_id),
        lambda: reads.project_versions(db, user, habitat_id),
        lambda: reads.house_rules(db, user, habitat_id, former=True),
        lambda: reads.meeting_decisions(db, user, habitat_id, meeting),
        lambda: reads.open_decisions(db, user, habitat_id),
        lambda: reads.activities(db, user, habitat_id, *WEEK),
        lambda: reads.dashboard(db, user, habitat_id, DAY),
        lambda: reads.tension_counts(db, user, habitat_id, DAY, "quarter"),
        lambda: reads.time_years(db, user, habitat_id),
        lambda: reads.time_by_month(db, user, habitat_id, *YEAR),
        lambda: reads.time_entries(db, user, habitat_id, DAY.year),
        lambda: reads.avp_budget(db, user, habitat_id, DAY.year, DAY),
    ]
    for call in calls:
        try:
            linked |= call()
        except Forbidden:
            continue
    for call in plain:
        try:
            call()
        except Forbidden:
            continue
    return linked


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_read_shows_a_resident_outside_the_scope(demo_read, team, people, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    pool = people["providers"] if role is Role.PROVIDER else people["residents"]
    person = data.draw(st.sampled_from(pool), label="person")
    activity = data.draw(st.sampled_from(people["activities"]), label="activity")
    meeting = data.draw(st.sampled_from(people["meetings"]), label="meeting")
    habitat_id = people["habitat_id"]
    user = _user(role, habitat_id, team, person)

    resident = data.draw(st.sampled_from(people["residents"]), label="resident")
    linked = _resident_links(demo_read, user, habitat_id, activity, meeting, resident)

    visible = visible_resident_ids(demo_read, user)
    allowed = set(people["residents"]) if visible is None else visible
    assert linked <= allowed, f"{role}: {sorted(linked - allowed)} outside the scope"


@pytest.mark.parametrize("role", [Role.FAMILY, Role.RESIDENT])
def test_a_relative_or_a_resident_sees_one_resident(demo_read, team, people, role):
    person = people["residents"][0]
    user = _user(role, people["habitat_id"], team, person)
    assert [r.id for r in reads.residents(demo_read, user, people["habitat_id"])] in ([person], [])
    listed, former = reads.resident_list(demo_read, user, people["habitat_id"], demo.DEFAULT_END)
    assert {r.id for r in listed} <= {person} and former == []


@pytest.mark.parametrize(
    ("role", "read"),
    [
        (Role.FAMILY, reads.accounts),
        (Role.PROVIDER, reads.provider_directory),
        (Role.RESIDENT, reads.council_meetings),
        (Role.HOST, reads.accounts),
    ],
)
def test_a_read_outside_the_roles_screens_is_refused(demo_read, team, people, role, read):
    person = people["providers" if role is Role.PROVIDER else "residents"][0]
    user = _user(role, people["habitat_id"], team, person)
    with pytest.raises(Forbidden) as refused:
        read(demo_read, user, people["habitat_id"])
    assert refused.value.message_fr == "Votre rôle ne donne pas accès à cette page."


def test_another_habitat_is_refused(demo_read, team, people):
    with pytest.raises(Forbidden) as refused:
        reads.residents(demo_read, team[Role.ANIMATOR], people["habitat_id"] + 1)
    assert refused.value.message_fr == "Votre compte ne donne pas accès à cet habitat."


def test_a_provider_sees_only_those_they_serve(demo_read, team, people):
    """A demo provider with interventions sees some residents, never all of them."""
    seen = {}
    for provider_id in people["providers"]:
        user = _user(Role.PROVIDER, people["habitat_id"], team, provider_id)
        seen[provider_id] = {r.id for r in reads.residents(demo_read, user, people["habitat_id"])}
    assert any(seen.values())
    assert all(ids < set(people["residents"]) for ids in seen.values())


def test_a_bad_id_is_refused_by_name(demo_read, team, people):
    with pytest.raises(store.InvalidRecord) as refused:
        reads.activity_attendance(demo_read, team[Role.ANIMATOR], people["habitat_id"], "x")
    assert "activity_id" in refused.value.by_field()
