"""relook's version: one place, read by the package metadata (pyproject) and every run."""

__version__ = "0.1.0"
