"""Our data file rendered by the simulated WES: well-formed, parsed back, small."""

from __future__ import annotations

import asyncio
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custom_components.wescontrol.wes.cgx import (
    DATA_FILE_NAME,
    data_file_fields,
    data_file_version,
    generate_data_file,
    generate_full_data_file,
    tic_registers,
)
from custom_components.wescontrol.wes.features import (
    CLAMP_TYPES,
    INSTANCE_COUNT,
    MEASURES,
    METER_TYPES,
    TARIFFS,
    TIC_MEASURES,
    EnabledFeatures,
    FeatureKind,
)
from custom_components.wescontrol.wes.models import FirmwareGeneration, WesData
from custom_components.wescontrol.wes.parser import parse_data
from simulator.device import (
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

if TYPE_CHECKING:
    from simulator import WesSimulator

V08 = FirmwareGeneration.V08
V084 = FirmwareGeneration.V084
SIM_GENERATION = {V08: "v08x", V084: "v084"}


async def fetch(sim: WesSimulator, name: str) -> bytes:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{sim.url}/{name}", auth=aiohttp.BasicAuth(*sim.admin)) as response,
    ):
        assert response.status == 200
        return await response.read()


async def render_over_http(sim: WesSimulator, template: str, name: str = DATA_FILE_NAME) -> bytes:
    (sim.web_root / name).write_text(template, encoding="utf-8")
    return await fetch(sim, name)


def everything() -> EnabledFeatures:
    """Every instance of every kind, with the options that print the most."""
    return EnabledFeatures(
        instances={
            kind: {n: {} for n in range(1, count + 1)} for kind, count in INSTANCE_COUNT.items()
        },
        screen=True,
        mains_voltage=True,
    )


@pytest.mark.parametrize("generation", [V08, V084])
async def test_full_file_uses_only_known_codes(
    wes_simulator_factory: Any, generation: FirmwareGeneration
) -> None:
    sim = await wes_simulator_factory(generation=SIM_GENERATION[generation], scenario="a")
    sim.device.cards[1] = OneWireCard(size=3)
    sim.device.cards[1].relays[2].on = True
    for template in (
        generate_full_data_file(generation),
        generate_data_file(everything(), generation),
    ):
        body = await render_over_http(sim, template)
        assert sim.unknown_codes == []
        assert sim.mismatches == []
        root = ET.fromstring(body)  # noqa: S314 (the simulator's output)
        assert root.tag == "data"
        data = parse_data(body)
        marker = re.search(r"<version>([^<]+)</version>", template)
        assert marker is not None
        assert data.info.data_file_version == marker.group(1)
        assert data.info.mac == sim.device.mac
        assert set(data.tics) == {1, 2, 3}
        assert data.onewire_relays == {111: False, 112: False, 113: True}
    assert data_file_version(everything(), generation) in generate_data_file(
        everything(), generation
    )


# --- typical versus full size ---------------------------------------------------------------

TYPICAL = EnabledFeatures(
    instances={
        FeatureKind.TIC: {1: {"tariff": "tempo", "measure": "consumption"}},
        FeatureKind.CLAMP: {1: {"measure": "consumption"}, 2: {"measure": "production"}},
        FeatureKind.PULSE_COUNTER: {1: {"meter_type": "water"}},
        FeatureKind.PROBE: {1: {}, 2: {}, 3: {}},
        FeatureKind.RELAY: {1: {}, 2: {}},
    }
)


