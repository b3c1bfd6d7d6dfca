"""Value normalisers: pure functions from a value as recorded to a comparable form."""

from relook.normalise.names import (
    fold_name,
    forename_group,
    is_placeholder_name,
    name_key,
    split_aliases,
)
from relook.normalise.phones import phone_kind, to_e164
from relook.normalise.postcodes import (
    POSTCODE_PATTERN,
    normalise_postcode,
    postcode_district,
    postcode_sector,
)
from relook.normalise.vrm import VRM_CANDIDATE_PATTERN, Vrm, VrmFormat, normalise_vrm

__all__ = [
    "POSTCODE_PATTERN",
    "VRM_CANDIDATE_PATTERN",
    "Vrm",
    "VrmFormat",
    "fold_name",
    "forename_group",
    "is_placeholder_name",
    "name_key",
    "normalise_postcode",
    "normalise_vrm",
    "phone_kind",
    "postcode_district",
    "postcode_sector",
    "split_aliases",
    "to_e164",
]
