"""The state of a simulated WES: every value a template or a command can touch.

Values are plain mutable dataclasses so tests can set any of them directly. The
:meth:`Device.advance` method moves time forward and lets the values drift in a
believable way (indexes only rise, power and temperatures wander, the tariff period
and the Tempo colour follow the clock); nothing moves unless it is called.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

TIC_COUNT: Final = 3
CLAMP_COUNT: Final = 4
COUNTER_COUNT: Final = 6
PROBE_COUNT: Final = 30
RELAY_COUNT: Final = 2
CARD_COUNT: Final = 10
INPUT_COUNT: Final = 2
ANALOG_COUNT: Final = 4
SWITCH_COUNT: Final = 24
VARIABLE_COUNT: Final = 8

ONEWIRE_FIRST_ID: Final = 101
ONEWIRE_CARD_STEP: Final = 10
ONEWIRE_WHOLE_CARD: Final = 9

MAC_PREFIX: Final = "001EC0"
_MAC_RE: Final = re.compile(r"[0-9A-F]{12}")

# TIC index registers (Wh), in the order the WES web pages list them.
TIC_REGISTERS: Final = (
    "base",
    "hchp",
    "hchc",
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

NO_TIC_ADCO: Final = "Pas Dispo"
NO_TIC_PTEC: Final = "TIC NDERR."
NO_DEMAIN: Final = "----"
NO_TIC_CONTRACT: Final = 12


class Contract(StrEnum):
    """Tariff option of a meter (OPTARIF family)."""

    BASE = "base"
    HC = "hc"
    EJP = "ejp"
    TEMPO = "tempo"


class TempoColour(StrEnum):
    """Colour of a Tempo day, as the WES words it."""

    BLUE = "BLEU"
    WHITE = "BLANC"
    RED = "ROUGE"


_OPTARIF: Final = {
    Contract.BASE: "BASE",
    Contract.HC: "HC",
    Contract.EJP: "EJP",
    Contract.TEMPO: "BBR(",
}
_CONTRACT_CODE: Final = {Contract.BASE: 0, Contract.HC: 1, Contract.EJP: 2, Contract.TEMPO: 3}
_SUBSCRIPTION: Final = {
    Contract.BASE: "Base",
    Contract.HC: "Heures Creuses",
    Contract.EJP: "EJP",
    Contract.TEMPO: "Tempo",
}
# Index slots (Ti codes) in the order of each subscription.
_SLOTS: Final = {
    Contract.BASE: ("base",),
    Contract.HC: ("hchp", "hchc"),
    Contract.EJP: ("ejphn", "ejphpm"),
    Contract.TEMPO: ("bbrhcjb", "bbrhpjb", "bbrhcjw", "bbrhpjw", "bbrhcjr", "bbrhpjr"),
}
_COLOUR_LETTER: Final = {TempoColour.BLUE: "B", TempoColour.WHITE: "W", TempoColour.RED: "R"}
_OFF_PEAK_START: Final = 22
_OFF_PEAK_END: Final = 6
_SECONDS_PER_HOUR: Final = 3600.0
_SUNRISE: Final = 7.0
_SUNSET: Final = 19.0
_WH_PER_KWH: Final = 1000.0


@dataclass
class PeriodTotals:
    """A quantity the WES totals per day, month and year."""

    day: float = 0.0
    month: float = 0.0
    year: float = 0.0

    def add(self, amount: float) -> None:
        """Add the same amount to the three totals."""
        self.day += amount
        self.month += amount
        self.year += amount


@dataclass
class Tic:
    """One teleinfo input and the meter behind it (historic-mode fields)."""

    wired: bool = False
    adco: str = ""
    contract: Contract = Contract.BASE
    subscribed_current: int = 0
    name: str = ""
    phases: int = 1
    off_peak: bool = False
    today: TempoColour | None = None
    tomorrow: TempoColour | None = None
    ejp_peak: bool = False
    ejp_notice: int = 0
    apparent_power: int = 0
    injected_power: int = 0
    current: list[int] = field(default_factory=lambda: [0, 0, 0, 0])  # 0 = mono, 1-3
    max_current: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    voltage: list[int] = field(default_factory=lambda: [0, 0, 0])  # phases 1-3
    indexes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TIC_REGISTERS, 0))
    producer: bool = False
    injection: int = 0  # Wh
    consumption: PeriodTotals = field(default_factory=PeriodTotals)  # kWh
    cost: PeriodTotals = field(default_factory=PeriodTotals)  # EUR
    price_per_kwh: float = 0.2

    @property
    def adco_text(self) -> str:
        """ADCO as printed: the serial, or ``Pas Dispo`` without a meter."""
        return self.adco if self.wired else NO_TIC_ADCO

    @property
    def optarif(self) -> str:
        """OPTARIF without the meter's trailing dots (empty without a meter)."""
        return _OPTARIF[self.contract] if self.wired else ""

    @property
    def contract_code(self) -> int:
        """Numeric contract type (``e d`` / ``ed``)."""
        return _CONTRACT_CODE[self.contract] if self.wired else NO_TIC_CONTRACT

    @property
    def subscription(self) -> str:
        """Subscription name in words."""
        return _SUBSCRIPTION[self.contract] if self.wired else ""

    @property
    def current_register(self) -> str:
        """The index register the meter is counting on now."""
        peak = "c" if self.off_peak else "p"
        if self.contract == Contract.HC:
            return "hc" + ("hc" if self.off_peak else "hp")
        if self.contract == Contract.EJP:
            return "ejphpm" if self.ejp_peak else "ejphn"
        if self.contract == Contract.TEMPO:
            colour = self.today or TempoColour.BLUE
            return f"bbrh{peak}j{_COLOUR_LETTER[colour].lower()}"
        return "base"

    @property
    def period_words(self) -> str:
        """PTEC in the WES's words (``Tn``)."""
        if not self.wired:
            return NO_TIC_PTEC
        word = "Creuse" if self.off_peak else "Pleine"
        if self.contract == Contract.HC:
            return f"H. {word}s"
        if self.contract == Contract.EJP:
            return "H. Pointe Mobile" if self.ejp_peak else "H. Normales"
        if self.contract == Contract.TEMPO:
            return f"H. {word} {(self.today or TempoColour.BLUE).value}"
        return "Toutes Heures"

    @property
    def period_raw(self) -> str:
        """PTEC as the meter sends it (old ``T p`` code)."""
        if not self.wired:
            return ""
        letter = "C" if self.off_peak else "P"
        if self.contract == Contract.HC:
            return f"H{letter}.."
        if self.contract == Contract.EJP:
            return "PM.." if self.ejp_peak else "HN.."
        if self.contract == Contract.TEMPO:
            return f"H{letter}J{_COLOUR_LETTER[self.today or TempoColour.BLUE]}"
        return "TH.."

    @property
    def tomorrow_words(self) -> str:
        """DEMAIN: ``Jour BLEU`` ... or ``----`` when unknown."""
        if not self.wired or self.tomorrow is None:
            return NO_DEMAIN
        return f"Jour {self.tomorrow.value}"

    @property
    def phase_words(self) -> str:
        """Mono/tri in words (old ``i m`` code)."""
        if not self.wired:
            return ""
        return "tri" if self.phases == 3 else "mono"  # noqa: PLR2004

    @property
    def registers(self) -> tuple[str, ...]:
        """The index registers the meter's subscription sends."""
        return _SLOTS[self.contract] if self.wired else ()

    def slot(self, number: int) -> int:
        """Index in subscription slot ``number`` (1-6), 0 when the slot is unused."""
        slots = _SLOTS[self.contract]
        if not self.wired or number > len(slots):
            return 0
        return self.indexes[slots[number - 1]]

    def index(self, register: str) -> int:
        """Index of a register in Wh (0 without a meter)."""
        return self.indexes[register] if self.wired else 0