@pytest.mark.parametrize("generation", [V08, V084])
async def test_typical_file_is_a_quarter_of_the_full_one(
    wes_simulator_factory: Any, generation: FirmwareGeneration
) -> None:
    """Full = our generator with every instance and every field (Jeedom-like)."""
    sim = await wes_simulator_factory(generation=SIM_GENERATION[generation], scenario="a")
    full = await render_over_http(sim, generate_full_data_file(generation), "FULL.CGX")
    typical = await render_over_http(sim, generate_data_file(TYPICAL, generation))
    assert sim.unknown_codes == []
    assert len(typical) <= 0.25 * len(full)
    data = parse_data(typical)
    assert set(data.tics) == {1}
    # PPT prints the real power of all 4 clamps: 3 and 4 only carry WATT3/WATT4.
    assert set(data.clamps) == ({1, 2, 3, 4} if generation is V084 else {1, 2})
    assert set(data.probes) == {1, 2, 3}
    assert data.clamps[2].injection_index == sim.device.clamps[1].injection
    assert data.tics[1].indexes["bbrhcjb"] == sim.device.tics[0].indexes["bbrhcjb"]


# --- the property: whatever the WES holds, the file reads back as the device model -------

_NUMBERS = {kind: list(range(1, count + 1)) for kind, count in INSTANCE_COUNT.items()}
_MONEY = st.floats(min_value=0, max_value=99_999, allow_nan=False)
_INDEX = st.integers(min_value=0, max_value=999_999_999)


def _subset(kind: FeatureKind, options: st.SearchStrategy[dict[str, str]]) -> st.SearchStrategy:
    return st.dictionaries(st.sampled_from(_NUMBERS[kind]), options, max_size=len(_NUMBERS[kind]))


_EMPTY: st.SearchStrategy[dict[str, str]] = st.just({})
FEATURES = st.builds(
    lambda tic, clamp, pulse, probe, relay, card, inp, analog, switch, variable, screen, volt: (
        EnabledFeatures(
            instances={
                FeatureKind.TIC: tic,
                FeatureKind.CLAMP: clamp,
                FeatureKind.PULSE_COUNTER: pulse,
                FeatureKind.PROBE: probe,
                FeatureKind.RELAY: relay,
                FeatureKind.ONEWIRE_CARD: card,
                FeatureKind.INPUT: inp,
                FeatureKind.ANALOG_INPUT: analog,
                FeatureKind.VIRTUAL_SWITCH: switch,
                FeatureKind.VARIABLE: variable,
            },
            screen=screen,
            mains_voltage=volt,
        )
    ),
    _subset(
        FeatureKind.TIC,
        st.fixed_dictionaries(
            {"tariff": st.sampled_from(TARIFFS), "measure": st.sampled_from(TIC_MEASURES)}
        ),
    ),
    _subset(
        FeatureKind.CLAMP,
        st.fixed_dictionaries(
            {"measure": st.sampled_from(MEASURES), "clamp_type": st.sampled_from(CLAMP_TYPES)}
        ),
    ),
    _subset(
        FeatureKind.PULSE_COUNTER,
        st.fixed_dictionaries({"meter_type": st.sampled_from(METER_TYPES)}),
    ),
    _subset(FeatureKind.PROBE, _EMPTY),
    _subset(FeatureKind.RELAY, _EMPTY),
    _subset(FeatureKind.ONEWIRE_CARD, _EMPTY),
    _subset(FeatureKind.INPUT, _EMPTY),
    _subset(FeatureKind.ANALOG_INPUT, _EMPTY),
    _subset(FeatureKind.VIRTUAL_SWITCH, _EMPTY),
    _subset(FeatureKind.VARIABLE, _EMPTY),
    st.booleans(),
    st.booleans(),
)


def _totals(values: st.SearchStrategy[float] = _MONEY) -> st.SearchStrategy[PeriodTotals]:
    return st.builds(PeriodTotals, day=values, month=values, year=values)


