"""The energy guard: a lifetime index never reads 0 and never goes backwards.

Home Assistant books a drop of more than 10 % on a ``total_increasing`` sensor as a
meter reset, so one glitch would count the whole index again as consumption. The WES
is driven into glitches through the simulator; the recorded states must show none.
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME, STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, State, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache_with_extra_data,
)

from custom_components.wescontrol.const import (
    CONF_FTP_PASSWORD,
    CONF_FTP_PORT,
    CONF_FTP_USERNAME,
    CONF_MANAGE_DATA_FILE,
    DOMAIN,
    OPT_FEATURES,
    OPT_SCAN_INTERVAL,
)

from .conftest import poll

FROZEN_NOW = "2026-01-15 13:30:00+00:00"
OPTIONS: dict[str, Any] = {
    OPT_FEATURES: {
        "tic": {"1": {"tariff": "auto", "measure": "consumption"}},
        "clamp": {"1": {"measure": "consumption"}},
        "pulse_counter": {"1": {"meter_type": "water", "measure": "consumption"}},
    },
    OPT_SCAN_INTERVAL: 30,
}


def sim_mac(sim: Any) -> str:
    """The simulated WES's id as the integration stores it (12 lower-case hex)."""
    return str(sim.device.mac).lower()


def make_entry(sim: Any) -> MockConfigEntry:
    """An entry keeping our own data file on the simulator (it carries every total)."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="WES",
        data={
            CONF_HOST: "127.0.0.1",
            CONF_PORT: sim.http_port,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "wes",
            CONF_FTP_USERNAME: "adminftp",
            CONF_FTP_PASSWORD: "wesftp",
            CONF_FTP_PORT: sim.ftp_port,
            CONF_MANAGE_DATA_FILE: True,
        },
        options=OPTIONS,
        unique_id=sim_mac(sim),
    )


async def setup(hass: Any, entry: MockConfigEntry) -> None:
    """Add (unless already added) and load an entry."""
    if hass.config_entries.async_get_entry(entry.entry_id) is None:
        entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


def sensor_id(hass: Any, unique_id: str) -> str:
    """Entity id of one of our sensors, by unique id."""
    entity_id = er.async_get(hass).async_get_entity_id("sensor", DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


def record(hass: Any, entity_ids: list[str]) -> dict[str, list[str]]:
    """Every state each entity takes from now on, in order."""
    seen: dict[str, list[str]] = {entity_id: [] for entity_id in entity_ids}

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        if (state := event.data["new_state"]) is not None:
            seen[event.data["entity_id"]].append(state.state)

    async_track_state_change_event(hass, entity_ids, changed)
    return seen


def assert_never_drops(states: list[str]) -> None:
    """Numbers only rise; a bad read shows as unknown, never as 0 or a lower value."""
    numbers = [float(state) for state in states if state != STATE_UNKNOWN]
    assert all(value > 0 for value in numbers), states
    assert numbers == sorted(numbers), states


@pytest.fixture(autouse=True)
def _frozen_time(freezer: Any) -> None:
    freezer.move_to(FROZEN_NOW)


async def test_index_glitch_leaves_no_drop(hass, wes_simulator_factory, freezer) -> None:
    """0, then a lower value, then back: unknown twice, then the good value again."""
    sim = await wes_simulator_factory(scenario="a")
    await setup(hass, make_entry(sim))
    wes = sim_mac(sim)
    tic = sim.device.tics[0]
    clamp = sim.device.clamps[0]
    counter = sim.device.counters[0]
    register = sensor_id(hass, f"{wes}_tic1_index_bbrhcjb")
    total = sensor_id(hass, f"{wes}_tic1_total_index")
    clamp_index = sensor_id(hass, f"{wes}_clamp1_index")
    water = sensor_id(hass, f"{wes}_pulse_counter1_index")
    day = sensor_id(hass, f"{wes}_tic1_consumption_day")
    guarded = [register, total, clamp_index, water]
    seen = record(hass, [*guarded, day])
    good = (tic.indexes["bbrhcjb"], clamp.index, counter.index)

    # A glitch to 0.
    tic.indexes["bbrhcjb"], clamp.index, counter.index = 0, 0, 0.0
    await poll(hass, freezer)
    for entity_id in guarded:
        assert hass.states.get(entity_id).state == STATE_UNKNOWN, entity_id

    # A glitch to a lower value.
    tic.indexes["bbrhcjb"] = good[0] - 5000
    clamp.index = good[1] - 5000
    counter.index = good[2] - 500
    await poll(hass, freezer)
    for entity_id in guarded:
        assert hass.states.get(entity_id).state == STATE_UNKNOWN, entity_id

    # Back to normal, a little higher.
    tic.indexes["bbrhcjb"] = good[0] + 10
    clamp.index = good[1] + 10
    counter.index = good[2] + 1
    await poll(hass, freezer)
    assert float(hass.states.get(register).state) == pytest.approx((good[0] + 10) / 1000)
    assert float(hass.states.get(clamp_index).state) == pytest.approx((good[1] + 10) / 1000)
    assert hass.states.get(water).state != STATE_UNKNOWN
    assert hass.states.get(total).state != STATE_UNKNOWN

    for entity_id in guarded:
        assert_never_drops(seen[entity_id])

    # Day counters reset at midnight: that is not a glitch, 0 is published.
    tic.consumption.day = 0.0
    await poll(hass, freezer)
    assert float(hass.states.get(day).state) == 0.0


async def test_guard_survives_a_restart(hass, wes_simulator_factory, freezer) -> None:
    """The last good index comes back from the restore cache after a restart."""
    sim = await wes_simulator_factory(scenario="a")
    wes = sim_mac(sim)
    entry = make_entry(sim)
    unique_id = f"{wes}_tic1_index_bbrhcjb"
    # The entity as a previous run of Home Assistant left it: a higher index than the
    # glitching WES reports now.
    entry.add_to_hass(hass)
    er.async_get(hass).async_get_or_create(
        "sensor", DOMAIN, unique_id, suggested_object_id="tempo_index", config_entry=entry
    )
    entity_id = "sensor.tempo_index"
    tic = sim.device.tics[0]
    stored_wh = tic.indexes["bbrhcjb"] + 2000
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(entity_id, str(stored_wh / 1000)),
                {"native_value": stored_wh, "native_unit_of_measurement": "Wh"},
            )
        ],
    )
    await setup(hass, entry)
    assert hass.states.get(entity_id).state == STATE_UNKNOWN

    tic.indexes["bbrhcjb"] = stored_wh + 1
    await poll(hass, freezer)
    # The entry pre-dates the suggested kWh display: it shows the native Wh.
    assert float(hass.states.get(entity_id).state) == pytest.approx(stored_wh + 1)


async def test_guard_survives_a_reload(hass, wes_simulator_factory, freezer) -> None:
    """A reload while the WES glitches keeps the last good index, not the glitch."""
    sim = await wes_simulator_factory(scenario="a")
    entry = make_entry(sim)
    await setup(hass, entry)
    entity_id = sensor_id(hass, f"{sim_mac(sim)}_clamp1_index")
    clamp = sim.device.clamps[0]
    good = clamp.index

    clamp.index = good - 100_000
    await poll(hass, freezer)
    assert hass.states.get(entity_id).state == STATE_UNKNOWN

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_UNKNOWN

    clamp.index = good + 1
    await poll(hass, freezer)
    assert float(hass.states.get(entity_id).state) == pytest.approx((good + 1) / 1000)


async def test_restored_other_unit_is_ignored(hass, wes_simulator_factory) -> None:
    """A stored value in another unit cannot be compared: it is not used as a floor."""
    sim = await wes_simulator_factory(scenario="a")
    entry = make_entry(sim)
    entry.add_to_hass(hass)
    er.async_get(hass).async_get_or_create(
        "sensor",
        DOMAIN,
        f"{sim_mac(sim)}_clamp1_index",
        suggested_object_id="clamp_index",
        config_entry=entry,
    )
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("sensor.clamp_index", "9e9"),
                {"native_value": 9e12, "native_unit_of_measurement": "kWh"},
            )
        ],
    )
    await setup(hass, entry)
    state = hass.states.get("sensor.clamp_index")
    assert float(state.state) == pytest.approx(sim.device.clamps[0].index)  # native Wh
