"""The WES code table: which codes each firmware generation knows and what C values they push.

A code is the text right after ``c `` on a template line. Each family has a fixed shape;
for the "3 letters + slot" families the firmware also swallows one space after the code
(observed: no space before ``<ADCO>`` after ``e a ``, a space before ``<I1>`` after ``P A1``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from .device import (
    CLAMP_COUNT,
    COUNTER_COUNT,
    SWITCH_COUNT,
    Device,
    PeriodTotals,
    Probe,
    Tic,
)
from .printf import CArg, c_double, c_energy, c_int, c_str, c_uint
from .scenarios import Generation

if TYPE_CHECKING:
    from datetime import datetime

Supplied = tuple[CArg, ...] | str  # a str is printed raw (WRo prints a whole block)
Resolver = Callable[[Device, re.Match[str]], Supplied]


class CodeOutOfRangeError(LookupError):
    """The code has a known shape but addresses something that does not exist."""


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """One code family: its shape, the generations that know it, what it supplies."""

    pattern: re.Pattern[str]
    generations: frozenset[Generation]
    resolve: Resolver
    absorbs_space: bool = False


ALL: Final[frozenset[Generation]] = frozenset(Generation)
OLD: Final = frozenset({Generation.V061D})
NUMERIC: Final = frozenset({Generation.V08X, Generation.V084})
V08X_ONLY: Final = frozenset({Generation.V08X})
V084_ONLY: Final = frozenset({Generation.V084})

_DAYS: Final = ("Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche")
_MONTHS: Final = (
    "Janvier",
    "Février",
    "Mars",
    "Avril",
    "Mai",
    "Juin",
    "Juillet",
    "Août",
    "Septembre",
    "Octobre",
    "Novembre",
    "Décembre",
)
_PROBE_KIND_WORDS: Final = {"T": "Temperature", "H": "Humidite", "L": "Luminosite"}
_TIC_BY_CASE: Final = {True: 1, False: 2}  # lower case letter: TIC1, upper case: TIC2
_HC_REGISTER: Final = {"1": "hchp", "2": "hchc"}
_EJP_REGISTER: Final = {"1": "ejphn", "2": "ejphpm"}
_TEMPO_REGISTER: Final = ("bbrhcjb", "bbrhpjb", "bbrhcjw", "bbrhpjw", "bbrhcjr", "bbrhpjr")
_MIXED_REGISTER: Final = (
    "hc_semaine",
    "hp_semaine",
    "hc_weekend",
    "hp_weekend",
    "hc_mercredi",
    "hp_mercredi",
)


def _number(text: str, high: int, low: int = 1) -> int:
    value = int(text)
    if not low <= value <= high:
        raise CodeOutOfRangeError(text)
    return value


def _period(totals: PeriodTotals, letter: str) -> float:
    return {"j": totals.day, "m": totals.month, "a": totals.year}[letter.lower()]


def _on_off(*, on: bool) -> str:
    return "ON" if on else "OFF"


# -- system -----------------------------------------------------------------------------


def _date(device: Device, _m: re.Match[str]) -> Supplied:
    clock = device.clock
    return (c_int(clock.day), c_int(clock.month), c_int(clock.year))


def _time(device: Device, _m: re.Match[str]) -> Supplied:
    return (c_int(device.clock.hour), c_int(device.clock.minute))


def _date_words(device: Device, _m: re.Match[str]) -> Supplied:
    clock: datetime = device.clock
    words = f"{_DAYS[clock.weekday()]} {clock.day} {_MONTHS[clock.month - 1]} {clock.year}"
    return (c_str(words),)


def _system_specs() -> list[CodeSpec]:
    return [
        _spec(r"[gh] d", ALL, _date),
        _spec(r"h h", ALL, _time),
        _spec(r"h j", ALL, _date_words),
        _spec(r"v v", ALL, lambda d, _m: (c_str(d.firmware),)),
        _spec(r"v h", ALL, lambda d, _m: (c_str(d.hardware),)),
        _spec(r"GgV", ALL, lambda d, _m: (c_int(d.hardware_revision),)),
        _spec(r"r a", ALL, lambda d, _m: tuple(c_int(b) for b in d.mac_bytes)),
        _spec(r"ff", ALL, lambda d, _m: (c_double(d.free_space),)),
        _spec(r"L A", ALL, lambda d, _m: (c_int(int(d.alarm)),)),
    ]


# -- TIC, old letter-case scheme (TIC1 lower case, TIC2 upper case) ---------------------


def _old_tic(device: Device, letter: str) -> Tic:
    return device.tics[_TIC_BY_CASE[letter.islower()] - 1]


def _raw_index(tic: Tic, register: str) -> str:
    """Old firmware prints the meter's own 9-digit string, or ``0`` without a meter."""
    return f"{tic.indexes[register]:09d}" if register in tic.registers else "0"