_SMALL = st.integers(min_value=0, max_value=999)
TICS = st.builds(
    Tic,
    wired=st.booleans(),
    adco=st.from_regex(r"0[0-9]{11}", fullmatch=True),
    contract=st.sampled_from(Contract),
    subscribed_current=_SMALL,
    off_peak=st.booleans(),
    today=st.none() | st.sampled_from(TempoColour),
    tomorrow=st.none() | st.sampled_from(TempoColour),
    ejp_notice=_SMALL,
    apparent_power=st.integers(min_value=0, max_value=99_999),
    injected_power=st.integers(min_value=0, max_value=99_999),
    current=st.lists(_SMALL, min_size=4, max_size=4),
    max_current=st.lists(_SMALL, min_size=4, max_size=4),
    voltage=st.lists(_SMALL, min_size=3, max_size=3),
    indexes=st.fixed_dictionaries(dict.fromkeys(Tic().indexes, _INDEX)),
    producer=st.booleans(),
    injection=_INDEX,
    consumption=_totals(),
    cost=_totals(),
)
CLAMPS = st.builds(
    Clamp,
    current=st.floats(min_value=0, max_value=120, allow_nan=False),
    cos_phi=st.floats(min_value=0, max_value=1, allow_nan=False),
    index=st.integers(min_value=0, max_value=2_000_000_000),
    injection=st.integers(min_value=0, max_value=2_000_000_000),
    consumption=_totals(),
    cost=_totals(),
    injected=_totals(),
    gain=_totals(),
    max_current=_totals(st.floats(min_value=0, max_value=120, allow_nan=False)),
)
COUNTERS = st.builds(
    PulseCounter,
    pulses_today=st.integers(min_value=0, max_value=10**6),
    index=st.floats(min_value=0, max_value=10**7, allow_nan=False),
    flow=_MONEY,
    consumption_day=_MONEY,
    consumption_yesterday=_MONEY,
    consumption_month=_MONEY,
    consumption_year=_MONEY,
    cost=_totals(),
)
PROBES = st.builds(
    Probe, detected=st.booleans(), value=st.floats(min_value=-55, max_value=125, allow_nan=False)
)
SWITCHES = st.builds(Switch, on=st.booleans())
VALUES = st.fixed_dictionaries(
    {
        "firmware_suffix": st.sampled_from(["", "B03", "A12"]),
        # Any vendor string but "]]>" (ends CDATA); it starts with a letter so it is not
        # one of the WES's "absent" markers.
        "hardware": st.from_regex(r"[A-Za-z][ -~\xa0-\xff]{0,19}", fullmatch=True).filter(
            lambda text: "]]>" not in text
        ),
        "free_space": st.floats(min_value=0, max_value=64, allow_nan=False),
        "alarm": st.booleans(),
        "mains_voltage": st.none() | st.integers(min_value=0, max_value=300),
        "tics": st.lists(TICS, min_size=3, max_size=3),
        "clamps": st.lists(CLAMPS, min_size=4, max_size=4),
        "counters": st.lists(COUNTERS, min_size=6, max_size=6),
        "probes": st.lists(PROBES, min_size=30, max_size=30),
        "relays": st.lists(SWITCHES, min_size=2, max_size=2),
        "cards": st.lists(st.none() | st.sampled_from([3, 8]), min_size=10, max_size=10),
        "card_states": st.lists(st.booleans(), min_size=8, max_size=8),
        "inputs": st.lists(SWITCHES, min_size=2, max_size=2),
        "analogs": st.lists(
            st.builds(Analog, value=st.floats(min_value=0, max_value=30, allow_nan=False)),
            min_size=4,
            max_size=4,
        ),
        "switches": st.lists(SWITCHES, min_size=24, max_size=24),
        "variables": st.lists(
            st.floats(min_value=-9999, max_value=9999, allow_nan=False), min_size=8, max_size=8
        ),
    }
)


def load(device: Device, values: dict[str, Any], generation: FirmwareGeneration) -> None:
    device.firmware = ("V0.84A10" if generation is V084 else "V0.83H") + values["firmware_suffix"]
    device.hardware = values["hardware"]
    device.free_space = values["free_space"]
    device.alarm = values["alarm"]
    device.mains_voltage = values["mains_voltage"]
    device.tics = values["tics"]
    device.clamps = values["clamps"]
    device.counters = values["counters"]
    device.probes = values["probes"]
    device.relays = values["relays"]
    device.cards = [
        None
        if size is None
        else OneWireCard(size=size, relays=[Switch(on=on) for on in values["card_states"][:size]])
        for size in values["cards"]
    ]
    device.inputs = values["inputs"]
    device.analogs = values["analogs"]
    device.virtual_switches = values["switches"]
    device.variables = values["variables"]


