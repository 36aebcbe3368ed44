"""Button platform against the simulated WES: the restart button."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN
from homeassistant.components.button import SERVICE_PRESS
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    ATTR_ENTITY_ID,
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    STATE_UNAVAILABLE,
)
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension

from custom_components.wescontrol.const import DOMAIN, OPT_FEATURES, OPT_SCAN_INTERVAL

from .conftest import poll

FROZEN_NOW = "2026-01-15 13:30:00+00:00"
OPTIONS: dict[str, Any] = {
    OPT_FEATURES: {"relay": {"1": {}, "2": {}}, "clamp": {"1": {}}},
    OPT_SCAN_INTERVAL: 30,
}


def sim_mac(sim: Any) -> str:
    """The simulated WES's id as the integration stores it (12 lower-case hex)."""
    return str(sim.device.mac).lower()


async def start(hass: Any, sim: Any, **data: Any) -> Any:
    """A loaded entry against a started simulator."""
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
        options=OPTIONS,
        unique_id=sim_mac(sim),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


@pytest.fixture
def snapshot(snapshot):
    """Snapshots in ``snapshots/`` next to this file, serialised the Home Assistant way."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture(autouse=True)
def _frozen_time(freezer: Any) -> None:
    freezer.move_to(FROZEN_NOW)


@pytest.mark.parametrize("scenario", ["a", "b", "c"])
async def test_button_snapshot(hass, wes_simulator_factory, snapshot, scenario) -> None:
    """The restart button of each scenario, with its state and attributes."""
    sim = await wes_simulator_factory(scenario=scenario)
    entry = await start(hass, sim)
    registry = er.async_get(hass)
    states = {
        reg.entity_id: {
            "state": hass.states.get(reg.entity_id).state,
            "attributes": dict(hass.states.get(reg.entity_id).attributes),
        }
        for reg in er.async_entries_for_config_entry(registry, entry.entry_id)
        if reg.domain == BUTTON_DOMAIN
    }
    assert len(states) == 1
    assert states == snapshot(name=f"button-scenario-{scenario}")


async def test_restart(hass, wes_simulator_factory, freezer) -> None:
    """The WES reboots: entities go unavailable, then come back on a later poll."""
    sim = await wes_simulator_factory(scenario="a", reboot_delay=0.05)
    await start(hass, sim)
    wes = sim_mac(sim)
    registry = er.async_get(hass)
    button = registry.async_get_entity_id(BUTTON_DOMAIN, DOMAIN, f"{wes}_restart")
    current = registry.async_get_entity_id("sensor", DOMAIN, f"{wes}_clamp1_current")
    assert registry.async_get(button).entity_category.value == "config"
    assert hass.states.get(button).attributes["device_class"] == "restart"
    boots = sim.device.boot_count

    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: button}, blocking=True
    )
    await hass.async_block_till_done()
    assert hass.states.get(current).state == STATE_UNAVAILABLE

    for _ in range(100):  # the simulator's reboot sleeps on the (frozen) event loop clock
        if not sim.rebooting:
            break
        freezer.tick(0.1)
        await asyncio.sleep(0)
    assert sim.device.boot_count == boots + 1
    await poll(hass, freezer)
    assert hass.states.get(current).state != STATE_UNAVAILABLE


async def test_read_only_account_has_no_button(hass, wes_simulator_factory) -> None:
    """A read-only account cannot restart the WES: no button."""
    sim = await wes_simulator_factory(scenario="c")
    entry = await start(hass, sim, **{CONF_USERNAME: "user", CONF_PASSWORD: "user"})
    registry = er.async_get(hass)
    assert not [
        reg
        for reg in er.async_entries_for_config_entry(registry, entry.entry_id)
        if reg.domain == BUTTON_DOMAIN
    ]