def _slot_share(tic: Tic, slot: int, totals: PeriodTotals, letter: str) -> float:
    slots = [tic.slot(k) for k in range(1, 7)]
    whole = sum(slots)
    if whole == 0:
        return 0.0
    value = totals.month / 4.0 if letter.lower() == "s" else _period(totals, letter)
    return value * slots[slot - 1] / whole


def _old_period_values(device: Device, m: re.Match[str]) -> Supplied:
    letter, slot = m.group(1), int(m.group(2))
    tic = _old_tic(device, letter)
    kwh = _slot_share(tic, slot, tic.consumption, letter)
    euros = _slot_share(tic, slot, tic.cost, letter)
    return (c_int(round(kwh)), c_double(round(euros, 2)))


def _old_tic_specs() -> list[CodeSpec]:
    def tic(m: re.Match[str], device: Device, group: int = 1) -> Tic:
        return _old_tic(device, m.group(group))

    def by_number(device: Device, m: re.Match[str]) -> Tic:
        return device.tics[_number(m.group(1), 2) - 1]

    return [
        _spec(r"e ([aA])", OLD, lambda d, m: (c_str(tic(m, d).adco_text),), absorb=True),
        _spec(r"e ([cC])", OLD, lambda d, m: (c_int(_isousc(tic(m, d))),), absorb=True),
        _spec(r"e ([dD])", OLD, lambda d, m: (c_int(tic(m, d).contract_code),), absorb=True),
        _spec(r"e ([bB])", OLD, lambda d, m: (c_str(tic(m, d).subscription),), absorb=True),
        _spec(r"e ([nN])", OLD, lambda d, m: (c_str(tic(m, d).name),), absorb=True),
        _spec(r"eo([12])", OLD, lambda d, m: (c_str(by_number(d, m).optarif),), absorb=True),
        _spec(r"T ([nN])", OLD, lambda d, m: (c_str(tic(m, d).period_words),), absorb=True),
        _spec(r"T ([pP])", OLD, lambda d, m: (c_str(tic(m, d).period_raw),), absorb=True),
        _spec(r"([iI]) p", OLD, lambda d, m: (c_int(_pap(tic(m, d))),), absorb=True),
        _spec(r"([iI]) m", OLD, lambda d, m: (c_str(tic(m, d).phase_words),), absorb=True),
        _spec(r"([iI]) M", OLD, lambda d, m: (c_int(_phases(tic(m, d))),), absorb=True),
        _spec(
            r"([iI])i([0-3])",
            OLD,
            lambda d, m: (c_int(_amps(tic(m, d), int(m.group(2)))),),
            absorb=True,
        ),
        _spec(
            r"([iI])m([0-3])",
            OLD,
            lambda d, m: (c_int(_amps(tic(m, d), int(m.group(2)), peak=True)),),
            absorb=True,
        ),
        _spec(r"Te([12])", OLD, lambda d, m: (c_int(by_number(d, m).ejp_notice),), absorb=True),
        _spec(r"Td([12])", OLD, lambda d, m: (c_str(by_number(d, m).tomorrow_words),), absorb=True),
        _spec(r"T([bB])1", OLD, lambda d, m: (c_str(_raw_index(tic(m, d), "base")),), absorb=True),
        _spec(
            r"T([cC])([12])",
            OLD,
            lambda d, m: (c_str(_raw_index(tic(m, d), _HC_REGISTER[m.group(2)])),),
            absorb=True,
        ),
        _spec(
            r"T([jJ])([12])",
            OLD,
            lambda d, m: (c_str(_raw_index(tic(m, d), _EJP_REGISTER[m.group(2)])),),
            absorb=True,
        ),
        _spec(
            r"T([rR])([1-6])",
            OLD,
            lambda d, m: (c_str(_raw_index(tic(m, d), _TEMPO_REGISTER[int(m.group(2)) - 1])),),
            absorb=True,
        ),
        _spec(
            r"T([iI])([1-6])",
            OLD,
            lambda d, m: (c_str(_raw_slot(tic(m, d), int(m.group(2)))),),
            absorb=True,
        ),
        _spec(
            r"([jmaJMA]) T",
            OLD,
            lambda d, m: (c_int(round(_period(tic(m, d).consumption, m.group(1)))),),
            absorb=True,
        ),
        _spec(
            r"([jmaJMA]) E",
            OLD,
            lambda d, m: (c_double(_period(tic(m, d).cost, m.group(1))),),
            absorb=True,
        ),
        _spec(r"([amsjAMSJ]) ([1-6])", OLD, _old_period_values, absorb=True),
    ]