@dataclass
class Clamp:
    """A current clamp (pince) and its totals."""

    enabled: bool = False
    name: str = ""
    current: float = 0.0  # A
    cos_phi: float = 1.0
    index: int = 0  # Wh
    injection: int = 0  # Wh
    injection_mode: bool = False  # the line is a production line
    consumption: PeriodTotals = field(default_factory=PeriodTotals)  # kWh
    cost: PeriodTotals = field(default_factory=PeriodTotals)  # EUR
    injected: PeriodTotals = field(default_factory=PeriodTotals)  # kWh
    gain: PeriodTotals = field(default_factory=PeriodTotals)  # EUR
    max_current: PeriodTotals = field(default_factory=PeriodTotals)  # A
    start_index: PeriodTotals = field(default_factory=PeriodTotals)  # Wh at day/month/year start
    price_per_kwh: float = 0.2
    resale_per_kwh: float = 0.13


@dataclass
class PulseCounter:
    """A pulse input counting a meter (water, gas, electricity...)."""

    name: str = ""
    unit: int = 0  # 0 undefined, 1 litre, 2 m3, 3 Wh, 4 kWh
    pulses_per_unit: int = 1
    pulses_today: int = 0
    index: float = 0.0  # in the counter's unit
    flow: float = 0.0  # per minute, small unit
    consumption_day: float = 0.0
    consumption_yesterday: float = 0.0
    consumption_month: float = 0.0
    consumption_year: float = 0.0
    cost: PeriodTotals = field(default_factory=PeriodTotals)  # EUR
    price_per_unit: float = 0.0

    def index_in(self, unit: int) -> float:
        """The index converted to another unit code (1 l, 2 m3, 3 Wh, 4 kWh)."""
        scale = {1: 1.0, 2: 1000.0, 3: 1.0, 4: 1000.0}
        if unit not in scale or self.unit not in scale:
            return self.index
        return self.index * scale[self.unit] / scale[unit]


