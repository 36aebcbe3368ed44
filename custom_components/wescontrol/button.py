"""Button: restart the WES (admin accounts only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, override

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory

from .entity import WesDevices, WesEntity

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import WesConfigEntry

# Commands go to the WES one at a time.
PARALLEL_UPDATES = 1

RESTART: Final = ButtonEntityDescription(
    key="restart",
    device_class=ButtonDeviceClass.RESTART,
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: WesConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the restart button, for admin accounts only."""
    coordinator = entry.runtime_data
    if coordinator.is_admin:
        async_add_entities(
            [WesRestartButton(coordinator, RESTART, WesDevices.create(hass, coordinator))]
        )


class WesRestartButton(WesEntity, ButtonEntity):
    """Restarts the WES; it comes back on a later poll."""

    @override
    async def async_press(self) -> None:
        await self.coordinator.async_run_command(self.coordinator.client.reboot)
