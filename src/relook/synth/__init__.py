"""Synthetic force generator with ground truth: realistic records, no real data."""

from relook.synth.generate import GENERATOR_VERSION, SynthSummary, generate

__all__ = ["GENERATOR_VERSION", "SynthSummary", "generate"]
