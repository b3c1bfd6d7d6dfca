"""Why a review action was refused (the web layer turns each into an HTTP status)."""

from __future__ import annotations

from relook.errors import RelookError


class ReviewError(RelookError):
    """A review action cannot be done as asked."""


class NotAllowed(ReviewError):
    """The policy forbids it for this user (HTTP 403)."""


class NotFound(ReviewError):
    """The case, person, assessment or user does not exist (HTTP 404)."""


class Conflict(ReviewError):
    """The object is not in a state that allows it, e.g. already signed off (HTTP 409)."""


class InvalidInput(ReviewError):
    """The submitted values are incomplete or wrong (HTTP 400)."""
