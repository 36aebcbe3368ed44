"""Sensors: everything the WES measures, counts or totals.

Descriptions say what to read (``value_fn``) and whether the entity exists for one
instance (``exists_fn``: the enabled features, the instance options and the first poll
decide). Lifetime energy/volume indexes carry the energy guard: a read of 0 or below the
last good value is published as unknown, never as a drop that Home Assistant's statistics
would book as a meter reset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Final, override

from homeassistant.components.sensor import (
    RestoreSensor,
    SensorDeviceClass,
    SensorEntityDescription,
    SensorExtraStoredData,
    SensorStateClass,
)
from homeassistant.const import (
    CURRENCY_EURO,
    LIGHT_LUX,
    PERCENTAGE,
    EntityCategory,
    UnitOfApparentPower,
    UnitOfElectricCurrent,
    UnitOfElectricPotential,
    UnitOfEnergy,
    UnitOfInformation,
    UnitOfPower,
    UnitOfTemperature,
    UnitOfVolume,
    UnitOfVolumeFlowRate,
)
from homeassistant.core import callback
from homeassistant.util import dt as dt_util

from .entity import ExistsFn, WesDevices, WesEntity, always_exists, build_entities
from .wes.features import (
    OPT_MEASURE,
    OPT_METER_TYPE,
    OPT_PROBE_KIND,
    OPT_TARIFF,
    FeatureKind,
)
from .wes.models import TIC_REGISTERS, Clamp, PeriodValues, PulseCounter, Tic

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
    from homeassistant.helpers.typing import StateType

    from .coordinator import WesConfigEntry, WesCoordinator

# Every entity reads the coordinator's data: no polling of its own.
PARALLEL_UPDATES = 0

type SensorValue = StateType | datetime
type ValueFn = Callable[[WesCoordinator, int], SensorValue]


class Period(StrEnum):
    """The span a WES total covers; it restarts from 0 at the start of the next one."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, kw_only=True)
class WesSensorEntityDescription(SensorEntityDescription):
    """A WES sensor: how to read it and whether it exists for one instance."""

    value_fn: ValueFn
    exists_fn: ExistsFn = always_exists
    lifetime_index: bool = False  # energy guard: never 0, never backwards
    resets_every: Period | None = None  # totals with a last_reset (monetary)
    none_is_unavailable: bool = False  # a probe that does not read is unavailable
    # The model attribute (or TIC register) read: unavailable when the file lacks it.
    source_field: str | None = None


# --- Instance accessors ------------------------------------------------------------------

_NO_TIC: Final = Tic()
_NO_CLAMP: Final = Clamp()
_NO_COUNTER: Final = PulseCounter()


def _tic(coordinator: WesCoordinator, number: int) -> Tic:
    return coordinator.data.tics.get(number) or _NO_TIC


def _clamp(coordinator: WesCoordinator, number: int) -> Clamp:
    return coordinator.data.clamps.get(number) or _NO_CLAMP


def _counter(coordinator: WesCoordinator, number: int) -> PulseCounter:
    return coordinator.data.pulse_counters.get(number) or _NO_COUNTER


def _option(coordinator: WesCoordinator, kind: FeatureKind, number: int, key: str) -> str:
    return coordinator.features.option(kind, number, key, "")


def _period(values: PeriodValues, period: Period) -> float | None:
    if period is Period.DAY:
        return values.day
    return values.month if period is Period.MONTH else values.year


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _period_reader(
    values: Callable[[WesCoordinator, int], PeriodValues], period: Period, factor: float = 1.0
) -> ValueFn:
    """Read one period of a day/month/year total, scaled to the sensor's unit."""

    def read(coordinator: WesCoordinator, number: int) -> float | None:
        return _scaled(_period(values(coordinator, number), period), factor)

    return read


def _phase_reader(values: str, phase: int) -> ValueFn:
    """Read one phase of a TIC per-phase field (``current``, ``max_current``, ``voltage``)."""

    def read(coordinator: WesCoordinator, number: int) -> int | None:
        readings: dict[int, int] = getattr(_tic(coordinator, number), values)
        return readings.get(phase)

    return read


# --- Teleinfo ------------------------------------------------------------------------------

