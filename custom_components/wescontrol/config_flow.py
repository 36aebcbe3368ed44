"""Config, options, re-authentication and reconfiguration flows for a WES.

Setup is three steps: the web access (checked by reading ``DATA.CGX``), the optional FTP
access (checked by a real login; it lets us put our names file and data file on the WES),
then the hardware flags and the instances to follow, pre-selected from what the WES reports
as wired. The options flow is a menu over the same choices plus per-instance parameters and
the poll interval. Reauth and reconfigure update the entry; the entry's update listener
reloads it (no reload helpers here: see ha-notes §4 rows 8-9).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .catalog import (
    CATALOG,
    KINDS_WITH_OPTIONS,
    enabled_instances,
    features_to_option,
    instance_names,
    preselect,
)
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
    DEFAULT_USERNAME,
    DOMAIN,
    MIN_SCAN_INTERVAL,
    OPT_FEATURES,
    OPT_MAINS_VOLTAGE,
    OPT_SCAN_INTERVAL,
    OPT_SCREEN,
)
from .coordinator import host_port_id, normalize_mac
from .wes import ftp
from .wes.cgx import supports_data_file
from .wes.client import WesClient
from .wes.errors import (
    WesAuthError,
    WesError,
    WesForbiddenError,
    WesFtpAuthError,
    WesFtpError,
    WesParseError,
    WesResponseError,
)
from .wes.features import FeatureKind
from .wes.models import WesData, WesNames, firmware_generation
from .wes.names import NAMES_FILE_NAME, generate_names_file, parse_names

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .coordinator import WesConfigEntry

LOGGER: Final = logging.getLogger(__package__)

CONF_USE_FTP: Final = "use_ftp"  # flow-only: whether the FTP fields are to be used
SECTION_HARDWARE: Final = "hardware"
HTTP_NOT_FOUND: Final = 404
MAX_SCAN_INTERVAL: Final = 3600

PASSWORD_SELECTOR: Final = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
PORT_SELECTOR: Final = NumberSelector(
    NumberSelectorConfig(min=1, max=65535, step=1, mode=NumberSelectorMode.BOX)
)


def _user_schema() -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_HOST): TextSelector(),
            vol.Required(CONF_PORT, default=DEFAULT_PORT): PORT_SELECTOR,
            vol.Required(CONF_USERNAME, default=DEFAULT_USERNAME): TextSelector(),
            vol.Required(CONF_PASSWORD): PASSWORD_SELECTOR,
        }
    )


def _ftp_schema() -> vol.Schema:
    return vol.Schema(
        {
            vol.Required(CONF_USE_FTP, default=True): BooleanSelector(),
            vol.Optional(CONF_FTP_USERNAME, default=DEFAULT_FTP_USERNAME): TextSelector(),
            vol.Optional(CONF_FTP_PASSWORD, default=DEFAULT_FTP_PASSWORD): PASSWORD_SELECTOR,
            vol.Optional(CONF_FTP_PORT, default=DEFAULT_FTP_PORT): PORT_SELECTOR,
            vol.Required(CONF_MANAGE_DATA_FILE, default=True): BooleanSelector(),
            vol.Required(CONF_AUTO_UPDATE, default=True): BooleanSelector(),
        }
    )


def _hardware_fields(*, screen: bool, mains_voltage: bool) -> dict[vol.Marker, Any]:
    return {
        vol.Required(OPT_SCREEN, default=screen): BooleanSelector(),
        vol.Required(OPT_MAINS_VOLTAGE, default=mains_voltage): BooleanSelector(),
    }


def _instance_label(kind: FeatureKind, number: int, names: WesNames) -> str:
    name = instance_names(names, kind).get(number, "").strip()
    return f"{number} · {name}" if name else str(number)


def _kind_fields(
    selected: Mapping[FeatureKind, Mapping[int, Any]], names: WesNames
) -> dict[vol.Marker, Any]:
    """One multi-select per kind listing its instances, the enabled ones ticked."""
    fields: dict[vol.Marker, Any] = {}
    for kind, spec in CATALOG.items():
        options = [
            SelectOptionDict(value=str(n), label=_instance_label(kind, n, names))
            for n in range(1, spec.count + 1)
        ]
        default = [str(n) for n in sorted(selected.get(kind, {}))]
        fields[vol.Optional(kind.value, default=default)] = SelectSelector(
            SelectSelectorConfig(options=options, multiple=True, mode=SelectSelectorMode.DROPDOWN)
        )
    return fields


def _apply_selection(
    user_input: Mapping[str, Any],
    previous: Mapping[FeatureKind, Mapping[int, Mapping[str, str]]],
) -> dict[FeatureKind, dict[int, dict[str, str]]]:
    """Instances ticked in a form: kept ones keep their options, new ones get defaults."""
    result: dict[FeatureKind, dict[int, dict[str, str]]] = {}
    for kind, spec in CATALOG.items():
        numbers = sorted({int(value) for value in user_input.get(kind.value, [])})
        chosen = {
            number: dict(previous.get(kind, {}).get(number) or spec.default_options())
            for number in numbers
            if 1 <= number <= spec.count
        }
        if chosen:
            result[kind] = chosen
    return result


def _connection_error(err: Exception) -> str:
    """The form error for a failed first read of the WES."""
    if isinstance(err, WesAuthError | WesForbiddenError):
        return "invalid_auth"
    if isinstance(err, WesParseError):
        return "not_a_wes"
    if isinstance(err, WesResponseError) and err.status == HTTP_NOT_FOUND:
        return "not_a_wes"
    if isinstance(err, WesError):
        return "cannot_connect"
    LOGGER.exception("Unexpected error while checking the WES")
    return "unknown"


@dataclass(slots=True)
class _Probe:
    """What one successful check of the web access taught us."""

    data: WesData
    is_admin: bool
    names: WesNames = field(default_factory=WesNames)

    @property
    def mac(self) -> str | None:
        return normalize_mac(self.names.mac) or normalize_mac(self.data.info.mac)


def _clean_connection(user_input: Mapping[str, Any]) -> dict[str, Any]:
    return {
        CONF_HOST: str(user_input[CONF_HOST]).strip(),
        CONF_PORT: int(user_input[CONF_PORT]),
        CONF_USERNAME: user_input[CONF_USERNAME],
        CONF_PASSWORD: user_input[CONF_PASSWORD],
    }


class WesConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a WES: web access, optional FTP access, then what to follow."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with nothing known about the WES."""
        self._connection: dict[str, Any] = {}
        self._ftp: dict[str, Any] = {}
        self._probe: _Probe | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: WesConfigEntry) -> WesOptionsFlow:  # noqa: ARG004
        """Options are a menu over features, parameters, hardware and polling."""
        return WesOptionsFlow()

    def _client(self, data: Mapping[str, Any]) -> WesClient:
        return WesClient(
            data[CONF_HOST],
            int(data[CONF_PORT]),
            data[CONF_USERNAME],
            data[CONF_PASSWORD],
            session=async_get_clientsession(self.hass),
        )

    async def _async_probe(self, data: Mapping[str, Any], *, admin: bool = True) -> _Probe:
        """Read ``DATA.CGX`` (and the names file when present): raises on failure."""
        client = self._client(data)
        wes_data = await client.read_data(BUILTIN_DATA_FILE)
        is_admin = await client.is_admin() if admin else False
        return _Probe(wes_data, is_admin, await self._async_read_names(client))

    async def _async_read_names(self, client: WesClient) -> WesNames:
        try:
            return parse_names(await client.fetch(NAMES_FILE_NAME))
        except WesError:
            return WesNames()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for the web access and check it by reading the WES once."""
        errors: dict[str, str] = {}
        if user_input is not None:
            connection = _clean_connection(user_input)
            self._async_abort_entries_match(
                {CONF_HOST: connection[CONF_HOST], CONF_PORT: connection[CONF_PORT]}
            )
            try:
                probe = await self._async_probe(connection)
            except Exception as err:  # noqa: BLE001 (every failure becomes a form error)
                errors["base"] = _connection_error(err)
            else:
                self._connection, self._probe = connection, probe
                await self._async_set_identity()
                return await self.async_step_ftp()
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(_user_schema(), user_input or {}),
            errors=errors,
        )

    async def _async_set_identity(self) -> None:
        """Unique id: the MAC when the WES told it, else its address; abort duplicates."""
        assert self._probe is not None  # noqa: S101 (set by the user step)
        mac = self._probe.mac
        unique_id = mac or host_port_id(self._connection[CONF_HOST], self._connection[CONF_PORT])
        await self.async_set_unique_id(unique_id, raise_on_progress=False)
        self._abort_if_unique_id_configured()

    async def async_step_ftp(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Optional FTP access: checked by a real login, then used to learn the MAC."""
        assert self._probe is not None  # noqa: S101 (set by the user step)
        errors: dict[str, str] = {}
        if user_input is not None:
            if not user_input.get(CONF_USE_FTP):
                self._ftp = {}
                return await self.async_step_features()
            ftp_data = {
                CONF_FTP_USERNAME: user_input.get(CONF_FTP_USERNAME, ""),
                CONF_FTP_PASSWORD: user_input.get(CONF_FTP_PASSWORD, ""),
                CONF_FTP_PORT: int(user_input.get(CONF_FTP_PORT, DEFAULT_FTP_PORT)),
            }
            try:
                await self._async_install_names(ftp_data)
            except WesFtpAuthError:
                errors["base"] = "invalid_ftp_auth"
            except WesFtpError:
                errors["base"] = "ftp_cannot_connect"
            else:
                generation = firmware_generation(self._probe.data.info.firmware)
                manage = bool(user_input.get(CONF_MANAGE_DATA_FILE)) and supports_data_file(
                    generation
                )
                self._ftp = ftp_data | {
                    CONF_MANAGE_DATA_FILE: manage,
                    CONF_AUTO_UPDATE: manage and bool(user_input.get(CONF_AUTO_UPDATE)),
                }
                await self._async_set_identity()
                return await self.async_step_features()
        step_id = "ftp" if self._probe.is_admin else "ftp_read_only"
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(_ftp_schema(), user_input or {}),
            errors=errors,
        )

    async_step_ftp_read_only = async_step_ftp

    async def _async_install_names(self, ftp_data: Mapping[str, Any]) -> None:
        """Log in, put our names file on the WES and read it back over HTTP."""
        assert self._probe is not None  # noqa: S101 (set by the user step)
        host = self._connection[CONF_HOST]
        await ftp.upload_file(
            host,
            ftp_data[CONF_FTP_PORT],
            ftp_data[CONF_FTP_USERNAME],
            ftp_data[CONF_FTP_PASSWORD],
            NAMES_FILE_NAME,
            generate_names_file().encode("ascii"),
        )
        names = await self._async_read_names(self._client(self._connection))
        if names.mac:  # else the read-back failed: keep what the user step learnt
            self._probe.names = names

    async def async_step_features(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Hardware flags and the instances to follow, pre-selected from the first read."""
        assert self._probe is not None  # noqa: S101 (set by the user step)
        guess = preselect(self._probe.data)
        guessed = enabled_instances(guess)
        if user_input is not None:
            hardware = user_input.get(SECTION_HARDWARE, {})
            options = {
                OPT_FEATURES: features_to_option(_apply_selection(user_input, guessed)),
                OPT_SCREEN: bool(hardware.get(OPT_SCREEN, False)),
                OPT_MAINS_VOLTAGE: bool(hardware.get(OPT_MAINS_VOLTAGE, False)),
                OPT_SCAN_INTERVAL: int(DEFAULT_SCAN_INTERVAL.total_seconds()),
            }
            return self.async_create_entry(
                title=f"WES {self._connection[CONF_HOST]}",
                data=self._connection | self._ftp,
                options=options,
            )
        schema = vol.Schema(
            {
                vol.Required(SECTION_HARDWARE): section(
                    vol.Schema(
                        _hardware_fields(
                            screen=guess[OPT_SCREEN], mains_voltage=guess[OPT_MAINS_VOLTAGE]
                        )
                    ),
                    {"collapsed": False},
                ),
                **_kind_fields(guessed, self._probe.names),
            }
        )
        return self.async_show_form(step_id="features", data_schema=schema)

    # ----- re-authentication --------------------------------------------------------------

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The WES refused the stored credentials (HTTP 401)."""
        del entry_data  # the entry is read when the user confirms
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the account again and check it before storing it."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = dict(entry.data) | {
                CONF_USERNAME: user_input[CONF_USERNAME],
                CONF_PASSWORD: user_input[CONF_PASSWORD],
            }
            try:
                await self._async_probe(data, admin=False)
            except Exception as err:  # noqa: BLE001 (every failure becomes a form error)
                errors["base"] = _connection_error(err)
            else:
                return self._async_store(entry, data, "reauth_successful")
        suggested = user_input or {CONF_USERNAME: entry.data[CONF_USERNAME]}
        schema = vol.Schema(
            {
                vol.Required(CONF_USERNAME): TextSelector(),
                vol.Required(CONF_PASSWORD): PASSWORD_SELECTOR,
            }
        )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
            description_placeholders={CONF_HOST: entry.data[CONF_HOST]},
        )

    def _async_store(
        self, entry: WesConfigEntry, data: dict[str, Any], reason: str
    ) -> ConfigFlowResult:
        """Save new entry data; the update listener reloads a loaded entry.

        The listener only fires when something changed, and an entry that failed to set
        up has none; in both cases (a reauth that confirms the same password after a 401
        stopped the polls) the entry is reloaded here instead.
        """
        loaded = entry.state is ConfigEntryState.LOADED  # the listener may start at once
        changed = self.hass.config_entries.async_update_entry(entry, data=data)
        if not loaded or not changed:
            self.hass.config_entries.async_schedule_reload(entry.entry_id)
        return self.async_abort(reason=reason)

    # ----- reconfiguration ----------------------------------------------------------------

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change address or accounts of a configured WES (never swap it for another).

        When the entry has FTP access, its account is part of the form, checked by a
        login that also refreshes our names file, whose MAC tells whether the WES at the
        new address is still this one.
        """
        entry = self._get_reconfigure_entry()
        uses_ftp = bool(entry.data.get(CONF_FTP_USERNAME))
        schema = _reconfigure_schema(uses_ftp=uses_ftp)
        errors: dict[str, str] = {}
        if user_input is not None:
            connection = _clean_connection(user_input)
            if any(
                other.entry_id != entry.entry_id
                and other.data.get(CONF_HOST) == connection[CONF_HOST]
                and other.data.get(CONF_PORT) == connection[CONF_PORT]
                for other in self._async_current_entries(include_ignore=False)
            ):
                return self.async_abort(reason="already_configured")
            ftp_data = (
                {
                    CONF_FTP_USERNAME: user_input[CONF_FTP_USERNAME],
                    CONF_FTP_PASSWORD: user_input[CONF_FTP_PASSWORD],
                    CONF_FTP_PORT: int(user_input[CONF_FTP_PORT]),
                }
                if uses_ftp
                else {}
            )
            try:
                self._probe = await self._async_probe(connection, admin=False)
                self._connection = connection
                if ftp_data:
                    await self._async_install_names(ftp_data)
            except WesFtpAuthError:
                errors["base"] = "invalid_ftp_auth"
            except WesFtpError:
                errors["base"] = "ftp_cannot_connect"
            except Exception as err:  # noqa: BLE001 (every failure becomes a form error)
                errors["base"] = _connection_error(err)
            else:
                expected = normalize_mac(entry.unique_id)
                mac = self._probe.mac
                if expected is not None and mac is not None and mac != expected:
                    return self.async_abort(reason="wrong_device")
                data = dict(entry.data) | connection | ftp_data
                return self._async_store(entry, data, "reconfigure_successful")
        suggested = user_input or {CONF_FTP_PORT: DEFAULT_FTP_PORT} | {
            str(key): entry.data[str(key)] for key in schema.schema if str(key) in entry.data
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
        )


def _reconfigure_schema(*, uses_ftp: bool) -> vol.Schema:
    schema = _user_schema()
    if not uses_ftp:
        return schema
    return schema.extend(
        {
            vol.Required(CONF_FTP_USERNAME): TextSelector(),
            vol.Required(CONF_FTP_PASSWORD): PASSWORD_SELECTOR,
            vol.Required(CONF_FTP_PORT): PORT_SELECTOR,
        }
    )


class WesOptionsFlow(OptionsFlow):
    """A menu: instances, their parameters, hardware flags, polling; then save."""

    def __init__(self) -> None:
        """Edits are collected here and stored together by "save"."""
        self._options: dict[str, Any] | None = None
        self._instance: tuple[FeatureKind, int] | None = None

    @property
    def _current(self) -> dict[str, Any]:
        if self._options is None:
            self._options = dict(self.config_entry.options)
        return self._options

    @property
    def _instances(self) -> dict[FeatureKind, dict[int, dict[str, str]]]:
        return enabled_instances(self._current)

    @property
    def _names(self) -> WesNames:
        entry = self.config_entry
        if entry.state is ConfigEntryState.LOADED:
            names: WesNames = entry.runtime_data.names
            return names
        return WesNames()

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The menu: one entry per kind that has enabled instances with parameters."""
        del user_input
        instances = self._instances
        parameters = [kind.value for kind in KINDS_WITH_OPTIONS if instances.get(kind)]
        menu = ["features", *parameters, "hardware", "polling", "save"]
        return self.async_show_menu(step_id="init", menu_options=menu)

    async def async_step_features(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Turn instances on and off, per kind."""
        if user_input is not None:
            chosen = _apply_selection(user_input, self._instances)
            self._current[OPT_FEATURES] = features_to_option(chosen)
            return await self.async_step_init()
        schema = vol.Schema(_kind_fields(self._instances, self._names))
        return self.async_show_form(step_id="features", data_schema=schema)

    async def async_step_tic(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Pick the TIC whose tariff and measure to change."""
        return await self._async_pick_instance(FeatureKind.TIC, user_input)

    async def async_step_clamp(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Pick the clamp whose measure and size to change."""
        return await self._async_pick_instance(FeatureKind.CLAMP, user_input)

    async def async_step_pulse_counter(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the pulse counter whose meter type and measure to change."""
        return await self._async_pick_instance(FeatureKind.PULSE_COUNTER, user_input)

    async def async_step_probe(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Pick the 1-Wire probe whose kind to change."""
        return await self._async_pick_instance(FeatureKind.PROBE, user_input)

    async def async_step_onewire_card(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the 1-Wire relay card whose relay count to change."""
        return await self._async_pick_instance(FeatureKind.ONEWIRE_CARD, user_input)

    async def _async_pick_instance(
        self, kind: FeatureKind, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        if user_input is not None:
            self._instance = (kind, int(user_input["instance"]))
            return await self.async_step_instance()
        options = [
            SelectOptionDict(value=str(number), label=_instance_label(kind, number, self._names))
            for number in self._instances.get(kind, {})
        ]
        schema = vol.Schema(
            {
                vol.Required("instance", default=options[0]["value"]): SelectSelector(
                    SelectSelectorConfig(options=options, mode=SelectSelectorMode.DROPDOWN)
                )
            }
        )
        return self.async_show_form(step_id=kind.value, data_schema=schema)

    async def async_step_instance(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The parameters of one instance (tariff, measure, clamp or meter type, ...)."""
        assert self._instance is not None  # noqa: S101 (set when the instance was picked)
        kind, number = self._instance
        spec = CATALOG[kind]
        instances = self._instances
        current = instances.get(kind, {}).get(number) or spec.default_options()
        if user_input is not None:
            instances.setdefault(kind, {})[number] = {
                option.key: user_input.get(option.key, current[option.key])
                for option in spec.options
            }
            self._current[OPT_FEATURES] = features_to_option(instances)
            return await self.async_step_init()
        schema = vol.Schema(
            {
                vol.Required(option.key, default=current[option.key]): SelectSelector(
                    SelectSelectorConfig(
                        options=list(option.choices),
                        translation_key=option.key,
                        mode=SelectSelectorMode.DROPDOWN,
                    )
                )
                for option in spec.options
            }
        )
        return self.async_show_form(
            step_id="instance",
            data_schema=schema,
            description_placeholders={"instance": _instance_label(kind, number, self._names)},
        )

    async def async_step_hardware(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The optional screen and 9 V supply."""
        if user_input is not None:
            self._current[OPT_SCREEN] = bool(user_input[OPT_SCREEN])
            self._current[OPT_MAINS_VOLTAGE] = bool(user_input[OPT_MAINS_VOLTAGE])
            return await self.async_step_init()
        schema = vol.Schema(
            _hardware_fields(
                screen=bool(self._current.get(OPT_SCREEN, False)),
                mains_voltage=bool(self._current.get(OPT_MAINS_VOLTAGE, False)),
            )
        )
        return self.async_show_form(step_id="hardware", data_schema=schema)

    async def async_step_polling(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """How often the WES is read."""
        if user_input is not None:
            self._current[OPT_SCAN_INTERVAL] = int(user_input[OPT_SCAN_INTERVAL])
            return await self.async_step_init()
        current = self._current.get(OPT_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL.total_seconds())
        schema = vol.Schema(
            {
                vol.Required(OPT_SCAN_INTERVAL, default=int(current)): NumberSelector(
                    NumberSelectorConfig(
                        min=int(MIN_SCAN_INTERVAL.total_seconds()),
                        max=MAX_SCAN_INTERVAL,
                        step=1,
                        mode=NumberSelectorMode.BOX,
                        unit_of_measurement="s",
                    )
                )
            }
        )
        return self.async_show_form(step_id="polling", data_schema=schema)

    async def async_step_save(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Store the options; the entry reloads through its update listener."""
        del user_input
        return self.async_create_entry(data=self._current)