def _raw_slot(tic: Tic, slot: int) -> str:
    return f"{tic.slot(slot):09d}" if slot <= len(tic.registers) else "0"


def _isousc(tic: Tic) -> int:
    return tic.subscribed_current if tic.wired else 0


def _pap(tic: Tic) -> int:
    return tic.apparent_power if tic.wired else 0


def _papij(tic: Tic) -> int:
    return tic.injected_power if tic.wired and tic.producer else 0


def _phases(tic: Tic) -> int:
    return tic.phases if tic.wired else 0


def _amps(tic: Tic, phase: int, *, peak: bool = False) -> int:
    if not tic.wired:
        return 0
    return (tic.max_current if peak else tic.current)[phase]


def _volts(tic: Tic, phase: int) -> int:
    return tic.voltage[phase - 1] if tic.wired else 0


# -- TIC, numeric scheme ----------------------------------------------------------------


def _numeric_tic_specs() -> list[CodeSpec]:
    def tic(device: Device, m: re.Match[str]) -> Tic:
        return device.tics[_number(m.group(1), 3) - 1]

    def index(register: str) -> Resolver:
        return lambda d, m: (c_uint(tic(d, m).index(register)),)

    def words(getter: Callable[[Tic], str]) -> Resolver:
        return lambda d, m: (c_str(getter(tic(d, m))),)

    def number(getter: Callable[[Tic], int]) -> Resolver:
        return lambda d, m: (c_int(getter(tic(d, m))),)

    def totals(getter: Callable[[Tic], PeriodTotals], letter: str, *, as_int: bool) -> Resolver:
        def resolve(d: Device, m: re.Match[str]) -> Supplied:
            value = _period(getter(tic(d, m)), letter)
            return (c_int(round(value)),) if as_int else (c_double(value),)

        return resolve

    def unsigned(getter: Callable[[Tic], int]) -> Resolver:
        return lambda d, m: (c_uint(getter(tic(d, m)) if tic(d, m).wired else 0),)

    n = "([1-3])"
    specs = [
        _spec("ea" + n, NUMERIC, words(lambda t: t.adco_text), absorb=True),
        _spec("es" + n, V08X_ONLY, words(lambda t: t.adco_text), absorb=True),
        _spec("eo" + n, NUMERIC, words(lambda t: t.optarif), absorb=True),
        _spec("eS" + n, NUMERIC, number(_isousc), absorb=True),
        _spec("ed" + n, NUMERIC, number(lambda t: t.contract_code), absorb=True),
        _spec("eb" + n, NUMERIC, words(lambda t: t.subscription), absorb=True),
        _spec("en" + n, NUMERIC, words(lambda t: t.name), absorb=True),
        _spec("Tn" + n, NUMERIC, words(lambda t: t.period_words), absorb=True),
        _spec("ip" + n, NUMERIC, number(_pap), absorb=True),
        _spec("ij" + n, NUMERIC, number(_papij), absorb=True),
        _spec("Te" + n, NUMERIC, number(lambda t: t.ejp_notice), absorb=True),
        _spec("Tp" + n, NUMERIC, unsigned(lambda t: int(t.producer)), absorb=True),
        _spec("Td" + n, V08X_ONLY, words(lambda t: t.tomorrow_words), absorb=True),
        _spec("TD" + n, V084_ONLY, words(lambda t: t.tomorrow_words), absorb=True),
        _spec("TP" + n, V084_ONLY, index("hchp"), absorb=True),
        _spec("TC" + n, V084_ONLY, index("hchc"), absorb=True),
        _spec("Ts" + n, V084_ONLY, index("h_super_creuse"), absorb=True),
        _spec("Tw" + n, NUMERIC, index("h_weekend"), absorb=True),
        _spec("ei" + n, V084_ONLY, unsigned(lambda t: int(t.producer)), absorb=True),
        _spec("TJ" + n, V084_ONLY, unsigned(lambda t: t.injection), absorb=True),
        _spec("Ta" + n, V08X_ONLY, unsigned(lambda t: t.injection), absorb=True),
        _spec("Tb" + n + "1", NUMERIC, index("base")),
        _spec(
            "Tc" + n + "([12])",
            V08X_ONLY,
            lambda d, m: (c_uint(tic(d, m).index(_HC_REGISTER[m.group(2)])),),
        ),
        _spec(
            "Tj" + n + "([12])",
            NUMERIC,
            lambda d, m: (c_uint(tic(d, m).index(_EJP_REGISTER[m.group(2)])),),
        ),
        _spec(
            "Tr" + n + "([1-6])",
            NUMERIC,
            lambda d, m: (c_uint(tic(d, m).index(_TEMPO_REGISTER[int(m.group(2)) - 1])),),
        ),
        _spec(
            "Tm" + n + "([1-6])",
            NUMERIC,
            lambda d, m: (c_uint(tic(d, m).index(_MIXED_REGISTER[int(m.group(2)) - 1])),),
        ),
        _spec(
            "T[iI]" + n + "([1-6])",
            NUMERIC,
            lambda d, m: (c_uint(tic(d, m).slot(int(m.group(2)))),),
        ),
        _spec(
            "ii" + n + "([0-3])",
            NUMERIC,
            lambda d, m: (c_int(_amps(tic(d, m), int(m.group(2)))),),
        ),
        _spec(
            "iM" + n + "([0-3])",
            NUMERIC,
            lambda d, m: (c_int(_amps(tic(d, m), int(m.group(2)), peak=True)),),
        ),
        _spec(
            "iu" + n + "([1-3])",
            NUMERIC,
            lambda d, m: (c_uint(_volts(tic(d, m), int(m.group(2)))),),
        ),
    ]
    for letter in "jma":
        specs.append(
            _spec(
                f"{letter}E{n}",
                NUMERIC,
                totals(lambda t: t.cost, letter, as_int=False),
                absorb=True,
            )
        )
        if letter == "a":
            specs.append(
                _spec(
                    "aT" + n,
                    V08X_ONLY,
                    totals(lambda t: t.consumption, "a", as_int=True),
                    absorb=True,
                )
            )
            specs.append(
                _spec(
                    "aT" + n,
                    V084_ONLY,
                    totals(lambda t: t.consumption, "a", as_int=False),
                    absorb=True,
                )
            )
        else:
            specs.append(
                _spec(
                    f"{letter}T{n}",
                    NUMERIC,
                    totals(lambda t: t.consumption, letter, as_int=False),
                    absorb=True,
                )
            )
    return specs