TARIFF_REGISTERS: Final[dict[str, tuple[str, ...]]] = {
    "base": ("base",),
    "hc": ("hchc", "hchp"),
    "ejp": ("ejphn", "ejphpm"),
    "tempo": ("bbrhcjb", "bbrhpjb", "bbrhcjw", "bbrhpjw", "bbrhcjr", "bbrhpjr"),
}

# OPTARIF (trailing dots stripped) -> our tariff, by prefix, most specific first.
_OPTARIF_PREFIXES: Final = (("BBR", "tempo"), ("EJP", "ejp"), ("HC", "hc"), ("BASE", "base"))

TARIFF_PERIODS: Final = (
    "off_peak_blue",
    "peak_blue",
    "off_peak_white",
    "peak_white",
    "off_peak_red",
    "peak_red",
    "off_peak",
    "peak",
    "base",
    "ejp_normal",
    "ejp_peak",
)
# Raw PTEC codes, for files that print the meter's code instead of the WES's words.
_PTEC_CODES: Final[dict[str, str]] = {
    "TH": "base",
    "HC": "off_peak",
    "HP": "peak",
    "HN": "ejp_normal",
    "PM": "ejp_peak",
    "HCJB": "off_peak_blue",
    "HPJB": "peak_blue",
    "HCJW": "off_peak_white",
    "HPJW": "peak_white",
    "HCJR": "off_peak_red",
    "HPJR": "peak_red",
}
# Words of the WES's PTEC text -> period, tested in this order (a colour may follow).
_PTEC_WORDS: Final = (
    ("CREUSE", "off_peak"),
    ("PLEINE", "peak"),
    ("POINTE", "ejp_peak"),
    ("MOBILE", "ejp_peak"),
    ("NORMAL", "ejp_normal"),
    ("BASE", "base"),
    ("TOUTES", "base"),
)
_COLOURS: Final[dict[str, str]] = {"BLEU": "blue", "BLANC": "white", "ROUGE": "red"}
TOMORROW_COLOURS: Final = ("blue", "white", "red")


def tic_tariff(coordinator: WesCoordinator, number: int) -> str | None:
    """The tariff in force: the option, or for ``auto`` what the meter's OPTARIF says."""
    setting = _option(coordinator, FeatureKind.TIC, number, OPT_TARIFF) or "auto"
    if setting in TARIFF_REGISTERS:
        return setting
    return optarif_tariff(_tic(coordinator, number).tariff_option)


def optarif_tariff(optarif: str | None) -> str | None:
    """The tariff a meter's OPTARIF names (``BBR(`` is Tempo, ``HC..`` off-peak hours)."""
    code = (optarif or "").strip(" .").upper()
    for prefix, tariff in _OPTARIF_PREFIXES:
        if code.startswith(prefix):
            return tariff
    return None


def tic_registers(coordinator: WesCoordinator, number: int) -> tuple[str, ...]:
    """Index registers of the tariff in force (unknown tariff: those that hold a value)."""
    if (tariff := tic_tariff(coordinator, number)) is not None:
        return TARIFF_REGISTERS[tariff]
    indexes = _tic(coordinator, number).indexes
    return tuple(register for register in TIC_REGISTERS if indexes.get(register))


def tariff_period(words: str | None) -> str | None:
    """Translate the WES's PTEC words (``H. Pleine BLEU``) or a raw code to an option.

    Anything else (``Inconnu``, ``TIC NDERR.``, junk) is unknown, never an error.
    """
    text = " ".join((words or "").upper().replace(".", " ").split())
    if (code := text.replace(" ", "")) in _PTEC_CODES:
        return _PTEC_CODES[code]
    colour = tomorrow_colour(text)
    for marker, period in _PTEC_WORDS:
        if marker in text:
            coloured = colour is not None and period in ("off_peak", "peak")
            return f"{period}_{colour}" if coloured else period
    return None


def tomorrow_colour(words: str | None) -> str | None:
    """Tomorrow's Tempo colour from ``Jour BLEU``; ``----`` or junk is unknown."""
    text = (words or "").upper()
    return next((name for word, name in _COLOURS.items() if word in text), None)


