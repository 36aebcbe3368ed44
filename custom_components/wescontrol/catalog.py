"""The feature catalogue: what each WES feature kind looks like to Home Assistant.

One entry per ``FeatureKind`` says how the kind is named (translation key), which page of
the WES web interface shows it, whether each instance becomes a device of its own, and
which per-instance options it takes with their choices and default. The options flow, the
coordinator and the entities all read this table, so nothing drifts between them.

This module also turns entry options into the protocol's ``EnabledFeatures`` and guesses,
from a first read of the WES, which instances are wired (``preselect``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from .const import OPT_FEATURES, OPT_MAINS_VOLTAGE, OPT_SCREEN
from .wes.features import (
    CLAMP_TYPES,
    INSTANCE_COUNT,
    MEASURES,
    METER_TYPES,
    ONEWIRE_RELAY_COUNTS,
    OPT_CLAMP_TYPE,
    OPT_MEASURE,
    OPT_METER_TYPE,
    OPT_PROBE_KIND,
    OPT_RELAY_COUNT,
    OPT_TARIFF,
    PROBE_KINDS,
    TARIFFS,
    TIC_MEASURES,
    EnabledFeatures,
    FeatureKind,
)

if TYPE_CHECKING:
    from .wes.models import WesData, WesNames

# Relays on a 1-Wire card sit at ids 100 + 10 * (card - 1) + relay, relay 1..8.
_ONEWIRE_FIRST_ID: Final = 101
_ONEWIRE_CARD_STRIDE: Final = 10
_ONEWIRE_SMALL_CARD: Final = 3


@dataclass(frozen=True, slots=True)
class InstanceOption:
    """One per-instance option: its key and allowed values (the first is the default)."""

    key: str
    choices: tuple[str, ...]

    @property
    def default(self) -> str:
        """The value used when the user set nothing (or something no longer valid)."""
        return self.choices[0]


@dataclass(frozen=True, slots=True)
class KindSpec:
    """How one feature kind appears in Home Assistant."""

    kind: FeatureKind
    translation_key: str  # also the key of the kind in the flows' texts
    web_page: str | None  # page of the WES web interface showing it (configuration_url)
    sub_device: bool  # each enabled instance is a device attached to the WES device
    options: tuple[InstanceOption, ...] = ()

    @property
    def count(self) -> int:
        """How many instances of this kind a WES can have."""
        return INSTANCE_COUNT[self.kind]

    def default_options(self) -> dict[str, str]:
        """Options of a freshly enabled instance."""
        return {option.key: option.default for option in self.options}


CATALOG: Final[Mapping[FeatureKind, KindSpec]] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            FeatureKind.TIC,
            "tic",
            "TICVAL.HTM",
            sub_device=True,
            options=(
                InstanceOption(OPT_TARIFF, TARIFFS),
                InstanceOption(OPT_MEASURE, TIC_MEASURES),
            ),
        ),
        KindSpec(
            FeatureKind.CLAMP,
            "clamp",
            "PCEVAL.HTM",
            sub_device=True,
            options=(
                InstanceOption(OPT_MEASURE, MEASURES),
                InstanceOption(OPT_CLAMP_TYPE, CLAMP_TYPES),
            ),
        ),
        KindSpec(
            FeatureKind.PULSE_COUNTER,
            "pulse_counter",
            "PULSES.HTM",
            sub_device=True,
            options=(
                InstanceOption(OPT_METER_TYPE, METER_TYPES),
                InstanceOption(OPT_MEASURE, MEASURES),
            ),
        ),
        KindSpec(
            FeatureKind.PROBE,
            "probe",
            "TMP.HTM",
            sub_device=True,
            options=(InstanceOption(OPT_PROBE_KIND, PROBE_KINDS),),
        ),
        KindSpec(
            FeatureKind.ONEWIRE_CARD,
            "onewire_card",
            "RELAIS.HTM",
            sub_device=True,
            options=(InstanceOption(OPT_RELAY_COUNT, ONEWIRE_RELAY_COUNTS),),
        ),
        KindSpec(FeatureKind.RELAY, "relay", "RELAIS.HTM", sub_device=False),
        KindSpec(FeatureKind.INPUT, "input", "RELAIS.HTM", sub_device=False),
        KindSpec(FeatureKind.ANALOG_INPUT, "analog_input", "RELAIS.HTM", sub_device=False),
        KindSpec(FeatureKind.VIRTUAL_SWITCH, "virtual_switch", "RELAIS.HTM", sub_device=False),
        KindSpec(FeatureKind.VARIABLE, "variable", None, sub_device=False),
    )
}

# Kinds whose instances carry per-instance options (the options flow has a page for each).
KINDS_WITH_OPTIONS: Final = tuple(kind for kind, spec in CATALOG.items() if spec.options)


def instance_names(names: WesNames, kind: FeatureKind) -> Mapping[int, str]:
    """User-given names of one kind's instances, as read from the WES (may be empty)."""
    by_kind: dict[FeatureKind, Mapping[int, str]] = {
        FeatureKind.TIC: names.tics,
        FeatureKind.CLAMP: names.clamps,
        FeatureKind.PULSE_COUNTER: names.pulse_counters,
        FeatureKind.PROBE: names.probes,
        FeatureKind.RELAY: names.relays,
        FeatureKind.INPUT: names.inputs,
        FeatureKind.ANALOG_INPUT: names.analog_inputs,
        FeatureKind.VIRTUAL_SWITCH: names.virtual_switches,
    }
    return by_kind.get(kind, {})


