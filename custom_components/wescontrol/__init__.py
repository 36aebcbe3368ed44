"""The WES Control integration: sets up one coordinator per WES and its platforms.

A change of options (features enabled, poll interval) or of credentials reloads the
entry through the update listener. At each setup, the devices and entities of instances
that are no longer enabled are removed from the registries, so nothing is left orphaned.

An options change that alters our data file is an explicit user action: the listener asks
the setup that follows to upload the new file at once (with FTP access and "manage"),
whatever the automatic-update choice, which only governs updates nobody asked for (a new
integration version, a firmware upgrade, a file replaced on the WES).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from homeassistant.const import Platform
from homeassistant.core import callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.util.hass_dict import HassKey

from .catalog import CATALOG, features_from_options
from .const import DOMAIN
from .coordinator import UPLOAD_REQUESTS, WesConfigEntry, WesCoordinator
from .entity import SWITCHED_KINDS, onewire_relay_count
from .repairs import async_remove_data_file_issues, async_update_needs_ftp_issue
from .wes.features import FeatureKind

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

# Entries whose next setup follows an options change: entities no longer created go.
PRUNE_REQUESTS: Final[HassKey[set[str]]] = HassKey(f"{DOMAIN}_entity_prune_requests")

PLATFORMS: Final = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.SENSOR,
    Platform.SWITCH,
    Platform.UPDATE,
]
# Platforms whose entities send commands: a read-only account gets none of them.
COMMAND_DOMAINS: Final = frozenset({Platform.BUTTON.value, Platform.SWITCH.value})
# ... and the platform that shows their states to read-only accounts instead.
READ_ONLY_STATE_DOMAIN: Final = Platform.BINARY_SENSOR.value

# Kind names in unique ids; longest first so a prefix never shadows a longer kind.
_KIND_PATTERN: Final = "|".join(
    sorted((re.escape(kind.value) for kind in FeatureKind), key=len, reverse=True)
)


def instance_device_id(wes_id: str, kind: FeatureKind, number: int) -> str:
    """Device identifier of one metering instance (a sub-device of the WES)."""
    return f"{wes_id}_{kind.value}{number}"


def expected_device_ids(coordinator: WesCoordinator) -> set[str]:
    """Identifiers of the devices this entry should own with its current options."""
    expected = {coordinator.wes_id}
    for kind, spec in CATALOG.items():
        if spec.sub_device:
            expected.update(
                instance_device_id(coordinator.wes_id, kind, number)
                for number in coordinator.features.numbers(kind)
            )
    return expected


def _instance_of(wes_id: str, unique_id: str) -> tuple[FeatureKind, int, str] | None:
    """Kind, number and entity key of the instance an entity's unique id belongs to."""
    match = re.match(rf"^{re.escape(wes_id)}_({_KIND_PATTERN})(\d+)(?:_(.*))?$", unique_id)
    if match is None:
        return None
    return FeatureKind(match.group(1)), int(match.group(2)), match.group(3) or ""


def remove_stale_entries(hass: HomeAssistant, entry: WesConfigEntry) -> None:
    """Drop devices and entities that the current options or account no longer produce.

    That is: sub-devices of disabled instances (their entities go with them), entities
    of disabled instances on the WES device (relays, inputs, ...), relays beyond a
    1-Wire card's relay count, the alarm and mains voltage entities without the screen
    or the 9 V supply, every command entity when the account became read-only, and the
    read-only state sensors of relays and virtual switches when it became admin.
    """
    coordinator = entry.runtime_data
    expected = expected_device_ids(coordinator)
    device_registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(device_registry, entry.entry_id):
        ours = {value for domain, value in device.identifiers if domain == DOMAIN}
        if ours and not ours & expected:
            device_registry.async_remove_device(device.id)

    entity_registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(entity_registry, entry.entry_id):
        if _is_stale(coordinator, entity):
            entity_registry.async_remove(entity.entity_id)


