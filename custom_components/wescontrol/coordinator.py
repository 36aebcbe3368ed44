"""The coordinator: one request per poll to the WES, and commands that wait their turn.

The WES has a small TCP stack, so every exchange goes through one lock: a poll and a
command never overlap, and a command is followed by one refresh so its effect shows.
Failures are raised as translated ``UpdateFailed``; Home Assistant's coordinator logs the
first one and the recovery, and nothing here adds to that.

Our own data file (``WESCTRL.CGX``) is read instead of the built-in ``DATA.CGX`` whenever the
copy on the WES carries the marker we would generate now, with or without FTP access. With
FTP access and "manage", it is installed when missing, when the user changed options that
alter it (an explicit action), or when outdated and automatic updates are on. ``carries``
tells entities whether the file being read can print a value at all.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final, NoReturn, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util.hass_dict import HassKey

from .catalog import features_from_options
from .const import (
    BUILTIN_DATA_FILE,
    CONF_AUTO_UPDATE,
    CONF_FTP_PASSWORD,
    CONF_FTP_PORT,
    CONF_FTP_USERNAME,
    CONF_MANAGE_DATA_FILE,
    DEFAULT_FTP_PASSWORD,
    DEFAULT_FTP_PORT,
    DEFAULT_FTP_USERNAME,
    DEFAULT_PORT,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    MIN_SCAN_INTERVAL,
    OPT_SCAN_INTERVAL,
)
from .wes import ftp
from .wes.cgx import (
    DATA_FILE_NAME,
    data_file_version,
    generate_data_file,
    supports_data_file,
    tic_registers,
)
from .wes.client import WesClient
from .wes.errors import (
    WesAuthError,
    WesConnectionError,
    WesError,
    WesForbiddenError,
    WesParseError,
    WesResponseError,
    WesTimeoutError,
)
from .wes.features import FeatureKind
from .wes.models import (
    TIC_REGISTERS,
    DataLayout,
    FirmwareGeneration,
    WesData,
    WesNames,
    firmware_generation,
)
from .wes.names import NAMES_FILE_NAME, parse_names

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from homeassistant.core import HomeAssistant

    from .wes.features import EnabledFeatures

type WesConfigEntry = ConfigEntry[WesCoordinator]

LOGGER: Final = logging.getLogger(__package__)

# A command's refresh runs at once; a burst of commands is folded into one more refresh.
COMMAND_REFRESH_COOLDOWN: Final = 1.0

_MAC_RE: Final = re.compile(r"^[0-9a-f]{12}$")
_HTTP_NOT_FOUND: Final = 404

# Entries whose next setup must upload our data file: the user changed options that alter
# it (set by the update listener, read once by the setup that follows).
UPLOAD_REQUESTS: Final[HassKey[set[str]]] = HassKey(f"{DOMAIN}_data_file_upload_requests")

# What the WES's own DATA.CGX never prints (docs/builtin-cgx, every generation), as model
# attributes per kind (None: the WES itself). Entities reading them need our file.
_BUILTIN_LACKS: Final[dict[FeatureKind | None, frozenset[str]]] = {
    None: frozenset({"hardware", "mac", "free_space", "alarm"}),
    FeatureKind.TIC: frozenset({"consumption", "cost"}),
    FeatureKind.CLAMP: frozenset(
        {"apparent_power", "real_power", "consumption", "cost", "injection", "gain", "max_current"}
    ),
    FeatureKind.PULSE_COUNTER: frozenset({"flow", "consumption", "consumption_yesterday", "cost"}),
}
# ... and what it lacks on older firmware only.
_BUILTIN_LACKS_BEFORE_V084: Final[dict[FeatureKind | None, frozenset[str]]] = {
    FeatureKind.TIC: frozenset({"injected_apparent_power", "producer"}),
}
_BUILTIN_LACKS_LEGACY: Final[dict[FeatureKind | None, frozenset[str]]] = {
    None: frozenset({"mains_voltage"}),
    FeatureKind.TIC: frozenset({"voltage", "injection_index"}),
    FeatureKind.CLAMP: frozenset({"injection_index"}),
}
# The built-in file's TIC registers (those of the three historic tariffs and Tempo).
_BUILTIN_REGISTERS: Final = frozenset(TIC_REGISTERS[:11])
# Instances the built-in file prints, where it stops short of what the WES has.
_BUILTIN_LAST_INSTANCE: Final[dict[FeatureKind, int]] = {FeatureKind.PULSE_COUNTER: 4}
_BUILTIN_LAST_INSTANCE_BEFORE_V084: Final[dict[FeatureKind, int]] = {FeatureKind.VIRTUAL_SWITCH: 8}
_BUILTIN_LAST_INSTANCE_LEGACY: Final[dict[FeatureKind, int]] = {
    FeatureKind.TIC: 2,
    FeatureKind.PROBE: 20,
    FeatureKind.VARIABLE: 0,
}
# What our own file lacks before V0.84A10 (PPT and ei codes are V0.84A10 ones).
_OWN_LACKS_BEFORE_V084: Final[dict[FeatureKind | None, frozenset[str]]] = {
    FeatureKind.TIC: frozenset({"producer"}),
    FeatureKind.CLAMP: frozenset({"real_power"}),
}


def normalize_mac(value: str | None) -> str | None:
    """MAC as 12 lower-case hex digits (separators dropped), or None if not a MAC."""
    if not value:
        return None
    cleaned = value.replace(":", "").replace("-", "").lower()
    return cleaned if _MAC_RE.match(cleaned) else None


def host_port_id(host: str, port: int) -> str:
    """Unique id of a WES whose MAC is unknown."""
    return f"{host}:{port}"


def wes_id_from_unique_id(unique_id: str | None, host: str, port: int) -> str:
    """Stable prefix of every unique id: the entry's MAC, else ``host_port``."""
    if unique_id and _MAC_RE.match(unique_id):
        return unique_id
    return (unique_id or host_port_id(host, port)).replace(":", "_")