def tic_three_phase(tic: Tic) -> bool:
    """Whether the meter reports phases 2 or 3 (a mono meter prints them as 0 or not)."""
    return any(
        values.get(phase)
        for values in (tic.current, tic.max_current, tic.voltage)
        for phase in (2, 3)
    )


def _tic_measure(coordinator: WesCoordinator, number: int) -> str:
    return _option(coordinator, FeatureKind.TIC, number, OPT_MEASURE) or "consumption"


def _tic_consumes(coordinator: WesCoordinator, number: int) -> bool:
    return _tic_measure(coordinator, number) in ("consumption", "both")


def _tic_produces(coordinator: WesCoordinator, number: int) -> bool:
    return _tic_measure(coordinator, number) in ("production", "both")


def _tic_only_produces(coordinator: WesCoordinator, number: int) -> bool:
    return _tic_measure(coordinator, number) == "production"


def _tic_total(coordinator: WesCoordinator, number: int) -> int | None:
    indexes = _tic(coordinator, number).indexes
    values = [indexes.get(register) for register in tic_registers(coordinator, number)]
    if not values or any(value is None for value in values):
        return None
    return sum(value for value in values if value is not None)


def _mono_value(values: dict[int, int]) -> int | None:
    """A single-phase reading: slot 0, else phase 1 for files that only print phases."""
    return values.get(0, values.get(1))


def _register_description(register: str) -> WesSensorEntityDescription:
    return WesSensorEntityDescription(
        key=f"index_{register}",
        translation_key=f"index_{register}",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.WATT_HOUR,
        suggested_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=3,
        lifetime_index=True,
        source_field=register,
        value_fn=lambda c, n: _tic(c, n).indexes.get(register),
        exists_fn=lambda c, n: register in tic_registers(c, n),
    )


def _phase_descriptions(
    key: str, translation_key: str, unit: str, device_class: SensorDeviceClass, values: str
) -> tuple[WesSensorEntityDescription, ...]:
    """One sensor for a mono meter, or one per phase for a three-phase meter."""
    enabled = key != "max_current"
    mono = WesSensorEntityDescription(
        key=key,
        translation_key=translation_key,
        device_class=device_class,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=unit,
        suggested_display_precision=0,
        entity_registry_enabled_default=enabled,
        source_field=values,
        value_fn=lambda c, n: _mono_value(getattr(_tic(c, n), values)),
        exists_fn=lambda c, n: (
            not tic_three_phase(_tic(c, n))
            and (key != "voltage" or bool(_mono_value(_tic(c, n).voltage)))
        ),
    )
    phases = tuple(
        WesSensorEntityDescription(
            key=f"{key}_{phase}",
            translation_key=f"{translation_key}_phase",
            translation_placeholders={"phase": str(phase)},
            device_class=device_class,
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=unit,
            suggested_display_precision=0,
            entity_registry_enabled_default=enabled,
            source_field=values,
            value_fn=_phase_reader(values, phase),
            exists_fn=lambda c, n: tic_three_phase(_tic(c, n)),
        )
        for phase in (1, 2, 3)
    )
    return (mono, *phases)


def _tic_period_descriptions() -> tuple[WesSensorEntityDescription, ...]:
    """Today / month / year consumption and cost, or production and gain."""
    result: list[WesSensorEntityDescription] = []
    for period in Period:
        for prefix, exists in (("consumption", _tic_consumes), ("production", _tic_only_produces)):
            result.append(
                _energy_total(
                    f"{prefix}_{period}",
                    _period_reader(lambda c, n: _tic(c, n).consumption, period),
                    exists,
                    "consumption",
                )
            )
        for prefix, exists in (("cost", _tic_consumes), ("gain", _tic_only_produces)):
            result.append(
                _money(
                    f"{prefix}_{period}",
                    period,
                    _period_reader(lambda c, n: _tic(c, n).cost, period),
                    exists,
                    "cost",
                )
            )
    return tuple(result)


def _energy_total(
    key: str, value_fn: ValueFn, exists_fn: ExistsFn, source_field: str
) -> WesSensorEntityDescription:
    """A day / month / year energy total in kWh (the WES resets it; not guarded)."""
    return WesSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=2,
        source_field=source_field,
        value_fn=value_fn,
        exists_fn=exists_fn,
    )


