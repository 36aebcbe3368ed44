"""Binary sensors: inputs, EJP notice, producer flag, alarm state and connectivity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, override

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory

from .entity import ExistsFn, WesDevices, WesEntity, always_exists, build_entities
from .sensor import tic_tariff
from .wes.features import OPT_MEASURE, FeatureKind

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import WesConfigEntry, WesCoordinator

# Every entity reads the coordinator's data: no polling of its own.
PARALLEL_UPDATES = 0

type IsOnFn = Callable[[WesCoordinator, int], bool | None]


@dataclass(frozen=True, kw_only=True)
class WesBinarySensorEntityDescription(BinarySensorEntityDescription):
    """A WES binary sensor: how to read it and whether it exists for one instance."""

    is_on_fn: IsOnFn
    exists_fn: ExistsFn = always_exists
    always_available: bool = False  # reports the WES being offline, so never unavailable


def _ejp_notice(coordinator: WesCoordinator, number: int) -> bool | None:
    """PEJP is 0, or the minutes left before an EJP peak day starts."""
    tic = coordinator.data.tics.get(number)
    notice = tic.ejp_notice if tic else None
    return None if notice is None else notice > 0


def _tic_produces(coordinator: WesCoordinator, number: int) -> bool:
    measure = coordinator.features.option(FeatureKind.TIC, number, OPT_MEASURE, "consumption")
    return measure in ("production", "both")


def _producer(coordinator: WesCoordinator, number: int) -> bool | None:
    tic = coordinator.data.tics.get(number)
    return tic.producer if tic else None


WES_BINARY_SENSORS: Final = (
    WesBinarySensorEntityDescription(
        key="connectivity",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        always_available=True,
        is_on_fn=lambda c, _n: c.last_update_success,
    ),
    WesBinarySensorEntityDescription(
        key="alarm",
        translation_key="alarm",
        is_on_fn=lambda c, _n: c.data.info.alarm,
        exists_fn=lambda c, _n: c.features.screen,
    ),
)

BINARY_SENSORS_BY_KIND: Final[dict[FeatureKind, tuple[WesBinarySensorEntityDescription, ...]]] = {
    FeatureKind.TIC: (
        WesBinarySensorEntityDescription(
            key="ejp_notice",
            translation_key="ejp_notice",
            is_on_fn=_ejp_notice,
            exists_fn=lambda c, n: tic_tariff(c, n) == "ejp",
        ),
        WesBinarySensorEntityDescription(
            key="producer",
            translation_key="producer",
            entity_category=EntityCategory.DIAGNOSTIC,
            is_on_fn=_producer,
            exists_fn=_tic_produces,
        ),
    ),
    FeatureKind.INPUT: (
        WesBinarySensorEntityDescription(
            key="state",
            translation_key="input",
            is_on_fn=lambda c, n: c.data.inputs.get(n),
        ),
    ),
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: WesConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the binary sensors of the WES and of every enabled instance."""
    coordinator = entry.runtime_data
    devices = WesDevices.create(hass, coordinator)
    async_add_entities(
        build_entities(
            coordinator,
            WES_BINARY_SENSORS,
            BINARY_SENSORS_BY_KIND,
            lambda description, kind, number: WesBinarySensor(
                coordinator, description, devices, kind, number
            ),
        )
    )


class WesBinarySensor(WesEntity, BinarySensorEntity):
    """An on/off reading of the WES."""

    entity_description: WesBinarySensorEntityDescription

    @property
    @override
    def is_on(self) -> bool | None:
        return self.entity_description.is_on_fn(self.coordinator, self.number)

    @property
    @override
    def available(self) -> bool:
        return self.entity_description.always_available or super().available