def scan_interval(options: Mapping[str, Any]) -> timedelta:
    """Poll interval from the options: 30 s by default, never under 10 s."""
    raw = options.get(OPT_SCAN_INTERVAL)
    try:
        seconds = float(raw) if raw is not None else DEFAULT_SCAN_INTERVAL.total_seconds()
    except (TypeError, ValueError):
        seconds = DEFAULT_SCAN_INTERVAL.total_seconds()
    return max(timedelta(seconds=seconds), MIN_SCAN_INTERVAL)


def upload_issue_id(entry_id: str) -> str:
    """Repair issue raised when uploading our data file failed (not fixable: FTP is set)."""
    return f"data_file_upload_{entry_id}"


def update_failed_key(err: WesError) -> str:
    """Translation key of a failed poll, one per cause the user can act on."""
    if isinstance(err, WesTimeoutError):
        return "timeout"
    if isinstance(err, WesConnectionError):
        return "cannot_connect"
    if isinstance(err, WesForbiddenError):
        return "forbidden"
    if isinstance(err, WesParseError):
        return "invalid_response"
    return "cannot_connect"


@functools.cache
def _builtin_file_limits(
    generation: FirmwareGeneration,
) -> tuple[dict[FeatureKind | None, frozenset[str]], dict[FeatureKind, int]]:
    """What the built-in DATA.CGX of a generation lacks, and its last instance per kind.

    Computed once per generation: every entity asks on every poll.
    """
    lacks = dict(_BUILTIN_LACKS)
    last = dict(_BUILTIN_LAST_INSTANCE)
    tables = []
    if generation is not FirmwareGeneration.V084:
        tables.append((_BUILTIN_LACKS_BEFORE_V084, _BUILTIN_LAST_INSTANCE_BEFORE_V084))
    if generation is FirmwareGeneration.LEGACY:
        tables.append((_BUILTIN_LACKS_LEGACY, _BUILTIN_LAST_INSTANCE_LEGACY))
    for more_lacks, more_last in tables:
        for kind, fields in more_lacks.items():
            lacks[kind] = lacks.get(kind, frozenset()) | fields
        last |= more_last
    return lacks, last