def _money(
    key: str, period: Period, value_fn: ValueFn, exists_fn: ExistsFn, source_field: str
) -> WesSensorEntityDescription:
    return WesSensorEntityDescription(
        key=key,
        translation_key=key,
        device_class=SensorDeviceClass.MONETARY,
        state_class=SensorStateClass.TOTAL,
        native_unit_of_measurement=CURRENCY_EURO,
        suggested_display_precision=2,
        resets_every=period,
        source_field=source_field,
        value_fn=value_fn,
        exists_fn=exists_fn,
    )


TIC_SENSORS: Final[tuple[WesSensorEntityDescription, ...]] = (
    WesSensorEntityDescription(
        key="tariff_period",
        translation_key="tariff_period",
        device_class=SensorDeviceClass.ENUM,
        options=list(TARIFF_PERIODS),
        value_fn=lambda c, n: tariff_period(_tic(c, n).tariff_period),
    ),
    WesSensorEntityDescription(
        key="tomorrow_colour",
        translation_key="tomorrow_colour",
        device_class=SensorDeviceClass.ENUM,
        options=list(TOMORROW_COLOURS),
        value_fn=lambda c, n: tomorrow_colour(_tic(c, n).tomorrow_color),
        exists_fn=lambda c, n: tic_tariff(c, n) == "tempo",
    ),
    WesSensorEntityDescription(
        key="apparent_power",
        translation_key="apparent_power",
        device_class=SensorDeviceClass.APPARENT_POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfApparentPower.VOLT_AMPERE,
        suggested_display_precision=0,
        value_fn=lambda c, n: _tic(c, n).apparent_power,
    ),
    WesSensorEntityDescription(
        key="injected_apparent_power",
        translation_key="injected_apparent_power",
        device_class=SensorDeviceClass.APPARENT_POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfApparentPower.VOLT_AMPERE,
        suggested_display_precision=0,
        source_field="injected_apparent_power",
        value_fn=lambda c, n: _tic(c, n).injected_apparent_power,
        exists_fn=_tic_produces,
    ),
    *_phase_descriptions(
        "current", "current", UnitOfElectricCurrent.AMPERE, SensorDeviceClass.CURRENT, "current"
    ),
    *_phase_descriptions(
        "max_current",
        "max_current",
        UnitOfElectricCurrent.AMPERE,
        SensorDeviceClass.CURRENT,
        "max_current",
    ),
    *_phase_descriptions(
        "voltage", "voltage", UnitOfElectricPotential.VOLT, SensorDeviceClass.VOLTAGE, "voltage"
    ),
    WesSensorEntityDescription(
        key="subscribed_current",
        translation_key="subscribed_current",
        device_class=SensorDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda c, n: _tic(c, n).subscribed_current,
    ),
    WesSensorEntityDescription(
        key="meter_number",
        translation_key="meter_number",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda c, n: _tic(c, n).adco,
    ),
    WesSensorEntityDescription(
        key="tariff_option",
        translation_key="tariff_option",
        entity_category=EntityCategory.DIAGNOSTIC,
        device_class=SensorDeviceClass.ENUM,
        options=list(TARIFF_REGISTERS),
        value_fn=lambda c, n: optarif_tariff(_tic(c, n).tariff_option),
    ),
    *(_register_description(register) for register in TIC_REGISTERS),
    WesSensorEntityDescription(
        key="total_index",
        translation_key="total_index",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.WATT_HOUR,
        suggested_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=3,
        lifetime_index=True,
        value_fn=_tic_total,
        exists_fn=lambda c, n: bool(tic_registers(c, n)),
    ),
    WesSensorEntityDescription(
        key="injection_index",
        translation_key="injection_index",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.WATT_HOUR,
        suggested_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=3,
        lifetime_index=True,
        source_field="injection_index",
        value_fn=lambda c, n: _tic(c, n).injection_index,
        exists_fn=_tic_produces,
    ),
    *_tic_period_descriptions(),
)


# --- Clamps --------------------------------------------------------------------------------


def _clamp_consumes(coordinator: WesCoordinator, number: int) -> bool:
    return _option(coordinator, FeatureKind.CLAMP, number, OPT_MEASURE) != "production"


