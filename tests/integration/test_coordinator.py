"""The coordinator against the simulated WES: one request per poll, errors, commands."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.update_coordinator import UpdateFailed
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.wescontrol.const import (
    CONF_AUTO_UPDATE,
    CONF_FTP_PASSWORD,
    CONF_FTP_PORT,
    CONF_FTP_USERNAME,
    CONF_MANAGE_DATA_FILE,
    DOMAIN,
    OPT_SCAN_INTERVAL,
)
from custom_components.wescontrol.coordinator import (
    WesCoordinator,
    normalize_mac,
    scan_interval,
    wes_id_from_unique_id,
)
from custom_components.wescontrol.wes.cgx import DATA_FILE_NAME
from custom_components.wescontrol.wes.errors import (
    WesAuthError,
    WesConnectionError,
    WesForbiddenError,
    WesResponseError,
    WesTimeoutError,
)
from custom_components.wescontrol.wes.ftp import upload_file
from custom_components.wescontrol.wes.models import WesData
from custom_components.wescontrol.wes.names import NAMES_FILE_NAME, generate_names_file
from simulator.web import WesWebApp

from .conftest import (
    DEFAULT_OPTIONS,
    FTP_PASSWORD,
    FTP_USER,
    SIM_HOST,
    build_entry,
    setup_integration,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers import issue_registry as ir

pytestmark = pytest.mark.usefixtures("socket_enabled")

POLL = timedelta(seconds=30)


@pytest.fixture
def request_log(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of every HTTP request the simulators started after this fixture receive."""
    paths: list[str] = []
    original = WesWebApp.handle

    async def logged(self: WesWebApp, request: Any) -> Any:
        paths.append(request.path)
        return await original(self, request)

    monkeypatch.setattr(WesWebApp, "handle", logged)
    return paths


async def _poll(hass: HomeAssistant, freezer: Any, interval: timedelta = POLL) -> None:
    """Let one scheduled poll happen."""
    freezer.tick(interval)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def _ftp_data(sim: Any, **changes: Any) -> dict[str, Any]:
    return {
        CONF_FTP_USERNAME: FTP_USER,
        CONF_FTP_PASSWORD: FTP_PASSWORD,
        CONF_FTP_PORT: sim.ftp_port,
        CONF_MANAGE_DATA_FILE: True,
        CONF_AUTO_UPDATE: True,
    } | changes


# ----- helpers ---------------------------------------------------------------------------


def test_helpers() -> None:
    assert normalize_mac("00:1E:C0:AA:BB:CC") == "001ec0aabbcc"
    assert normalize_mac("001EC0AABBCC") == "001ec0aabbcc"
    assert normalize_mac("not a mac") is None
    assert normalize_mac(None) is None
    assert wes_id_from_unique_id("001ec0aabbcc", "h", 80) == "001ec0aabbcc"
    assert wes_id_from_unique_id("10.0.0.5:8080", "h", 80) == "10.0.0.5_8080"
    assert wes_id_from_unique_id(None, "h", 81) == "h_81"
    assert scan_interval({}) == timedelta(seconds=30)
    assert scan_interval({OPT_SCAN_INTERVAL: 5}) == timedelta(seconds=10)
    assert scan_interval({OPT_SCAN_INTERVAL: 45}) == timedelta(seconds=45)
    assert scan_interval({OPT_SCAN_INTERVAL: "junk"}) == timedelta(seconds=30)


# ----- polling ---------------------------------------------------------------------------


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
async def test_one_request_per_poll(
    hass: HomeAssistant, freezer: Any, request_log: list[str], init_integration: MockConfigEntry
) -> None:
    """However many entities exist, a poll is one GET of the data file."""
    coordinator: WesCoordinator = init_integration.runtime_data
    assert len(hass.states.async_all()) > 10  # many entities listen to the one coordinator
    request_log.clear()
    await _poll(hass, freezer)
    assert request_log == ["/DATA.CGX"]
    await _poll(hass, freezer)
    assert request_log == ["/DATA.CGX", "/DATA.CGX"]
    assert coordinator.last_update_success


