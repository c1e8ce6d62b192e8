"""Care around the resident and what it costs: who counts in the outcomes, and how.

The outcomes that decide a project (docs/MODEL.md §3.3.19): quality of life over
everyone who lived in the habitat, a quality-adjusted life measure in the form of
Gostoli & Silverman (2020), and the cost of care per resident per year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from habitat.sim.masks import count_by_column

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel

__all__ = [
    "QUALITY_AFTER_DEATH",
    "account_people",
    "count_leavers",
    "hospital_days",
    "individual_help_hours",
    "qaly_weight",
]

#: A resident who died counts for 0 from then on (the QALY convention).
QUALITY_AFTER_DEATH = 0.0


def count_leavers(model: HabitatModel, who: np.ndarray, reason: str) -> None:
    """Keep what the residents of one dwelling leaving today count for from now on.

    Args:
        model: the habitat (or batch).
        who: bool (R,), replications where the resident leaves.
        reason: "death" (counts `QUALITY_AFTER_DEATH`), else a move to an institution or
            elsewhere (both count `quality_of_life.after_institution`, an assumption).
    """
    value = (
        QUALITY_AFTER_DEATH if reason == "death" else model.params.quality_of_life.after_institution
    )
    model.state.leavers_quality = model.state.leavers_quality + who * value


def account_people(model: HabitatModel) -> None:
    """Count tonight's newcomers among everyone who lived in the habitat."""
    model.state.people_seen = model.state.people_seen + model.today.entries


def qaly_weight(model: HabitatModel) -> np.ndarray:
    """Each resident's quality-adjusted weight of a year of life, (D, R); 0 where vacant.

    Gostoli & Silverman 2020: exp(-c * need^1.5 * (1 + unmet share)), need the
    care-need level (0-4) of the resident's GIR, unmet the resident's share of
    needs unmet (smoothed over a month).
    """
    r = model.state.residents
    q = model.params.quality_of_life
    exponent = model.tables.qaly_need_power[r.gir] * (1.0 + r.unmet_share)
    exponent *= -q.qaly_need_coefficient
    return np.asarray(np.exp(exponent, out=exponent) * r.occupied)


def individual_help_hours(model: HabitatModel) -> np.ndarray:
    """Professional hours of individual help paid today, (R,).

    The hours providers delivered to each resident, and the pooled hours they
    delivered collectively (with the habitat providers' reliability): pooled hours
    are still individual APA/PCH plan hours, paid at the same tariff.
    """
    t = model.today
    pooled = t.pooled.sum(axis=0) * model.pooled_reliability
    return np.asarray(t.professional.sum(axis=0) + pooled)


def hospital_days(model: HabitatModel) -> np.ndarray:
    """Residents in hospital at the end of the day, (R,): one hospital day each."""
    r = model.state.residents
    return np.asarray(count_by_column(r.occupied & (r.hospital_days_left > 0)))
