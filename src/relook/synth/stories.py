"""All the cases of the synthetic force: networks first, then background cases, then
everything put in date order and numbered.

Background cases get their people in date order, so that a suspect can only offend
"again" after a case that was reported earlier. Only background people are named again
by later background cases: a network's people stay within its own cases, so the truth
about which cases form a network stays clean.
"""

from __future__ import annotations

from relook.synth import background, networks
from relook.synth.model import Case, Network
from relook.synth.world import World


def build_cases(world: World, n_cases: int) -> tuple[list[Case], list[Network]]:
    """`n_cases` cases numbered C000001... in order of report date, and the networks."""
    rng = world.rng
    built: list[Network] = []
    network_cases: list[Case] = []
    budget = n_cases // 2  # networks never crowd out the background in a small force
    for number in range(1, networks.network_count(n_cases) + 1):
        network = networks.build_network(world, number)
        own_cases = networks.network_cases(world, network)
        if len(network_cases) + len(own_cases) > budget:
            break
        built.append(network)
        network_cases.extend(own_cases)
    kinds = background.allocate_kinds(rng, n_cases - len(network_cases))
    background_cases = [background.background_case(rng, kind) for kind in kinds]
    ordered = sorted(
        enumerate([*network_cases, *background_cases]),
        key=lambda item: (item[1].reported_on, item[0]),
    )
    history = background.History()
    cases: list[Case] = []
    for number, (_, case) in enumerate(ordered, start=1):
        case.case_id = f"C{number:06d}"
        if case.network is None:
            background.populate(world, case, history)
            history.record(case)
        cases.append(case)
    return cases, built
