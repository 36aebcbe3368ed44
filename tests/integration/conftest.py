"""Fixtures for the Home Assistant side: config entries pointing at a simulated WES.

The simulator fixtures (``wes_simulator``, ``wes_simulator_factory``) come from
``tests/conftest.py``; they start a WES on 127.0.0.1 and need sockets enabled.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any
from unittest.mock import PropertyMock, patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

# Import the integration before the ``hass`` fixture runs: HA must find it on disk.
import custom_components.wescontrol  # noqa: F401
from custom_components.wescontrol.const import (
    DOMAIN,
    OPT_FEATURES,
    OPT_MAINS_VOLTAGE,
    OPT_SCAN_INTERVAL,
    OPT_SCREEN,
)

if TYPE_CHECKING:
    from collections.abc import Generator

    from homeassistant.core import HomeAssistant

SIM_HOST = "127.0.0.1"
ADMIN_USER = "admin"
ADMIN_PASSWORD = "wes"
READONLY_USER = "user"
READONLY_PASSWORD = "user"
FTP_USER = "adminftp"
FTP_PASSWORD = "wesftp"

# A WES with one of each common thing enabled; tests override it through ``entry_options``.
DEFAULT_OPTIONS: dict[str, Any] = {
    OPT_FEATURES: {
        "tic": {"1": {"tariff": "auto", "measure": "consumption"}},
        "clamp": {
            "1": {"measure": "consumption", "clamp_type": "100a"},
            "2": {"measure": "consumption", "clamp_type": "100a"},
        },
        "pulse_counter": {"1": {"meter_type": "water", "measure": "consumption"}},
        "probe": {"1": {"probe_kind": "temperature"}},
        "relay": {"1": {}, "2": {}},
        "input": {"1": {}, "2": {}},
        "virtual_switch": {"1": {}},
        "variable": {"1": {}},
    },
    OPT_SCREEN: False,
    OPT_MAINS_VOLTAGE: False,
    OPT_SCAN_INTERVAL: 30,
}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load ``custom_components.wescontrol`` in every test."""


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create every entity enabled, including those disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        yield


def sim_mac(sim: Any) -> str | None:
    """The simulated WES's MAC as the integration stores it (12 lower-case hex)."""
    mac = getattr(getattr(sim, "device", None), "mac", None)
    if not mac:
        return None
    return str(mac).replace(":", "").replace("-", "").lower()


def build_entry(
    sim: Any,
    *,
    options: dict[str, Any] | None = None,
    unique_id: str | None = None,
    data: dict[str, Any] | None = None,
) -> MockConfigEntry:
    """A config entry for a started simulator (not yet added to Home Assistant)."""
    entry_data: dict[str, Any] = {
        CONF_HOST: SIM_HOST,
        CONF_PORT: sim.http_port,
        CONF_USERNAME: ADMIN_USER,
        CONF_PASSWORD: ADMIN_PASSWORD,
    }
    entry_data.update(data or {})
    return MockConfigEntry(
        domain=DOMAIN,
        title="WES",
        data=entry_data,
        options=options if options is not None else DEFAULT_OPTIONS,
        unique_id=unique_id if unique_id is not None else sim_mac(sim),
    )


async def setup_integration(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    """Add an entry to Home Assistant and set it up; returns it for chaining."""
    if entry.entry_id not in {e.entry_id for e in hass.config_entries.async_entries(DOMAIN)}:
        entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Options of ``mock_config_entry``; override in a module or with parametrize."""
    return DEFAULT_OPTIONS


@pytest.fixture
def mock_config_entry(wes_simulator: Any, entry_options: dict[str, Any]) -> MockConfigEntry:
    """An entry pointing at the started simulator, identified by its MAC."""
    return build_entry(wes_simulator, options=entry_options)


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """The entry set up and loaded against the simulator."""
    await setup_integration(hass, mock_config_entry)
    assert mock_config_entry.state is ConfigEntryState.LOADED
    return mock_config_entry


async def poll(hass: HomeAssistant, freezer: Any, seconds: float = 31) -> None:
    """Let the next scheduled poll run (and the background tasks it starts)."""
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
