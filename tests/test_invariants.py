"""Invariants over random scenarios (Hypothesis): the accounting always holds."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from habitat import simulate
from habitat.scenario import scenario_from_data
from habitat.sim.metrics import METRICS

HOURS = [m.name for m in METRICS if m.unit.startswith("h/")]
#: Metrics are stored in float32: sums and differences of them agree to this much.
CLOSE = {"rtol": 1e-5, "atol": 1e-3}


@st.composite
def scenarios(draw):
    dwellings = draw(st.integers(1, 12))
    shocks = draw(
        st.lists(
            st.one_of(
                st.builds(dict, kind=st.just("family_withdrawal"), day=st.integers(1, 60)),
                st.builds(
                    dict,
                    kind=st.just("animator_absence"),
                    day=st.integers(1, 60),
                    duration_days=st.integers(1, 40),
                ),
                st.builds(
                    dict,
                    kind=st.just("provider_exit"),
                    day=st.integers(1, 60),
                    target=st.sampled_from(["habitat", "own_random"]),
                    handover=st.booleans(),
                ),
                st.builds(
                    dict,
                    kind=st.just("new_resident"),
                    day=st.integers(1, 60),
                    resident=st.builds(dict, gir=st.integers(1, 6)),
                ),
                st.builds(
                    dict,
                    kind=st.just("hospitalisation"),
                    day=st.integers(1, 60),
                    target=st.sampled_from(["random", "most_dependent"]),
                ),
            ),
            max_size=4,
        )
    )
    return scenario_from_data(
        {
            "days": 60,
            "habitat": {
                "dwellings": dwellings,
                "common_spaces": draw(st.integers(1, 3)),
                "neighbourhood_access": draw(st.floats(0, 1)),
                "avp_per_resident_eur": draw(st.sampled_from([0, 5000, 7500, 10000])),
                "avp_agreed_residents": draw(st.none() | st.integers(0, dwellings)),
            },
            "residents": {
                "generate": {
                    "count": draw(st.integers(1, dwellings)),
                    "share_elderly": draw(st.floats(0, 1)),
                    "gir_distribution": {g: draw(st.floats(0.01, 1)) for g in range(1, 7)},
                    "share_entered_by_default": draw(st.floats(0, 1)),
                }
            },
            "families": {
                "hours_per_week": draw(st.floats(0, 40)),
                "share_no_family": draw(st.floats(0, 1)),
                "concentration": draw(st.floats(0, 1)),
                "collective_share": draw(st.floats(0, 1)),
            },
            "providers": {"share_own": draw(st.floats(0, 1))},
            "animator": {"hours_per_week": draw(st.floats(0, 50))},
            "policies": {
                "activities_per_week": draw(st.floats(0, 14)),
                "regulation_practice": draw(st.sampled_from(["none", "house_rules", "council"])),
                "pooling_share": draw(st.floats(0, 1)),
                "presence_hours_per_day": draw(st.floats(0, 24)),
            },
            "entry": {"mean_vacancy_days": draw(st.floats(1, 200))},
            "shocks": shocks,
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), seed=st.integers(0, 2**32))
def test_accounting_invariants_hold(scenario, seed):
    m = simulate(scenario, replications=3, seed=seed).metrics
    # No negative hours, anywhere.
    assert (m[HOURS] >= 0).all().all()
    # What is delivered never exceeds what was asked or what was available.
    for function in ("premises", "collective_organisation", "collective_presence", "individual"):
        assert (m[f"delivered_{function}_hours"] <= m[f"demand_{function}_hours"] + 1e-9).all()
    assert (m.animator_hours_worked <= m.animator_hours_available + 1e-9).all()
    # Unmet hours are exactly demand minus delivery.
    unmet_individual = m.demand_individual_hours - m.delivered_individual_hours
    assert np.allclose(m.unmet_individual_hours, unmet_individual, **CLOSE)
    collective = ["premises", "collective_organisation", "collective_presence"]
    unmet_collective = sum(m[f"demand_{f}_hours"] - m[f"delivered_{f}_hours"] for f in collective)
    assert np.allclose(m.unmet_collective_hours, unmet_collective, **CLOSE)
    # AVP accounting adds up, day by day, in every replication.
    for _, rep in m.groupby("replication"):
        flows = (rep.avp_income_eur.astype(float) - rep.avp_spent_eur).cumsum()
        assert np.allclose(rep.avp_balance_eur, flows, rtol=1e-5, atol=0.05)
        # Income follows the agreement (the residents at the start unless it names
        # a number), not the day's occupancy.
        agreed = scenario.habitat.avp_agreed_residents
        agreed = scenario.residents.count if agreed is None else agreed
        assert np.allclose(
            rep.avp_income_eur, scenario.habitat.avp_per_resident_eur / 365 * agreed, **CLOSE
        )
    # Quality of life and rates stay in [0, 1]; nobody lives outside a dwelling.
    for column in ("quality_of_life", "participation_rate", "animator_strain", "social_mix_index"):
        assert m[column].between(0, 1).all()
    assert (m.residents <= scenario.habitat.dwellings).all()
    assert (m.residents >= 0).all()
    assert (m.conflicts_open >= 0).all()
    # Nobody took part in an activity before one was held (a resident who never joined
    # one once counted as "joined in the last 7 days": an int32 day counter wrapped).
    for _, rep in m.groupby("replication"):
        before_any = rep.activities_held.cumsum() == 0
        assert (rep.participation_rate[before_any] == 0).all()
