"""Repair issue and fix flow: give the integration FTP access to install its data file.

When the issue is raised: the entry has no FTP access, the WES's firmware supports our data
file, and the copy on the WES is missing or outdated. Without FTP the built-in ``DATA.CGX``
keeps serving every value it has; the issue says what the user gains and lets them enter the
FTP account in place. It is offered to every such entry, once: a user who ignores it is not
asked again, because a dismissed issue is kept (dismissed) when the entry unloads or reloads
and the registry restores it so after a restart. It is deleted when it no longer applies
(FTP given, or our file current on the WES) and when the entry is removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import voluptuous as vol
from homeassistant.components.repairs import RepairsFlow
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .const import (
    CONF_AUTO_UPDATE,
    CONF_FTP_PASSWORD,
    CONF_FTP_PORT,
    CONF_FTP_USERNAME,
    CONF_MANAGE_DATA_FILE,
    DEFAULT_FTP_PASSWORD,
    DEFAULT_FTP_PORT,
    DEFAULT_FTP_USERNAME,
    DOMAIN,
)
from .coordinator import upload_issue_id
from .wes import ftp
from .wes.errors import WesError, WesFtpAuthError

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.data_entry_flow import FlowResult

    from .coordinator import WesCoordinator

NEEDS_FTP_KEY: Final = "data_file_needs_ftp"
ENTRY_ID: Final = "entry_id"

_SCHEMA: Final = vol.Schema(
    {
        vol.Required(CONF_FTP_USERNAME, default=DEFAULT_FTP_USERNAME): TextSelector(),
        vol.Required(CONF_FTP_PASSWORD, default=DEFAULT_FTP_PASSWORD): TextSelector(
            TextSelectorConfig(type=TextSelectorType.PASSWORD)
        ),
        vol.Required(CONF_FTP_PORT, default=DEFAULT_FTP_PORT): NumberSelector(
            NumberSelectorConfig(min=1, max=65535, step=1, mode=NumberSelectorMode.BOX)
        ),
    }
)


def needs_ftp_issue_id(entry_id: str) -> str:
    """The issue of one entry (one per WES)."""
    return f"{NEEDS_FTP_KEY}_{entry_id}"


@callback
def async_update_needs_ftp_issue(hass: HomeAssistant, coordinator: WesCoordinator) -> None:
    """Raise or clear the issue after setup and after each poll.

    Nothing changes while the state of the file is unknown (firmware not read), so a
    transient failure never drops a dismissal.
    """
    entry = coordinator.config_entry
    issue_id = needs_ftp_issue_id(entry.entry_id)
    if coordinator.has_ftp_access or (
        coordinator.data_file_expected is not None and not coordinator.data_file_outdated
    ):
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    if not coordinator.data_file_outdated:
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=True,
        is_persistent=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=NEEDS_FTP_KEY,
        translation_placeholders={"host": coordinator.host},
        data={ENTRY_ID: entry.entry_id},
    )


@callback
def async_remove_data_file_issues(
    hass: HomeAssistant, entry_id: str, *, keep_dismissed: bool
) -> None:
    """Drop the entry's data-file issues; on unload, those the user ignored stay ignored."""
    registry = ir.async_get(hass)
    for issue_id in (needs_ftp_issue_id(entry_id), upload_issue_id(entry_id)):
        issue = registry.async_get_issue(DOMAIN, issue_id)
        if issue is None or (keep_dismissed and issue.dismissed_version is not None):
            continue
        registry.async_delete(DOMAIN, issue_id)


class DataFileFtpFlow(RepairsFlow):
    """Ask for the FTP account, check it, install the data file, store the account."""

    def __init__(self, entry_id: str) -> None:
        """Remember which entry the issue belongs to."""
        self._entry_id = entry_id

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> FlowResult:
        """Entry point: the repairs manager passes the issue id here, not a form."""
        del user_input
        return await self.async_step_ftp()

    async def async_step_ftp(self, user_input: dict[str, Any] | None = None) -> FlowResult:
        """The FTP account, with the WES's factory account as default.

        The file is uploaded before the account is stored: the reload the update
        listener then runs finds it current and reads it from the first poll.
        """
        entry = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="not_loaded")
        coordinator: WesCoordinator = entry.runtime_data
        errors: dict[str, str] = {}
        suggested: dict[str, Any] = {}
        if user_input is not None:
            username = str(user_input[CONF_FTP_USERNAME])
            password = str(user_input[CONF_FTP_PASSWORD])
            port = int(user_input[CONF_FTP_PORT])
            access = {
                CONF_FTP_USERNAME: username,
                CONF_FTP_PASSWORD: password,
                CONF_FTP_PORT: port,
            }
            try:
                await ftp.check_login(coordinator.host, port, username, password)
                await coordinator.async_upload_data_file(access)
            except WesFtpAuthError:
                errors["base"] = "invalid_ftp_auth"
            except WesError:
                errors["base"] = "ftp_cannot_connect"
            else:
                data = {
                    **entry.data,
                    **access,
                    CONF_MANAGE_DATA_FILE: True,
                    CONF_AUTO_UPDATE: entry.data.get(CONF_AUTO_UPDATE, True),
                }
                self.hass.config_entries.async_update_entry(entry, data=data)
                return self.async_create_entry(data={})
            suggested = {CONF_FTP_USERNAME: username, CONF_FTP_PORT: port}
        return self.async_show_form(
            step_id="ftp",
            data_schema=self.add_suggested_values_to_schema(_SCHEMA, suggested),
            errors=errors,
            description_placeholders={"host": coordinator.host},
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix flow of a ``data_file_needs_ftp`` issue (the only fixable one)."""
    del hass, issue_id  # the entry id travels in the issue data
    return DataFileFtpFlow(str((data or {}).get(ENTRY_ID, "")))
