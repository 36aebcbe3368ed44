"""Update entity: the version of our data file on the WES, and its installation by FTP.

The "versions" are markers (``1.v084.a46f669794``): a digest of what the file prints for
the enabled instances on this firmware generation, not ordered numbers. Any difference means
the file on the WES is not the one we would generate now, so it is offered as an update.
The entity exists only when the entry has FTP access, manages the file, and the firmware
supports it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final, override

from homeassistant.components.update import (
    UpdateEntity,
    UpdateEntityDescription,
    UpdateEntityFeature,
)
from homeassistant.const import EntityCategory

from .const import CONF_AUTO_UPDATE
from .entity import WesDevices, WesEntity

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import WesConfigEntry, WesCoordinator

# Installing uploads by FTP: one at a time.
PARALLEL_UPDATES = 1

DATA_FILE: Final = UpdateEntityDescription(
    key="data_file",
    translation_key="data_file",
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: WesConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the data-file entity when we keep our file on this WES."""
    coordinator = entry.runtime_data
    if coordinator.manages_data_file and coordinator.data_file_expected is not None:
        devices = WesDevices.create(hass, coordinator)
        async_add_entities([WesDataFileUpdate(coordinator, DATA_FILE, devices)])


class WesDataFileUpdate(WesEntity, UpdateEntity):
    """Our data file on the WES: installed marker, wanted marker, install by FTP."""

    _attr_supported_features = UpdateEntityFeature.INSTALL

    def __init__(
        self,
        coordinator: WesCoordinator,
        description: UpdateEntityDescription,
        devices: WesDevices,
    ) -> None:
        """Show whether the user let us update the file on our own."""
        super().__init__(coordinator, description, devices)
        self._attr_auto_update = bool(coordinator.config_entry.data.get(CONF_AUTO_UPDATE))

    @property
    @override
    def installed_version(self) -> str | None:
        """The marker of the file on the WES (None: no file of ours there)."""
        return self.coordinator.data_file_installed

    @property
    @override
    def latest_version(self) -> str | None:
        """The marker of the file we would generate for the current options."""
        return self.coordinator.data_file_expected

    @override
    def _state_fingerprint(self) -> tuple[object, ...]:
        """Both markers show in the attributes, so either changing needs a write."""
        return (self.available, self.installed_version, self.latest_version, self.in_progress)

    @override
    def version_is_newer(self, latest_version: str, installed_version: str) -> bool:
        """Markers are digests, not ordered: any other marker is an update."""
        return latest_version != installed_version

    @override
    async def async_install(self, version: str | None, backup: bool, **kwargs: Any) -> None:
        """Upload the file, then read it at once so the entities switch to it.

        Raises the coordinator's translated ``HomeAssistantError`` when the upload fails;
        the file already on the WES is left as it was.
        """
        del version, backup, kwargs  # only the current file can be installed
        await self.coordinator.async_install_data_file()
        await self.coordinator.async_refresh()
