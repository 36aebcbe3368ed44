"""The coordinator: one request per poll to the WES, and commands that wait their turn.

The WES has a small TCP stack, so every exchange goes through one lock: a poll and a
command never overlap, and a command is followed by one refresh so its effect shows.
Failures are raised as translated ``UpdateFailed``; Home Assistant's coordinator logs the
first one and the recovery, and nothing here adds to that.
"""

from __future__ import annotations

import asyncio
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
)
from .wes.client import WesClient
from .wes.errors import (
    WesAuthError,
    WesConnectionError,
    WesError,
    WesForbiddenError,
    WesParseError,
    WesTimeoutError,
)
from .wes.models import FirmwareGeneration, WesData, WesNames, firmware_generation
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
        if self.manages_data_file:
            await self._async_prepare_data_file()

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
    def manages_data_file(self) -> bool:
        """Whether the user asked us to keep our own data file on the WES."""
        data = self.config_entry.data
        return bool(data.get(CONF_MANAGE_DATA_FILE)) and bool(data.get(CONF_FTP_USERNAME))

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

    async def _async_prepare_data_file(self) -> None:
        """Use our data file when it is current; install it when allowed.

        The file is installed when it is missing, or when it is outdated and the user
        chose automatic updates. An outdated file left in place is not read: it would
        lack what was enabled since, so ``DATA.CGX`` serves until it is updated.
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
        if self.data_file_outdated and (missing or self.config_entry.data.get(CONF_AUTO_UPDATE)):
            await self.async_install_data_file(raise_on_error=False)
        if not self.data_file_outdated:
            self.data_file = DATA_FILE_NAME

    async def async_install_data_file(self, *, raise_on_error: bool = True) -> None:
        """Upload our data file for the current choices and firmware by FTP.

        A failure opens a repair issue (and raises a translated error when asked); a
        success closes it.
        """
        data = self.config_entry.data
        generation = self.firmware_generation
        content = generate_data_file(self.features, generation).encode("latin-1")
        issue_id = f"data_file_upload_{self.config_entry.entry_id}"
        try:
            async with self.device_lock:
                await ftp.upload_file(
                    self.host,
                    int(data.get(CONF_FTP_PORT, DEFAULT_FTP_PORT)),
                    data.get(CONF_FTP_USERNAME, DEFAULT_FTP_USERNAME),
                    data.get(CONF_FTP_PASSWORD, DEFAULT_FTP_PASSWORD),
                    DATA_FILE_NAME,
                    content,
                )
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
        self.data_file_installed = data_file_version(self.features, generation)
        self.data_file_expected = self.data_file_installed
        self.data_file = DATA_FILE_NAME

    @override
    async def _async_update_data(self) -> WesData:
        """One request: read the data file, check it comes from our WES."""
        async with self.device_lock:
            try:
                data = await self.client.read_data(self.data_file)
            except WesError as err:
                self._raise_translated(err)
        self._check_identity(data.info.mac)
        if data.info.firmware:
            self.firmware_generation = firmware_generation(data.info.firmware)
        return data

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