def _clamp_produces(coordinator: WesCoordinator, number: int) -> bool:
    return not _clamp_consumes(coordinator, number)


def _clamp_period_descriptions() -> tuple[WesSensorEntityDescription, ...]:
    result: list[WesSensorEntityDescription] = []
    for period in Period:
        result.extend(
            (
                _energy_total(
                    f"consumption_{period}",
                    _period_reader(lambda c, n: _clamp(c, n).consumption, period),
                    _clamp_consumes,
                    "consumption",
                ),
                _money(
                    f"cost_{period}",
                    period,
                    _period_reader(lambda c, n: _clamp(c, n).cost, period),
                    _clamp_consumes,
                    "cost",
                ),
                _energy_total(
                    f"production_{period}",
                    _period_reader(lambda c, n: _clamp(c, n).injection, period),
                    _clamp_produces,
                    "injection",
                ),
                _money(
                    f"gain_{period}",
                    period,
                    _period_reader(lambda c, n: _clamp(c, n).gain, period),
                    _clamp_produces,
                    "gain",
                ),
                WesSensorEntityDescription(
                    key=f"max_current_{period}",
                    translation_key=f"max_current_{period}",
                    device_class=SensorDeviceClass.CURRENT,
                    state_class=SensorStateClass.MEASUREMENT,
                    native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
                    suggested_display_precision=2,
                    entity_registry_enabled_default=False,
                    source_field="max_current",
                    value_fn=_period_reader(lambda c, n: _clamp(c, n).max_current, period),
                ),
            )
        )
    return tuple(result)


CLAMP_SENSORS: Final[tuple[WesSensorEntityDescription, ...]] = (
    WesSensorEntityDescription(
        key="current",
        translation_key="current",
        device_class=SensorDeviceClass.CURRENT,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        suggested_display_precision=2,
        value_fn=lambda c, n: _clamp(c, n).current,
    ),
    WesSensorEntityDescription(
        key="apparent_power",
        translation_key="apparent_power",
        device_class=SensorDeviceClass.APPARENT_POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfApparentPower.VOLT_AMPERE,
        suggested_display_precision=0,
        source_field="apparent_power",
        value_fn=lambda c, n: _clamp(c, n).apparent_power,
    ),
    WesSensorEntityDescription(
        key="power",
        translation_key="power",
        device_class=SensorDeviceClass.POWER,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfPower.WATT,
        suggested_display_precision=0,
        source_field="real_power",
        value_fn=lambda c, n: _clamp(c, n).real_power,
    ),
    WesSensorEntityDescription(
        key="index",
        translation_key="consumption_index",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.WATT_HOUR,
        suggested_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=3,
        lifetime_index=True,
        value_fn=lambda c, n: _clamp(c, n).index,
        exists_fn=_clamp_consumes,
    ),
    WesSensorEntityDescription(
        key="injection_index",
        translation_key="injection_index",
        device_class=SensorDeviceClass.ENERGY,
        state_class=SensorStateClass.TOTAL_INCREASING,
        native_unit_of_measurement=UnitOfEnergy.WATT_HOUR,
        suggested_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        suggested_display_precision=3,
        lifetime_index=True,
        source_field="injection_index",
        value_fn=lambda c, n: _clamp(c, n).injection_index,
        exists_fn=_clamp_produces,
    ),
    *_clamp_period_descriptions(),
)


# --- Pulse counters ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeterFamily:
    """Units and classes of the meter types that share them.

    The WES counts a day in the small unit (L or Wh) and months and years in the large
    one (m³ or kWh). The index is in the unit set on the WES for the counter, which the
    data file does not say: we take the usual setting of each meter type (litres for
    water and fuel oil, m³ for gas, Wh for electricity and calories). Home Assistant's
    ``gas`` class only takes m³ on 2025.4, so gas volumes in litres are converted.
    """

    name: str
    meter_types: tuple[str, ...]
    device_class: SensorDeviceClass
    small_unit: str
    small_factor: float  # multiply a day/yesterday value by this to get small_unit
    index_factor: float  # multiply the index by this to get small_unit
    large_unit: str
    flow_class: SensorDeviceClass
    flow_unit: str
    flow_factor: float  # WES flow is per minute in the small unit
    index_suggested_unit: str | None
    small_precision: int


