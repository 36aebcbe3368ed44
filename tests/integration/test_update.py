"""The data-file update entity: versions, install by FTP, failures, when it exists."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.update import (
    ATTR_AUTO_UPDATE,
    ATTR_INSTALLED_VERSION,
    ATTR_LATEST_VERSION,
    SERVICE_INSTALL,
)
from homeassistant.components.update import DOMAIN as UPDATE_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNKNOWN, EntityCategory
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from custom_components.wescontrol.const import BUILTIN_DATA_FILE, DOMAIN
from custom_components.wescontrol.wes.cgx import DATA_FILE_NAME
from custom_components.wescontrol.wes.models import DataLayout

from .conftest import build_entry, setup_integration
from .test_data_file import OLD_MARKER, ftp_data, installed_marker, poll, put_old_file

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.wescontrol.coordinator import WesCoordinator

pytestmark = pytest.mark.usefixtures("socket_enabled")


def update_entity_id(hass: HomeAssistant, entry: MockConfigEntry) -> str | None:
    unique_id = f"{entry.runtime_data.wes_id}_data_file"
    return er.async_get(hass).async_get_entity_id(UPDATE_DOMAIN, DOMAIN, unique_id)


async def install(hass: HomeAssistant, entity_id: str) -> None:
    await hass.services.async_call(
        UPDATE_DOMAIN, SERVICE_INSTALL, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )
    await hass.async_block_till_done()


@pytest.fixture
async def managed_entry(hass: HomeAssistant, wes_simulator: Any) -> MockConfigEntry:
    """An entry with FTP access that manages the file; the current file is installed."""
    return await setup_integration(hass, build_entry(wes_simulator, data=ftp_data(wes_simulator)))


async def test_entity_when_up_to_date(
    hass: HomeAssistant, managed_entry: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    coordinator: WesCoordinator = managed_entry.runtime_data
    entity_id = update_entity_id(hass, managed_entry)
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes[ATTR_INSTALLED_VERSION] == coordinator.data_file_expected
    assert state.attributes[ATTR_LATEST_VERSION] == coordinator.data_file_expected
    assert state.attributes[ATTR_AUTO_UPDATE] is True
    assert state.attributes["friendly_name"] == "WES Data file"

    entry = er.async_get(hass).async_get(entity_id)
    assert entry is not None
    assert entry.entity_category is EntityCategory.CONFIG
    wes_device = device_registry.async_get_device(identifiers={(DOMAIN, coordinator.wes_id)})
    assert wes_device is not None
    assert entry.device_id == wes_device.id


async def test_older_marker_offers_an_update_and_install_fixes_it(
    hass: HomeAssistant, freezer: Any, wes_simulator: Any, managed_entry: MockConfigEntry
) -> None:
    coordinator: WesCoordinator = managed_entry.runtime_data
    entity_id = update_entity_id(hass, managed_entry)
    assert entity_id is not None
    put_old_file(wes_simulator)
    await poll(hass, freezer)
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_ON  # markers are digests: any difference is an update
    assert state.attributes[ATTR_INSTALLED_VERSION] == OLD_MARKER
    assert coordinator.data_file == BUILTIN_DATA_FILE

    await install(hass, entity_id)
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_OFF
    assert installed_marker(wes_simulator) == coordinator.data_file_expected
    assert coordinator.data_file == DATA_FILE_NAME
    assert coordinator.data.layout is DataLayout.WESCONTROL  # read at once after the install


async def test_missing_file_is_unknown_and_installable(
    hass: HomeAssistant, freezer: Any, wes_simulator: Any, managed_entry: MockConfigEntry
) -> None:
    coordinator: WesCoordinator = managed_entry.runtime_data
    entity_id = update_entity_id(hass, managed_entry)
    assert entity_id is not None
    (wes_simulator.web_root / DATA_FILE_NAME).unlink()
    await poll(hass, freezer)
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_UNKNOWN  # Home Assistant's rule for "no installed version"
    assert state.attributes[ATTR_INSTALLED_VERSION] is None
    await install(hass, entity_id)
    assert hass.states.get(entity_id).state == STATE_OFF  # type: ignore[union-attr]
    assert coordinator.reads_own_data_file


async def test_install_failure_is_translated_and_keeps_the_old_file(
    hass: HomeAssistant, freezer: Any, wes_simulator: Any, managed_entry: MockConfigEntry
) -> None:
    """The SD card refuses the upload: a translated error, the previous file untouched."""
    entity_id = update_entity_id(hass, managed_entry)
    assert entity_id is not None
    put_old_file(wes_simulator)
    before = (wes_simulator.web_root / DATA_FILE_NAME).read_bytes()
    await poll(hass, freezer)
    wes_simulator.faults.set("disk_full", 1)
    with pytest.raises(HomeAssistantError) as caught:
        await install(hass, entity_id)
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == "data_file_upload_failed"
    assert (wes_simulator.web_root / DATA_FILE_NAME).read_bytes() == before
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes["in_progress"] is False


async def test_install_with_a_refused_ftp_login(hass: HomeAssistant, wes_simulator: Any) -> None:
    """A wrong FTP password: setup keeps DATA.CGX, install raises, the old file stays."""
    put_old_file(wes_simulator)
    before = (wes_simulator.web_root / DATA_FILE_NAME).read_bytes()
    entry = build_entry(wes_simulator, data=ftp_data(wes_simulator, ftp_password="wrong"))
    await setup_integration(hass, entry)
    entity_id = update_entity_id(hass, entry)
    assert entity_id is not None
    assert hass.states.get(entity_id).state == STATE_ON  # type: ignore[union-attr]
    with pytest.raises(HomeAssistantError) as caught:
        await install(hass, entity_id)
    assert caught.value.translation_key == "data_file_upload_failed"
    assert "wrong" not in str(caught.value)
    assert (wes_simulator.web_root / DATA_FILE_NAME).read_bytes() == before
    assert entry.runtime_data.data_file == BUILTIN_DATA_FILE


async def test_auto_update_attribute_follows_the_entry(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    entry = build_entry(wes_simulator, data=ftp_data(wes_simulator, auto_update=False))
    await setup_integration(hass, entry)
    entity_id = update_entity_id(hass, entry)
    assert entity_id is not None
    assert hass.states.get(entity_id).attributes[ATTR_AUTO_UPDATE] is False  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({}, id="no_ftp"),
        pytest.param({"manage_data_file": False}, id="ftp_without_manage"),
    ],
)
async def test_no_entity_without_management(
    hass: HomeAssistant, wes_simulator: Any, data: dict[str, Any]
) -> None:
    entry_data = ftp_data(wes_simulator) | data if data else {}
    entry = await setup_integration(hass, build_entry(wes_simulator, data=entry_data))
    assert update_entity_id(hass, entry) is None


async def test_no_entity_on_legacy_firmware(
    hass: HomeAssistant, wes_simulator_factory: Any
) -> None:
    sim = await wes_simulator_factory(generation="v061d", scenario="a")
    entry = await setup_integration(hass, build_entry(sim, data=ftp_data(sim)))
    assert update_entity_id(hass, entry) is None


async def test_entity_removed_when_the_user_stops_managing(
    hass: HomeAssistant, wes_simulator: Any, managed_entry: MockConfigEntry
) -> None:
    assert update_entity_id(hass, managed_entry) is not None
    hass.config_entries.async_update_entry(
        managed_entry, data=managed_entry.data | {"manage_data_file": False}
    )
    await hass.async_block_till_done()
    assert update_entity_id(hass, managed_entry) is None
    assert installed_marker(wes_simulator) is not None  # the file itself stays on the WES
