"""A decision's effect: the habitat with it against the habitat without, on the same seeds.

Both runs use the same seed and the effect is read replication by replication,
`with - without`: its median, its 90 % band, and the share of runs where it goes
up or down. An effect is said to be clear when 9 runs in 10 or more go the same
way.

The pairing is weak: each habitat draws from one generator whose draws depend on
the state (`sim/streams.py`), so once the two habitats differ their later draws
differ too (on the demo, the two runs' unmet hours correlate at about -0.1 when
one family steps back). The shares are then close to the chance that a run with
the decision does worse than an independent run without it, which is what the
screens say ("dans 9 simulations sur 10"), never a precision the pairing lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["OUTCOMES", "Effect", "Outcome", "effects", "reading"]

LOW, HIGH = 5.0, 95.0
#: The share of runs going the same way for an effect to be called clear.
CLEAR = 0.9


@dataclass(frozen=True)
class Outcome:
    """One outcome a decision is judged on, as the screens say it.

    Attributes:
        metric: the simulation metric (reduced over the run as its catalogue says).
        label_fr: what it is, in French.
        unit_fr: its unit, in French.
        factor: from the metric's unit to the unit shown (7: h/day to h/week).
        better: +1 when more is better, -1 when less is, 0 when neither.
    """

    metric: str
    label_fr: str
    unit_fr: str
    factor: float
    better: int


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("unmet_individual_hours", "Aide individuelle non couverte", "h/semaine", 7.0, -1),
    Outcome("conflicts_new", "Conflits sur la période", "conflits", 1.0, -1),
    Outcome(
        "animator_workload_ratio", "Charge de l'animateur·rice (1 : son temps plein)", "", 1.0, -1
    ),
    Outcome("social_mix_index", "Mixité (publics et dépendance, de 0 à 1)", "", 1.0, 0),
    Outcome("exits", "Départs", "habitants", 1.0, -1),
    Outcome(
        "quality_of_life_everyone",
        "Qualité de vie (tous ceux qui ont vécu là, de 0 à 1)",
        "",
        1.0,
        1,
    ),
    Outcome("cost_per_resident_year", "Coût par habitant et par an", "€/an", 1.0, -1),
)

METRICS: tuple[str, ...] = tuple(o.metric for o in OUTCOMES)


@dataclass(frozen=True)
class Effect:
    """An outcome without and with the decision, and the paired difference."""

    outcome: Outcome
    without: float
    with_: float
    difference: float
    band: tuple[float, float]
    up: float
    down: float

    @property
    def clear(self) -> bool:
        """Whether 9 runs in 10 or more move the outcome the same way."""
        return max(self.up, self.down) >= CLEAR


def effects(without: pd.DataFrame, with_: pd.DataFrame) -> list[Effect]:
    """Each outcome's medians and paired difference, from two `per_replication()` tables."""
    rows = []
    for outcome in OUTCOMES:
        a = without[outcome.metric].to_numpy(dtype=float) * outcome.factor
        b = with_[outcome.metric].to_numpy(dtype=float) * outcome.factor
        difference = b - a
        low, median, high = np.percentile(difference, [LOW, 50.0, HIGH])
        rows.append(
            Effect(
                outcome,
                float(np.median(a)),
                float(np.median(b)),
                float(median),
                (float(low), float(high)),
                float((difference > 0).mean()),
                float((difference < 0).mean()),
            )
        )
    return rows


def _fr(value: float) -> str:
    digits = 2 if abs(value) < 10 else 1 if abs(value) < 100 else 0
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")


def reading(effect: Effect) -> str:
    """One plain-French sentence on an effect."""
    o = effect.outcome
    unit = f" {o.unit_fr}" if o.unit_fr else ""
    text = f"{o.label_fr} : {_fr(effect.without)} → {_fr(effect.with_)}{unit} (médianes)"
    up, down = round(10 * effect.up), round(10 * effect.down)
    if not effect.clear:
        if not up and not down:
            return text + " : pas de changement."
        return (
            f"{text} : écart incertain, en hausse dans {up} simulation{'s' if up > 1 else ''} "
            f"sur 10, en baisse dans {down}."
        )
    rising = effect.up > effect.down
    judged = ""
    if o.better:
        judged = ", une amélioration" if rising == (o.better > 0) else ", une dégradation"
    low, high = effect.band
    return (
        f"{text} : {'hausse' if rising else 'baisse'} nette{judged} (dans "
        f"{up if rising else down} simulations sur 10) ; l'écart va de {_fr(low)} à "
        f"{_fr(high)} dans 9 simulations sur 10."
    )