# Fuel oil is a consumed volume that only grows: ``volume`` + total_increasing, not
# ``volume_storage`` (that one describes what is left in a tank and is a measurement).
METER_FAMILIES: Final = (
    MeterFamily(
        "water",
        ("water",),
        SensorDeviceClass.WATER,
        UnitOfVolume.LITERS,
        1.0,
        1.0,
        UnitOfVolume.CUBIC_METERS,
        SensorDeviceClass.VOLUME_FLOW_RATE,
        UnitOfVolumeFlowRate.LITERS_PER_MINUTE,
        1.0,
        UnitOfVolume.CUBIC_METERS,
        0,
    ),
    MeterFamily(
        "gas",
        ("gas", "gazpar"),
        SensorDeviceClass.GAS,
        UnitOfVolume.CUBIC_METERS,
        0.001,
        1.0,
        UnitOfVolume.CUBIC_METERS,
        SensorDeviceClass.VOLUME_FLOW_RATE,
        UnitOfVolumeFlowRate.LITERS_PER_MINUTE,
        1.0,
        None,
        3,
    ),
    MeterFamily(
        "energy",
        ("electricity", "calories"),
        SensorDeviceClass.ENERGY,
        UnitOfEnergy.WATT_HOUR,
        1.0,
        1.0,
        UnitOfEnergy.KILO_WATT_HOUR,
        SensorDeviceClass.POWER,
        UnitOfPower.WATT,
        60.0,
        UnitOfEnergy.KILO_WATT_HOUR,
        0,
    ),
    MeterFamily(
        "fuel_oil",
        ("fuel_oil",),
        SensorDeviceClass.VOLUME,
        UnitOfVolume.LITERS,
        1.0,
        1.0,
        UnitOfVolume.CUBIC_METERS,
        SensorDeviceClass.VOLUME_FLOW_RATE,
        UnitOfVolumeFlowRate.LITERS_PER_MINUTE,
        1.0,
        None,
        0,
    ),
)


def _meter_type(coordinator: WesCoordinator, number: int) -> str:
    return _option(coordinator, FeatureKind.PULSE_COUNTER, number, OPT_METER_TYPE) or "water"


def _counter_produces(coordinator: WesCoordinator, number: int) -> bool:
    return _option(coordinator, FeatureKind.PULSE_COUNTER, number, OPT_MEASURE) == "production"


def _family_descriptions(family: MeterFamily) -> tuple[WesSensorEntityDescription, ...]:
    """Every pulse-counter sensor, in the units of one meter family."""

    def of_family(c: WesCoordinator, n: int) -> bool:
        return _meter_type(c, n) in family.meter_types

    def consumes(c: WesCoordinator, n: int) -> bool:
        return of_family(c, n) and not _counter_produces(c, n)

    def produces(c: WesCoordinator, n: int) -> bool:
        return of_family(c, n) and _counter_produces(c, n)

    small = family.small_factor
    result: list[WesSensorEntityDescription] = [
        WesSensorEntityDescription(
            key="index",
            translation_key="meter_index",
            device_class=family.device_class,
            state_class=SensorStateClass.TOTAL_INCREASING,
            native_unit_of_measurement=family.small_unit,
            suggested_unit_of_measurement=family.index_suggested_unit,
            suggested_display_precision=3,
            lifetime_index=True,
            value_fn=lambda c, n: _scaled(_counter(c, n).index, family.index_factor),
            exists_fn=of_family,
        ),
        WesSensorEntityDescription(
            key="flow",
            translation_key="flow" if family.flow_class != SensorDeviceClass.POWER else "power",
            device_class=family.flow_class,
            state_class=SensorStateClass.MEASUREMENT,
            native_unit_of_measurement=family.flow_unit,
            suggested_display_precision=2 if family.flow_factor == 1.0 else 0,
            source_field="flow",
            value_fn=lambda c, n: _scaled(_counter(c, n).flow, family.flow_factor),
            exists_fn=of_family,
        ),
    ]
    for prefix, exists in (("consumption", consumes), ("production", produces)):
        result.append(
            WesSensorEntityDescription(
                key=f"{prefix}_yesterday",
                translation_key=f"{prefix}_yesterday",
                device_class=family.device_class,
                native_unit_of_measurement=family.small_unit,
                suggested_display_precision=family.small_precision,
                source_field="consumption_yesterday",
                value_fn=lambda c, n: _scaled(_counter(c, n).consumption_yesterday, small),
                exists_fn=exists,
            )
        )
        for period in Period:
            day = period is Period.DAY
            result.append(
                WesSensorEntityDescription(
                    key=f"{prefix}_{period}",
                    translation_key=f"{prefix}_{period}",
                    device_class=family.device_class,
                    state_class=SensorStateClass.TOTAL_INCREASING,
                    native_unit_of_measurement=family.small_unit if day else family.large_unit,
                    suggested_display_precision=family.small_precision if day else 3,
                    source_field="consumption",
                    value_fn=_period_reader(
                        lambda c, n: _counter(c, n).consumption, period, small if day else 1.0
                    ),
                    exists_fn=exists,
                )
            )
    for prefix, exists in (("cost", consumes), ("gain", produces)):
        result.extend(
            _money(
                f"{prefix}_{period}",
                period,
                _period_reader(lambda c, n: _counter(c, n).cost, period),
                exists,
                "cost",
            )
            for period in Period
        )
    return tuple(result)