class WesCoordinator(DataUpdateCoordinator[WesData]):
    """Polls one WES and runs its commands, never two requests at a time."""

    config_entry: WesConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: WesConfigEntry,
        client: WesClient | None = None,
    ) -> None:
        """Build the client on Home Assistant's shared session unless one is given."""
        host: str = entry.data[CONF_HOST]
        port: int = int(entry.data.get(CONF_PORT, DEFAULT_PORT))
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"WES {host}",
            update_interval=scan_interval(entry.options),
            request_refresh_debouncer=Debouncer(
                hass, LOGGER, cooldown=COMMAND_REFRESH_COOLDOWN, immediate=True
            ),
        )
        self.client = client or WesClient(
            host,
            port,
            entry.data[CONF_USERNAME],
            entry.data[CONF_PASSWORD],
            session=async_get_clientsession(hass),
        )
        self.wes_id = wes_id_from_unique_id(entry.unique_id, host, port)
        self.expected_mac = self.wes_id if _MAC_RE.match(self.wes_id) else None
        self.features: EnabledFeatures = features_from_options(entry.options)
        self.names = WesNames()
        # Unique ids of the entities the platforms built in this setup (WesEntity adds them).
        self.created_unique_ids: set[str] = set()
        self.is_admin = False
        self.firmware_generation = FirmwareGeneration.V084
        self.data_file = BUILTIN_DATA_FILE
        # Our data file on the WES: the marker it carries and the one it should carry.
        self.data_file_installed: str | None = None
        self.data_file_expected: str | None = None
        self.device_lock = asyncio.Lock()

    @property
    def host(self) -> str:
        """Address of the WES, for links to its web interface."""
        return str(self.config_entry.data[CONF_HOST])

    @property
    def port(self) -> int:
        """HTTP port of the WES."""
        return int(self.config_entry.data.get(CONF_PORT, DEFAULT_PORT))

    @property
    def base_url(self) -> str:
        """Root of the WES web interface (``configuration_url`` of its devices)."""
        suffix = "" if self.port == DEFAULT_PORT else f":{self.port}"
        return f"http://{self.host}{suffix}"

    def _raise_translated(self, err: WesError) -> NoReturn:
        """Turn a protocol error of a poll into what the coordinator expects."""
        if isinstance(err, WesAuthError):
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        raise UpdateFailed(
            translation_domain=DOMAIN,
            translation_key=update_failed_key(err),
            translation_placeholders={"error": str(err) or type(err).__name__},
        ) from err

    def _check_identity(self, mac: str | None) -> None:
        """Refuse data from another WES answering at this address: never mix two devices."""
        seen = normalize_mac(mac)
        if self.expected_mac is not None and seen is not None and seen != self.expected_mac:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="wrong_device",
                translation_placeholders={"mac": seen.upper()},
            )

    @override
    async def _async_setup(self) -> None:
        """Learn, once per setup, what stays fixed while the entry is loaded.

        Admin rights decide whether command entities exist; the names file gives the
        user's names. Both are read before the first poll.
        """
        async with self.device_lock:
            try:
                self.is_admin = await self.client.is_admin()
            except WesError as err:
                self._raise_translated(err)
            self.names = await self._async_read_names()
        self._check_identity(self.names.mac)
        upload_requested = self._take_upload_request()
        if self.manages_data_file or not self.has_ftp_access:
            await self._async_prepare_data_file(upload_requested=upload_requested)

    async def _async_read_names(self) -> WesNames:
        """The names file, or no names when it is absent or unreadable."""
        try:
            body = await self.client.fetch(NAMES_FILE_NAME)
            return parse_names(body)
        except WesAuthError as err:
            self._raise_translated(err)
        except WesError as err:
            LOGGER.debug("No names file on %s: %s", self.host, type(err).__name__)
        return WesNames()

    @property
    def has_ftp_access(self) -> bool:
        """Whether the entry holds an FTP account for the WES."""
        return bool(self.config_entry.data.get(CONF_FTP_USERNAME))

    @property
    def manages_data_file(self) -> bool:
        """Whether the user asked us to keep our own data file on the WES."""
        return bool(self.config_entry.data.get(CONF_MANAGE_DATA_FILE)) and self.has_ftp_access

    def _take_upload_request(self) -> bool:
        """Whether the update listener asked this setup to upload the file (asked once)."""
        requests = self.hass.data.get(UPLOAD_REQUESTS)
        if requests is None or self.config_entry.entry_id not in requests:
            return False
        requests.discard(self.config_entry.entry_id)
        return True

    def data_file_changes_with(self, options: Mapping[str, Any]) -> bool:
        """Whether new options would change the file this entry keeps on the WES."""
        if self.data_file_expected is None:
            return False
        features = features_from_options(options)
        return data_file_version(features, self.firmware_generation) != self.data_file_expected

    @property
    def data_file_outdated(self) -> bool:
        """Our data file is missing or was generated for other choices or firmware."""
        return self.data_file_expected is not None and (
            self.data_file_installed != self.data_file_expected
        )

    async def _async_read(self, filename: str) -> WesData | None:
        """One data file, or None when absent or unreadable (401 still raises)."""
        try:
            return await self.client.read_data(filename)
        except WesAuthError as err:
            self._raise_translated(err)
        except WesError as err:
            LOGGER.debug("Cannot read %s on %s: %s", filename, self.host, type(err).__name__)
        return None

    async def _async_prepare_data_file(self, *, upload_requested: bool = False) -> None:
        """Use our data file when it is current; install it when allowed.

        Without FTP access the file is only looked at (a current copy is used). With it,
        the file is installed when it is missing, when the user's last change of options
        altered it, or when it is outdated and the user chose automatic updates. An
        outdated file left in place is not read: it would lack what was enabled since,
        so ``DATA.CGX`` serves until it is updated.
        """
        async with self.device_lock:
            ours = await self._async_read(DATA_FILE_NAME)
            reference = ours if ours and ours.info.firmware else None
            reference = reference or await self._async_read(BUILTIN_DATA_FILE)
        if reference is None or not supports_data_file(
            generation := firmware_generation(reference.info.firmware)
        ):
            return
        self.firmware_generation = generation
        self.data_file_installed = ours.info.data_file_version if ours else None
        self.data_file_expected = data_file_version(self.features, generation)
        missing = ours is None or self.data_file_installed is None
        install = missing or upload_requested or bool(self.config_entry.data.get(CONF_AUTO_UPDATE))
        if self.data_file_outdated and self.manages_data_file and install:
            await self.async_install_data_file(raise_on_error=False)
        if not self.data_file_outdated:
            self.data_file = DATA_FILE_NAME

    async def async_upload_data_file(self, access: Mapping[str, Any] | None = None) -> None:
        """Put our data file for the current choices and firmware on the WES by FTP.

        ``access`` holds the FTP keys of the entry data (the entry's own by default); the
        repair flow passes the account it is about to store. Raises ``WesError``.
        """
        data = self.config_entry.data if access is None else access
        generation = self.firmware_generation
        content = generate_data_file(self.features, generation).encode("latin-1")
        async with self.device_lock:
            await ftp.upload_file(
                self.host,
                int(data.get(CONF_FTP_PORT, DEFAULT_FTP_PORT)),
                data.get(CONF_FTP_USERNAME, DEFAULT_FTP_USERNAME),
                data.get(CONF_FTP_PASSWORD, DEFAULT_FTP_PASSWORD),
                DATA_FILE_NAME,
                content,
            )
        self.data_file_installed = data_file_version(self.features, generation)
        self.data_file_expected = self.data_file_installed
        self.data_file = DATA_FILE_NAME

    async def async_install_data_file(self, *, raise_on_error: bool = True) -> None:
        """Upload our data file with the entry's FTP access.

        A failure opens a repair issue (and raises a translated error when asked); a
        success closes it.
        """
        issue_id = upload_issue_id(self.config_entry.entry_id)
        try:
            await self.async_upload_data_file()
        except WesError as err:
            reason = str(err) or type(err).__name__
            LOGGER.warning("Could not upload %s to %s: %s", DATA_FILE_NAME, self.host, reason)
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                issue_id,
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="data_file_upload_failed",
                translation_placeholders={"host": self.host, "error": reason},
            )
            if raise_on_error:
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="data_file_upload_failed",
                    translation_placeholders={"error": reason},
                ) from err
            return
        ir.async_delete_issue(self.hass, DOMAIN, issue_id)

    @override
    async def _async_update_data(self) -> WesData:
        """One request: read the data file, check it comes from our WES."""
        async with self.device_lock:
            try:
                data = await self._async_read_polled()
            except WesError as err:
                self._raise_translated(err)
        self._check_identity(data.info.mac)
        if data.info.firmware:
            self.firmware_generation = firmware_generation(data.info.firmware)
        if data.layout is DataLayout.WESCONTROL:
            self._note_installed(data.info.data_file_version)
        return data

    async def _async_read_polled(self) -> WesData:
        """The file in use; when our file vanished from the WES, ``DATA.CGX`` at once."""
        try:
            return await self.client.read_data(self.data_file)
        except WesResponseError as err:
            if self.data_file == BUILTIN_DATA_FILE or err.status != _HTTP_NOT_FOUND:
                raise
        LOGGER.info("%s is gone from %s; reading %s", DATA_FILE_NAME, self.host, BUILTIN_DATA_FILE)
        self.data_file = BUILTIN_DATA_FILE
        self.data_file_installed = None
        return await self.client.read_data(BUILTIN_DATA_FILE)

    def _note_installed(self, marker: str | None) -> None:
        """Follow the marker our file printed; an outdated copy is not read any more.

        Someone may have replaced the file on the WES: from the next poll ``DATA.CGX``
        serves, and the update entity (or the repair issue) offers the current file.
        """
        self.data_file_installed = marker
        if self.data_file_outdated and self.data_file == DATA_FILE_NAME:
            LOGGER.info(
                "%s on %s is outdated (%s); reading %s until it is updated",
                DATA_FILE_NAME,
                self.host,
                marker,
                BUILTIN_DATA_FILE,
            )
            self.data_file = BUILTIN_DATA_FILE

    # ----- what the file being read can print -------------------------------------------

    @property
    def reads_own_data_file(self) -> bool:
        """Whether the last data came from our file (else the WES's own ``DATA.CGX``)."""
        return self.data is not None and self.data.layout is DataLayout.WESCONTROL

    def carries(self, kind: FeatureKind | None, field: str | None = None, number: int = 0) -> bool:
        """Whether the file being read prints this value at all.

        ``kind`` is the instance's kind (None: the WES itself), ``field`` the attribute of
        the model object the entity reads (``Clamp.real_power``, ``WesInfo.free_space``,
        ``WesData.mains_voltage``) or a TIC register name (``hchc``), ``number`` the
        instance. False means no value can come until our file is installed: the entity
        is unavailable rather than unknown.
        """
        generation = self.firmware_generation
        if self.reads_own_data_file and supports_data_file(generation):
            if field in TIC_REGISTERS:
                return field in tic_registers("auto", generation)
            return not (
                generation is not FirmwareGeneration.V084
                and field in _OWN_LACKS_BEFORE_V084.get(kind, frozenset())
            )
        lacks, last = _builtin_file_limits(generation)
        if kind is not None and number > last.get(kind, number):
            return False
        if field in TIC_REGISTERS:
            return field in _BUILTIN_REGISTERS
        return field not in lacks.get(kind, frozenset())

    async def async_run_command(self, command: Callable[[], Awaitable[None]]) -> None:
        """Send one command after any poll in flight, then refresh once.

        Raises a translated ``HomeAssistantError`` when the WES refuses or cannot be
        reached; a 401 also starts re-authentication.
        """
        async with self.device_lock:
            try:
                await command()
            except WesForbiddenError as err:
                raise HomeAssistantError(
                    translation_domain=DOMAIN, translation_key="command_forbidden"
                ) from err
            except WesAuthError as err:
                self.config_entry.async_start_reauth(self.hass)
                raise HomeAssistantError(
                    translation_domain=DOMAIN, translation_key="command_auth_failed"
                ) from err
            except WesError as err:
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="command_failed",
                    translation_placeholders={"error": str(err) or type(err).__name__},
                ) from err
        await self.async_request_refresh()
