"""Binary sensor platform against the simulated WES: inputs, EJP, alarm, connectivity,
and the relay / virtual switch states a read-only account sees instead of switches."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from homeassistant.components.binary_sensor import DOMAIN as BINARY_SENSOR_DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension

from custom_components.wescontrol.const import (
    CONF_FTP_PASSWORD,
    CONF_FTP_PORT,
    CONF_FTP_USERNAME,
    CONF_MANAGE_DATA_FILE,
    DOMAIN,
    OPT_FEATURES,
    OPT_MAINS_VOLTAGE,
    OPT_SCAN_INTERVAL,
    OPT_SCREEN,
)

from .conftest import poll

FROZEN_NOW = "2026-01-15 13:30:00+00:00"

OPTIONS: dict[str, dict[str, Any]] = {
    "a": {
        OPT_FEATURES: {
            "tic": {"1": {"tariff": "auto", "measure": "consumption"}},
            "input": {"1": {}, "2": {}},
        },
        OPT_SCREEN: True,
        OPT_MAINS_VOLTAGE: True,
        OPT_SCAN_INTERVAL: 30,
    },
    "b": {
        OPT_FEATURES: {
            "tic": {"1": {"tariff": "auto", "measure": "both"}},
            "input": {"1": {}},
        },
        OPT_SCAN_INTERVAL: 30,
    },
    "c": {
        OPT_FEATURES: {
            "tic": {
                "1": {"tariff": "base", "measure": "consumption"},
                "2": {"tariff": "ejp", "measure": "consumption"},
            },
            "input": {"1": {}, "2": {}},
        },
        OPT_SCAN_INTERVAL: 30,
    },
    # Everything a read-only account watches instead of switching.
    "read_only": {
        OPT_FEATURES: {
            "relay": {"1": {}, "2": {}},
            "onewire_card": {"1": {"relay_count": "8"}},
            "virtual_switch": {"2": {}, "3": {}},
        },
        OPT_SCREEN: True,
        OPT_SCAN_INTERVAL: 30,
    },
}


def sim_mac(sim: Any) -> str:
    """The simulated WES's id as the integration stores it (12 lower-case hex)."""
    return str(sim.device.mac).lower()


async def start(
    hass: Any,
    sim: Any,
    scenario: str,
    *,
    ftp: bool = False,
    read_only: bool = False,
    options: dict[str, Any] | None = None,
) -> Any:
    """A loaded entry against a started simulator (managing our data file with ``ftp``,
    with the WES's read-only account with ``read_only``)."""
    user, password = ("user", "user") if read_only else ("admin", "wes")
    data: dict[str, Any] = {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: sim.http_port,
        CONF_USERNAME: user,
        CONF_PASSWORD: password,
    }
    if ftp:
        data |= {
            CONF_FTP_USERNAME: "adminftp",
            CONF_FTP_PASSWORD: "wesftp",
            CONF_FTP_PORT: sim.ftp_port,
            CONF_MANAGE_DATA_FILE: True,
        }
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="WES",
        data=data,
        options=options or OPTIONS[scenario],
        unique_id=sim_mac(sim),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


