"""The device model: scenarios, commands, and values that move believably."""

import pytest
from sim_test_helpers import at

from simulator import (
    Contract,
    Device,
    Generation,
    OneWireCard,
    PulseCounter,
    TempoColour,
    build_device,
)
from simulator.device import TIC_REGISTERS


def test_seed_makes_values_reproducible() -> None:
    first = build_device("a", Generation.V084, seed=7)
    second = build_device("a", Generation.V084, seed=7)
    other = build_device("a", Generation.V084, seed=8)
    assert first == second
    assert first.mac == second.mac
    assert first.mac != other.mac
    assert first.mac.startswith("001EC0")
    assert len(first.mac) == 12


def test_scenarios() -> None:
    a = build_device("a", Generation.V084)
    assert a.firmware == "V0.84A10"
    assert a.tics[0].contract is Contract.TEMPO
    assert a.tics[0].phases == 1
    assert not a.tics[1].wired
    assert not a.tics[2].wired
    assert a.clamps[1].injection_mode
    assert a.counters[0].unit == 1
    assert sum(p.detected for p in a.probes) == 3
    names = [r.name for r in a.relays]
    assert "Pompe & filtre" in names

    b = build_device("b", Generation.V084)
    assert b.tics[0].producer
    assert b.tics[0].phases == 3
    assert b.tics[0].contract is Contract.HC
    assert b.counters[0].unit == 2
    assert b.cards[0] is not None
    assert b.cards[0].size == 8
    assert list(b.onewire_states) == list(range(101, 109))

    c = build_device("c", Generation.V061D)
    assert c.firmware == "V0.61D"
    assert c.hardware_revision == 1
    assert c.tics[0].contract is Contract.BASE

    bare = build_device(None, Generation.V08X)
    assert bare.firmware == "V0.83H"
    assert not any(t.wired for t in bare.tics)
    assert bare.onewire_states == {}

    with pytest.raises(ValueError, match="unknown scenario"):
        build_device("z", Generation.V084)


def test_generation_aliases() -> None:
    assert Generation.parse("legacy") is Generation.V061D
    assert Generation.parse("v08") is Generation.V08X
    assert Generation.parse("V084") is Generation.V084
    assert Generation.parse(Generation.V08X) is Generation.V08X
    with pytest.raises(ValueError):
        Generation.parse("v99")


def test_mac_setter() -> None:
    device = Device()
    device.mac = "00:1e:c0:12:34:56"
    assert device.mac == "001EC0123456"
    assert device.mac_bytes == (0, 0x1E, 0xC0, 0x12, 0x34, 0x56)
    with pytest.raises(ValueError, match="12 hex"):
        device.mac = "nonsense"


def test_relay_commands() -> None:
    device = Device()
    device.cards[0] = OneWireCard(size=8)
    device.cards[1] = OneWireCard(size=3)
    assert device.set_relay(1, True)
    assert device.relays[0].on
    assert device.toggle_relay(2)
    assert device.relays[1].on
    assert device.set_relay(103, True)
    assert device.onewire_states[103]
    assert device.set_relay(109, True)  # whole card 1
    assert all(device.onewire_states[i] for i in range(101, 109))
    assert device.toggle_relay(109)
    assert not any(device.onewire_states[i] for i in range(101, 109))
    assert device.set_relay(112, True)
    assert device.onewire_states[112]
    assert not device.set_relay(115, True)  # card 2 has 3 relays
    assert not device.set_relay(121, True)  # no card 3
    assert not device.set_relay(3, True)
    assert not device.set_relay(99, True)
    assert not device.set_relay(201, True)
    assert not device.toggle_relay(0)


def test_virtual_switch_commands() -> None:
    device = Device()
    assert device.set_virtual_switch(24, True)
    assert device.virtual_switches[23].on
    assert device.toggle_virtual_switch(24)
    assert not device.virtual_switches[23].on
    assert not device.set_virtual_switch(25, True)
    assert not device.toggle_virtual_switch(0)


def test_static_until_advanced() -> None:
    device = build_device("a", Generation.V084)
    snapshot = repr(device)
    assert repr(device) == snapshot
    device.advance(0)
    assert repr(device) == snapshot


def test_advance_moves_values_believably() -> None:
    device = build_device("a", Generation.V084, seed=1)
    device.clock = at(2026, 1, 15, 21, 50)
    tic = device.tics[0]
    before = dict(tic.indexes)
    clamp_index = device.clamps[0].index
    pv_injection = device.clamps[1].injection
    counter_index = device.counters[0].index
    temperatures = [p.value for p in device.probes[:3]]
    assert not tic.off_peak
    device.advance(20 * 60)
    assert device.clock == at(2026, 1, 15, 22, 10)
    assert tic.off_peak  # Tempo off-peak starts at 22:00
    assert tic.period_words == "H. Creuse BLEU"
    assert all(tic.indexes[r] >= before[r] for r in TIC_REGISTERS)
    assert tic.indexes["bbrhcjb"] > before["bbrhcjb"]
    assert device.clamps[0].index > clamp_index
    assert device.clamps[1].injection == pv_injection  # no sun at night
    assert device.clamps[1].current == 0.0
    assert device.counters[0].index > counter_index
    assert [p.value for p in device.probes[:3]] != temperatures
    assert 150 <= tic.apparent_power <= 45 * 230