PULSE_COUNTER_SENSORS: Final[tuple[WesSensorEntityDescription, ...]] = (
    WesSensorEntityDescription(
        key="pulses_today",
        translation_key="pulses_today",
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=0,
        value_fn=lambda c, n: _counter(c, n).pulses_today,
    ),
    *(desc for family in METER_FAMILIES for desc in _family_descriptions(family)),
)


# --- Probes, analog inputs, variables, the server ------------------------------------------


def _probe_kind_is(kind: str) -> ExistsFn:
    def exists(c: WesCoordinator, n: int) -> bool:
        return (_option(c, FeatureKind.PROBE, n, OPT_PROBE_KIND) or "temperature") == kind

    return exists


def _probe(
    key: str,
    device_class: SensorDeviceClass,
    unit: str,
    precision: int,
    probe_kind: str,
) -> WesSensorEntityDescription:
    """What a probe of one kind reads; a probe that does not read is unavailable."""
    return WesSensorEntityDescription(
        key=key,
        device_class=device_class,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=unit,
        suggested_display_precision=precision,
        none_is_unavailable=True,
        value_fn=lambda c, n: c.data.probes.get(n),
        exists_fn=_probe_kind_is(probe_kind),
    )


PROBE_SENSORS: Final[tuple[WesSensorEntityDescription, ...]] = (
    _probe(
        "temperature", SensorDeviceClass.TEMPERATURE, UnitOfTemperature.CELSIUS, 1, "temperature"
    ),
    _probe("humidity", SensorDeviceClass.HUMIDITY, PERCENTAGE, 1, "humidity"),
    _probe("illuminance", SensorDeviceClass.ILLUMINANCE, LIGHT_LUX, 0, "luminosity"),
)

ANALOG_INPUT_SENSORS: Final = (
    WesSensorEntityDescription(
        key="voltage",
        translation_key="analog_input",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=2,
        value_fn=lambda c, n: c.data.analog_inputs.get(n),
    ),
)

VARIABLE_SENSORS: Final = (
    WesSensorEntityDescription(
        key="value",
        translation_key="variable",
        suggested_display_precision=2,
        value_fn=lambda c, n: c.data.variables.get(n),
    ),
)


def _wes_clock(coordinator: WesCoordinator, _number: int) -> datetime | None:
    """The WES's clock; it prints local time without a zone: Home Assistant's zone."""
    clock = coordinator.data.info.clock
    if clock is None:
        return None
    return clock.replace(tzinfo=dt_util.get_default_time_zone())


