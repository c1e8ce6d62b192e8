"""The event log: who did what, when, in which replication; kept for small runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Kinds of event, with the sentence pattern a reader sees.
EVENT_KINDS: dict[str, str] = {
    "death": "died",
    "exit_institution": "moved to an institution",
    "exit_other": "moved out (to family, another home)",
    "entry": "moved in",
    "entry_refused": "could not move in: no vacant dwelling",
    "gir_decline": "lost autonomy",
    "gir_improvement": "regained autonomy",
    "hospitalisation": "went to hospital",
    "return_coordinated": "came back from hospital, return prepared",
    "return_rupture": "came back from hospital with nothing prepared (care-path rupture)",
    "adverse_event": "had an adverse event after coming back from hospital",
    "family_withdrawal": "stopped helping",
    "provider_exit": "stopped serving",
    "provider_back": "service resumed",
    "coordination_failure": "missed or clashed with another provider's intervention",
    "conflict": "conflict between residents or over common spaces",
    "dispute": "autonomy-vs-safety disagreement raised",
    "agreement": "autonomy-vs-safety choice agreed",
    "animator_absence": "away",
    "animator_back": "back at work",
    "animator_turnover": "left the post (strain)",
    "animator_recruited": "new animator recruited",
}


@dataclass(frozen=True)
class Event:
    """One thing that happened."""

    replication: int
    day: int
    kind: str
    who: str
    what: str


class EventLog:
    """Collects events when enabled; costs one boolean test per call when not."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.events: list[Event] = []

    def record(self, day: int, kind: str, mask: np.ndarray, who: str, detail: str = "") -> None:
        """Record `kind` for every replication where `mask` is true.

        Args:
            day: today.
            kind: a key of EVENT_KINDS.
            mask: bool (R,), or an int count per replication (one event per unit).
            who: the actor, e.g. "resident 3" or "animator".
            detail: appended to the sentence, e.g. "for 9 days".
        """
        if not self.enabled:
            return
        what = EVENT_KINDS[kind] + (f" ({detail})" if detail else "")
        counts = np.asarray(mask).astype(np.int64)
        for replication in np.flatnonzero(counts):
            event = Event(int(replication), day, kind, who, what)
            self.events.extend([event] * int(counts[replication]))

    def record_rows(
        self,
        day: int,
        kinds: Sequence[tuple[str, np.ndarray] | tuple[str, np.ndarray, str]],
        names: list[str],
    ) -> None:
        """Record several kinds for every dwelling, dwelling by dwelling, in `kinds` order.

        The same events, in the same order, as each dwelling's agent recording its
        own kinds in turn.

        Args:
            day: today.
            kinds: (kind, mask) pairs, each mask (D, R): bool or counts; a third
                item is the event's detail.
            names: the actor of each row, e.g. "resident 3".
        """
        if not self.enabled:
            return
        for row, who in enumerate(names):
            for kind, mask, *detail in kinds:
                self.record(day, kind, mask[row], who, *detail)

    def to_frame(self) -> pd.DataFrame:
        """The log sorted by replication then day, as a table."""
        frame = pd.DataFrame(
            [vars(e) for e in self.events], columns=["replication", "day", "kind", "who", "what"]
        )
        return frame.sort_values(["replication", "day"], kind="stable").reset_index(drop=True)
