"""Switches: on-board relays, 1-Wire relays, virtual switches and the alarm.

Only admin accounts get them: the WES refuses commands from read-only accounts, which see
these states as binary sensors instead. A command goes through the coordinator, which
waits for any poll in flight, maps failures to a translated error and refreshes: the
state shown is always the one the WES reports.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription

from .entity import WesDevices, WesEntity, onewire_relay_count
from .wes.features import FeatureKind, onewire_relay_id

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .coordinator import WesConfigEntry, WesCoordinator
    from .wes.client import WesClient

# Commands go to the WES one at a time.
PARALLEL_UPDATES = 1

type IsOnFn = Callable[[WesCoordinator, int], bool | None]
type SetFn = Callable[[WesClient, int, bool], Awaitable[None]]


@dataclass(frozen=True, kw_only=True)
class WesSwitchEntityDescription(SwitchEntityDescription):
    """A WES switch: how to read its state and how to set it.

    Both functions get the entity's instance number: the relay, the virtual switch, or
    for a 1-Wire relay its card (the description knows which relay of the card it is).
    """

    is_on_fn: IsOnFn
    set_fn: SetFn


RELAY: Final = WesSwitchEntityDescription(
    key="state",
    translation_key="relay",
    is_on_fn=lambda c, n: c.data.relays.get(n),
    set_fn=lambda client, n, on: client.set_relay(n, on),
)
VIRTUAL_SWITCH: Final = WesSwitchEntityDescription(
    key="state",
    translation_key="virtual_switch",
    is_on_fn=lambda c, n: c.data.virtual_switches.get(n),
    set_fn=lambda client, n, on: client.set_virtual_switch(n, on),
)
ALARM: Final = WesSwitchEntityDescription(
    key="alarm",
    translation_key="alarm",
    is_on_fn=lambda c, _n: c.data.info.alarm,
    set_fn=lambda client, _n, on: client.set_alarm(on),
)


def onewire_relay_description(relay: int) -> WesSwitchEntityDescription:
    """Relay ``relay`` (1-8) of a 1-Wire card; the entity's number is the card's."""
    return WesSwitchEntityDescription(
        key=f"relay{relay}",
        translation_key="onewire_relay",
        translation_placeholders={"relay": str(relay)},
        is_on_fn=lambda c, card: c.data.onewire_relays.get(onewire_relay_id(card, relay)),
        set_fn=lambda client, card, on: client.set_relay(onewire_relay_id(card, relay), on),
    )


ONEWIRE_RELAYS: Final = tuple(onewire_relay_description(relay) for relay in range(1, 9))


async def async_setup_entry(
    hass: HomeAssistant,
    entry: WesConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the switches, for admin accounts only."""
    coordinator = entry.runtime_data
    if not coordinator.is_admin:
        return
    devices = WesDevices.create(hass, coordinator)
    features = coordinator.features
    entities: list[WesSwitch] = []
    if features.screen:
        entities.append(WesSwitch(coordinator, ALARM, devices))
    entities.extend(
        WesSwitch(coordinator, RELAY, devices, FeatureKind.RELAY, number)
        for number in features.numbers(FeatureKind.RELAY)
    )
    for card in features.numbers(FeatureKind.ONEWIRE_CARD):
        entities.extend(
            WesSwitch(coordinator, description, devices, FeatureKind.ONEWIRE_CARD, card)
            for description in ONEWIRE_RELAYS[: onewire_relay_count(coordinator, card)]
        )
    entities.extend(
        WesSwitch(coordinator, VIRTUAL_SWITCH, devices, FeatureKind.VIRTUAL_SWITCH, number)
        for number in features.numbers(FeatureKind.VIRTUAL_SWITCH)
    )
    async_add_entities(entities)


class WesSwitch(WesEntity, SwitchEntity):
    """A relay or switch of the WES; its state is what the WES last reported."""

    entity_description: WesSwitchEntityDescription

    @property
    @override
    def is_on(self) -> bool | None:
        return self.entity_description.is_on_fn(self.coordinator, self.number)

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        await self._async_set(on=True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        await self._async_set(on=False)

    async def _async_set(self, *, on: bool) -> None:
        client = self.coordinator.client
        set_fn = self.entity_description.set_fn
        await self.coordinator.async_run_command(lambda: set_fn(client, self.number, on))
