"""Typed, immutable views of what a WES data file says.

Every value is optional: ``None`` means the WES did not print it or printed a "not there"
marker (``Pas Dispo``, ``TIC NDERR.``, ``----``, ``.``, empty). A real zero stays ``0``.
Instances are keyed by their WES number (TIC 1-3, clamp 1-4, counter 1-6, probe 1-30,
relay 1-2, 1-Wire relay id 101-198, input 1-2, analog input 1-4, virtual switch 1-24,
variable 1-8). Energy indexes are integers in Wh, whatever the file printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final


class FirmwareGeneration(StrEnum):
    """The three families of WES firmware whose CGX codes and formats differ."""

    LEGACY = "legacy"  # <= V0.7x: letter-case codes, layout (a)
    V08 = "v08"  # V0.80 .. before V0.84A10: numeric codes, HCHC/HCHP
    V084 = "v084"  # >= V0.84A10: H_CREUSE/H_PLEINE, TD, pIU integer + thousandths


class DataLayout(StrEnum):
    """Which template produced a data file; tells how to read ambiguous tags."""

    DEFAULT = "default"  # the WES's own DATA.CGX, any generation
    JEEDOM = "jeedom"  # Jeedom's DATA_JEEDOM.CGX (root has <jeedom>)
    HOMEASSISTANT = "homeassistant"  # the 2023 homeassistant.cgx (root has <tics>/<clamps>)
    WESCONTROL = "wescontrol"  # the file this integration generates (root has <wescontrol>)


_VERSION_RE: Final = re.compile(r"V?(\d+)\.(\d+)([A-Z]?)(\d*)", re.IGNORECASE)


def firmware_key(version: str) -> tuple[int, int, str, int]:
    """Sortable key of a firmware string such as ``V0.84A10``, ``V0.83H`` or ``V0.61D``.

    Unreadable strings sort lowest, so an unknown firmware is treated as the oldest.
    """
    match = _VERSION_RE.search(version.strip())
    if match is None:
        return (-1, 0, "", 0)
    major, minor, letter, build = match.groups()
    return (int(major), int(minor), letter.upper(), int(build or 0))


def firmware_generation(version: str | None) -> FirmwareGeneration:
    """Map a firmware string to its generation (``None`` or unreadable: the newest)."""
    if not version or firmware_key(version)[0] < 0:
        return FirmwareGeneration.V084
    key = firmware_key(version)
    if key >= (0, 84, "A", 10):
        return FirmwareGeneration.V084
    if key >= (0, 80, "", 0):
        return FirmwareGeneration.V08
    return FirmwareGeneration.LEGACY


@dataclass(frozen=True, slots=True)
class PeriodValues:
    """A quantity the WES totals per day, month and year (consumption, cost, ...)."""

    day: float | None = None
    month: float | None = None
    year: float | None = None


@dataclass(frozen=True, slots=True)
class WesInfo:
    """The server block: identity, firmware and housekeeping values."""

    firmware: str | None = None
    hardware: str | None = None
    mac: str | None = None  # 12 upper-case hex digits, no separators
    clock: datetime | None = None  # the WES's local time, naive
    free_space: float | None = None  # GB left on the SD card
    alarm: bool | None = None  # only printed with the screen option
    data_file_version: str | None = None  # our file's version marker
    jeedom_cgx_version: str | None = None  # Jeedom's marker, when its file is read


# Canonical names of the TIC index registers (Wh), as HA entity keys use them.
TIC_REGISTERS: Final = (
    "base",
    "hchc",
    "hchp",
    "ejphn",
    "ejphpm",
    "bbrhcjb",
    "bbrhpjb",
    "bbrhcjw",
    "bbrhpjw",
    "bbrhcjr",
    "bbrhpjr",
    "h_weekend",
    "hc_semaine",
    "hp_semaine",
    "hc_weekend",
    "hp_weekend",
    "hc_mercredi",
    "hp_mercredi",
    "h_super_creuse",
)


@dataclass(frozen=True, slots=True)
class Tic:
    """One teleinfo (TIC) input: the meter's historic-mode fields plus the WES's totals."""

    adco: str | None = None  # meter serial; None means no meter on this input
    tariff_option: str | None = None  # OPTARIF without the trailing dots: BASE, HC, BBR(, EJP
    subscribed_current: int | None = None  # ISOUSC, A
    tariff_period: str | None = None  # PTEC in words, e.g. "H. Pleine BLEU"
    tomorrow_color: str | None = None  # DEMAIN, e.g. "Jour BLANC"
    apparent_power: int | None = None  # PAP, VA drawn
    injected_apparent_power: int | None = None  # PAPIJ, VA injected (producers)
    current: dict[int, int] = field(default_factory=dict)  # IINST: 0 = mono, 1-3 = phases
    max_current: dict[int, int] = field(default_factory=dict)  # IMAX: 0 = mono, 1-3
    voltage: dict[int, int] = field(default_factory=dict)  # TENSION1-3, V
    ejp_notice: int | None = None  # PEJP: 0, or minutes before the EJP peak
    producer: bool | None = None  # PRODUCTEUR flag
    injection_index: int | None = None  # INJECTION (EAIT), Wh
    indexes: dict[str, int] = field(default_factory=dict)  # TIC_REGISTERS -> Wh
    consumption: PeriodValues = field(default_factory=PeriodValues)  # kWh
    cost: PeriodValues = field(default_factory=PeriodValues)  # EUR

    @property
    def present(self) -> bool:
        """Whether a meter is wired and talking on this input."""
        return self.adco is not None

    @property
    def total_index(self) -> int | None:
        """Sum of the registers, or None when no register was read."""
        return sum(self.indexes.values()) if self.indexes else None


@dataclass(frozen=True, slots=True)
class Clamp:
    """One current clamp (pince ampèremétrique)."""

    current: float | None = None  # Irms, A
    apparent_power: int | None = None  # VA
    real_power: int | None = None  # W
    index: int | None = None  # consumption index, Wh
    injection_index: int | None = None  # production index, Wh
    consumption: PeriodValues = field(default_factory=PeriodValues)  # kWh
    cost: PeriodValues = field(default_factory=PeriodValues)  # EUR
    injection: PeriodValues = field(default_factory=PeriodValues)  # kWh produced
    gain: PeriodValues = field(default_factory=PeriodValues)  # EUR earned
    max_current: PeriodValues = field(default_factory=PeriodValues)  # A


@dataclass(frozen=True, slots=True)
class PulseCounter:
    """One pulse counter; quantities are in the unit configured on the WES for it."""

    pulses_today: int | None = None
    index: float | None = None  # meter index (l, m3, Wh or kWh per the counter's setup)
    flow: float | None = None  # per minute, in the counter's small unit (l/min, Wh/min)
    # day in the small unit (l, Wh); month and year in the large one (m3, kWh)
    consumption: PeriodValues = field(default_factory=PeriodValues)
    consumption_yesterday: float | None = None  # small unit
    cost: PeriodValues = field(default_factory=PeriodValues)  # EUR


@dataclass(frozen=True, slots=True)
class WesData:
    """Everything one poll of a WES data file returned."""

    layout: DataLayout = DataLayout.DEFAULT
    info: WesInfo = field(default_factory=WesInfo)
    tics: dict[int, Tic] = field(default_factory=dict)
    clamps: dict[int, Clamp] = field(default_factory=dict)
    pulse_counters: dict[int, PulseCounter] = field(default_factory=dict)
    probes: dict[int, float | None] = field(default_factory=dict)
    relays: dict[int, bool | None] = field(default_factory=dict)
    onewire_relays: dict[int, bool | None] = field(default_factory=dict)  # ids 101-198
    inputs: dict[int, bool | None] = field(default_factory=dict)
    analog_inputs: dict[int, float | None] = field(default_factory=dict)  # V
    virtual_switches: dict[int, bool | None] = field(default_factory=dict)
    variables: dict[int, float | None] = field(default_factory=dict)
    mains_voltage: float | None = None  # V, needs the optional 9 V supply


@dataclass(frozen=True, slots=True)
class WesNames:
    """User-given names read from the WES (kept out of the polled file: never escaped)."""

    mac: str | None = None  # the names file also carries the MAC, to identify the WES
    tics: dict[int, str] = field(default_factory=dict)
    clamps: dict[int, str] = field(default_factory=dict)
    pulse_counters: dict[int, str] = field(default_factory=dict)
    probes: dict[int, str] = field(default_factory=dict)
    relays: dict[int, str] = field(default_factory=dict)
    inputs: dict[int, str] = field(default_factory=dict)
    analog_inputs: dict[int, str] = field(default_factory=dict)
    virtual_switches: dict[int, str] = field(default_factory=dict)
    firmware: str | None = None  # the names file also carries the firmware (V0.84A10, ...)
