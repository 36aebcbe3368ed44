"""The WES feature kinds and the set of instances a user enabled.

This is the protocol-level half of the feature catalogue: what exists on a WES and how
many of each. The integration builds an ``EnabledFeatures`` from its options; the CGX
generator reads it to decide which fields go into our data file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final


class FeatureKind(StrEnum):
    """A kind of WES input or output; each has numbered instances."""

    TIC = "tic"
    CLAMP = "clamp"
    PULSE_COUNTER = "pulse_counter"
    PROBE = "probe"
    RELAY = "relay"
    ONEWIRE_CARD = "onewire_card"
    INPUT = "input"
    ANALOG_INPUT = "analog_input"
    VIRTUAL_SWITCH = "virtual_switch"
    VARIABLE = "variable"


INSTANCE_COUNT: Final[Mapping[FeatureKind, int]] = {
    FeatureKind.TIC: 3,
    FeatureKind.CLAMP: 4,
    FeatureKind.PULSE_COUNTER: 6,
    FeatureKind.PROBE: 30,
    FeatureKind.RELAY: 2,
    FeatureKind.ONEWIRE_CARD: 10,
    FeatureKind.INPUT: 2,
    FeatureKind.ANALOG_INPUT: 4,
    FeatureKind.VIRTUAL_SWITCH: 24,
    FeatureKind.VARIABLE: 8,
}

# Per-instance option keys and their allowed values (the first is the default).
OPT_TARIFF: Final = "tariff"  # TIC
TARIFFS: Final = ("auto", "base", "hc", "ejp", "tempo")
OPT_MEASURE: Final = "measure"  # TIC, clamp, pulse counter
TIC_MEASURES: Final = ("consumption", "production", "both")
MEASURES: Final = ("consumption", "production")
OPT_CLAMP_TYPE: Final = "clamp_type"  # clamp
CLAMP_TYPES: Final = ("100a", "20a")
OPT_METER_TYPE: Final = "meter_type"  # pulse counter
METER_TYPES: Final = ("water", "gas", "gazpar", "electricity", "fuel_oil", "calories")
OPT_PROBE_KIND: Final = "probe_kind"  # probe
PROBE_KINDS: Final = ("temperature", "humidity", "luminosity")
OPT_RELAY_COUNT: Final = "relay_count"  # 1-Wire relay card: 3 or 8 relays
ONEWIRE_RELAY_COUNTS: Final = ("8", "3")


def onewire_relay_id(card: int, relay: int) -> int:
    """WES id of relay ``relay`` (1-8) on 1-Wire card ``card`` (1-10): 101..198."""
    return 100 + 10 * (card - 1) + relay


def onewire_card_id(card: int) -> int:
    """WES id that drives every relay of 1-Wire card ``card`` at once: 109, 119, .. 199."""
    return 100 + 10 * (card - 1) + 9


@dataclass(frozen=True, slots=True)
class EnabledFeatures:
    """The instances the user enabled, each with its options, plus the hardware flags."""

    instances: Mapping[FeatureKind, Mapping[int, Mapping[str, str]]] = field(default_factory=dict)
    screen: bool = False  # the optional screen: alarm state and commands
    mains_voltage: bool = False  # the optional 9 V supply: mains voltage

    def numbers(self, kind: FeatureKind) -> list[int]:
        """Enabled instance numbers of one kind, in order."""
        return sorted(self.instances.get(kind, {}))

    def option(self, kind: FeatureKind, number: int, key: str, default: str) -> str:
        """One option of an enabled instance, or ``default`` when unset."""
        return self.instances.get(kind, {}).get(number, {}).get(key, default)