WES_SENSORS: Final = (
    WesSensorEntityDescription(
        key="free_space",
        translation_key="free_space",
        device_class=SensorDeviceClass.DATA_SIZE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfInformation.GIGABYTES,
        suggested_display_precision=2,
        entity_category=EntityCategory.DIAGNOSTIC,
        source_field="free_space",
        value_fn=lambda c, _n: c.data.info.free_space,
    ),
    WesSensorEntityDescription(
        key="mains_voltage",
        translation_key="mains_voltage",
        device_class=SensorDeviceClass.VOLTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        native_unit_of_measurement=UnitOfElectricPotential.VOLT,
        suggested_display_precision=0,
        source_field="mains_voltage",
        value_fn=lambda c, _n: c.data.mains_voltage,
        exists_fn=lambda c, _n: c.features.mains_voltage,
    ),
    WesSensorEntityDescription(
        key="clock",
        translation_key="clock",
        device_class=SensorDeviceClass.TIMESTAMP,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_wes_clock,
    ),
)

SENSORS_BY_KIND: Final[dict[FeatureKind, tuple[WesSensorEntityDescription, ...]]] = {
    FeatureKind.TIC: TIC_SENSORS,
    FeatureKind.CLAMP: CLAMP_SENSORS,
    FeatureKind.PULSE_COUNTER: PULSE_COUNTER_SENSORS,
    FeatureKind.PROBE: PROBE_SENSORS,
    FeatureKind.ANALOG_INPUT: ANALOG_INPUT_SENSORS,
    FeatureKind.VARIABLE: VARIABLE_SENSORS,
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: WesConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the sensors of the WES and of every enabled instance."""
    coordinator = entry.runtime_data
    devices = WesDevices.create(hass, coordinator)
    async_add_entities(
        build_entities(
            coordinator,
            WES_SENSORS,
            SENSORS_BY_KIND,
            lambda description, kind, number: WesSensor(
                coordinator, description, devices, kind, number
            ),
        )
    )


class WesSensor(WesEntity, RestoreSensor):
    """A WES reading; lifetime indexes never go down and never read 0."""

    entity_description: WesSensorEntityDescription

    def __init__(
        self,
        coordinator: WesCoordinator,
        description: WesSensorEntityDescription,
        devices: WesDevices,
        kind: FeatureKind | None = None,
        number: int = 0,
    ) -> None:
        """Read the first value at once, so the entity starts with a state."""
        super().__init__(coordinator, description, devices, kind, number)
        self._last_good: float | None = None
        self._attr_native_value = self._read()

    def _read(self) -> SensorValue:
        """The value to publish for the data in hand (the energy guard applies here)."""
        value = self.entity_description.value_fn(self.coordinator, self.number)
        if not self.entity_description.lifetime_index:
            return value
        if not isinstance(value, int | float) or value <= 0:
            return None
        if self._last_good is not None and value < self._last_good:
            return None
        self._last_good = float(value)
        return value

    @override
    async def async_added_to_hass(self) -> None:
        """Take back the last good index, so a glitch right after a restart is caught."""
        await super().async_added_to_hass()
        if not self.entity_description.lifetime_index:
            return
        last = await self.async_get_last_sensor_data()
        if (
            last is not None
            and isinstance(last.native_value, int | float)
            and last.native_unit_of_measurement == self.native_unit_of_measurement
            and (self._last_good is None or last.native_value > self._last_good)
        ):
            self._last_good = float(last.native_value)
            self._attr_native_value = self._read()
            self.async_write_ha_state()

    @property
    @override
    def extra_restore_state_data(self) -> SensorExtraStoredData:
        """Keep the last good index, not an unknown read, across restarts."""
        if self.entity_description.lifetime_index and self._last_good is not None:
            return SensorExtraStoredData(self._last_good, self.native_unit_of_measurement)
        return super().extra_restore_state_data

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        self._attr_native_value = self._read()
        super()._handle_coordinator_update()

    @property
    @override
    def available(self) -> bool:
        if not super().available:
            return False
        return (
            not self.entity_description.none_is_unavailable or self._attr_native_value is not None
        )

    @override
    def _state_fingerprint(self) -> tuple[object, ...]:
        """The raw value is enough: converting it for the state costs more than it saves."""
        return (self.available, self._attr_native_value, self.last_reset)

    @property
    @override
    def last_reset(self) -> datetime | None:
        """Start of the day, month or year a WES total covers."""
        if (period := self.entity_description.resets_every) is None:
            return None
        start = dt_util.start_of_local_day()
        if period is Period.DAY:
            return start
        if period is Period.MONTH:
            return start.replace(day=1)
        return start.replace(month=1, day=1)
