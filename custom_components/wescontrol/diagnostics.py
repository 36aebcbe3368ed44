"""Diagnostics: what a user attaches to a bug report, with every secret taken out.

It says how the entry is set up, what the WES is (firmware, generation, admin rights),
which data file is polled and in which version, how the last polls went, and the last
parsed data. Passwords, accounts, the address, the MAC and the meters' serial numbers
(ADCO) are redacted: the report must be safe to paste in a public issue.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any, Final

from homeassistant.components.diagnostics import REDACTED, async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME

from .const import CONF_FTP_PASSWORD, CONF_FTP_USERNAME

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .coordinator import WesConfigEntry, WesCoordinator

# Keys of the entry data that identify or unlock the WES.
ENTRY_TO_REDACT: Final = frozenset(
    {CONF_HOST, CONF_USERNAME, CONF_PASSWORD, CONF_FTP_USERNAME, CONF_FTP_PASSWORD}
)
# Fields of the parsed data that identify the WES or a meter (dataclass field names).
DATA_TO_REDACT: Final = frozenset({"mac", "adco"})


def as_plain(value: object) -> Any:
    """A JSON-ready copy of parsed data: dataclasses and dicts become str-keyed dicts."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): as_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_plain(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _health(coordinator: WesCoordinator) -> dict[str, Any]:
    """How polling goes; the exception's class only (its text may hold the address)."""
    error = coordinator.last_exception
    interval = coordinator.update_interval
    return {
        "last_update_success": coordinator.last_update_success,
        "last_exception": type(error).__name__ if error is not None else None,
        "last_exception_translation_key": getattr(error, "translation_key", None),
        "update_interval_seconds": interval.total_seconds() if interval else None,
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: WesConfigEntry
) -> dict[str, Any]:
    """Entry setup, WES identity, data file, poll health and the last parsed data."""
    del hass  # everything needed hangs off the entry
    coordinator = entry.runtime_data
    data = coordinator.data
    info = data.info if data is not None else None
    return {
        "entry": {
            "title": entry.title,
            "version": entry.version,
            "minor_version": entry.minor_version,
            "source": entry.source,
            "unique_id": REDACTED if entry.unique_id else None,
            "data": async_redact_data(dict(entry.data), ENTRY_TO_REDACT),
            "options": as_plain(dict(entry.options)),
        },
        "wes": {
            "firmware": info.firmware if info else None,
            "hardware": info.hardware if info else None,
            "firmware_generation": coordinator.firmware_generation.value,
            "layout": data.layout.value if data is not None else None,
            "is_admin": coordinator.is_admin,
            "identified_by_mac": coordinator.expected_mac is not None,
        },
        "data_file": {
            "polled": coordinator.data_file,
            "managed": coordinator.manages_data_file,
            "installed_version": coordinator.data_file_installed,
            "expected_version": coordinator.data_file_expected,
            "outdated": coordinator.data_file_outdated,
        },
        "health": _health(coordinator),
        "names": async_redact_data(as_plain(coordinator.names), DATA_TO_REDACT),
        "data": async_redact_data(as_plain(data), DATA_TO_REDACT),
    }