# -- pulse counters -----------------------------------------------------------------------


def _pulse_specs() -> list[CodeSpec]:
    n = "([1-6])"

    def counter(_d: Device, text: str) -> int:
        return _number(text, COUNTER_COUNT) - 1

    def index_float(d: Device, m: re.Match[str]) -> Supplied:
        return (c_double(d.counters[counter(d, m.group(1))].index),)

    def index_split(d: Device, m: re.Match[str]) -> Supplied:
        thousandths = round(d.counters[counter(d, m.group(1))].index * 1000)
        whole, fraction = divmod(thousandths, 1000)
        return (c_int(whole), c_double(float(fraction)))

    def consumption(d: Device, m: re.Match[str]) -> Supplied:
        item = d.counters[counter(d, m.group(2))]
        value = {
            "j": item.consumption_day,
            "h": item.consumption_yesterday,
            "m": item.consumption_month,
            "a": item.consumption_year,
        }[m.group(1)]
        return (c_double(value),)

    def old_consumption(d: Device, m: re.Match[str]) -> Supplied:
        letter = m.group(1)
        item = d.counters[0 if letter.islower() else 1]
        value = {
            "j": item.consumption_day,
            "m": item.consumption_month,
            "a": item.consumption_year,
        }[letter.lower()]
        return (c_double(value),)

    def in_unit(d: Device, m: re.Match[str]) -> Supplied:
        item = d.counters[counter(d, m.group(1))]
        return (c_str(f"{item.index_in(int(m.group(2))):.3f}"),)

    return [
        _spec(
            "pp" + n,
            ALL,
            lambda d, m: (c_int(d.counters[counter(d, m.group(1))].pulses_today),),
            absorb=True,
        ),
        _spec("pIU" + n, OLD | V08X_ONLY, index_float),
        _spec("pIU" + n, V084_ONLY, index_split),
        _spec(
            "pd" + n,
            ALL,
            lambda d, m: (c_double(d.counters[counter(d, m.group(1))].flow),),
            absorb=True,
        ),
        _spec(
            "pu" + n,
            ALL,
            lambda d, m: (c_int(d.counters[counter(d, m.group(1))].pulses_per_unit),),
            absorb=True,
        ),
        _spec("GpU" + n, ALL, lambda d, m: (c_int(d.counters[counter(d, m.group(1))].unit),)),
        _spec("pC([jhma])" + n, ALL, consumption),
        _spec(
            "pe([jma])" + n,
            ALL,
            lambda d, m: (c_double(_period(d.counters[counter(d, m.group(2))].cost, m.group(1))),),
        ),
        _spec(
            "pn" + n,
            ALL,
            lambda d, m: (c_str(d.counters[counter(d, m.group(1))].name),),
            absorb=True,
        ),
        _spec("pU" + n + "([1-4])", ALL, in_unit),
        _spec(r"p ([jmaJMA])", ALL, old_consumption, absorb=True),
        _spec(
            r"p ([dD])",
            ALL,
            lambda d, m: (c_int(d.counters[0 if m.group(1) == "d" else 1].pulses_per_unit),),
            absorb=True,
        ),
        _spec(
            r"p ([nN])",
            ALL,
            lambda d, m: (c_str(d.counters[0 if m.group(1) == "n" else 1].name),),
            absorb=True,
        ),
    ]


