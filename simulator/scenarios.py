"""Ready-made WES installations, selected by name, reproducible from a seed."""

from __future__ import annotations

import random
from enum import StrEnum
from typing import Final

from .device import (
    Analog,
    Clamp,
    Contract,
    Device,
    OneWireCard,
    PeriodTotals,
    Probe,
    PulseCounter,
    Switch,
    TempoColour,
    Tic,
)


class Generation(StrEnum):
    """Firmware generation: decides the built-in DATA.CGX and which codes exist."""

    V061D = "v061d"  # <= V0.7x, letter-case codes, layout (a), 2 TICs
    V08X = "v08x"  # V0.80 .. V0.84A9, numeric codes, layout (b)
    V084 = "v084"  # >= V0.84A10, layout (b) with the 0.84 codes

    @classmethod
    def parse(cls, value: str | Generation) -> Generation:
        """Accept the simulator names and the integration's names (legacy, v08)."""
        aliases = {"legacy": cls.V061D, "v08": cls.V08X}
        text = str(value).lower()
        return aliases.get(text) or cls(text)


FIRMWARE: Final = {
    Generation.V061D: "V0.61D",
    Generation.V08X: "V0.83H",
    Generation.V084: "V0.84A10",
}
SCENARIOS: Final = ("a", "b", "c")
_SCENARIO_GENERATION: Final = {"a": Generation.V084, "b": Generation.V084, "c": Generation.V061D}


def default_generation(scenario: str | None) -> Generation:
    """The firmware a scenario describes (a, b: V0.84A10; c: V0.61D)."""
    return _SCENARIO_GENERATION.get(scenario or "", Generation.V084)


def _rom(rng: random.Random, family: int) -> tuple[int, ...]:
    return (family, *(rng.randrange(256) for _ in range(7)))


def _meter_serial(rng: random.Random) -> str:
    return "0" + "".join(str(rng.randrange(10)) for _ in range(11))


def _totals(rng: random.Random, day: float, scale: float = 1.0) -> PeriodTotals:
    month = day * rng.uniform(8.0, 14.0) * scale
    return PeriodTotals(day=round(day, 3), month=round(month, 3), year=round(month * 9.5, 3))


def _common(device: Device, rng: random.Random) -> None:
    """Names and values every scenario shares (names exercise accents and ``&``)."""
    device.mac_bytes = (
        0x00,
        0x1E,
        0xC0,
        rng.randrange(256),
        rng.randrange(256),
        rng.randrange(256),
    )
    device.relays = [Switch(name="Chauffe-eau"), Switch(name="Pompe & filtre")]
    device.inputs = [Switch(name="Détecteur porte"), Switch(name="Contact <garage>")]
    device.analogs = [Analog(name=f"Entrée analogique {n}") for n in range(1, 5)]
    names = ["Mode éco", "Absence & vacances", "Nuit"]
    for number, switch in enumerate(device.virtual_switches, start=1):
        switch.name = names[number - 1] if number <= len(names) else f"Switch {number}"
    device.virtual_switches[1].on = True
    device.variables[:3] = [19.5, 1.25, round(rng.uniform(0, 100), 2)]
    device.free_space = round(rng.uniform(1.0, 7.5), 3)


def _tempo_tic(rng: random.Random) -> Tic:
    tic = Tic(
        wired=True,
        adco=_meter_serial(rng),
        contract=Contract.TEMPO,
        subscribed_current=45,
        name="Linky maison",
        today=TempoColour.BLUE,
        tomorrow=TempoColour.WHITE,
        apparent_power=1840,
        current=[8, 0, 0, 0],
        max_current=[34, 0, 0, 0],
        voltage=[233, 0, 0],
    )
    base = rng.randrange(1_000_000, 9_000_000)
    for offset, register in enumerate(
        ("bbrhcjb", "bbrhpjb", "bbrhcjw", "bbrhpjw", "bbrhcjr", "bbrhpjr")
    ):
        tic.indexes[register] = base // (offset + 1) + rng.randrange(1000)
    tic.consumption = _totals(rng, 12.345)
    tic.cost = _totals(rng, 2.47)
    tic.price_per_kwh = 0.1612
    return tic


def _producer_tic(rng: random.Random) -> Tic:
    tic = Tic(
        wired=True,
        adco=_meter_serial(rng),
        contract=Contract.HC,
        subscribed_current=20,
        name="Compteur triphasé",
        phases=3,
        apparent_power=4210,
        injected_power=1250,
        current=[0, 6, 7, 5],
        max_current=[0, 28, 30, 27],
        voltage=[232, 234, 231],
        producer=True,
        injection=rng.randrange(2_000_000, 3_000_000),
    )
    tic.indexes["hchp"] = rng.randrange(20_000_000, 30_000_000)
    tic.indexes["hchc"] = rng.randrange(10_000_000, 15_000_000)
    tic.consumption = _totals(rng, 21.5)
    tic.cost = _totals(rng, 4.1)
    return tic