@dataclass
class Probe:
    """A 1-Wire probe (temperature, humidity or light)."""

    detected: bool = False
    name: str = ""
    kind: str = "T"  # T temperature, H humidity, L light
    value: float = 0.0
    rom: tuple[int, ...] = (0, 0, 0, 0, 0, 0, 0, 0)
    minimum: PeriodTotals = field(default_factory=PeriodTotals)
    maximum: PeriodTotals = field(default_factory=PeriodTotals)

    @property
    def reading(self) -> float:
        """What the WES prints: the value, or 0.0 when the probe is absent."""
        return self.value if self.detected else 0.0

    @property
    def unit(self) -> str:
        """Unit of the probe kind."""
        return {"T": "°C", "H": "%", "L": "lx"}.get(self.kind, "")


@dataclass
class Switch:
    """Anything with an on/off state and a user name (relay, input, virtual switch)."""

    on: bool = False
    name: str = ""


@dataclass
class OneWireCard:
    """A 1-Wire relay card with 3 or 8 relays."""

    size: int = 8
    name: str = ""
    rom: tuple[int, ...] = (0, 0, 0, 0, 0, 0, 0, 0)
    relays: list[Switch] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Give the card its relays."""
        if not self.relays:
            self.relays = [Switch(name=f"Relais {n}") for n in range(1, self.size + 1)]


@dataclass
class Analog:
    """An analog input (V) and its name."""

    value: float = 0.0
    name: str = ""


@dataclass
class Device:  # pylint: disable=too-many-instance-attributes
    """Everything a WES knows. Mutate freely from tests."""

    firmware: str = "V0.84A10"
    hardware: str = "WES V2 HW2.0"
    hardware_revision: int = 2
    mac_bytes: tuple[int, ...] = (0x00, 0x1E, 0xC0, 0x00, 0x00, 0x01)
    free_space: float = 3.562  # GB
    alarm: bool = False
    mains_voltage: int | None = None  # V, needs the optional 9 V supply
    clock: datetime = datetime(2026, 1, 15, 14, 30, 0)  # noqa: DTZ001 - the WES has no timezone
    tics: list[Tic] = field(default_factory=lambda: [Tic() for _ in range(TIC_COUNT)])
    clamps: list[Clamp] = field(default_factory=lambda: [Clamp() for _ in range(CLAMP_COUNT)])
    counters: list[PulseCounter] = field(
        default_factory=lambda: [PulseCounter() for _ in range(COUNTER_COUNT)]
    )
    probes: list[Probe] = field(default_factory=lambda: [Probe() for _ in range(PROBE_COUNT)])
    relays: list[Switch] = field(
        default_factory=lambda: [Switch(name=f"Relais {n}") for n in range(1, RELAY_COUNT + 1)]
    )
    cards: list[OneWireCard | None] = field(default_factory=lambda: [None] * CARD_COUNT)
    inputs: list[Switch] = field(
        default_factory=lambda: [Switch(name=f"Entree {n}") for n in range(1, INPUT_COUNT + 1)]
    )
    analogs: list[Analog] = field(
        default_factory=lambda: [Analog(name=f"Ana {n}") for n in range(1, ANALOG_COUNT + 1)]
    )
    virtual_switches: list[Switch] = field(
        default_factory=lambda: [Switch(name=f"Switch {n}") for n in range(1, SWITCH_COUNT + 1)]
    )
    variables: list[float] = field(default_factory=lambda: [0.0] * VARIABLE_COUNT)
    boot_count: int = 0
    _step_seconds: float = field(default=60.0, repr=False, compare=False)
    rng: random.Random = field(default_factory=lambda: random.Random(0), repr=False, compare=False)

    # -- identity ---------------------------------------------------------------------

    @property
    def mac(self) -> str:
        """MAC as 12 upper-case hex digits (change it to simulate another WES)."""
        return "".join(f"{byte:02X}" for byte in self.mac_bytes)

    @mac.setter
    def mac(self, value: str) -> None:
        text = value.replace(":", "").replace("-", "").upper()
        if not _MAC_RE.fullmatch(text):
            raise ValueError("a MAC is 12 hex digits")
        self.mac_bytes = tuple(bytes.fromhex(text))

    # -- 1-Wire relays ------------------------------------------------------------------

    @property
    def onewire_states(self) -> dict[int, bool]:
        """State of every 1-Wire relay by id (101..198)."""
        states: dict[int, bool] = {}
        for card_index, card in enumerate(self.cards):
            if card is None:
                continue
            base = ONEWIRE_FIRST_ID + ONEWIRE_CARD_STEP * card_index
            for relay_index, relay in enumerate(card.relays):
                states[base + relay_index] = relay.on
        return states

    def _relay_targets(self, relay_id: int) -> list[Switch]:  # noqa: PLR0911
        """The relays a command id addresses (one relay, or a whole 1-Wire card)."""
        if 1 <= relay_id <= RELAY_COUNT:
            return [self.relays[relay_id - 1]]
        offset = relay_id - ONEWIRE_FIRST_ID
        if offset < 0:
            return []
        card_index, position = divmod(offset, ONEWIRE_CARD_STEP)
        if card_index >= CARD_COUNT:
            return []
        card = self.cards[card_index]
        if card is None:
            return []
        if position == ONEWIRE_WHOLE_CARD - 1:
            return list(card.relays)
        if position < card.size:
            return [card.relays[position]]
        return []

    def set_relay(self, relay_id: int, on: bool) -> bool:  # noqa: FBT001
        """Switch a relay (1-2, 101-198, whole card 109..199); False for an unknown id."""
        targets = self._relay_targets(relay_id)
        for relay in targets:
            relay.on = on
        return bool(targets)

    def toggle_relay(self, relay_id: int) -> bool:
        """Toggle a relay or every relay of a card; False for an unknown id."""
        targets = self._relay_targets(relay_id)
        for relay in targets:
            relay.on = not relay.on
        return bool(targets)

    def set_virtual_switch(self, number: int, on: bool) -> bool:  # noqa: FBT001
        """Set virtual switch 1-24; False for an unknown number."""
        if not 1 <= number <= SWITCH_COUNT:
            return False
        self.virtual_switches[number - 1].on = on
        return True

    def toggle_virtual_switch(self, number: int) -> bool:
        """Toggle virtual switch 1-24; False for an unknown number."""
        if not 1 <= number <= SWITCH_COUNT:
            return False
        switch = self.virtual_switches[number - 1]
        switch.on = not switch.on
        return True

    # -- derived clamp values ------------------------------------------------------------

    def clamp_apparent_power(self, clamp: Clamp) -> int:
        """Apparent power in VA (Irms x mains voltage, 230 V without the 9 V supply)."""
        return round(clamp.current * (self.mains_voltage or 230))

    def clamp_real_power(self, clamp: Clamp) -> int:
        """Real power in W; 0 without the 9 V supply (no phase reference)."""
        if self.mains_voltage is None:
            return 0
        return round(self.clamp_apparent_power(clamp) * clamp.cos_phi)

    def clamp_power_text(self, clamp: Clamp) -> str:
        """The ``PPU`` string: ``N VA``, or ``N W cos phi X.XX`` when the voltage is known."""
        if self.mains_voltage is None:
            return f"{self.clamp_apparent_power(clamp)} VA"
        return f"{self.clamp_real_power(clamp)} W cos phi {clamp.cos_phi:.2f}"

    # -- time -------------------------------------------------------------------------

    @property
    def daylight(self) -> float:
        """Share of peak solar production at the current time (0 at night)."""
        hour = self.clock.hour + self.clock.minute / 60.0
        return max(0.0, math.sin(math.pi * (hour - _SUNRISE) / (_SUNSET - _SUNRISE)))

    def advance(self, seconds: float) -> None:
        """Move the clock forward and let every value drift believably."""
        remaining = seconds
        while remaining > 0:
            step = min(remaining, 60.0)
            self._step(step)
            remaining -= step

    def _step(self, seconds: float) -> None:
        before = self.clock
        self.clock = before + timedelta(seconds=seconds)
        if self.clock.date() != before.date():
            self._new_day(new_month=self.clock.month != before.month)
        self._drift(seconds)

    def _drift(self, seconds: float) -> None:
        self._step_seconds = seconds
        hours = seconds / _SECONDS_PER_HOUR
        for tic in self.tics:
            if tic.wired:
                self._step_tic(tic, hours)
        for clamp in self.clamps:
            if clamp.enabled:
                self._step_clamp(clamp, hours)
        for counter in self.counters:
            if counter.unit:
                self._step_counter(counter, seconds)
        for probe in self.probes:
            if probe.detected:
                self._step_probe(probe)
        for analog in self.analogs:
            analog.value = round(self._wander(analog.value, 0.05, 0.0, 10.0), 2)

    def _wander(self, value: float, spread: float, low: float, high: float) -> float:
        """Random walk: ``spread`` is the typical move per minute."""
        step = spread * math.sqrt(self._step_seconds / 60.0)
        return min(high, max(low, value + self.rng.uniform(-step, step)))

    def _step_tic(self, tic: Tic, hours: float) -> None:
        hour = self.clock.hour
        tic.off_peak = tic.contract in (Contract.HC, Contract.TEMPO) and (
            hour >= _OFF_PEAK_START or hour < _OFF_PEAK_END
        )
        limit = tic.subscribed_current * 230
        tic.apparent_power = round(self._wander(tic.apparent_power, 150, 150, limit))
        per_phase = max(1, round(tic.apparent_power / 230 / tic.phases))
        if tic.phases == 1:
            tic.current[0] = per_phase
        else:
            tic.current[1:] = [max(0, per_phase + self.rng.randint(-1, 1)) for _ in range(3)]
        for phase, amps in enumerate(tic.current):
            tic.max_current[phase] = max(tic.max_current[phase], amps)
        tic.voltage = [round(self._wander(v, 1, 225, 245)) if v else 0 for v in tic.voltage]
        wh = tic.apparent_power * hours
        tic.indexes[tic.current_register] += round(wh)
        kwh = wh / _WH_PER_KWH
        tic.consumption.add(kwh)
        tic.cost.add(kwh * tic.price_per_kwh)
        if tic.producer:
            ceiling = 6000 * self.daylight
            tic.injected_power = round(self._wander(tic.injected_power, 120, 0, ceiling))
            tic.injection += round(tic.injected_power * hours)

    def _step_clamp(self, clamp: Clamp, hours: float) -> None:
        ceiling = 16.0 * self.daylight if clamp.injection_mode else 32.0
        clamp.current = round(self._wander(clamp.current, 0.4, 0.0, ceiling), 2)
        wh = self.clamp_apparent_power(clamp) * clamp.cos_phi * hours
        kwh = wh / _WH_PER_KWH
        if clamp.injection_mode:
            clamp.injection += round(wh)
            clamp.injected.add(kwh)
            clamp.gain.add(kwh * clamp.resale_per_kwh)
        else:
            clamp.index += round(wh)
            clamp.consumption.add(kwh)
            clamp.cost.add(kwh * clamp.price_per_kwh)
        clamp.max_current.day = max(clamp.max_current.day, clamp.current)
        clamp.max_current.month = max(clamp.max_current.month, clamp.current)
        clamp.max_current.year = max(clamp.max_current.year, clamp.current)

    def _step_counter(self, counter: PulseCounter, seconds: float) -> None:
        counter.flow = round(self._wander(counter.flow, 0.5, 0.0, 12.0), 2)
        small = counter.flow * seconds / 60.0  # l or Wh
        big_unit = counter.unit in (2, 4)
        amount = small / 1000.0 if big_unit else small
        counter.index += amount
        pulses = small * counter.pulses_per_unit / (1000.0 if big_unit else 1.0)
        counter.pulses_today += round(pulses)
        counter.consumption_day += small
        counter.consumption_month += small / 1000.0
        counter.consumption_year += small / 1000.0
        counter.cost.add(amount * counter.price_per_unit)

    def _step_probe(self, probe: Probe) -> None:
        spread = {"T": 0.1, "H": 0.5, "L": 10.0}.get(probe.kind, 0.1)
        probe.value = round(self._wander(probe.value, spread, -30.0, 1000.0), 1)
        probe.minimum.day = min(probe.minimum.day, probe.value)
        probe.maximum.day = max(probe.maximum.day, probe.value)

    def _new_day(self, *, new_month: bool) -> None:
        for tic in self.tics:
            tic.consumption.day = 0.0
            tic.cost.day = 0.0
            if tic.contract == Contract.TEMPO and tic.wired:
                tic.today = tic.tomorrow or TempoColour.BLUE
                tic.tomorrow = self.rng.choice(
                    [TempoColour.BLUE] * 6 + [TempoColour.WHITE, TempoColour.RED]
                )
            if new_month:
                tic.consumption.month = 0.0
                tic.cost.month = 0.0
        for clamp in self.clamps:
            for totals in (clamp.consumption, clamp.cost, clamp.injected, clamp.gain):
                totals.day = 0.0
            clamp.max_current.day = 0.0
            clamp.start_index.day = clamp.index
        for counter in self.counters:
            counter.consumption_yesterday = counter.consumption_day
            counter.consumption_day = 0.0
            counter.pulses_today = 0
            counter.cost.day = 0.0
        for probe in self.probes:
            probe.minimum.day = probe.value
            probe.maximum.day = probe.value