# -- clamps ------------------------------------------------------------------------------


def _clamp_specs() -> list[CodeSpec]:
    n = "([1-4])"

    def clamp(_d: Device, m: re.Match[str], group: int = 1) -> int:
        return _number(m.group(group), CLAMP_COUNT) - 1

    def totals(attribute: str) -> Resolver:
        def resolve(d: Device, m: re.Match[str]) -> Supplied:
            item = d.clamps[clamp(d, m, 2)]
            return (c_double(_period(getattr(item, attribute), m.group(1))),)

        return resolve

    def start_index(d: Device, m: re.Match[str]) -> Supplied:
        item = d.clamps[clamp(d, m, 2)]
        return (c_str(str(round(_period(item.start_index, m.group(1))))),)

    return [
        _spec(r"P A" + n, ALL, lambda d, m: (c_double(d.clamps[clamp(d, m)].current),)),
        _spec(
            r"P P" + n, ALL, lambda d, m: (c_int(d.clamp_apparent_power(d.clamps[clamp(d, m)])),)
        ),
        _spec(r"P W" + n, OLD, lambda d, m: (c_int(d.clamps[clamp(d, m)].index),)),
        _spec(r"P W" + n, NUMERIC, lambda d, m: (c_energy(d.clamps[clamp(d, m)].index),)),
        _spec(r"PPT", ALL, lambda d, _m: tuple(c_int(d.clamp_real_power(c)) for c in d.clamps)),
        _spec(r"PPU" + n, ALL, lambda d, m: (c_str(d.clamp_power_text(d.clamps[clamp(d, m)])),)),
        _spec(r"PPi" + n, NUMERIC, lambda d, m: (c_energy(d.clamps[clamp(d, m)].injection),)),
        _spec(r"PIt" + n, V084_ONLY, lambda d, m: (c_energy(d.clamps[clamp(d, m)].injection),)),
        _spec(r"PC([jma])" + n, ALL, totals("consumption")),
        _spec(r"Pe([jma])" + n, ALL, totals("cost")),
        _spec(r"PI([jma])" + n, ALL, totals("injected")),
        _spec(r"Pg([jma])" + n, ALL, totals("gain")),
        _spec(r"PM([jma])" + n, ALL, totals("max_current")),
        _spec(r"Pi([jma])" + n, ALL, start_index),
        _spec(
            r"Pa" + n, ALL, lambda d, m: (c_int(int(d.clamps[clamp(d, m)].enabled)),), absorb=True
        ),
        _spec(r"Pn" + n, ALL, lambda d, m: (c_str(d.clamps[clamp(d, m)].name),), absorb=True),
        _spec(r"PVV", NUMERIC, lambda d, _m: (c_int(d.mains_voltage or 0),)),
    ]