def remove_entities_not_created(hass: HomeAssistant, entry: WesConfigEntry) -> None:
    """After an options change, drop the entities the platforms no longer create.

    An instance parameter decides which entities exist (a clamp switched to production
    has no consumption index any more, a TIC switched to Tempo no HC registers). This
    runs only when the user changed the options, never after a plain restart: a TIC
    that is silent while Home Assistant starts must not cost its entities.
    """
    created = entry.runtime_data.created_unique_ids
    entity_registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(entity_registry, entry.entry_id):
        if entity.unique_id not in created:
            entity_registry.async_remove(entity.entity_id)


def _is_stale(coordinator: WesCoordinator, entity: er.RegistryEntry) -> bool:
    """Whether an entity can no longer be produced with the current options and account."""
    if entity.domain in COMMAND_DOMAINS and not coordinator.is_admin:
        return True
    instance = _instance_of(coordinator.wes_id, entity.unique_id)
    if instance is not None:
        kind, number, key = instance
        if number not in coordinator.features.numbers(kind):
            return True
        # An admin's switches show these states: no read-only state sensor beside them.
        read_only_state = entity.domain == READ_ONLY_STATE_DOMAIN and kind in SWITCHED_KINDS
        if read_only_state and coordinator.is_admin:
            return True
        return kind is FeatureKind.ONEWIRE_CARD and _beyond_card(coordinator, number, key)
    flags = {
        f"{coordinator.wes_id}_alarm": coordinator.features.screen,
        f"{coordinator.wes_id}_mains_voltage": coordinator.features.mains_voltage,
        f"{coordinator.wes_id}_data_file": coordinator.manages_data_file,
    }
    return not flags.get(entity.unique_id, True)


def _beyond_card(coordinator: WesCoordinator, card: int, key: str) -> bool:
    """Whether an entity key names a relay the 1-Wire card does not have (3-relay card)."""
    match = re.fullmatch(r"relay(\d+)", key)
    return match is not None and int(match.group(1)) > onewire_relay_count(coordinator, card)


async def async_setup_entry(hass: HomeAssistant, entry: WesConfigEntry) -> bool:
    """Connect to the WES, read it once, then set up the platforms."""
    coordinator = WesCoordinator(hass, entry)
    await coordinator.async_config_entry_first_refresh()
    entry.runtime_data = coordinator
    remove_stale_entries(hass, entry)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    if entry.entry_id in hass.data.get(PRUNE_REQUESTS, set()):
        hass.data[PRUNE_REQUESTS].discard(entry.entry_id)
        remove_entities_not_created(hass, entry)
    entry.async_on_unload(entry.add_update_listener(_async_reload_on_update))

    @callback
    def _follow_data_file() -> None:
        async_update_needs_ftp_issue(hass, coordinator)

    _follow_data_file()
    entry.async_on_unload(coordinator.async_add_listener(_follow_data_file))
    return True


async def _async_reload_on_update(hass: HomeAssistant, entry: WesConfigEntry) -> None:
    """Apply new options or credentials by reloading the entry.

    When the new options change our data file, the next setup uploads it at once.
    """
    coordinator = entry.runtime_data
    if coordinator.data_file_changes_with(entry.options):
        hass.data.setdefault(UPLOAD_REQUESTS, set()).add(entry.entry_id)
    if features_from_options(entry.options) != coordinator.features:
        hass.data.setdefault(PRUNE_REQUESTS, set()).add(entry.entry_id)
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: WesConfigEntry) -> bool:
    """Unload the platforms; the coordinator stops with the entry."""
    async_remove_data_file_issues(hass, entry.entry_id, keep_dismissed=True)
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: WesConfigEntry) -> None:
    """Forget the entry's repair issues, even those the user chose to ignore."""
    async_remove_data_file_issues(hass, entry.entry_id, keep_dismissed=False)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: WesConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let the user delete a device only when it is not in use any more."""
    del hass  # the registries already know everything needed
    ours = {value for domain, value in device.identifiers if domain == DOMAIN}
    return not ours & expected_device_ids(entry.runtime_data)
