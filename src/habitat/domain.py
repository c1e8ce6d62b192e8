"""The domain's shared vocabulary (DOMAIN.md §2, §3, §8), used by both halves."""

from __future__ import annotations

from enum import StrEnum


class Public(StrEnum):
    """The public a resident belongs to (DOMAIN.md §3)."""

    ELDERLY = "elderly"
    MOTOR = "motor"
    PSYCHIC = "psychic"
    INTELLECTUAL = "intellectual"
    AUTISM = "autism"
    SENSORY = "sensory"


PUBLICS: tuple[Public, ...] = tuple(Public)


class SupportFunction(StrEnum):
    """Piveteau/Wolfrom's four functions every habitat needs (DOMAIN.md §2)."""

    PREMISES = "premises"
    COLLECTIVE_ORGANISATION = "collective_organisation"
    COLLECTIVE_PRESENCE = "collective_presence"
    INDIVIDUAL_SUPPORT = "individual_support"


class Role(StrEnum):
    """Who uses the management tool, and so what they may see (the store's accounts carry one)."""

    ANIMATOR = "animator"
    HOST = "host"
    PROVIDER = "provider"
    FAMILY = "family"
    RESIDENT = "resident"
    # A project promoter explores scenarios; no personal data of any habitat.
    PROMOTER = "promoter"
