"""The national criteria's screening inputs: suspects known to have died, and cases
reviewed before under an earlier review.

They are decided on a random stream of their own (seeded from the force's seed), after
the story is built, so planting them leaves every other generated value as it was: the
same seed gives the same force with two more columns filled in. What is decided is true
and written as true (`people.deceased` on every mention of a person who died,
`cases.previously_reviewed` on the case), so the data never contradicts the screening
truth; a blank is "not recorded", as forces often leave it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from relook.synth.model import Case


@dataclass(frozen=True)
class ScreeningInputRates:
    """Shares of the two facts. `NONE` plants nothing (every cell blank)."""

    deceased_suspect: float = 0.04
    """Of identified suspects: known to have died."""
    recorded_alive: float = 0.3
    """Of the other identified suspects: `false` written rather than a blank."""
    previously_reviewed: float = 0.03
    """Of cases: reviewed before."""
    recorded_not_reviewed: float = 0.4
    """Of the other cases: `false` written rather than a blank."""


RATES = ScreeningInputRates()
NONE = ScreeningInputRates(0.0, 0.0, 0.0, 0.0)


def _tri_state(rng: random.Random, true_share: float, false_share: float) -> bool | None:
    roll = rng.random()
    if roll < true_share:
        return True
    return False if rng.random() < false_share else None


def plant_screening_inputs(
    seed: int, cases: list[Case], rates: ScreeningInputRates = RATES
) -> None:
    """Set `Person.deceased` on each identified suspect and `Case.previously_reviewed`
    on each case, in case order, from the stream `screening-inputs-<seed>`."""
    rng = random.Random(f"screening-inputs-{seed}")
    decided: set[str] = set()
    for case in cases:
        case.previously_reviewed = _tri_state(
            rng, rates.previously_reviewed, rates.recorded_not_reviewed
        )
        for suspect in case.people("suspect"):
            if suspect.identified and suspect.person_id not in decided:
                decided.add(suspect.person_id)
                suspect.deceased = _tri_state(rng, rates.deceased_suspect, rates.recorded_alive)
