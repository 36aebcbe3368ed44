"""Binary sensors: inputs, EJP notice, producer flag, alarm state and connectivity.

A read-only account cannot switch anything, so instead of switches it gets the states of
the relays, 1-Wire relays and virtual switches as binary sensors; an admin account gets
the switches and none of these.
"""

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

from .entity import (
    ExistsFn,
    WesDevices,
    WesEntity,
    always_exists,
    build_entities,
    onewire_relay_count,
)
from .sensor import tic_tariff
from .wes.features import OPT_MEASURE, FeatureKind, onewire_relay_id

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
    # The model attribute read: unavailable while the file being read lacks it.
    source_field: str | None = None


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
        source_field="alarm",
        is_on_fn=lambda c, _n: c.data.info.alarm,
        exists_fn=lambda c, _n: c.features.screen,
    ),
)


def _read_only(coordinator: WesCoordinator, _number: int) -> bool:
    """States shown as binary sensors only where no switch can show them."""
    return not coordinator.is_admin


def onewire_relay_state(relay: int) -> WesBinarySensorEntityDescription:
    """Relay ``relay`` (1-8) of a 1-Wire card, for read-only accounts; number is the card."""

    def exists(coordinator: WesCoordinator, card: int) -> bool:
        return _read_only(coordinator, card) and relay <= onewire_relay_count(coordinator, card)

    return WesBinarySensorEntityDescription(
        key=f"relay{relay}",
        translation_key="onewire_relay",
        translation_placeholders={"relay": str(relay)},
        is_on_fn=lambda c, card: c.data.onewire_relays.get(onewire_relay_id(card, relay)),
        exists_fn=exists,
    )


RELAY_STATE: Final = WesBinarySensorEntityDescription(
    key="state",
    translation_key="relay",
    is_on_fn=lambda c, n: c.data.relays.get(n),
    exists_fn=_read_only,
)
VIRTUAL_SWITCH_STATE: Final = WesBinarySensorEntityDescription(
    key="state",
    translation_key="virtual_switch",
    is_on_fn=lambda c, n: c.data.virtual_switches.get(n),
    exists_fn=_read_only,
)
ONEWIRE_RELAY_STATES: Final = tuple(onewire_relay_state(relay) for relay in range(1, 9))

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
            source_field="producer",
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
    FeatureKind.RELAY: (RELAY_STATE,),
    FeatureKind.ONEWIRE_CARD: ONEWIRE_RELAY_STATES,
    FeatureKind.VIRTUAL_SWITCH: (VIRTUAL_SWITCH_STATE,),
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