def printed(fmt: str, value: float) -> float:
    """What the WES prints for ``value`` with a printf float format, read back."""
    return float(fmt % value)


def check_periods(actual: Any, expected: PeriodTotals, fmt: str = "%.02f") -> None:
    assert actual.day == printed(fmt, expected.day)
    assert actual.month == printed(fmt, expected.month)
    assert actual.year == printed(fmt, expected.year)


def check_tic(data: WesData, device: Device, n: int, options: dict[str, str], gen: Any) -> None:
    tic = device.tics[n - 1]
    read = data.tics[n]
    if not tic.wired:
        assert read.adco is None
        return
    assert read.adco == tic.adco
    assert read.tariff_option == tic.optarif.rstrip(".")
    assert read.subscribed_current == tic.subscribed_current
    assert read.tariff_period == tic.period_words
    assert read.apparent_power == tic.apparent_power
    assert read.current == dict(enumerate(tic.current))
    assert read.max_current == dict(enumerate(tic.max_current))
    assert read.voltage == {1: tic.voltage[0], 2: tic.voltage[1], 3: tic.voltage[2]}
    tariff = options.get("tariff", "auto")
    registers = tic_registers(tariff, gen)
    assert read.indexes == {name: tic.indexes[name] for name in registers}
    assert read.ejp_notice == (tic.ejp_notice if tariff in {"auto", "ejp"} else None)
    if tariff in {"auto", "tempo"}:
        assert read.tomorrow_color == (None if tic.tomorrow is None else tic.tomorrow_words)
    else:
        assert read.tomorrow_color is None
    assert read.consumption.day == printed("%.03f", tic.consumption.day)
    assert read.consumption.month == printed("%.03f", tic.consumption.month)
    yearly = round(tic.consumption.year) if gen is V08 else printed("%.03f", tic.consumption.year)
    assert read.consumption.year == yearly
    check_periods(read.cost, tic.cost)
    if options.get("measure", "consumption") == "consumption":
        assert read.injection_index is None
        assert read.injected_apparent_power is None
        assert read.producer is None
    else:
        assert read.injection_index == tic.injection
        assert read.injected_apparent_power == (tic.injected_power if tic.producer else 0)
        assert read.producer == (tic.producer if gen is V084 else None)


def check_clamp(data: WesData, device: Device, n: int, options: dict[str, str], gen: Any) -> None:
    clamp = device.clamps[n - 1]
    read = data.clamps[n]
    assert read.current == printed("%.02f", clamp.current)
    assert read.apparent_power == device.clamp_apparent_power(clamp)
    assert read.index == clamp.index
    assert read.real_power == (device.clamp_real_power(clamp) if gen is V084 else None)
    check_periods(read.max_current, clamp.max_current)
    if options.get("measure") == "production":
        assert read.injection_index == clamp.injection
        check_periods(read.injection, clamp.injected)
        check_periods(read.gain, clamp.gain)
        assert read.consumption.day is None
    else:
        assert read.injection_index is None
        check_periods(read.consumption, clamp.consumption)
        check_periods(read.cost, clamp.cost)
        assert read.gain.day is None


def check_counter(data: WesData, device: Device, n: int, gen: Any) -> None:
    counter = device.counters[n - 1]
    read = data.pulse_counters[n]
    assert read.pulses_today == counter.pulses_today
    if gen is V084:
        assert read.index == pytest.approx(counter.index, abs=5e-4)
    else:
        assert read.index == printed("%.0f", counter.index)
    assert read.flow == printed("%.02f", counter.flow)
    assert read.consumption_yesterday == printed("%.02f", counter.consumption_yesterday)
    check_periods(
        read.consumption,
        PeriodTotals(counter.consumption_day, counter.consumption_month, counter.consumption_year),
    )
    check_periods(read.cost, counter.cost)


