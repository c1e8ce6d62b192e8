"""What the demo house writes down day by day: liaison notes, tensions, the animator's time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from habitat.demo.draft import Draft, at, day_span, french_date
from habitat.demo.material import (
    ANIMATOR_DAYS,
    ANIMATOR_HOURS_PER_WEEK,
    FUNCTION_NOTES,
    FUNCTION_WEIGHTS,
    NOTE_ENDINGS,
    NOTES_FAMILY,
    NOTES_FROM_FAMILY,
    NOTES_HOUSE,
    NOTES_PER_DAY,
    NOTES_PROVIDERS,
    NOTES_TEAM,
    PROVIDER_NOTE_ENDINGS,
    SETTLING_DAYS,
    SEVERITIES,
    SEVERITY_WEIGHTS,
    TENSION_ACTIONS,
    TENSION_KIND_WEIGHTS,
    TENSION_TEXTS,
    TENSIONS_PER_YEAR,
    USUAL_SEVERITY_WEIGHTS,
)
from habitat.demo.people import EXIT_REASONS_FR, Person
from habitat.domain import Public, SupportFunction
from habitat.store.entities import (
    Audience,
    ExitReason,
    LiaisonNote,
    Tension,
    TensionKind,
    TensionStatus,
    TimeEntry,
)

#: A tension still being followed up at the end of the history is at most this old.
FOLLOW_UP_DAYS = 90


class Journal(Draft):
    """The sections written day by day up to the end: notes, tensions, time entries."""

    def _situation(self, person: Person | None, other: Person | None = None) -> dict[str, str]:
        rng = self.rng
        situation = {
            "r": "",
            "r2": "",
            "e": "",
            "x": "",
            "il": "il",
            "p": "le SAAD",
            "c": "le médecin traitant",
            "rel": "médecin",
            "prevenu": "personne à prévenir",
            "Prevenu": "Médecin traitant prévenu",
            "h": self._hour(),
            "soir": self._hour(21, 23),
            "dossier": "MDPH",
            "d": french_date(self.end),
        }
        if person is not None:
            situation.update(
                r=person.called,
                e="e" if person.female else "",
                x="se" if person.female else "",
                il="elle" if person.female else "il",
                dossier="APA" if person.profile.public is Public.ELDERLY else "MDPH",
            )
            if person.carers:
                situation.update(prevenu="famille prévenue", Prevenu="Famille prévenue")
            elif person.emergency_contact:
                situation.update(prevenu="contact d'urgence prévenu", Prevenu="Contact prévenu")
            own = [key for key in person.providers if not key.startswith("gp")]
            if own:
                situation["p"] = self.providers[rng.choice(own)][1]
            if person.carers:
                kin = rng.choice(person.carers)
                situation.update(c=kin.full_name, rel=kin.relation_fr)
        if other is not None:
            situation["r2"] = other.called
        return situation

    def _notes(self) -> None:
        rng = self.rng
        arrivals = {p.entry: p for p in self.residents}
        departures = {p.exit: p for p in self.residents if p.exit}
        for day in day_span(self.start, self.end):
            present = self._present(day)
            mean = NOTES_PER_DAY * self.scale * (1.15 if day.weekday() < 5 else 0.65)
            moments = [
                at(day, time(rng.randint(7, 21), rng.randint(0, 59)))
                for _ in range(self._round(mean * rng.uniform(0.7, 1.3)))
            ]
            if day in arrivals:
                moments.append(at(day, time(10, 0)))
            if day in departures:
                moments.append(at(day, time(18, 0)))
            for moment in sorted(moments):
                if moment.time() == time(10, 0) and day in arrivals:
                    self._arrival_note(moment, arrivals.pop(day))
                elif moment.time() == time(18, 0) and day in departures:
                    self._departure_note(moment, departures.pop(day))
                else:
                    self._daily_note(moment, self._author(moment), present)

    def _author(self, moment: datetime) -> tuple[str, int | None]:
        """Who writes at that moment: the animator in her hours, aides, nurse, volunteer."""
        day, hour = moment.date(), moment.hour
        year = min((day - self.start).days // 365, self.years - 1)
        aide = f"{' '.join(self.rng.choice(self.aides))} (SAAD)"
        authors: list[tuple[str, int | None]] = [(aide, self.accounts["provider"])]
        weights = [25]
        if day in self.working_days and 9 <= hour < 17:
            authors.append((f"{' '.join(self.animator)} (animatrice)", self.accounts["animator"]))
            weights.append(60)
        if hour < 10 or 17 <= hour < 20:
            authors.append((f"{' '.join(self.nurse)} (infirmière)", None))
            weights.append(12)
        if 13 <= hour < 17:
            authors.append((f"{' '.join(self.volunteers[year])} (service civique)", None))
            weights.append(10)
        if day.weekday() < 5 and 9 <= hour < 18:
            host = f"{' '.join(self.host_director)} (association)"
            authors.append((host, self.accounts["host"]))
            weights.append(3)
        return self.rng.choices(authors, weights)[0]

    def _arrival_note(self, moment: datetime, newcomer: Person) -> None:
        animator = (f"{' '.join(self.animator)} (animatrice)", self.accounts["animator"])
        body = (
            f"Arrivée de {newcomer.called} dans le logement {newcomer.dwelling}. Visite des "
            "espaces communs faite, présentation aux autres habitants au goûter."
        )
        self._note(moment, animator, body, Audience.TEAM, [newcomer])

    def _departure_note(self, moment: datetime, leaving: Person) -> None:
        animator = (f"{' '.join(self.animator)} (animatrice)", self.accounts["animator"])
        reason = leaving.exit_reason or ExitReason.OTHER
        farewell = (
            "un temps de souvenir est proposé"
            if reason is ExitReason.DEATH
            else "un goûter d'au revoir est prévu"
        )
        body = (
            f"Départ de {leaving.called} ({EXIT_REASONS_FR[reason]}). Les habitants en "
            f"parleront au prochain conseil ; {farewell}."
        )
        self._note(moment, animator, body, Audience.TEAM, [leaving])

    def _daily_note(
        self, moment: datetime, author: tuple[str, int | None], present: list[Person]
    ) -> None:
        rng = self.rng
        roll = rng.random()
        if not present or roll < 0.12:
            body = rng.choice(NOTES_HOUSE).format(**self._situation(None))
            self._note(moment, author, body + rng.choice(NOTE_ENDINGS), Audience.TEAM, [])
            return
        person = rng.choice(present)
        ending = rng.choice(NOTE_ENDINGS)
        if person.emergency_contact and rng.random() < 0.1:
            ending = " Famille prévenue par téléphone." if person.carers else " Contact prévenu."
        # Set with the accounts: a resident profile of the demo signs in as a family.
        assert self.family_author is not None
        kin, relative = self.family_author
        if roll < 0.27 and person.providers:
            body = rng.choice(NOTES_PROVIDERS).format(**self._situation(person))
            ending = rng.choice(PROVIDER_NOTE_ENDINGS)
            self._note(moment, author, body + ending, Audience.PROVIDERS, [person])
        elif roll < 0.38 and any(carer.consent for carer in person.carers):
            body = rng.choice(NOTES_FAMILY).format(**self._situation(person))
            self._note(moment, author, body, Audience.FAMILY, [person], family_of=person)
        elif roll < 0.41 and relative.present(moment.date()):
            situation = self._situation(relative)
            situation.update(c=kin.full_name, rel=kin.relation_fr)
            body = rng.choice(NOTES_FROM_FAMILY).format(**situation)
            family = (kin.full_name, self.accounts["family"])
            self._note(moment, family, body, Audience.TEAM, [relative])
        else:
            others = [p for p in present if p is not person]
            template = rng.choice(NOTES_TEAM)
            if "{r2}" in template and not others:
                template = NOTES_TEAM[0]
            other = rng.choice(others) if "{r2}" in template else None
            body = template.format(**self._situation(person, other))
            concerned = [person, other] if other else [person]
            self._note(moment, author, body + ending, Audience.TEAM, concerned)

    def _note(
        self,
        moment: datetime,
        author: tuple[str, int | None],
        body: str,
        audience: Audience,
        concerned: list[Person],
        family_of: Person | None = None,
    ) -> None:
        name, account = author
        self._put(
            LiaisonNote(
                habitat_id=self.habitat_id,
                author=name,
                author_account_id=account,
                written_at=moment,
                body=body,
                audience=audience,
                audience_resident_id=family_of.id if family_of else None,
                resident_ids=sorted({person.id for person in concerned}),
            )
        )

    def _tensions(self) -> None:
        rng = self.rng
        span = (self.end - self.start).days
        count = round(TENSIONS_PER_YEAR * self.scale * (span + 1) / 365.25)
        days = sorted(self.start + timedelta(days=rng.randint(0, span)) for _ in range(count))
        kinds = tuple(kind for kind, _ in TENSION_KIND_WEIGHTS)
        weights = tuple(weight for _, weight in TENSION_KIND_WEIGHTS)
        for day in days:
            present = self._present(day)
            if not present:
                continue
            kind = rng.choices(kinds, weights)[0]
            person = rng.choice(present)
            others = [p for p in present if p is not person]
            other = rng.choice(others) if others else None
            if kind is TensionKind.BETWEEN_RESIDENTS and other is None:
                kind = TensionKind.COMMON_SPACES
            if kind is TensionKind.FAMILY and not person.carers:
                families = [p for p in present if p.carers]
                if not families:
                    kind = TensionKind.COMMON_SPACES
                else:
                    person = rng.choice(families)
            self._tension(day, kind, person, other)

    def _tension(self, day: date, kind: TensionKind, person: Person, other: Person | None) -> None:
        rng = self.rng
        situation = self._situation(person, other)
        severity = rng.choices(SEVERITIES, SEVERITY_WEIGHTS.get(kind, USUAL_SEVERITY_WEIGHTS))[0]
        concerned = []
        others_involved = None
        if kind is TensionKind.BETWEEN_RESIDENTS and other is not None:
            concerned = [person.id, other.id]
        elif kind is TensionKind.COMMON_SPACES:
            concerned = [person.id] if rng.random() < 0.5 else []
        else:
            concerned = [person.id]
        if kind in (TensionKind.PROVIDERS, TensionKind.CARE_PATH_RUPTURE):
            others_involved = situation["p"]
            if kind is TensionKind.CARE_PATH_RUPTURE and rng.random() < 0.5:
                others_involved = f"Centre hospitalier de {self.town.name}"
        elif kind in (TensionKind.FAMILY, TensionKind.AUTONOMY_SAFETY) and person.carers:
            others_involved = f"{situation['c']} ({situation['rel']})"
        low, high = SETTLING_DAYS[severity]
        settled = day + timedelta(days=rng.randint(low, high))
        actions: str | None = rng.choice(TENSION_ACTIONS[kind]).format(**situation)
        # One in 25 is still being followed up (not closed yet) when it is recent; an
        # animator closes older ones at the quarterly review, so none stays open for years.
        followed_up = rng.random() >= 0.96 and (self.end - day).days <= FOLLOW_UP_DAYS
        if settled <= self.end and not followed_up:
            status, resolved = TensionStatus.CLOSED, settled
        else:
            status, resolved = TensionStatus.OPEN, None
            if rng.random() < 0.5:
                status = TensionStatus.IN_PROGRESS
            else:
                actions = None
        self._put(
            Tension(
                habitat_id=self.habitat_id,
                kind=kind,
                severity=severity,
                occurred_on=day,
                description=rng.choice(TENSION_TEXTS[kind]).format(**situation),
                others_involved=others_involved,
                actions=actions,
                status=status,
                resolved_on=resolved,
                resident_ids=concerned,
            )
        )

    def _time_entries(self) -> None:
        rng = self.rng
        animator = " ".join(self.animator)
        functions = tuple(function for function, _ in FUNCTION_WEIGHTS)
        weights = tuple(weight for _, weight in FUNCTION_WEIGHTS)
        quarters = int(ANIMATOR_HOURS_PER_WEEK / len(ANIMATOR_DAYS) * 4)
        for day in sorted(self.working_days):
            spent = dict.fromkeys(functions, 0)
            for function in rng.choices(functions, weights, k=quarters):
                spent[function] += 1
            for function in functions:
                if not spent[function]:
                    continue
                # Now and then the animator helps one resident on time the AVP does not fund.
                unfunded = function is SupportFunction.INDIVIDUAL_SUPPORT and rng.random() < 0.25
                note = rng.choice(FUNCTION_NOTES[function])
                if day in self.council_days and function is SupportFunction.COLLECTIVE_ORGANISATION:
                    note = "Conseil des habitants"
                self._put(
                    TimeEntry(
                        habitat_id=self.habitat_id,
                        person=animator,
                        worked_on=day,
                        function=function,
                        hours=spent[function] / 4,
                        avp_funded=not unfunded,
                        note=note,
                    )
                )