def binary_id(hass: Any, unique_id: str) -> str:
    """Entity id of one of our binary sensors, by unique id."""
    entity_id = er.async_get(hass).async_get_entity_id(BINARY_SENSOR_DOMAIN, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


@pytest.fixture
def snapshot(snapshot):
    """Snapshots in ``snapshots/`` next to this file, serialised the Home Assistant way."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture(autouse=True)
def _frozen_time(freezer: Any) -> None:
    freezer.move_to(FROZEN_NOW)


@pytest.mark.parametrize("scenario", ["a", "b", "c", "read_only"])
async def test_binary_sensor_snapshot(hass, wes_simulator_factory, snapshot, scenario) -> None:
    """Every binary sensor of a scenario (our data file), with state and attributes."""
    read_only = scenario == "read_only"
    sim = await wes_simulator_factory(scenario="b" if read_only else scenario)
    entry = await start(hass, sim, scenario, ftp=True, read_only=read_only)
    registry = er.async_get(hass)
    states = {}
    for reg in er.async_entries_for_config_entry(registry, entry.entry_id):
        if reg.domain == BINARY_SENSOR_DOMAIN:
            state = hass.states.get(reg.entity_id)
            states[reg.entity_id] = {"state": state.state, "attributes": dict(state.attributes)}
    assert states
    assert dict(sorted(states.items())) == snapshot(name=f"binary_sensor-scenario-{scenario}")


async def test_inputs_follow_the_wes(hass, wes_simulator_factory, freezer) -> None:
    """An input closing on the WES shows at the next poll."""
    sim = await wes_simulator_factory(scenario="a")
    await start(hass, sim, "a")
    input1 = binary_id(hass, f"{sim_mac(sim)}_input1_state")
    assert hass.states.get(input1).state == STATE_OFF
    sim.device.inputs[0].on = True
    await poll(hass, freezer)
    assert hass.states.get(input1).state == STATE_ON


async def test_alarm_only_with_screen(hass, wes_simulator_factory, freezer) -> None:
    """The alarm state exists with the screen option and follows the WES."""
    sim = await wes_simulator_factory(scenario="a")
    await start(hass, sim, "a", ftp=True)
    alarm = binary_id(hass, f"{sim_mac(sim)}_alarm")
    assert hass.states.get(alarm).state == STATE_OFF
    sim.device.alarm = True
    await poll(hass, freezer)
    assert hass.states.get(alarm).state == STATE_ON


async def test_no_alarm_without_screen(hass, wes_simulator_factory) -> None:
    """Without the screen option there is no alarm entity."""
    sim = await wes_simulator_factory(scenario="b")
    await start(hass, sim, "b")
    registry = er.async_get(hass)
    wes = sim_mac(sim)
    assert registry.async_get_entity_id(BINARY_SENSOR_DOMAIN, DOMAIN, f"{wes}_alarm") is None
    # A producer TIC reports its producer flag.
    assert binary_id(hass, f"{wes}_tic1_producer")


async def test_connectivity_reports_offline(hass, wes_simulator_factory, freezer) -> None:
    """Connectivity stays available and turns off while the WES does not answer."""
    sim = await wes_simulator_factory(scenario="c")
    await start(hass, sim, "c")
    wes = sim_mac(sim)
    connectivity = binary_id(hass, f"{wes}_connectivity")
    input1 = binary_id(hass, f"{wes}_input1_state")
    assert hass.states.get(connectivity).state == STATE_ON
    assert hass.states.get(connectivity).attributes["device_class"] == "connectivity"

    sim.faults.set("server_error")
    await poll(hass, freezer)
    assert hass.states.get(connectivity).state == STATE_OFF
    assert hass.states.get(input1).state == STATE_UNAVAILABLE

    sim.faults.clear()
    await poll(hass, freezer)
    assert hass.states.get(connectivity).state == STATE_ON
    assert hass.states.get(input1).state != STATE_UNAVAILABLE


async def test_ejp_notice(hass, wes_simulator_factory) -> None:
    """The EJP notice exists for an EJP tariff and turns on with minutes of notice."""
    sim = await wes_simulator_factory(scenario="c")
    entry = await start(hass, sim, "c")
    notice = binary_id(hass, f"{sim_mac(sim)}_tic2_ejp_notice")
    registry = er.async_get(hass)
    assert (
        registry.async_get_entity_id(
            BINARY_SENSOR_DOMAIN, DOMAIN, f"{sim_mac(sim)}_tic1_ejp_notice"
        )
        is None
    )
    coordinator = entry.runtime_data
    data = coordinator.data
    for minutes, expected in ((30, STATE_ON), (0, STATE_OFF), (None, STATE_UNKNOWN)):
        tic = dataclasses.replace(data.tics.get(2) or data.tics[1], ejp_notice=minutes)
        coordinator.async_set_updated_data(dataclasses.replace(data, tics={**data.tics, 2: tic}))
        await hass.async_block_till_done()
        assert hass.states.get(notice).state == expected
    coordinator.async_set_updated_data(dataclasses.replace(data, tics={}))
    await hass.async_block_till_done()
    assert hass.states.get(notice).state == STATE_UNKNOWN


async def test_read_only_account_sees_switch_states(hass, wes_simulator_factory, freezer) -> None:
    """Relays, 1-Wire relays and virtual switches show as binary sensors, following the WES."""
    sim = await wes_simulator_factory(scenario="b")
    entry = await start(hass, sim, "read_only", read_only=True)
    assert not entry.runtime_data.is_admin
    wes = sim_mac(sim)
    registry = er.async_get(hass)
    domains = {reg.domain for reg in er.async_entries_for_config_entry(registry, entry.entry_id)}
    assert "switch" not in domains

    expected = {
        f"{wes}_relay1_state": sim.device.relays[0].on,
        f"{wes}_relay2_state": sim.device.relays[1].on,
        f"{wes}_virtual_switch2_state": sim.device.virtual_switches[1].on,
        f"{wes}_virtual_switch3_state": sim.device.virtual_switches[2].on,
        **{
            f"{wes}_onewire_card1_relay{n}": sim.device.cards[0].relays[n - 1].on
            for n in range(1, 9)
        },
    }
    assert {True, False} <= set(expected.values())  # both states are shown
    for unique_id, on in expected.items():
        assert hass.states.get(binary_id(hass, unique_id)).state == (STATE_ON if on else STATE_OFF)

    relay1 = binary_id(hass, f"{wes}_relay1_state")
    assert hass.states.get(relay1).name == "WES Relay 1"
    card_relay3 = hass.states.get(binary_id(hass, f"{wes}_onewire_card1_relay3"))
    assert card_relay3.name.endswith("Relay 3")
    assert hass.states.get(binary_id(hass, f"{wes}_virtual_switch2_state")).name == (
        "WES Virtual switch 2"
    )

    # A change made on the WES shows at the next poll.
    sim.device.relays[0].on = not sim.device.relays[0].on
    sim.device.virtual_switches[1].on = False
    await poll(hass, freezer)
    assert hass.states.get(relay1).state == (STATE_ON if sim.device.relays[0].on else STATE_OFF)
    state = hass.states.get(binary_id(hass, f"{wes}_virtual_switch2_state")).state
    assert state == STATE_OFF


async def test_admin_account_has_no_state_sensors(hass, wes_simulator_factory) -> None:
    """An admin account switches them: no binary sensor duplicates the switches."""
    sim = await wes_simulator_factory(scenario="b")
    entry = await start(hass, sim, "read_only")
    assert entry.runtime_data.is_admin
    registry = er.async_get(hass)
    ours = er.async_entries_for_config_entry(registry, entry.entry_id)
    binary = {reg.unique_id for reg in ours if reg.domain == BINARY_SENSOR_DOMAIN}
    assert binary == {f"{sim_mac(sim)}_connectivity", f"{sim_mac(sim)}_alarm"}
    assert sum(reg.domain == "switch" for reg in ours) == 2 + 8 + 2 + 1  # relays, card, vs, alarm


async def test_small_card_read_only(hass, wes_simulator_factory) -> None:
    """A 3-relay 1-Wire card shows three relay states."""
    sim = await wes_simulator_factory(scenario="c")
    options = {**OPTIONS["read_only"], OPT_FEATURES: {"onewire_card": {"2": {"relay_count": "3"}}}}
    entry = await start(hass, sim, "read_only", read_only=True, options=options)
    registry = er.async_get(hass)
    card = sorted(
        reg.unique_id
        for reg in er.async_entries_for_config_entry(registry, entry.entry_id)
        if reg.unique_id.startswith(f"{sim_mac(sim)}_onewire_card2_")
    )
    assert card == [f"{sim_mac(sim)}_onewire_card2_relay{n}" for n in (1, 2, 3)]