def test_solar_production_follows_daylight() -> None:
    device = build_device("a", Generation.V084, seed=4)
    device.clock = at(2026, 6, 21, 13, 0)
    assert device.daylight == 1.0
    pv = device.clamps[1]
    before = (pv.injection, pv.injected.day, pv.gain.day, pv.index)
    device.advance(1800)
    assert pv.injection > before[0]
    assert pv.injected.day > before[1]
    assert pv.gain.day > before[2]
    assert pv.index == before[3]
    assert 0.0 <= pv.current <= 16.0
    device.clock = at(2026, 6, 21, 3, 0)
    assert device.daylight == 0.0


def test_new_day_and_month() -> None:
    device = build_device("a", Generation.V084, seed=2)
    device.clock = at(2026, 1, 31, 23, 59)
    tic = device.tics[0]
    tic.tomorrow = TempoColour.RED
    counter = device.counters[0]
    day_before = counter.consumption_day
    device.advance(120)
    assert device.clock.date() == at(2026, 2, 1).date()
    assert tic.today is TempoColour.RED
    assert tic.tomorrow in set(TempoColour)
    assert tic.consumption.day < 1.0
    assert tic.consumption.month < 1.0
    assert counter.consumption_yesterday >= day_before
    assert counter.pulses_today < 100
    assert device.clamps[0].start_index.day == device.clamps[0].index or (
        device.clamps[0].start_index.day <= device.clamps[0].index
    )


def test_producer_and_three_phase_advance() -> None:
    device = build_device("b", Generation.V084, seed=0)
    tic = device.tics[0]
    injection = tic.injection
    device.clock = at(2026, 6, 1, 12, 0)
    device.advance(3600)
    assert tic.injection >= injection
    assert all(amps >= 0 for amps in tic.current[1:])
    assert all(225 <= v <= 245 for v in tic.voltage)
    assert tic.indexes["hchp"] > 0


def test_ejp_and_base_registers() -> None:
    device = Device()
    tic = device.tics[0]
    tic.wired = True
    tic.subscribed_current = 30
    tic.apparent_power = 1000
    for contract, register in (
        (Contract.BASE, "base"),
        (Contract.EJP, "ejphn"),
        (Contract.HC, "hchp"),
    ):
        tic.contract = contract
        device.clock = at(2026, 1, 1, 12, 0)
        before = tic.indexes[register]
        device.advance(600)
        assert tic.indexes[register] > before
    assert tic.slot(1) == tic.indexes["hchp"]
    assert tic.slot(3) == 0


def test_counter_units() -> None:
    counter = PulseCounter(unit=2, index=1.5)
    assert counter.index_in(1) == 1500.0
    assert counter.index_in(2) == 1.5
    assert counter.index_in(0) == 1.5
    energy = PulseCounter(unit=3, index=2500.0)
    assert energy.index_in(4) == 2.5


def test_clamp_power_strings() -> None:
    device = build_device("a", Generation.V084)
    clamp = device.clamps[0]
    assert device.clamp_apparent_power(clamp) == round(7.83 * 231)
    assert device.clamp_power_text(clamp).endswith("W cos phi 0.93")
    device.mains_voltage = None
    assert device.clamp_real_power(clamp) == 0
    assert device.clamp_power_text(clamp) == f"{round(7.83 * 230)} VA"


def test_unwired_tic_words() -> None:
    tic = Device().tics[0]
    assert tic.adco_text == "Pas Dispo"
    assert tic.optarif == ""
    assert tic.contract_code == 12
    assert tic.subscription == ""
    assert tic.period_words == "TIC NDERR."
    assert tic.period_raw == ""
    assert tic.tomorrow_words == "----"
    assert tic.phase_words == ""
    assert tic.index("base") == 0
    assert tic.slot(1) == 0


def test_probe_units() -> None:
    device = build_device("a", Generation.V084)
    assert device.probes[0].unit == "°C"
    device.probes[0].kind = "H"
    assert device.probes[0].unit == "%"
    device.probes[0].kind = "?"
    assert device.probes[0].unit == ""
    assert device.probes[10].reading == 0.0


def test_unstarted_simulator_cleans_its_sd_card() -> None:
    import gc

    from simulator import WesSimulator

    sim = WesSimulator(scenario=None)
    root = sim.web_root
    assert (root / "DATA.CGX").is_file()
    del sim
    gc.collect()
    assert not root.exists()