def instance_options(kind: FeatureKind, raw: Mapping[str, Any] | None) -> dict[str, str]:
    """Validated options of one instance: unknown keys dropped, bad values set to default."""
    raw = raw or {}
    result: dict[str, str] = {}
    for option in CATALOG[kind].options:
        value = raw.get(option.key)
        result[option.key] = value if value in option.choices else option.default
    return result


def enabled_instances(options: Mapping[str, Any]) -> dict[FeatureKind, dict[int, dict[str, str]]]:
    """The instances enabled in entry options, validated, keyed by kind and number.

    Entries for unknown kinds or out-of-range numbers are ignored rather than failing the
    setup: options written by an older or newer version must never brick an entry.
    """
    raw_features = options.get(OPT_FEATURES)
    if not isinstance(raw_features, Mapping):
        return {}
    result: dict[FeatureKind, dict[int, dict[str, str]]] = {}
    for raw_kind, raw_instances in raw_features.items():
        try:
            kind = FeatureKind(raw_kind)
        except ValueError:
            continue
        if not isinstance(raw_instances, Mapping):
            continue
        numbers: dict[int, dict[str, str]] = {}
        for raw_number, raw_options in raw_instances.items():
            try:
                number = int(raw_number)
            except (TypeError, ValueError):
                continue
            if not 1 <= number <= CATALOG[kind].count:
                continue
            opts = raw_options if isinstance(raw_options, Mapping) else None
            numbers[number] = instance_options(kind, opts)
        if numbers:
            result[kind] = dict(sorted(numbers.items()))
    return result


def features_from_options(options: Mapping[str, Any]) -> EnabledFeatures:
    """Build the protocol's view of what the user enabled from the entry options."""
    return EnabledFeatures(
        instances=enabled_instances(options),
        screen=bool(options.get(OPT_SCREEN, False)),
        mains_voltage=bool(options.get(OPT_MAINS_VOLTAGE, False)),
    )


def features_to_option(
    instances: Mapping[FeatureKind, Mapping[int, Mapping[str, str]]],
) -> dict[str, dict[str, dict[str, str]]]:
    """Serialise enabled instances into the ``OPT_FEATURES`` shape (JSON-friendly)."""
    return {
        kind.value: {str(number): dict(opts) for number, opts in sorted(numbers.items())}
        for kind, numbers in instances.items()
        if numbers
    }


def _nonzero(value: float | None) -> bool:
    return value is not None and value != 0


