"""The demo's collective life: activities and attendance, bookings, the rota, the council."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from habitat.demo.draft import Draft, at, day_span, overlaps, public_holidays
from habitat.demo.material import (
    ACTIVITIES_PER_WEEK,
    ACTIVITY_KINDS,
    ACTIVITY_WEIGHTS,
    AGENDA_ITEMS,
    AGENDA_OUTCOMES,
    ANIMATOR_DAYS,
    BOOKING_PURPOSES,
    DECISIONS,
    FAMILY_PURPOSES,
    FOLLOW_UPS,
    ActivityKind,
)
from habitat.domain import Public
from habitat.store.entities import (
    Activity,
    Attendance,
    Booking,
    CouncilDecision,
    CouncilMeeting,
    DecisionStatus,
    Place,
    Presence,
    PresenceRole,
    PresenceShift,
    Registration,
)


class CollectiveLife(Draft):
    """The sections that fill the house's calendar, from the start to the horizon."""

    def _activities(self) -> None:
        rng = self.rng
        monday = self.start - timedelta(days=self.start.weekday())
        while monday <= self.horizon:
            planned = []
            for _ in range(self._round(rng.choice(ACTIVITIES_PER_WEEK) * self.scale)):
                for _attempt in range(12):
                    kind = rng.choices(ACTIVITY_KINDS, ACTIVITY_WEIGHTS)[0]
                    day = monday + timedelta(days=rng.randint(0, 6))
                    if not self.start <= day <= self.horizon or not kind.held_on(day):
                        continue
                    start = at(day, kind.starts)
                    end = start + timedelta(hours=kind.hours)
                    space = self._free_space(kind.spaces, day, start, end) if kind.spaces else None
                    if kind.spaces and space is None:
                        continue
                    planned.append((start, end, kind, space))
                    break
            for start, end, kind, space in sorted(planned, key=_activity_order):
                self._activity(start, end, kind, space)
            monday += timedelta(days=7)

    def _free_space(
        self, keys: tuple[str, ...], day: date, start: datetime, end: datetime
    ) -> int | None:
        for key in self.rng.sample(keys, k=len(keys)):
            space = self.spaces[key]
            busy = self.space_busy.setdefault((space, day), [])
            if not overlaps(busy, start, end):
                busy.append((start, end))
                return space
        return None

    def _activity(
        self, start: datetime, end: datetime, kind: ActivityKind, space: int | None
    ) -> None:
        rng = self.rng
        activity_id = self._put(
            Activity(
                habitat_id=self.habitat_id,
                title=kind.title,
                category=kind.category,
                starts_at=start,
                ends_at=end,
                place=Place.IN_HABITAT if space else Place.OUTSIDE,
                space_id=space,
                location=None if space else f"{kind.location}, {self.town.name}",
            )
        )
        if start.date() > self.end:
            # Planned: nobody has attended yet; some have signed up (drawn apart from
            # the history's own draws, so the rest of the demo stays as it was).
            signups = random.Random(activity_id)
            for person in self._present(self.end):
                if signups.random() < person.propensity * 0.6:
                    self._put(Registration(activity_id=activity_id, resident_id=person.id))
            return
        for person in self._present(start.date()):
            chance = person.propensity
            if kind.mobile_only and (
                person.profile.public is Public.MOTOR or (person.profile.gir or 6) <= 3
            ):
                chance *= 0.5
            if rng.random() < chance:
                status = Presence.PRESENT
            else:
                status = Presence.EXCUSED if rng.random() < 0.35 else Presence.ABSENT
            self._put(Attendance(activity_id=activity_id, resident_id=person.id, status=status))

    def _bookings(self) -> None:
        rng = self.rng
        for day in day_span(self.start, self.horizon):
            if rng.random() > 2 / 7:
                continue
            present = self._present(day)
            if not present:
                continue
            person = rng.choice(present)
            purposes = BOOKING_PURPOSES if person.carers else BOOKING_PURPOSES[FAMILY_PURPOSES:]
            key, purpose, hours = rng.choice(purposes)
            space = self.spaces[key]
            busy = self.space_busy.setdefault((space, day), [])
            for _attempt in range(6):
                start = at(day, time(rng.randint(9, 19), rng.choice((0, 30))))
                end = start + timedelta(hours=hours)
                if end.date() == day and not overlaps(busy, start, end):
                    break
            else:
                continue
            busy.append((start, end))
            if person.carers and rng.random() < 0.4:
                kin = person.carers[0]
                booked_by = f"{kin.full_name} ({kin.relation_fr} de {person.called})"
            else:
                booked_by = person.full_name
            self._put(
                Booking(
                    space_id=space,
                    resident_id=person.id,
                    booked_by=booked_by,
                    purpose=purpose,
                    starts_at=start,
                    ends_at=end,
                )
            )

    def _animator_days(self) -> list[date]:
        """The animator's working days: Monday to Thursday, less holidays and leave."""
        rng = self.rng
        off: set[date] = set()
        for year in range(self.start.year, self.horizon.year + 1):
            off |= public_holidays(year)
            august = date(year, 8, 1)
            first_monday = august + timedelta(days=(7 - august.weekday()) % 7)
            off |= set(day_span(first_monday, first_monday + timedelta(days=20)))
            off |= set(day_span(date(year, 12, 24), date(year, 12, 31)))
            spring = date(year, 4, 1) + timedelta(days=7 * rng.randint(0, 7))
            off |= set(day_span(spring, spring + timedelta(days=6)))
        return [
            day
            for day in day_span(self.start, self.horizon)
            if day.weekday() in ANIMATOR_DAYS and day not in off
        ]

    def _presence_rota(self) -> None:
        rng = self.rng
        working = set(self._animator_days())
        self.working_days = {day for day in working if day <= self.end}
        animator = " ".join(self.animator)
        for day in day_span(self.start, self.horizon):
            year = (day - self.start).days // 365
            volunteer = f"{' '.join(self.volunteers[year])} (service civique)"
            aide = f"{' '.join(rng.choice(self.aides))} (SAAD)"
            evening = f"{' '.join(rng.choice(self.aides))} (SAAD)"
            if day.weekday() < 5:
                shifts = [(aide, PresenceRole.PROVIDER, time(8, 0), time(13, 0))]
                if day in working:
                    shifts.append((animator, PresenceRole.ANIMATOR, time(9, 30), time(17, 0)))
                elif day.weekday() == 4 or rng.random() < 0.5:
                    shifts.append((volunteer, PresenceRole.CIVIC_SERVICE, time(13, 0), time(17, 0)))
                shifts.append((evening, PresenceRole.PROVIDER, time(17, 0), time(21, 0)))
            else:
                shifts = [(aide, PresenceRole.PROVIDER, time(8, 0), time(13, 30))]
                if rng.random() < 0.75:
                    role = rng.choice((PresenceRole.VOLUNTEER, PresenceRole.FAMILY))
                    who = self._weekend_helper(day, role)
                    shifts.append((who, role, time(13, 30), time(17, 30)))
                shifts.append((evening, PresenceRole.PROVIDER, time(17, 30), time(21, 0)))
            for person, role, first, last in shifts:
                if role is PresenceRole.PROVIDER and rng.random() < 0.03:
                    continue  # an aide off sick, not replaced: a gap
                self._put(
                    PresenceShift(
                        habitat_id=self.habitat_id,
                        person=person,
                        role=role,
                        starts_at=at(day, first),
                        ends_at=at(day, last),
                    )
                )

    def _weekend_helper(self, day: date, role: PresenceRole) -> str:
        if role is PresenceRole.FAMILY:
            families = [
                (kin, person)
                for person in self._present(day)
                for kin in person.carers
                if kin.hours >= 2.0
            ]
            if families:
                kin, person = self.rng.choice(families)
                return f"{kin.full_name} ({kin.relation_fr} de {person.called})"
        first, last = self.rng.choice(self.neighbours)
        return f"{first} {last} (bénévole)"

    def _council(self) -> None:
        animator = " ".join(self.animator)
        *held, upcoming = self.council_days
        for day in held:
            self._meeting(day, animator)
        items = [*self.rng.sample(AGENDA_ITEMS, k=3), "Questions diverses"]
        self._put(
            CouncilMeeting(
                habitat_id=self.habitat_id,
                held_on=upcoming,
                agenda="\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1)),
            )
        )

    def _meeting(self, held: date, animator: str) -> None:
        rng = self.rng
        present = self._present(held)
        attendees = [p.id for p in present if rng.random() < min(0.95, p.propensity + 0.3)]
        items = rng.sample(AGENDA_ITEMS, k=rng.randint(3, 4))
        if held == self.second_project:
            items.insert(0, "Adoption de la version 2 du projet de vie sociale et partagée")
        items.append("Questions diverses")
        families = rng.randint(0, 3)
        others = f"{animator} (animatrice)"
        if families:
            others += f", {families} proche{'s' if families > 1 else ''}"
        if rng.random() < 0.3:
            others += f", {' '.join(self.host_director)} (association)"
        minutes = [f"Présents : {len(attendees)} habitants sur {len(present)}."]
        minutes += [f"- {item} : {rng.choice(AGENDA_OUTCOMES)}" for item in items]
        meeting_id = self._put(
            CouncilMeeting(
                habitat_id=self.habitat_id,
                held_on=held,
                agenda="\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1)),
                minutes="\n".join(minutes),
                others_present=others,
                attendee_ids=attendees,
            )
        )
        owners = (animator, "Conseil des habitants", " ".join(self.host_director))
        for text in rng.sample(DECISIONS, k=rng.randint(1, 3)):
            due = held + timedelta(days=rng.randint(14, 60))
            status, done_on, follow_up = DecisionStatus.TO_DO, None, None
            if due < self.end - timedelta(days=20):
                status = rng.choices(
                    (DecisionStatus.DONE, DecisionStatus.IN_PROGRESS, DecisionStatus.ABANDONED),
                    (75, 15, 10),
                )[0]
                follow_up = rng.choice(FOLLOW_UPS[status])
                if status is DecisionStatus.DONE:
                    done_on = min(due + timedelta(days=rng.randint(-10, 20)), self.end)
                    done_on = max(done_on, held)
            elif rng.random() < 0.4:
                status = DecisionStatus.IN_PROGRESS
            self._put(
                CouncilDecision(
                    meeting_id=meeting_id,
                    text=text,
                    owner=rng.choice(owners),
                    due_on=due,
                    status=status,
                    follow_up=follow_up,
                    done_on=done_on,
                )
            )


def _activity_order(planned: tuple[datetime, datetime, ActivityKind, int | None]) -> datetime:
    return planned[0]