def _base_tic(rng: random.Random) -> Tic:
    tic = Tic(
        wired=True,
        adco=_meter_serial(rng),
        contract=Contract.BASE,
        subscribed_current=30,
        name="Compteur",
        apparent_power=920,
        current=[4, 0, 0, 0],
        max_current=[27, 0, 0, 0],
    )
    tic.indexes["base"] = rng.randrange(10_000_000, 50_000_000)
    tic.consumption = _totals(rng, 8.2)
    tic.cost = _totals(rng, 1.3)
    return tic


def _house_clamp(rng: random.Random) -> Clamp:
    return Clamp(
        enabled=True,
        name="Général maison",
        current=7.83,
        cos_phi=0.93,
        index=rng.randrange(20_000_000, 40_000_000),
        consumption=_totals(rng, 9.87),
        cost=_totals(rng, 1.53),
        max_current=PeriodTotals(day=24.37, month=31.05, year=38.44),
    )


def _pv_clamp(rng: random.Random) -> Clamp:
    return Clamp(
        enabled=True,
        name="PV & onduleur",
        current=3.71,
        cos_phi=0.99,
        index=rng.randrange(100_000, 900_000),
        injection=rng.randrange(4_000_000, 6_000_000),
        injection_mode=True,
        injected=_totals(rng, 11.2),
        gain=_totals(rng, 1.46),
        max_current=PeriodTotals(day=12.1, month=13.4, year=14.9),
    )


def _probe(rng: random.Random, name: str, value: float, kind: str = "T") -> Probe:
    return Probe(
        detected=True,
        name=name,
        kind=kind,
        value=value,
        rom=_rom(rng, 0x28),
        minimum=PeriodTotals(day=value - 1.2, month=value - 4.0, year=value - 9.0),
        maximum=PeriodTotals(day=value + 0.8, month=value + 3.1, year=value + 8.5),
    )


def _scenario_a(device: Device, rng: random.Random) -> None:
    device.mains_voltage = 231
    device.tics[0] = _tempo_tic(rng)
    device.clamps[0] = _house_clamp(rng)
    device.clamps[1] = _pv_clamp(rng)
    device.counters[0] = PulseCounter(
        name="Eau froide",
        unit=1,
        pulses_per_unit=4,
        pulses_today=1353,
        index=float(rng.randrange(100_000, 900_000)) + 0.25,
        flow=6.5,
        consumption_day=338.25,
        consumption_yesterday=463.75,
        consumption_month=1.98,
        consumption_year=98.43,
        cost=PeriodTotals(day=1.18, month=6.93, year=344.51),
        price_per_unit=0.0035,
    )
    device.probes[0] = _probe(rng, "Séjour", 21.4)
    device.probes[1] = _probe(rng, "Chambre d'Élise", 19.1)
    device.probes[2] = _probe(rng, "Extérieur", -2.5)
    device.relays[0].on = True


def _scenario_b(device: Device, rng: random.Random) -> None:
    device.tics[0] = _producer_tic(rng)
    device.counters[0] = PulseCounter(
        name="Gaz",
        unit=2,
        pulses_per_unit=100,
        pulses_today=312,
        index=rng.randrange(1000, 9000) + 0.123,
        flow=0.8,
        consumption_day=3120.0,
        consumption_yesterday=4410.0,
        consumption_month=52.3,
        consumption_year=812.4,
        cost=PeriodTotals(day=3.43, month=57.5, year=893.6),
        price_per_unit=1.1,
    )
    card = OneWireCard(size=8, name="Carte arrosage & piscine", rom=_rom(rng, 0x29))
    card.relays[0].on = True
    card.relays[0].name = "Pompe piscine"
    device.cards[0] = card
    device.probes[0] = _probe(rng, "Chaufferie", 17.8)


def _scenario_c(device: Device, rng: random.Random) -> None:
    device.tics[0] = _base_tic(rng)
    device.clamps[0] = _house_clamp(rng)
    device.probes[0] = _probe(rng, "Salon", 22.0)


_BUILDERS: Final = {"a": _scenario_a, "b": _scenario_b, "c": _scenario_c}


def build_device(scenario: str | None, generation: Generation, seed: int = 0) -> Device:
    """Build the device of a scenario (``None``: a bare WES with nothing connected)."""
    rng = random.Random(seed)
    device = Device(firmware=FIRMWARE[generation], rng=random.Random(seed + 1))
    if generation is Generation.V061D:
        device.hardware = "WES V1 HW1.3"
        device.hardware_revision = 1
    if scenario is None:
        return device
    if scenario not in _BUILDERS:
        raise ValueError(f"unknown scenario {scenario!r}; choose from {', '.join(SCENARIOS)}")
    _common(device, rng)
    _BUILDERS[scenario](device, rng)
    return device
