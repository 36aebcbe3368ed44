"""Entities the file being read cannot feed are unavailable, and come back with our file.

The WES's own ``DATA.CGX`` prints no daily totals, no real power, no free space, no alarm
state, and stops short on some instances (pulse counters 5-6; virtual switches 9-24 and
more on older firmware). An entity reading such a value is unavailable while that file is
read, rather than unknown forever; once our data file is installed it shows values, and it
turns unavailable again in the very poll where our file disappears from the WES.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.update import DOMAIN as UPDATE_DOMAIN
from homeassistant.components.update import SERVICE_INSTALL
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.helpers import entity_registry as er

from custom_components.wescontrol.const import (
    CONF_AUTO_UPDATE,
    DOMAIN,
    OPT_FEATURES,
    OPT_MAINS_VOLTAGE,
    OPT_SCREEN,
)
from custom_components.wescontrol.wes.cgx import DATA_FILE_NAME
from custom_components.wescontrol.wes.features import FeatureKind

from .conftest import DEFAULT_OPTIONS, build_entry, setup_integration
from .test_data_file import ftp_data, poll, put_old_file

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.wescontrol.coordinator import WesCoordinator

pytestmark = pytest.mark.usefixtures("socket_enabled", "entity_registry_enabled_by_default")

# Scenario "a" (Tempo TIC, two clamps, water counter) with every WES-level entity, plus a
# fifth pulse counter: the built-in file prints counters 1-4 only.
OPTIONS: dict[str, Any] = copy.deepcopy(DEFAULT_OPTIONS) | {
    OPT_SCREEN: True,
    OPT_MAINS_VOLTAGE: True,
}
OPTIONS[OPT_FEATURES]["pulse_counter"]["5"] = {"meter_type": "water", "measure": "consumption"}

# (domain, unique id suffix) of entities only our file feeds, on V0.84A10...
OURS_ONLY = (
    ("sensor", "tic1_consumption_day"),
    ("sensor", "tic1_cost_month"),
    ("sensor", "clamp1_power"),
    ("sensor", "clamp1_apparent_power"),
    ("sensor", "clamp1_consumption_year"),
    ("sensor", "clamp1_max_current_day"),
    ("sensor", "pulse_counter1_flow"),
    ("sensor", "pulse_counter1_consumption_yesterday"),
    ("sensor", "pulse_counter5_index"),
    ("sensor", "free_space"),
    ("binary_sensor", "alarm"),
)
# ... and of entities both files feed.
BOTH = (
    ("sensor", "tic1_index_bbrhcjb"),
    ("sensor", "tic1_apparent_power"),
    ("sensor", "tic1_current"),
    ("sensor", "clamp1_current"),
    ("sensor", "clamp1_index"),
    ("sensor", "pulse_counter1_index"),
    ("sensor", "mains_voltage"),
    ("binary_sensor", "input1_state"),
    ("switch", "relay1_state"),
)


def state_of(hass: HomeAssistant, entry: MockConfigEntry, domain: str, suffix: str) -> str:
    """State of the entity ``<wes id>_<suffix>`` of ``domain`` (it must exist)."""
    unique_id = f"{entry.runtime_data.wes_id}_{suffix}"
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def assert_fed(hass: HomeAssistant, entry: MockConfigEntry, entities: Any) -> None:
    """Every entity shows a value (a missing counter reads unknown, never unavailable)."""
    for domain, suffix in entities:
        state = state_of(hass, entry, domain, suffix)
        assert state != STATE_UNAVAILABLE, suffix
        assert suffix == "pulse_counter5_index" or state != STATE_UNKNOWN, suffix


def assert_unavailable(hass: HomeAssistant, entry: MockConfigEntry, entities: Any) -> None:
    for domain, suffix in entities:
        assert state_of(hass, entry, domain, suffix) == STATE_UNAVAILABLE, suffix


async def test_builtin_file_then_our_file_by_the_update_entity(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    """An outdated file waits for the user: DATA.CGX serves, then Install brings values."""
    put_old_file(wes_simulator, OPTIONS)
    data = ftp_data(wes_simulator) | {CONF_AUTO_UPDATE: False}
    entry = await setup_integration(hass, build_entry(wes_simulator, options=OPTIONS, data=data))
    coordinator: WesCoordinator = entry.runtime_data
    assert not coordinator.reads_own_data_file
    assert_unavailable(hass, entry, OURS_ONLY)
    assert_fed(hass, entry, BOTH)
    # Connectivity reports the WES, not a value: always available.
    assert state_of(hass, entry, "binary_sensor", "connectivity") == "on"

    unique_id = f"{coordinator.wes_id}_data_file"
    update = er.async_get(hass).async_get_entity_id(UPDATE_DOMAIN, DOMAIN, unique_id)
    await hass.services.async_call(
        UPDATE_DOMAIN, SERVICE_INSTALL, {ATTR_ENTITY_ID: update}, blocking=True
    )
    await hass.async_block_till_done()
    assert coordinator.reads_own_data_file
    assert_fed(hass, entry, OURS_ONLY)
    assert_fed(hass, entry, BOTH)


async def test_ftp_access_added_later_then_file_removed(
    hass: HomeAssistant, freezer: Any, wes_simulator: Any
) -> None:
    """Giving FTP access installs our file; losing the file makes them unavailable again."""
    entry = await setup_integration(hass, build_entry(wes_simulator, options=OPTIONS))
    assert not entry.runtime_data.reads_own_data_file
    assert_unavailable(hass, entry, OURS_ONLY)
    assert_fed(hass, entry, BOTH)

    hass.config_entries.async_update_entry(entry, data=entry.data | ftp_data(wes_simulator))
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.reads_own_data_file
    assert_fed(hass, entry, OURS_ONLY)

    (wes_simulator.web_root / DATA_FILE_NAME).unlink()
    await poll(hass, freezer)
    assert not entry.runtime_data.reads_own_data_file
    assert_unavailable(hass, entry, OURS_ONLY)
    assert_fed(hass, entry, BOTH)


async def test_older_firmware(
    hass: HomeAssistant, wes_simulator_factory: Any, freezer: Any
) -> None:
    """V0.83: our file has no real power nor producer flag; DATA.CGX stops at switch 8."""
    sim = await wes_simulator_factory(generation="v08x", scenario="b")
    options: dict[str, Any] = {
        OPT_FEATURES: {
            "tic": {"1": {"tariff": "auto", "measure": "both"}},
            "clamp": {"1": {"measure": "consumption"}},
            "virtual_switch": {"9": {}},
        }
    }
    entry = await setup_integration(hass, build_entry(sim, options=options, data=ftp_data(sim)))
    coordinator: WesCoordinator = entry.runtime_data
    assert coordinator.reads_own_data_file
    assert_unavailable(
        hass, entry, [("sensor", "clamp1_power"), ("binary_sensor", "tic1_producer")]
    )
    assert coordinator.carries(FeatureKind.TIC, "injected_apparent_power", 1)
    for domain, suffix in (
        ("sensor", "clamp1_apparent_power"),
        ("sensor", "tic1_consumption_day"),
        ("sensor", "tic1_injection_index"),
        ("switch", "virtual_switch9_state"),
    ):
        assert state_of(hass, entry, domain, suffix) != STATE_UNAVAILABLE, suffix

    (sim.web_root / DATA_FILE_NAME).unlink()
    await poll(hass, freezer)
    assert not coordinator.reads_own_data_file
    for domain, suffix in (
        ("sensor", "tic1_injected_apparent_power"),
        ("sensor", "tic1_consumption_day"),
        ("switch", "virtual_switch9_state"),
    ):
        assert state_of(hass, entry, domain, suffix) == STATE_UNAVAILABLE, suffix
    assert state_of(hass, entry, "sensor", "tic1_apparent_power") != STATE_UNAVAILABLE


async def test_legacy_firmware(hass: HomeAssistant, wes_simulator_factory: Any) -> None:
    """V0.61D has no file of ours: no mains voltage, no third TIC, indexes still there."""
    sim = await wes_simulator_factory(generation="v061d", scenario="a")
    options = copy.deepcopy(OPTIONS)
    options[OPT_FEATURES]["tic"]["3"] = {"tariff": "auto", "measure": "consumption"}
    entry = await setup_integration(hass, build_entry(sim, options=options, data=ftp_data(sim)))
    assert not entry.runtime_data.reads_own_data_file
    assert_unavailable(
        hass,
        entry,
        [("sensor", "mains_voltage"), ("sensor", "tic3_apparent_power"), ("sensor", "free_space")],
    )
    assert_fed(hass, entry, [("sensor", "tic1_index_bbrhcjb"), ("sensor", "clamp1_current")])


async def test_offline_wes_still_makes_them_unavailable(
    hass: HomeAssistant, freezer: Any, wes_simulator: Any
) -> None:
    """The file check adds to the coordinator's availability, it does not replace it."""
    entry = await setup_integration(
        hass, build_entry(wes_simulator, options=OPTIONS, data=ftp_data(wes_simulator))
    )
    assert_fed(hass, entry, OURS_ONLY)
    wes_simulator.faults.set("server_error", 1)
    await poll(hass, freezer)
    assert_unavailable(hass, entry, OURS_ONLY + BOTH)
    assert state_of(hass, entry, "binary_sensor", "connectivity") == "off"
    await poll(hass, freezer)
    assert_fed(hass, entry, OURS_ONLY + BOTH)
