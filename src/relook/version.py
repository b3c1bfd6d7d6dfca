"""relook's version: one place, read by the package metadata (pyproject) and every run.

It is part of every run id (`relook.runs.RunIdentity`), and the review store refuses a
run id whose results differ from those it holds. So it goes up whenever the same inputs
can give different results or a different store: 0.2.0 scores swapped names once and
stores one document per network.
"""

__version__ = "0.2.0"
