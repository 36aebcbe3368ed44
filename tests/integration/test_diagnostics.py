"""Diagnostics: a snapshot of what a user would attach to an issue, and no secret in it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.const import CONF_PASSWORD
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.filters import props

from custom_components.wescontrol.const import (
    CONF_AUTO_UPDATE,
    CONF_FTP_PASSWORD,
    CONF_FTP_PORT,
    CONF_FTP_USERNAME,
    CONF_MANAGE_DATA_FILE,
)
from custom_components.wescontrol.diagnostics import as_plain

from .conftest import ADMIN_USER, FTP_USER, SIM_HOST, build_entry, setup_integration

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable
    from pathlib import Path

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
    from syrupy.assertion import SnapshotAssertion

    from simulator import WesSimulator

pytestmark = pytest.mark.usefixtures("socket_enabled")

WEB_SECRET = "Web-S3cret!7q"
FTP_SECRET = "Ftp-S3cret!9z"
# Ports are picked by the OS for each run; the entry's timestamps and id change too.
VOLATILE = props("created_at", "modified_at", "entry_id", "port", "ftp_port")


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots in ``snapshots/`` next to this file, serialised the Home Assistant way."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
async def sim(
    wes_simulator_factory: Callable[..., Awaitable[WesSimulator]], tmp_path: Path
) -> WesSimulator:
    """Scenario "a" with distinctive web and FTP passwords."""
    return await wes_simulator_factory(
        generation="v084",
        scenario="a",
        admin=(ADMIN_USER, WEB_SECRET),
        ftp=(FTP_USER, FTP_SECRET),
        web_root=tmp_path / "sd",
    )


def _entry_data(sim: WesSimulator, *, data_file: bool) -> dict[str, Any]:
    return {
        CONF_PASSWORD: WEB_SECRET,
        CONF_FTP_USERNAME: FTP_USER,
        CONF_FTP_PASSWORD: FTP_SECRET,
        CONF_FTP_PORT: sim.ftp_port,
        CONF_MANAGE_DATA_FILE: data_file,
        CONF_AUTO_UPDATE: data_file,
    }


@pytest.mark.parametrize("data_file", [False, True], ids=["builtin_file", "our_file"])
async def test_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    snapshot: SnapshotAssertion,
    sim: WesSimulator,
    data_file: bool,
) -> None:
    """Entry, WES, data file, health and last data, redacted."""
    entry = await setup_integration(
        hass, build_entry(sim, data=_entry_data(sim, data_file=data_file))
    )
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics == snapshot(exclude=VOLATILE)


async def test_no_secret_in_diagnostics(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, sim: WesSimulator
) -> None:
    """No password, FTP password, address, MAC or meter serial anywhere in the output."""
    entry = await setup_integration(hass, build_entry(sim, data=_entry_data(sim, data_file=True)))
    coordinator = entry.runtime_data
    assert coordinator.data.info.mac  # our file prints the MAC: it must be redacted
    text = json.dumps(await get_diagnostics_for_config_entry(hass, hass_client, entry))
    mac = sim.device.mac
    adcos = [tic.adco for tic in sim.device.tics if tic.wired]
    assert adcos
    secrets = [
        WEB_SECRET,
        FTP_SECRET,
        SIM_HOST,
        mac,
        mac.lower(),
        ":".join(mac[i : i + 2] for i in range(0, 12, 2)).lower(),
        *adcos,
    ]
    for secret in secrets:
        assert secret not in text, secret
    assert "**REDACTED**" in text


async def test_diagnostics_while_failing(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    freezer: Any,
    sim: WesSimulator,
) -> None:
    """Health says the last poll failed and why, by class and translation key only."""
    entry = await setup_integration(hass, build_entry(sim, data=_entry_data(sim, data_file=False)))
    sim.faults.set("server_error")
    freezer.tick(timedelta(seconds=30))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["health"] == {
        "last_update_success": False,
        "last_exception": "UpdateFailed",
        "last_exception_translation_key": "cannot_connect",
        "update_interval_seconds": 30.0,
    }
    sim.faults.clear()


def test_as_plain() -> None:
    """Tuples, enums and nested dataclasses become JSON-ready values."""
    assert as_plain((1, "a")) == [1, "a"]
    assert as_plain({2: {3: None}}) == {"2": {"3": None}}
