"""Vehicles: a make, model and colour around a registration mark."""

from __future__ import annotations

import random

from relook.synth.codes import pick
from relook.synth.identifiers import VrmIssuer
from relook.synth.model import Vehicle

_MODELS: tuple[tuple[str, str], ...] = (
    ("Vauxhall", "Corsa"), ("Vauxhall", "Astra"), ("Vauxhall", "Insignia"), ("Ford", "Focus"),
    ("Ford", "Fiesta"), ("Ford", "Mondeo"), ("Volkswagen", "Golf"), ("Volkswagen", "Passat"),
    ("Toyota", "Prius"), ("Toyota", "Avensis"), ("BMW", "3 Series"), ("Audi", "A3"),
    ("Mercedes-Benz", "C-Class"), ("Nissan", "Qashqai"), ("Skoda", "Octavia"),
    ("Peugeot", "308"), ("Honda", "Civic"), ("Renault", "Clio"), ("Hyundai", "i30"),
    ("Kia", "Sportage"), ("Seat", "Leon"), ("Citroen", "C4"),
)  # fmt: skip
_COLOURS = ("Silver", "Black", "Grey", "White", "Blue", "Red", "Green")


def draw_vehicle(rng: random.Random, vrms: VrmIssuer) -> Vehicle:
    """A vehicle with a registration mark no other vehicle has."""
    make, model = pick(rng, _MODELS)
    return Vehicle(vrms.new(), make, model, pick(rng, _COLOURS))
