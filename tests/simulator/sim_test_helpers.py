"""A hand-made device whose every value is easy to predict in expected strings."""

import xml.etree.ElementTree as ET
from datetime import datetime

from simulator import (
    Clamp,
    Contract,
    Device,
    OneWireCard,
    PeriodTotals,
    Probe,
    PulseCounter,
    TempoColour,
    Tic,
)


def at(*fields: int) -> datetime:
    """A naive local time, as the WES clock has no timezone."""
    return datetime(*fields)  # noqa: DTZ001


def parse_xml(text: str | bytes) -> ET.Element:
    """Parse the simulator's own output (trusted)."""
    return ET.fromstring(text)  # noqa: S314


def known_device() -> Device:
    device = Device(firmware="V0.84A10", hardware="WES V2 HW2.0", mains_voltage=230)
    device.mac = "001EC094A39A"
    device.clock = at(2026, 3, 7, 8, 5)  # a Saturday
    device.free_space = 3.5
    device.alarm = True
    device.tics[0] = Tic(
        wired=True,
        adco="041876543210",
        contract=Contract.TEMPO,
        subscribed_current=45,
        name="Linky & co",
        today=TempoColour.WHITE,
        tomorrow=TempoColour.RED,
        apparent_power=1840,
        injected_power=0,
        current=[8, 0, 0, 0],
        max_current=[34, 0, 0, 0],
        voltage=[233, 0, 0],
        consumption=PeriodTotals(12.5, 200.25, 3000.5),
        cost=PeriodTotals(2.5, 40.0, 600.0),
    )
    for number, register in enumerate(
        ("bbrhcjb", "bbrhpjb", "bbrhcjw", "bbrhpjw", "bbrhcjr", "bbrhpjr"), start=1
    ):
        device.tics[0].indexes[register] = number * 1000
    device.tics[1] = Tic(
        wired=True,
        adco="021234567890",
        contract=Contract.HC,
        subscribed_current=30,
        phases=3,
        off_peak=True,
        apparent_power=4200,
        injected_power=900,
        current=[0, 5, 6, 7],
        max_current=[0, 20, 21, 22],
        voltage=[231, 232, 233],
        producer=True,
        injection=777,
    )
    device.tics[1].indexes.update(hchp=2000, hchc=1000, h_weekend=11, h_super_creuse=12)
    device.tics[1].indexes.update(hc_semaine=21, hp_semaine=22, hc_mercredi=25, hp_mercredi=26)
    device.clamps[0] = Clamp(
        enabled=True,
        name="Général",
        current=10.0,
        cos_phi=0.9,
        index=29386970,
        injection=1500,
        consumption=PeriodTotals(1.5, 2.5, 3.5),
        cost=PeriodTotals(0.1, 0.2, 0.3),
        injected=PeriodTotals(4.0, 5.0, 6.0),
        gain=PeriodTotals(0.4, 0.5, 0.6),
        max_current=PeriodTotals(20.0, 25.0, 30.0),
        start_index=PeriodTotals(29000000, 28000000, 20000000),
    )
    device.counters[0] = PulseCounter(
        name="Eau",
        unit=2,
        pulses_per_unit=1000,
        pulses_today=1353,
        index=1234.567,
        flow=6.5,
        consumption_day=338.25,
        consumption_yesterday=463.75,
        consumption_month=1.98,
        consumption_year=98.43,
        cost=PeriodTotals(1.18, 6.93, 344.51),
    )
    device.probes[0] = Probe(
        detected=True,
        name="Séjour",
        value=21.4,
        rom=(0x28, 1, 2, 3, 4, 5, 6, 0xAB),
        minimum=PeriodTotals(18.0, 15.0, 5.0),
        maximum=PeriodTotals(22.0, 24.0, 30.0),
    )
    device.probes[12] = Probe(detected=True, name="Cave", kind="H", value=65.0)
    device.relays[0].on = True
    device.relays[1].name = "Pompe & filtre"
    device.inputs[1].on = True
    device.inputs[0].name = "Porte"
    device.analogs[0].value = 1.5
    device.analogs[3].value = 9.87
    device.analogs[2].name = "Niveau cuve"
    device.virtual_switches[0].on = True
    device.virtual_switches[23].on = True
    device.virtual_switches[9].name = "Mode éco"
    device.variables[0] = 19.5
    device.variables[7] = -2.25
    card = OneWireCard(size=3, name="Arrosage")
    card.relays[1].on = True
    device.cards[1] = card
    return device
