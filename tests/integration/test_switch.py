"""Switch platform against the simulated WES: snapshots and command round trips."""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.components.switch import DOMAIN as SWITCH_DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    SERVICE_TOGGLE,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
    STATE_OFF,
    STATE_ON,
)
from homeassistant.exceptions import HomeAssistantError
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
from custom_components.wescontrol.wes.names import NAMES_FILE_NAME, generate_names_file

from .conftest import poll

FROZEN_NOW = "2026-01-15 13:30:00+00:00"

OPTIONS: dict[str, dict[str, Any]] = {
    "a": {
        OPT_FEATURES: {
            "relay": {"1": {}, "2": {}},
            "virtual_switch": {str(n): {} for n in (1, 2, 3)},
        },
        OPT_SCREEN: True,
        OPT_MAINS_VOLTAGE: True,
        OPT_SCAN_INTERVAL: 30,
    },
    "b": {
        OPT_FEATURES: {"onewire_card": {"1": {"relay_count": "8"}}, "relay": {"1": {}}},
        OPT_SCREEN: False,
        OPT_SCAN_INTERVAL: 30,
    },
    "c": {
        OPT_FEATURES: {
            "onewire_card": {"2": {"relay_count": "3"}},
            "relay": {"1": {}, "2": {}},
            "virtual_switch": {"24": {}},
        },
        OPT_SCREEN: False,
        OPT_SCAN_INTERVAL: 30,
    },
}


def sim_mac(sim: Any) -> str:
    """The simulated WES's id as the integration stores it (12 lower-case hex)."""
    return str(sim.device.mac).lower()


async def start(hass: Any, factory: Any, scenario: str, **data: Any) -> tuple[Any, Any]:
    """A simulator of ``scenario`` and a loaded entry against it."""
    sim = await factory(scenario=scenario)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="WES",
        data={
            CONF_HOST: "127.0.0.1",
            CONF_PORT: sim.http_port,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "wes",
            **data,
        },
        options=OPTIONS[scenario],
        unique_id=sim_mac(sim),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return sim, entry


def switch_id(hass: Any, unique_id: str) -> str:
    """Entity id of one of our switches, by unique id."""
    entity_id = er.async_get(hass).async_get_entity_id(SWITCH_DOMAIN, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


async def call(hass: Any, service: str, entity_id: str) -> None:
    """Call a switch service and wait for its refresh."""
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )
    await hass.async_block_till_done()


