"""Setup, unload, reload on change, and the registries following the options."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from custom_components.wescontrol import (
    async_remove_config_entry_device,
    expected_device_ids,
)
from custom_components.wescontrol.const import DOMAIN, OPT_FEATURES, OPT_MAINS_VOLTAGE, OPT_SCREEN

from .conftest import (
    DEFAULT_OPTIONS,
    READONLY_PASSWORD,
    READONLY_USER,
    build_entry,
    setup_integration,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.wescontrol.coordinator import WesCoordinator

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _unique_ids(entity_registry: er.EntityRegistry, entry: MockConfigEntry) -> set[str]:
    return {e.unique_id for e in er.async_entries_for_config_entry(entity_registry, entry.entry_id)}


def _device_ids(device_registry: dr.DeviceRegistry, entry: MockConfigEntry) -> set[str]:
    return {
        value
        for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id)
        for domain, value in device.identifiers
        if domain == DOMAIN
    }


async def test_setup_and_unload(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    entry = init_integration
    coordinator: WesCoordinator = entry.runtime_data
    assert coordinator.is_admin is True
    assert coordinator.data is not None
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED


async def test_wrong_password_starts_reauth(hass: HomeAssistant, wes_simulator: Any) -> None:
    entry = build_entry(wes_simulator, data={CONF_PASSWORD: "wrong"})
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_options_change_follows_in_registries(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Disabling instances removes their devices and entities; enabling adds them back."""
    entry = init_integration
    wes_id = entry.runtime_data.wes_id
    assert f"{wes_id}_clamp2" in _device_ids(device_registry, entry)
    assert any(uid.startswith(f"{wes_id}_clamp2_") for uid in _unique_ids(entity_registry, entry))
    assert any(uid.startswith(f"{wes_id}_relay2_") for uid in _unique_ids(entity_registry, entry))

    options = copy.deepcopy(DEFAULT_OPTIONS)
    del options[OPT_FEATURES]["clamp"]["2"]
    del options[OPT_FEATURES]["relay"]["2"]
    options[OPT_FEATURES]["probe"]["5"] = {"probe_kind": "humidity"}
    hass.config_entries.async_update_entry(entry, options=options)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    devices = _device_ids(device_registry, entry)
    unique_ids = _unique_ids(entity_registry, entry)
    assert f"{wes_id}_clamp2" not in devices
    assert f"{wes_id}_clamp1" in devices
    assert f"{wes_id}_probe5" in devices
    assert not any(uid.startswith(f"{wes_id}_clamp2_") for uid in unique_ids)
    assert not any(uid.startswith(f"{wes_id}_relay2_") for uid in unique_ids)
    assert any(uid.startswith(f"{wes_id}_relay1_") for uid in unique_ids)
    assert any(uid.startswith(f"{wes_id}_probe5_") for uid in unique_ids)
    assert devices == expected_device_ids(entry.runtime_data)


async def test_hardware_flags_and_read_only_leave_no_orphans(
    hass: HomeAssistant,
    wes_simulator: Any,
    entity_registry: er.EntityRegistry,
) -> None:
    """Screen off drops the alarm; a read-only account drops every command entity."""
    options = DEFAULT_OPTIONS | {OPT_SCREEN: True, OPT_MAINS_VOLTAGE: True}
    entry = await setup_integration(hass, build_entry(wes_simulator, options=options))
    wes_id = entry.runtime_data.wes_id
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert any(e.unique_id == f"{wes_id}_alarm" for e in entries)
    assert any(e.domain in {"switch", "button"} for e in entries)

    hass.config_entries.async_update_entry(
        entry,
        options=DEFAULT_OPTIONS,
        data=entry.data | {CONF_USERNAME: READONLY_USER, CONF_PASSWORD: READONLY_PASSWORD},
    )
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    assert not any(e.unique_id in {f"{wes_id}_alarm", f"{wes_id}_mains_voltage"} for e in entries)
    assert not any(e.domain in {"switch", "button"} for e in entries)
    assert any(e.unique_id.startswith(f"{wes_id}_input1_") for e in entries)  # sensors stay


async def test_remove_config_entry_device(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Only devices that are no longer in use may be deleted by the user."""
    entry = init_integration
    wes_id = entry.runtime_data.wes_id
    wes_device = device_registry.async_get_device(identifiers={(DOMAIN, wes_id)})
    assert wes_device is not None
    assert not await async_remove_config_entry_device(hass, entry, wes_device)
    stale = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, f"{wes_id}_probe29")}
    )
    assert await async_remove_config_entry_device(hass, entry, stale)


async def test_host_port_identity(hass: HomeAssistant, wes_simulator: Any) -> None:
    """Without a MAC the WES id is its address, and no MAC check applies."""
    entry = build_entry(wes_simulator, unique_id=f"127.0.0.1:{wes_simulator.http_port}")
    await setup_integration(hass, entry)
    coordinator: WesCoordinator = entry.runtime_data
    assert coordinator.wes_id == f"127.0.0.1_{wes_simulator.http_port}"
    assert coordinator.expected_mac is None
    assert coordinator.base_url == f"http://127.0.0.1:{wes_simulator.http_port}"


async def test_instance_parameter_change_drops_entities_it_no_longer_makes(
    hass: HomeAssistant, init_integration: MockConfigEntry, entity_registry: er.EntityRegistry
) -> None:
    """A clamp switched to production loses its consumption entities, and gains the others."""
    entry = init_integration
    wes_id = entry.runtime_data.wes_id
    before = _unique_ids(entity_registry, entry)
    assert f"{wes_id}_clamp2_cost_day" in before
    assert f"{wes_id}_clamp2_gain_day" not in before

    options = copy.deepcopy(DEFAULT_OPTIONS)
    options[OPT_FEATURES]["clamp"]["2"]["measure"] = "production"
    hass.config_entries.async_update_entry(entry, options=options)
    await hass.async_block_till_done()

    after = _unique_ids(entity_registry, entry)
    assert f"{wes_id}_clamp2_cost_day" not in after
    assert f"{wes_id}_clamp2_gain_day" in after
    assert f"{wes_id}_clamp1_cost_day" in after  # clamp 1 still measures consumption
    assert after == entry.runtime_data.created_unique_ids


async def test_restart_keeps_entities_a_silent_meter_would_not_make(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    wes_simulator: Any,
) -> None:
    """A reload without an options change never prunes: a silent meter costs no entity."""
    entry = init_integration
    wes_id = entry.runtime_data.wes_id
    before = _unique_ids(entity_registry, entry)
    assert f"{wes_id}_tic1_index_bbrhcjb" in before
    wes_simulator.device.tics[0].wired = False  # the meter is silent while HA restarts
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert f"{wes_id}_tic1_index_bbrhcjb" not in entry.runtime_data.created_unique_ids
    assert _unique_ids(entity_registry, entry) == before