async def test_poll_interval_from_options(
    hass: HomeAssistant, freezer: Any, request_log: list[str], wes_simulator: Any
) -> None:
    options = DEFAULT_OPTIONS | {OPT_SCAN_INTERVAL: 60}
    entry = await setup_integration(hass, build_entry(wes_simulator, options=options))
    assert entry.runtime_data.update_interval == timedelta(seconds=60)
    request_log.clear()
    await _poll(hass, freezer)
    assert request_log == []
    await _poll(hass, freezer)
    assert request_log == ["/DATA.CGX"]


@pytest.mark.parametrize(
    ("fault", "key"),
    [
        ("server_error", "cannot_connect"),
        ("malformed_xml", "invalid_response"),
        ("html_error", "invalid_response"),
        ("truncated", "invalid_response"),
        ("reset", "cannot_connect"),
        ("forbidden", "forbidden"),
    ],
)
async def test_update_failed_keys(
    hass: HomeAssistant,
    freezer: Any,
    wes_simulator: Any,
    init_integration: MockConfigEntry,
    fault: str,
    key: str,
) -> None:
    coordinator: WesCoordinator = init_integration.runtime_data
    wes_simulator.faults.set(fault, 1)
    await _poll(hass, freezer)
    assert not coordinator.last_update_success
    assert isinstance(coordinator.last_exception, UpdateFailed)
    assert coordinator.last_exception.translation_domain == DOMAIN
    assert coordinator.last_exception.translation_key == key
    await _poll(hass, freezer)
    assert coordinator.last_update_success


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (WesTimeoutError("slow"), "timeout"),
        (WesResponseError("x", 418), "cannot_connect"),
    ],
)
async def test_client_error_keys(
    hass: HomeAssistant,
    freezer: Any,
    init_integration: MockConfigEntry,
    error: Exception,
    key: str,
) -> None:
    """Errors the simulator cannot cause here (frozen time never lets a timeout expire)."""
    coordinator: WesCoordinator = init_integration.runtime_data
    with patch.object(coordinator.client, "read_data", side_effect=error):
        await _poll(hass, freezer)
    assert isinstance(coordinator.last_exception, UpdateFailed)
    assert coordinator.last_exception.translation_key == key