# -- 1-Wire -------------------------------------------------------------------------------


def _probe_value(probe: Probe, letter: str) -> Supplied:  # noqa: PLR0911 - a table
    if letter == "T":
        return (c_double(probe.reading),)
    if letter == "N":
        return (c_str(probe.name),)
    if letter == "S":
        return tuple(c_int(byte) for byte in probe.rom)
    if letter == "t":
        return (c_str(_PROBE_KIND_WORDS.get(probe.kind, "") if probe.detected else ""),)
    if letter == "C":
        return (c_str(f"{probe.reading:.1f} {probe.unit}" if probe.detected else "---"),)
    if letter in "DG":
        return (c_int(int(probe.detected)),)
    totals = probe.minimum if letter.islower() else probe.maximum
    return (c_double(_period(totals, letter) if probe.detected else 0.0),)


def _onewire_block(device: Device) -> str:
    states = device.onewire_states
    if not states:
        return ""
    items = "".join(
        f"<RELAIS{relay_id}>{_on_off(on=on)}</RELAIS{relay_id}>" for relay_id, on in states.items()
    )
    return f"<relais1W>{items}</relais1W>"


def _card_value(device: Device, m: re.Match[str]) -> Supplied:
    card = device.cards[int(m.group(2))]
    letter = m.group(1)
    if letter == "S":
        rom = card.rom if card else (0,) * 8
        return tuple(c_int(byte) for byte in rom)
    if letter == "N":
        return (c_str(card.name if card else ""),)
    if letter == "T":
        return (c_int(card.size if card else 0),)
    return (c_int(int(card is not None)),)


def _card_relay_name(device: Device, m: re.Match[str]) -> Supplied:
    card = device.cards[int(m.group(1))]
    position = int(m.group(2))
    if card is None or position > card.size:
        return (c_str(""),)
    return (c_str(card.relays[position - 1].name),)


def _onewire_specs() -> list[CodeSpec]:
    return [
        _spec(
            r"W Q",
            ALL,
            lambda d, _m: (c_int(sum(p.detected and p.kind == "T" for p in d.probes)),),
        ),
        _spec(
            r"W H",
            ALL,
            lambda d, _m: (c_int(sum(p.detected and p.kind == "H" for p in d.probes)),),
        ),
        _spec(
            r"W([0-2])([TNStCDGjJmMaA])([0-9])",
            ALL,
            lambda d, m: _probe_value(d.probes[10 * int(m.group(1)) + int(m.group(3))], m.group(2)),
        ),
        _spec(r"W ?Rn", ALL, lambda d, _m: (c_int(sum(c is not None for c in d.cards)),)),
        _spec(r"WRo", ALL, lambda d, _m: _onewire_block(d)),
        _spec(r"WR([SNTD])([0-9])", ALL, _card_value),
        _spec(r"WR([0-9])([1-8])", ALL, _card_relay_name),
    ]