def check_everything(data: WesData, device: Device, enabled: EnabledFeatures, gen: Any) -> None:
    assert data.info.data_file_version == data_file_version(enabled, gen)
    assert data.info.firmware == device.firmware
    assert data.info.hardware == device.hardware.strip()
    assert data.info.mac == device.mac
    assert data.info.clock == device.clock.replace(second=0)
    assert data.info.free_space == printed("%.03f", device.free_space)
    assert data.info.alarm == (device.alarm if enabled.screen else None)
    voltage = device.mains_voltage or 0
    assert data.mains_voltage == (voltage if enabled.mains_voltage else None)
    for n in enabled.numbers(FeatureKind.TIC):
        check_tic(data, device, n, dict(enabled.instances[FeatureKind.TIC][n]), gen)
    assert set(data.tics) == set(enabled.numbers(FeatureKind.TIC))
    for n in enabled.numbers(FeatureKind.CLAMP):
        check_clamp(data, device, n, dict(enabled.instances[FeatureKind.CLAMP][n]), gen)
    for n in enabled.numbers(FeatureKind.PULSE_COUNTER):
        check_counter(data, device, n, gen)
    assert set(data.pulse_counters) == set(enabled.numbers(FeatureKind.PULSE_COUNTER))
    for n in enabled.numbers(FeatureKind.PROBE):
        assert data.probes[n] == printed("%.01f", device.probes[n - 1].reading)
    assert set(data.probes) == set(enabled.numbers(FeatureKind.PROBE))
    assert data.relays == {n: device.relays[n - 1].on for n in enabled.numbers(FeatureKind.RELAY)}
    assert data.inputs == {n: device.inputs[n - 1].on for n in enabled.numbers(FeatureKind.INPUT)}
    for n in enabled.numbers(FeatureKind.ANALOG_INPUT):
        assert data.analog_inputs[n] == printed("%.02f", device.analogs[n - 1].value)
    assert data.virtual_switches == {
        n: device.virtual_switches[n - 1].on for n in enabled.numbers(FeatureKind.VIRTUAL_SWITCH)
    }
    assert data.variables == {
        n: printed("%.02f", device.variables[n - 1]) for n in enabled.numbers(FeatureKind.VARIABLE)
    }
    if enabled.numbers(FeatureKind.ONEWIRE_CARD):
        assert data.onewire_relays == device.onewire_states
    else:
        assert data.onewire_relays == {}


@pytest.mark.parametrize("generation", [V08, V084])
async def test_generated_file_reads_back_the_device(
    wes_simulator_factory: Any, generation: FirmwareGeneration
) -> None:
    sim = await wes_simulator_factory(generation=SIM_GENERATION[generation], scenario="a")
    loop = asyncio.get_running_loop()
    checked: list[int] = []

    def fetch_rendered(template: str) -> bytes:
        future = asyncio.run_coroutine_threadsafe(render_over_http(sim, template), loop)
        return future.result(timeout=10)

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(enabled=FEATURES, values=VALUES)
    def check(enabled: EnabledFeatures, values: dict[str, Any]) -> None:
        load(sim.device, values, generation)
        body = fetch_rendered(generate_data_file(enabled, generation))
        assert sim.unknown_codes == []
        assert sim.mismatches == []
        root = ET.fromstring(body)  # noqa: S314 (the simulator's output)
        sections = {child.tag for child in root}
        assert sections <= set(data_file_fields(enabled, generation)) | {"wescontrol"}
        check_everything(parse_data(body), sim.device, enabled, generation)
        checked.append(sum(len(numbers) for numbers in enabled.instances.values()))

    await asyncio.to_thread(check)
    assert len(checked) >= 20
    assert max(checked) > 10