async def test_failure_logged_once_then_recovery_once(
    hass: HomeAssistant,
    freezer: Any,
    wes_simulator: Any,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Three failed polls log one error; the recovery logs one line; entities follow."""
    caplog.set_level(logging.INFO, logger="custom_components.wescontrol")
    caplog.clear()
    wes_simulator.faults.set("server_error", 3)
    for _ in range(3):
        await _poll(hass, freezer)

    def ours(level: int) -> list[logging.LogRecord]:
        return [
            r
            for r in caplog.records
            if r.name.startswith("custom_components.wescontrol") and r.levelno >= level
        ]

    errors = ours(logging.WARNING)
    assert len(errors) == 1
    assert "Error fetching" in errors[0].getMessage()
    assert "Cannot reach the WES" in errors[0].getMessage()  # the translated reason
    await _poll(hass, freezer)
    recovered = [r for r in ours(logging.INFO) if "recovered" in r.getMessage()]
    assert len(recovered) == 1
    assert len(ours(logging.WARNING)) == 1


async def test_401_during_poll_starts_reauth(
    hass: HomeAssistant, freezer: Any, wes_simulator: Any, init_integration: MockConfigEntry
) -> None:
    wes_simulator.faults.set("unauthorized")
    await _poll(hass, freezer)
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    wes_simulator.faults.clear()


# ----- setup-time reads -------------------------------------------------------------------


async def test_setup_retries_when_unreachable(hass: HomeAssistant, wes_simulator: Any) -> None:
    entry = build_entry(wes_simulator)
    wes_simulator.faults.set("server_error")
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    wes_simulator.faults.clear()


async def test_names_read_at_setup(hass: HomeAssistant, wes_simulator: Any) -> None:
    """The names file gives the user's names and the MAC."""
    await upload_file(
        SIM_HOST,
        wes_simulator.ftp_port,
        FTP_USER,
        FTP_PASSWORD,
        NAMES_FILE_NAME,
        generate_names_file().encode("ascii"),
    )
    entry = await setup_integration(hass, build_entry(wes_simulator))
    coordinator: WesCoordinator = entry.runtime_data
    assert normalize_mac(coordinator.names.mac) == coordinator.wes_id


async def test_names_of_another_wes_refused(hass: HomeAssistant, wes_simulator: Any) -> None:
    """A names file telling another MAC means another WES answers: setup waits."""
    await upload_file(
        SIM_HOST,
        wes_simulator.ftp_port,
        FTP_USER,
        FTP_PASSWORD,
        NAMES_FILE_NAME,
        generate_names_file().encode("ascii"),
    )
    entry = build_entry(wes_simulator, unique_id="001ec0ffffff")
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY


async def test_admin_probe_401_is_auth_failure(hass: HomeAssistant, wes_simulator: Any) -> None:
    entry = build_entry(wes_simulator)
    wes_simulator.faults.set("unauthorized", 1, path="INFOCFG")
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR


# ----- our data file ----------------------------------------------------------------------


async def test_data_file_installed_and_used(
    hass: HomeAssistant, freezer: Any, request_log: list[str], wes_simulator: Any
) -> None:
    """With FTP and "manage", setup uploads our file, then every poll reads only it."""
    entry = build_entry(wes_simulator, data=_ftp_data(wes_simulator))
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    coordinator: WesCoordinator = entry.runtime_data
    assert coordinator.data_file == DATA_FILE_NAME
    assert not coordinator.data_file_outdated
    assert coordinator.data.info.data_file_version == coordinator.data_file_expected
    assert normalize_mac(coordinator.data.info.mac) == coordinator.wes_id
    request_log.clear()
    await _poll(hass, freezer)
    assert request_log == [f"/{DATA_FILE_NAME}"]


async def test_outdated_data_file_without_auto_update(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    """An outdated file is left alone (the user decides) and DATA.CGX serves meanwhile."""
    entry = build_entry(wes_simulator, data=_ftp_data(wes_simulator))
    await setup_integration(hass, entry)
    await hass.config_entries.async_unload(entry.entry_id)
    options = DEFAULT_OPTIONS | {"screen": True}
    hass.config_entries.async_update_entry(
        entry, options=options, data=entry.data | {CONF_AUTO_UPDATE: False}
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    coordinator: WesCoordinator = entry.runtime_data
    assert coordinator.data_file_outdated
    assert coordinator.data_file == "DATA.CGX"
    await coordinator.async_install_data_file()
    assert not coordinator.data_file_outdated
    assert coordinator.data_file == DATA_FILE_NAME


async def test_data_file_upload_failure_opens_an_issue(
    hass: HomeAssistant, wes_simulator: Any, issue_registry: ir.IssueRegistry
) -> None:
    entry = build_entry(
        wes_simulator, data=_ftp_data(wes_simulator, **{CONF_FTP_PASSWORD: "wrong"})
    )
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.LOADED  # DATA.CGX still serves
    coordinator: WesCoordinator = entry.runtime_data
    assert coordinator.data_file == "DATA.CGX"
    issue = issue_registry.async_get_issue(DOMAIN, f"data_file_upload_{entry.entry_id}")
    assert issue is not None
    assert issue.translation_key == "data_file_upload_failed"
    assert "wrong" not in str(issue.translation_placeholders)
    with pytest.raises(HomeAssistantError) as caught:
        await coordinator.async_install_data_file()
    assert caught.value.translation_key == "data_file_upload_failed"


async def test_mac_guard_on_our_data_file(
    hass: HomeAssistant, freezer: Any, wes_simulator: Any
) -> None:
    """Our file prints the MAC: a different WES at the address is refused, not mixed in."""
    entry = build_entry(wes_simulator, data=_ftp_data(wes_simulator))
    await setup_integration(hass, entry)
    coordinator: WesCoordinator = entry.runtime_data
    before = coordinator.data
    wes_simulator.device.mac = "001EC0FFFFFF"
    await _poll(hass, freezer)
    assert not coordinator.last_update_success
    assert isinstance(coordinator.last_exception, UpdateFailed)
    assert coordinator.last_exception.translation_key == "wrong_device"
    assert coordinator.data is before


# ----- commands ---------------------------------------------------------------------------


async def test_command_then_refresh(
    hass: HomeAssistant, wes_simulator: Any, init_integration: MockConfigEntry
) -> None:
    coordinator: WesCoordinator = init_integration.runtime_data
    initial = bool(coordinator.data.relays.get(1))
    await coordinator.async_run_command(lambda: coordinator.client.set_relay(1, not initial))
    await hass.async_block_till_done()
    assert coordinator.data.relays[1] is (not initial)


async def test_command_waits_behind_a_poll(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    coordinator: WesCoordinator = init_integration.runtime_data
    sent: list[str] = []

    async def command() -> None:
        sent.append("command")

    async with coordinator.device_lock:  # as a poll in flight holds it
        task = hass.async_create_task(coordinator.async_run_command(command))
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert sent == []
    await task
    assert sent == ["command"]


@pytest.mark.parametrize(
    ("error", "key"),
    [
        (WesForbiddenError("read-only"), "command_forbidden"),
        (WesConnectionError("gone"), "command_failed"),
        (WesAuthError("refused"), "command_auth_failed"),
    ],
)
async def test_command_errors(
    hass: HomeAssistant, init_integration: MockConfigEntry, error: Exception, key: str
) -> None:
    coordinator: WesCoordinator = init_integration.runtime_data

    async def command() -> None:
        raise error

    with pytest.raises(HomeAssistantError) as caught:
        await coordinator.async_run_command(command)
    assert caught.value.translation_domain == DOMAIN
    assert caught.value.translation_key == key
    await hass.async_block_till_done()
    reauth = [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == "reauth"
    ]
    assert len(reauth) == (1 if key == "command_auth_failed" else 0)


async def test_read_only_account_command_is_forbidden(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    """The simulator answers 403 to a read-only account's command."""
    entry = build_entry(wes_simulator, data={"username": "user", "password": "user"})
    await setup_integration(hass, entry)
    coordinator: WesCoordinator = entry.runtime_data
    assert coordinator.is_admin is False
    with pytest.raises(HomeAssistantError) as caught:
        await coordinator.async_run_command(lambda: coordinator.client.set_relay(1, True))
    assert caught.value.translation_key == "command_forbidden"


async def test_names_401_at_setup_is_auth_failure(hass: HomeAssistant, wes_simulator: Any) -> None:
    entry = build_entry(wes_simulator)
    wes_simulator.faults.set("unauthorized", 1, path=NAMES_FILE_NAME)
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR


async def test_data_file_401_at_setup_is_auth_failure(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    entry = build_entry(wes_simulator, data=_ftp_data(wes_simulator))
    wes_simulator.faults.set("unauthorized", 1, path=DATA_FILE_NAME)
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR


async def test_data_file_left_alone_when_firmware_unknown(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    """No readable file at setup: nothing is uploaded; DATA.CGX serves when it is back."""
    entry = build_entry(wes_simulator, data=_ftp_data(wes_simulator))
    wes_simulator.faults.set("server_error", 1, path="/DATA.CGX")
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
    coordinator: WesCoordinator = entry.runtime_data
    assert coordinator.data_file == "DATA.CGX"
    assert coordinator.data_file_expected is None
    assert not coordinator.data_file_outdated


async def test_legacy_firmware_keeps_builtin_file(
    hass: HomeAssistant, wes_simulator_factory: Any
) -> None:
    sim = await wes_simulator_factory(generation="v061d", scenario="a")
    entry = build_entry(sim, data=_ftp_data(sim))
    await setup_integration(hass, entry)
    coordinator: WesCoordinator = entry.runtime_data
    assert entry.state is ConfigEntryState.LOADED
    assert coordinator.data_file == "DATA.CGX"
    assert not (sim.web_root / DATA_FILE_NAME).exists()


async def test_poll_without_firmware_keeps_generation(
    hass: HomeAssistant, freezer: Any, init_integration: MockConfigEntry
) -> None:
    coordinator: WesCoordinator = init_integration.runtime_data
    generation = coordinator.firmware_generation
    with patch.object(coordinator.client, "read_data", return_value=WesData()):
        await _poll(hass, freezer)
    assert coordinator.last_update_success
    assert coordinator.firmware_generation is generation