@pytest.fixture
def snapshot(snapshot):
    """Snapshots in ``snapshots/`` next to this file, serialised the Home Assistant way."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture(autouse=True)
def _frozen_time(freezer: Any) -> None:
    freezer.move_to(FROZEN_NOW)


@pytest.mark.parametrize("scenario", ["a", "b", "c"])
async def test_switch_snapshot(hass, wes_simulator_factory, snapshot, scenario) -> None:
    """Every switch of a scenario, with its state and attributes."""
    _sim, entry = await start(hass, wes_simulator_factory, scenario)
    registry = er.async_get(hass)
    states = {
        reg.entity_id: hass.states.get(reg.entity_id).as_dict()
        for reg in er.async_entries_for_config_entry(registry, entry.entry_id)
        if reg.domain == SWITCH_DOMAIN
    }
    shown = {
        entity_id: {"state": state["state"], "attributes": dict(state["attributes"])}
        for entity_id, state in sorted(states.items())
    }
    assert shown
    assert shown == snapshot(name=f"switch-scenario-{scenario}")


async def test_relay_round_trip(hass, wes_simulator_factory, freezer) -> None:
    """On-board relay: the WES changes, and the entity shows what the WES reports."""
    sim, _entry = await start(hass, wes_simulator_factory, "a")
    entity_id = switch_id(hass, f"{sim_mac(sim)}_relay1_state")
    assert hass.states.get(entity_id).state == STATE_ON

    await call(hass, SERVICE_TURN_OFF, entity_id)
    assert sim.device.relays[0].on is False
    assert hass.states.get(entity_id).state == STATE_OFF

    await poll(hass, freezer, 2)  # past the refresh cooldown of the previous command
    await call(hass, SERVICE_TOGGLE, entity_id)
    await poll(hass, freezer, 2)
    assert sim.device.relays[0].on is True
    assert hass.states.get(entity_id).state == STATE_ON

    # A change made on the WES itself shows at the next poll.
    sim.device.relays[1].on = True
    await poll(hass, freezer)
    assert hass.states.get(switch_id(hass, f"{sim_mac(sim)}_relay2_state")).state == STATE_ON


async def test_names_from_the_wes(hass, wes_simulator_factory) -> None:
    """With the names file on the WES, relays carry the names the user gave them."""
    sim = await wes_simulator_factory(scenario="a")
    (sim.web_root / NAMES_FILE_NAME).write_text(generate_names_file(), encoding="latin-1")
    _sim, _entry = await start(hass, lambda **_kw: _started(sim), "a")
    relay1 = hass.states.get(switch_id(hass, f"{sim_mac(sim)}_relay1_state"))
    assert relay1.name == "WES Chauffe-eau"
    relay2 = hass.states.get(switch_id(hass, f"{sim_mac(sim)}_relay2_state"))
    assert relay2.name == "WES Pompe & filtre"


async def _started(sim: Any) -> Any:
    return sim


async def test_virtual_switch_and_alarm(hass, wes_simulator_factory, freezer) -> None:
    """Virtual switches and the alarm (screen option) go through their own commands.

    The alarm state is only in our own data file, so this entry manages it by FTP.
    """
    sim = await wes_simulator_factory(scenario="a")
    ftp = {
        CONF_FTP_USERNAME: "adminftp",
        CONF_FTP_PASSWORD: "wesftp",
        CONF_FTP_PORT: sim.ftp_port,
        CONF_MANAGE_DATA_FILE: True,
    }
    _sim, _entry = await start(hass, lambda **_kw: _started(sim), "a", **ftp)
    wes = sim_mac(sim)
    vs1 = switch_id(hass, f"{wes}_virtual_switch1_state")
    assert hass.states.get(vs1).state == STATE_OFF
    await call(hass, SERVICE_TURN_ON, vs1)
    assert sim.device.virtual_switches[0].on is True
    assert hass.states.get(vs1).state == STATE_ON

    await poll(hass, freezer, 2)
    alarm = switch_id(hass, f"{wes}_alarm")
    assert hass.states.get(alarm).state == STATE_OFF
    await call(hass, SERVICE_TURN_ON, alarm)
    assert sim.device.alarm is True
    assert hass.states.get(alarm).state == STATE_ON
    await poll(hass, freezer, 2)
    await call(hass, SERVICE_TURN_OFF, alarm)
    assert sim.device.alarm is False
    assert hass.states.get(alarm).state == STATE_OFF


async def test_onewire_relay_round_trip(hass, wes_simulator_factory) -> None:
    """A 1-Wire relay is addressed by its WES id (card 1, relay 1 = 101)."""
    sim, _entry = await start(hass, wes_simulator_factory, "b")
    wes = sim_mac(sim)
    relay1 = switch_id(hass, f"{wes}_onewire_card1_relay1")
    assert hass.states.get(relay1).state == STATE_ON
    assert len([s for s in hass.states.async_all(SWITCH_DOMAIN) if "relay" in s.entity_id]) >= 8
    await call(hass, SERVICE_TURN_OFF, relay1)
    assert sim.device.cards[0].relays[0].on is False
    assert hass.states.get(relay1).state == STATE_OFF
    # The other relays of the card did not move.
    assert hass.states.get(switch_id(hass, f"{wes}_onewire_card1_relay2")).state == STATE_OFF


async def test_small_onewire_card(hass, wes_simulator_factory) -> None:
    """A 3-relay card gets three switches, on the card's sub-device."""
    sim, entry = await start(hass, wes_simulator_factory, "c")
    registry = er.async_get(hass)
    wes = sim_mac(sim)
    card = [
        reg
        for reg in er.async_entries_for_config_entry(registry, entry.entry_id)
        if reg.unique_id.startswith(f"{wes}_onewire_card2_")
    ]
    assert sorted(reg.unique_id for reg in card) == [
        f"{wes}_onewire_card2_relay{n}" for n in (1, 2, 3)
    ]
    assert len({reg.device_id for reg in card}) == 1