def _onewire_cards(relay_ids: list[int]) -> dict[int, dict[str, str]]:
    """Cards seen in the 1-Wire relay section, with 3 or 8 relays per what was printed."""
    highest: dict[int, int] = {}
    for relay_id in relay_ids:
        offset = relay_id - _ONEWIRE_FIRST_ID
        card, relay = offset // _ONEWIRE_CARD_STRIDE + 1, offset % _ONEWIRE_CARD_STRIDE + 1
        if 1 <= card <= CATALOG[FeatureKind.ONEWIRE_CARD].count and relay <= 8:  # noqa: PLR2004
            highest[card] = max(highest.get(card, 0), relay)
    return {
        card: {OPT_RELAY_COUNT: "3" if top <= _ONEWIRE_SMALL_CARD else "8"}
        for card, top in sorted(highest.items())
    }


def _wired_meters(data: WesData) -> dict[FeatureKind, dict[int, dict[str, str]]]:
    """Metering instances that show signs of life (see ``preselect``)."""
    found: dict[FeatureKind, dict[int, dict[str, str]]] = {
        FeatureKind.TIC: {},
        FeatureKind.CLAMP: {},
        FeatureKind.PULSE_COUNTER: {},
        FeatureKind.PROBE: {},
    }
    for number, tic in data.tics.items():
        if tic.present:
            producer = bool(tic.producer) or _nonzero(tic.injection_index)
            found[FeatureKind.TIC][number] = {OPT_MEASURE: "both" if producer else "consumption"}
    for number, clamp in data.clamps.items():
        drawn = (clamp.current, clamp.apparent_power, clamp.real_power, clamp.index)
        if any(_nonzero(value) for value in drawn):
            found[FeatureKind.CLAMP][number] = {}
        elif _nonzero(clamp.injection_index):
            found[FeatureKind.CLAMP][number] = {OPT_MEASURE: "production"}
    for number, counter in data.pulse_counters.items():
        if any(_nonzero(v) for v in (counter.index, counter.pulses_today, counter.flow)):
            found[FeatureKind.PULSE_COUNTER][number] = {}
    found[FeatureKind.PROBE] = {n: {} for n, value in data.probes.items() if _nonzero(value)}
    return found


def preselect(data: WesData) -> dict[str, Any]:
    """Guess the wired instances from a first read, as the flow's pre-selection.

    The WES prints every input whether wired or not, so "wired" is inferred:

    * TIC: a meter answers (its ADCO is not absent); a producer gets "both" measures.
    * Clamps and pulse counters: a non-zero current, power, index or pulse count.
    * Probes: a reading that is present and not 0.0 (an absent probe prints 0.0).
    * 1-Wire relay cards: their relays appear in the 1-Wire section (printed only when a
      card exists); 3 or 8 relays per the highest relay printed.
    * The two on-board relays and the two inputs always exist: always selected.
    * Analog inputs and variables: a non-zero value. Virtual switches: those that are on.
      Unused ones read 0 and stay off the list; the user can add them.
    * Hardware flags: the 9 V supply when a mains voltage is read, the screen when an
      alarm state is printed.
    """
    found = _wired_meters(data)
    found[FeatureKind.ONEWIRE_CARD] = _onewire_cards(list(data.onewire_relays))
    for kind in (FeatureKind.RELAY, FeatureKind.INPUT):
        found[kind] = {number: {} for number in range(1, CATALOG[kind].count + 1)}
    found[FeatureKind.ANALOG_INPUT] = {
        n: {} for n, value in data.analog_inputs.items() if _nonzero(value)
    }
    found[FeatureKind.VARIABLE] = {n: {} for n, value in data.variables.items() if _nonzero(value)}
    found[FeatureKind.VIRTUAL_SWITCH] = {n: {} for n, on in data.virtual_switches.items() if on}

    instances = {
        kind: {
            number: CATALOG[kind].default_options() | opts
            for number, opts in numbers.items()
            if 1 <= number <= CATALOG[kind].count
        }
        for kind, numbers in found.items()
    }
    return {
        OPT_FEATURES: features_to_option(instances),
        OPT_SCREEN: data.info.alarm is not None,
        OPT_MAINS_VOLTAGE: _nonzero(data.mains_voltage),
    }
