"""Write `experiment.yaml`: a Morris screening over every scalar mechanism parameter.

Each scalar number under `mechanisms` (docs/MODEL.md §3.3: published figures and
stated assumptions alike) varies over half to one and a half times its default,
inside the bounds the scenario schema allows. Tables by GIR are screened through
their own studies (calibration), not here: a factor is one scalar path.

Usage: python simulations/screening/make_experiment.py   (rewrites experiment.yaml)
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel

from habitat.scenario import Scenario

HERE = Path(__file__).resolve().parent
#: How far each parameter moves around its default, as a share of it.
SPREAD = 0.5
OUTPUTS = [
    "exits",
    "exits_institution",
    "unmet_individual_hours",
    "cost_per_resident_year",
    "qaly",
    "quality_of_life_everyone",
    "quality_of_life",
    "ruptures",
    "animator_strain",
]


def bounds(model: type[BaseModel], name: str) -> tuple[float, float]:
    """The schema's own limits of a field (inclusive or not), as floats."""
    low, high = float("-inf"), float("inf")
    for rule in model.model_fields[name].metadata:
        for attr, side in (("ge", "low"), ("gt", "low"), ("le", "high"), ("lt", "high")):
            value = getattr(rule, attr, None)
            if value is None:
                continue
            nudge = 1e-9 if attr in ("gt", "lt") else 0.0
            if side == "low":
                low = max(low, float(value) + nudge)
            else:
                high = min(high, float(value) - nudge)
    return low, high


def factors() -> list[dict]:
    """One factor per scalar mechanism parameter with a non-zero default."""
    base = Scenario.model_validate(
        yaml.safe_load((HERE.parent.parent / "scenarios" / "elderly_baseline.yaml").read_text())
    )
    out = []
    for group_name in type(base.mechanisms).model_fields:
        group = getattr(base.mechanisms, group_name)
        for name in type(group).model_fields:
            value = getattr(group, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value == 0:
                continue
            low, high = bounds(type(group), name)
            lo = max(value * (1 - SPREAD), low)
            hi = min(value * (1 + SPREAD), high)
            if hi <= lo:
                continue
            out.append(
                {"path": f"mechanisms.{group_name}.{name}", "range": [round(lo, 6), round(hi, 6)]}
            )
    return out


def main() -> None:
    found = factors()
    header = (
        "# Morris screening of every scalar mechanism parameter (written by\n"
        "# make_experiment.py: each over 0.5-1.5 times its default, inside its schema bounds).\n"
    )
    data = {
        "name": "Screening of every mechanism parameter",
        "description": (
            f"Morris elementary effects of {len(found)} scalar mechanism parameters on the "
            "outcomes that decide a project, elderly baseline, one year."
        ),
        "scenario": "../../scenarios/elderly_baseline.yaml",
        "days": 365,
        "replications": 100,
        "seed": 606,
        "design": {"kind": "morris", "samples": 8, "morris_levels": 4},
        "factors": found,
        "outputs": {"summaries": OUTPUTS},
    }
    text = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    (HERE / "experiment.yaml").write_text(text, encoding="utf-8")
    print(f"{len(found)} factors written to {HERE / 'experiment.yaml'}")


if __name__ == "__main__":
    main()