async def test_failed_command_is_not_faked(hass, wes_simulator_factory) -> None:
    """A refused command raises a translated error and the state stays the WES's."""
    sim, _entry = await start(hass, wes_simulator_factory, "a")
    entity_id = switch_id(hass, f"{sim_mac(sim)}_relay1_state")
    sim.faults.set("server_error", 1, path="RL")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            SWITCH_DOMAIN, SERVICE_TURN_OFF, {ATTR_ENTITY_ID: entity_id}, blocking=True
        )
    assert err.value.translation_domain == DOMAIN
    assert sim.device.relays[0].on is True
    assert hass.states.get(entity_id).state == STATE_ON


async def test_read_only_account_has_no_commands(hass, wes_simulator_factory) -> None:
    """A read-only account gets no switches and no restart button."""
    _sim, entry = await start(
        hass, wes_simulator_factory, "a", **{CONF_USERNAME: "user", CONF_PASSWORD: "user"}
    )
    registry = er.async_get(hass)
    domains = {reg.domain for reg in er.async_entries_for_config_entry(registry, entry.entry_id)}
    assert SWITCH_DOMAIN not in domains
    assert "button" not in domains
    assert not entry.runtime_data.is_admin


def _domains_by_unique_id(hass: Any, entry: Any) -> dict[str, set[str]]:
    """Unique ids of the entry's entities, by domain."""
    registry = er.async_get(hass)
    result: dict[str, set[str]] = {}
    for reg in er.async_entries_for_config_entry(registry, entry.entry_id):
        result.setdefault(reg.domain, set()).add(reg.unique_id)
    return result


async def test_account_rights_change_leaves_no_orphan(hass, wes_simulator_factory) -> None:
    """Read-only -> admin -> read-only: state sensors and switches take turns, nothing stays."""
    read_only = {CONF_USERNAME: "user", CONF_PASSWORD: "user"}
    sim, entry = await start(hass, wes_simulator_factory, "b", **read_only)
    wes = sim_mac(sim)
    watched = {f"{wes}_relay1_state", *(f"{wes}_onewire_card1_relay{n}" for n in range(1, 9))}

    entities = _domains_by_unique_id(hass, entry)
    assert SWITCH_DOMAIN not in entities
    assert "button" not in entities
    assert watched <= entities["binary_sensor"]

    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_USERNAME: "admin", CONF_PASSWORD: "wes"}
    )
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.is_admin
    entities = _domains_by_unique_id(hass, entry)
    assert entities[SWITCH_DOMAIN] == watched
    assert entities["button"] == {f"{wes}_restart"}
    assert not watched & entities["binary_sensor"]
    for unique_id in watched:
        assert hass.states.get(switch_id(hass, unique_id)).state in (STATE_ON, STATE_OFF)

    hass.config_entries.async_update_entry(entry, data={**entry.data, **read_only})
    await hass.async_block_till_done()
    assert not entry.runtime_data.is_admin
    entities = _domains_by_unique_id(hass, entry)
    assert SWITCH_DOMAIN not in entities
    assert "button" not in entities
    assert watched <= entities["binary_sensor"]


@pytest.mark.parametrize(
    ("account", "domain"),
    [({}, SWITCH_DOMAIN), ({CONF_USERNAME: "user", CONF_PASSWORD: "user"}, "binary_sensor")],
    ids=["admin", "read_only"],
)
async def test_smaller_onewire_card_drops_its_extra_relays(
    hass, wes_simulator_factory, account: dict[str, str], domain: str
) -> None:
    """Saying the card has 3 relays, not 8, removes relays 4-8 from the registry."""
    sim, entry = await start(hass, wes_simulator_factory, "b", **account)
    wes = sim_mac(sim)
    card = {f"{wes}_onewire_card1_relay{n}" for n in range(1, 9)}
    assert card <= _domains_by_unique_id(hass, entry)[domain]

    options = {**OPTIONS["b"], OPT_FEATURES: {"onewire_card": {"1": {"relay_count": "3"}}}}
    hass.config_entries.async_update_entry(entry, options=options)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    kept = {
        unique_id for unique_id in _domains_by_unique_id(hass, entry)[domain] if unique_id in card
    }
    assert kept == {f"{wes}_onewire_card1_relay{n}" for n in (1, 2, 3)}
