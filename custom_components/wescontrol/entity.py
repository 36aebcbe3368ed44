"""Base entity and device layout shared by every WES platform.

One device per WES, plus one sub-device per enabled metering instance (TIC, clamp, pulse
counter, probe, 1-Wire relay card) attached to it. Home Assistant changed how a device is
attached to another one: ``via_device`` (identifiers of the parent) until 2026.7,
``via_device_id`` (registry id of the parent) from 2026.8, and ``ChildDeviceInfo`` from
2026.9. We detect what the running version offers instead of comparing version strings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol, cast, override

from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .catalog import CATALOG
from .const import DOMAIN, MANUFACTURER, MODEL
from .coordinator import WesCoordinator
from .wes.features import OPT_RELAY_COUNT, FeatureKind

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity import EntityDescription

    class _Conditional(Protocol):
        """An entity description that decides per instance whether its entity exists."""

        @property
        def exists_fn(self) -> ExistsFn: ...


type ExistsFn = Callable[[WesCoordinator, int], bool]

# Kinds an admin account switches and a read-only account only watches: switches for the
# former, binary sensors for the latter, never both.
SWITCHED_KINDS: Final = frozenset(
    {FeatureKind.RELAY, FeatureKind.ONEWIRE_CARD, FeatureKind.VIRTUAL_SWITCH}
)
# Relays of a 1-Wire card the user did not say otherwise about (the big card).
_DEFAULT_ONEWIRE_RELAYS: Final = "8"


def onewire_relay_count(coordinator: WesCoordinator, card: int) -> int:
    """How many relays 1-Wire card ``card`` has (3 or 8, per its option)."""
    return int(
        coordinator.features.option(
            FeatureKind.ONEWIRE_CARD, card, OPT_RELAY_COUNT, _DEFAULT_ONEWIRE_RELAYS
        )
    )


def always_exists(_coordinator: WesCoordinator, _number: int) -> bool:
    """Default ``exists_fn``: the entity exists for every enabled instance."""
    return True


def build_entities[D: _Conditional, E](
    coordinator: WesCoordinator,
    wes_descriptions: Iterable[D],
    descriptions_by_kind: Mapping[FeatureKind, Iterable[D]],
    create: Callable[[D, FeatureKind | None, int], E],
) -> list[E]:
    """Entities of the WES device, then of every enabled instance, where they exist."""
    entities = [
        create(description, None, 0)
        for description in wes_descriptions
        if description.exists_fn(coordinator, 0)
    ]
    for kind, descriptions in descriptions_by_kind.items():
        for number in coordinator.features.numbers(kind):
            entities.extend(
                create(description, kind, number)
                for description in descriptions
                if description.exists_fn(coordinator, number)
            )
    return entities


# Feature kinds that get a device of their own, and the page of the WES web interface
# that shows each of them (the catalogue is the single source of both).
SUB_DEVICE_PAGES: Final[dict[FeatureKind, str]] = {
    kind: spec.web_page or "" for kind, spec in CATALOG.items() if spec.sub_device
}

# What a sub-device is, shown as its model (model names are not translated by HA).
_SUB_DEVICE_MODELS: Final[dict[FeatureKind, str]] = {
    FeatureKind.TIC: "WES teleinfo input",
    FeatureKind.CLAMP: "WES current clamp",
    FeatureKind.PULSE_COUNTER: "WES pulse counter",
    FeatureKind.PROBE: "WES 1-Wire probe",
    FeatureKind.ONEWIRE_CARD: "WES 1-Wire relay card",
}

# Names given to a sub-device on Home Assistant versions whose child devices take no
# translation key (elsewhere the device section of the translations names them).
_GENERIC_NAMES: Final[dict[FeatureKind, str]] = {
    FeatureKind.TIC: "TIC {n}",
    FeatureKind.CLAMP: "Clamp {n}",
    FeatureKind.PULSE_COUNTER: "Pulse counter {n}",
    FeatureKind.PROBE: "Probe {n}",
    FeatureKind.ONEWIRE_CARD: "1-Wire relay card {n}",
}

# The newest way to attach a sub-device, when this Home Assistant has it (2026.9+).
_CHILD_DEVICE_INFO: Any = getattr(dr, "ChildDeviceInfo", None)
# Whether DeviceInfo knows via_device_id (2026.8+), which replaces via_device.
_HAS_VIA_DEVICE_ID: bool = "via_device_id" in getattr(DeviceInfo, "__annotations__", {})


def user_name(coordinator: WesCoordinator, kind: FeatureKind, number: int) -> str | None:
    """The name the user gave this instance on the WES, if the WES told us one."""
    names = coordinator.names
    by_kind: dict[FeatureKind, dict[int, str]] = {
        FeatureKind.TIC: names.tics,
        FeatureKind.CLAMP: names.clamps,
        FeatureKind.PULSE_COUNTER: names.pulse_counters,
        FeatureKind.PROBE: names.probes,
        FeatureKind.RELAY: names.relays,
        FeatureKind.INPUT: names.inputs,
        FeatureKind.ANALOG_INPUT: names.analog_inputs,
        FeatureKind.VIRTUAL_SWITCH: names.virtual_switches,
    }
    name = (by_kind.get(kind, {}).get(number) or "").strip()
    return name or None


@dataclass(frozen=True, slots=True)
class _WesIdentity:
    """What the registry records about the WES device (DeviceInfo and registry alike)."""

    identifiers: set[tuple[str, str]]
    connections: set[tuple[str, str]]
    name: str
    sw_version: str | None
    hw_version: str | None
    serial_number: str | None
    configuration_url: str

    @classmethod
    def of(cls, coordinator: WesCoordinator) -> _WesIdentity:
        """Read the identity from the last poll and the names file."""
        info = coordinator.data.info if coordinator.data else None
        # The entry's unique id is the MAC when the config flow could read it.
        mac = (info.mac if info else None) or coordinator.names.mac or coordinator.expected_mac
        return cls(
            identifiers={(DOMAIN, coordinator.wes_id)},
            connections={(dr.CONNECTION_NETWORK_MAC, dr.format_mac(mac))} if mac else set(),
            name=coordinator.config_entry.title or MODEL,
            sw_version=str(info.firmware) if info and info.firmware else None,
            hw_version=str(info.hardware) if info and info.hardware else None,
            serial_number=mac.upper() if mac else None,
            configuration_url=f"{coordinator.base_url}/",
        )


@dataclass(slots=True)
class WesDevices:
    """Builds the DeviceInfo of the WES and of its sub-devices for one platform setup."""

    coordinator: WesCoordinator
    parent_device_id: str  # registry id of the WES device

    @classmethod
    def create(cls, hass: HomeAssistant, coordinator: WesCoordinator) -> WesDevices:
        """Prepare the device layout; registers the WES device first.

        ``ChildDeviceInfo`` and ``via_device_id`` point at the parent by registry id, and
        ``via_device`` only links to a parent that already exists: the parent must be in
        the registry before a sub-device is added, whatever the platform order.
        """
        wes = _WesIdentity.of(coordinator)
        entry = dr.async_get(hass).async_get_or_create(
            config_entry_id=coordinator.config_entry.entry_id,
            identifiers=wes.identifiers,
            connections=wes.connections,
            manufacturer=MANUFACTURER,
            model=MODEL,
            name=wes.name,
            sw_version=wes.sw_version,
            hw_version=wes.hw_version,
            serial_number=wes.serial_number,
            configuration_url=wes.configuration_url,
        )
        return cls(coordinator, entry.id)

    def wes(self) -> DeviceInfo:
        """The WES itself: identity, firmware, hardware, home page."""
        wes = _WesIdentity.of(self.coordinator)
        return DeviceInfo(
            identifiers=wes.identifiers,
            connections=wes.connections,
            manufacturer=MANUFACTURER,
            model=MODEL,
            name=wes.name,
            sw_version=wes.sw_version,
            hw_version=wes.hw_version,
            serial_number=wes.serial_number,
            configuration_url=wes.configuration_url,
        )

    def sub_device(self, kind: FeatureKind, number: int) -> DeviceInfo:
        """One metering instance (or 1-Wire relay card), attached to the WES device."""
        coordinator = self.coordinator
        identifiers = {(DOMAIN, f"{coordinator.wes_id}_{kind.value}{number}")}
        name = user_name(coordinator, kind, number) or _GENERIC_NAMES[kind].format(n=number)
        if _CHILD_DEVICE_INFO is not None:
            child: DeviceInfo = _CHILD_DEVICE_INFO(
                identifiers=identifiers, name=name, parent_device_id=self.parent_device_id
            )
            return child
        info = DeviceInfo(
            identifiers=identifiers,
            manufacturer=MANUFACTURER,
            model=_SUB_DEVICE_MODELS[kind],
            configuration_url=f"{coordinator.base_url}/{SUB_DEVICE_PAGES[kind]}",
        )
        # Key assignment works on the TypedDict (<= 2026.8) and the dataclass (2026.11).
        if given := user_name(coordinator, kind, number):
            info["name"] = given
        else:  # "TIC 1", "Pince 1": translated from the device section of translations
            info["translation_key"] = kind.value
            info["translation_placeholders"] = {"number": str(number)}
        if _HAS_VIA_DEVICE_ID:
            cast("dict[str, Any]", info)["via_device_id"] = self.parent_device_id
        else:
            info["via_device"] = (DOMAIN, coordinator.wes_id)
        return info

    def for_instance(self, kind: FeatureKind | None, number: int) -> DeviceInfo:
        """The device an entity belongs to: its sub-device, or the WES."""
        if kind is not None and kind in SUB_DEVICE_PAGES:
            return self.sub_device(kind, number)
        return self.wes()


class WesEntity(CoordinatorEntity[WesCoordinator]):
    """An entity fed by the WES coordinator.

    ``kind``/``number`` name the feature instance the entity reads (``None``/``0`` for
    WES-level entities); they make the unique id ``<wes id>_<kind><n>_<key>`` (or
    ``<wes id>_<key>``), which the integration also uses to remove orphans.

    A description may name the value it reads (``source_field``: a model attribute or a
    TIC register). While the file being read cannot print that value, or this instance at
    all (the WES's own ``DATA.CGX`` before our file is installed), the entity is
    unavailable: no value can come, which "unknown" would not say.
    """

    _attr_has_entity_name = True
    _written_fingerprint: tuple[object, ...] | None = None

    def __init__(
        self,
        coordinator: WesCoordinator,
        description: EntityDescription,
        devices: WesDevices,
        kind: FeatureKind | None = None,
        number: int = 0,
    ) -> None:
        """Set identity, device and name from the description and the instance."""
        super().__init__(coordinator)
        self.entity_description = description
        self.kind = kind
        self.number = number
        self._source_field: str | None = getattr(description, "source_field", None)
        if kind is None:
            self._attr_unique_id = f"{coordinator.wes_id}_{description.key}"
        else:
            self._attr_unique_id = f"{coordinator.wes_id}_{kind.value}{number}_{description.key}"
        self._attr_device_info = devices.for_instance(kind, number)
        coordinator.created_unique_ids.add(self._attr_unique_id)
        if kind is not None:
            self._attr_translation_placeholders = {
                **(description.translation_placeholders or {}),
                "number": str(number),
            }
            # Relays, inputs, analog inputs and virtual switches live on the WES device:
            # the name the user gave them on the WES is the best entity name.
            if kind not in SUB_DEVICE_PAGES and (name := user_name(coordinator, kind, number)):
                self._attr_name = name

    @property
    @override
    def available(self) -> bool:
        """Unavailable when the WES does not answer, or the file read cannot feed us."""
        return super().available and self.coordinator.carries(
            self.kind, self._source_field, self.number
        )

    def _state_fingerprint(self) -> tuple[object, ...]:
        """What the state machine shows of this entity; platforms refine it."""
        return (self.available, self.state)

    @callback
    @override
    def async_write_ha_state(self) -> None:
        """Write the state and remember what was written."""
        self._written_fingerprint = self._state_fingerprint()
        super().async_write_ha_state()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Write only the entities whose state changed with this poll.

        A WES with every feature on has some 270 entities and most readings do not move
        between two polls; skipping their writes keeps a poll's cost close to the bare
        fetch and parse (scripts/bench).
        """
        if self._state_fingerprint() != self._written_fingerprint:
            self.async_write_ha_state()