# -- relays, inputs, analog inputs, virtual switches, variables -----------------------------


def _io_specs() -> list[CodeSpec]:
    def relay(d: Device, m: re.Match[str]) -> bool:
        return d.relays[int(m.group(1)) - 1].on

    def switch(_d: Device, m: re.Match[str]) -> int:
        return _number(m.group(1), SWITCH_COUNT) - 1

    return [
        _spec(r"o R([12])", ALL, lambda d, m: (c_str(_on_off(on=relay(d, m))),)),
        _spec(r"o E([12])", ALL, lambda d, m: (c_int(int(relay(d, m))),)),
        _spec(r"o r([12])", ALL, lambda d, m: (c_str("checked" if relay(d, m) else ""),)),
        _spec(r"o n([01])", ALL, lambda d, m: (c_str(d.relays[int(m.group(1))].name),)),
        _spec(r"l[\t ]E([12])", ALL, lambda d, m: (c_int(int(d.inputs[int(m.group(1)) - 1].on)),)),
        _spec(
            r"l e([12])",
            ALL,
            lambda d, m: (c_str(_on_off(on=d.inputs[int(m.group(1)) - 1].on)),),
        ),
        _spec(r"l n([12])", ALL, lambda d, m: (c_str(d.inputs[int(m.group(1)) - 1].name),)),
        _spec(r"la", NUMERIC, lambda d, _m: tuple(c_double(a.value) for a in d.analogs)),
        _spec(
            r"l A([1-4])", ALL, lambda d, m: (c_int(round(d.analogs[int(m.group(1)) - 1].value)),)
        ),
        _spec(r"l a([1-4])", ALL, lambda d, m: (c_str(d.analogs[int(m.group(1)) - 1].name),)),
        _spec(
            r"lSE(\d{1,2})",
            NUMERIC,
            lambda d, m: (c_int(int(d.virtual_switches[switch(d, m)].on)),),
            absorb=True,
        ),
        _spec(
            r"l[\t ]V([1-8])",
            ALL,
            lambda d, m: (c_int(int(d.virtual_switches[int(m.group(1)) - 1].on)),),
        ),
        _spec(
            r"l v(\d{1,2})",
            ALL,
            lambda d, m: (c_str(_on_off(on=d.virtual_switches[switch(d, m)].on)),),
        ),
        _spec(r"l N(\d{1,2})", ALL, lambda d, m: (c_str(d.virtual_switches[switch(d, m)].name),)),
        _spec(
            r"l r(\d{1,2})",
            ALL,
            lambda d, m: (c_str("checked" if d.virtual_switches[switch(d, m)].on else ""),),
        ),
        _spec(r"Vv([1-8])", ALL, lambda d, m: (c_double(d.variables[int(m.group(1)) - 1]),)),
    ]


def _spec(
    pattern: str, generations: frozenset[Generation], resolve: Resolver, *, absorb: bool = False
) -> CodeSpec:
    return CodeSpec(re.compile(pattern), generations, resolve, absorb)


_ALL_SPECS: Final = (
    _system_specs()
    + _old_tic_specs()
    + _numeric_tic_specs()
    + _pulse_specs()
    + _clamp_specs()
    + _onewire_specs()
    + _io_specs()
)
TABLES: Final = {
    generation: tuple(spec for spec in _ALL_SPECS if generation in spec.generations)
    for generation in Generation
}


@dataclass(frozen=True, slots=True)
class ParsedCode:
    """A code line split into its code, its format and the values it supplies."""

    code: str
    fmt: str
    supplied: Supplied


def parse_code_line(text: str, device: Device, generation: Generation) -> ParsedCode | None:
    """Split the text after ``c `` into code and format; ``None`` for an unknown code."""
    for spec in TABLES[generation]:
        match = spec.pattern.match(text)
        if match is None:
            continue
        try:
            supplied = spec.resolve(device, match)
        except (CodeOutOfRangeError, IndexError):
            return None
        rest = text[match.end() :]
        if spec.absorbs_space and rest.startswith(" "):
            rest = rest[1:]
        return ParsedCode(match.group(0), rest, supplied)
    return None
