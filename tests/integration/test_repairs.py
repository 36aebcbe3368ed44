"""The "data file needs FTP" repair issue and its fix flow, against the simulated WES."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component

from custom_components.wescontrol.const import (
    BUILTIN_DATA_FILE,
    CONF_AUTO_UPDATE,
    CONF_FTP_PASSWORD,
    CONF_FTP_PORT,
    CONF_FTP_USERNAME,
    CONF_MANAGE_DATA_FILE,
    DOMAIN,
)
from custom_components.wescontrol.coordinator import upload_issue_id
from custom_components.wescontrol.repairs import (
    DataFileFtpFlow,
    async_create_fix_flow,
    needs_ftp_issue_id,
)
from custom_components.wescontrol.wes.cgx import DATA_FILE_NAME
from custom_components.wescontrol.wes.models import DataLayout

from .conftest import FTP_PASSWORD, FTP_USER, build_entry, setup_integration
from .test_data_file import OLD_MARKER, ftp_data, installed_marker, poll, put_old_file

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.data_entry_flow import FlowResult
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.wescontrol.coordinator import WesCoordinator

pytestmark = pytest.mark.usefixtures("socket_enabled")


@pytest.fixture
async def repairs(hass: HomeAssistant) -> None:
    """The repairs integration, which runs fix flows."""
    assert await async_setup_component(hass, "repairs", {})


@pytest.fixture
async def no_ftp_entry(hass: HomeAssistant, wes_simulator: Any) -> MockConfigEntry:
    """An entry without FTP access on a WES without our file."""
    return await setup_integration(hass, build_entry(wes_simulator))


def needs_ftp_issue(hass: HomeAssistant, entry: MockConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, needs_ftp_issue_id(entry.entry_id))


async def start_fix(hass: HomeAssistant, entry: MockConfigEntry) -> FlowResult:
    manager = repairs_flow_manager(hass)
    assert manager is not None
    return await manager.async_init(DOMAIN, data={"issue_id": needs_ftp_issue_id(entry.entry_id)})


async def answer(hass: HomeAssistant, flow_id: str, **fields: Any) -> FlowResult:
    manager = repairs_flow_manager(hass)
    assert manager is not None
    user_input = {CONF_FTP_USERNAME: FTP_USER, CONF_FTP_PASSWORD: FTP_PASSWORD} | fields
    return await manager.async_configure(flow_id, user_input)


@pytest.mark.usefixtures("repairs")
async def test_fix_flow_end_to_end(
    hass: HomeAssistant, wes_simulator: Any, no_ftp_entry: MockConfigEntry
) -> None:
    """Issue raised; a bad password is refused; the good one installs the file and stores
    the account; the reloaded entry reads our file; the issue is gone."""
    entry = no_ftp_entry
    assert entry.runtime_data.data_file == BUILTIN_DATA_FILE
    issue = needs_ftp_issue(hass, entry)
    assert issue is not None
    assert issue.is_fixable
    assert issue.severity is ir.IssueSeverity.WARNING
    assert issue.translation_key == "data_file_needs_ftp"
    assert issue.data == {"entry_id": entry.entry_id}
    assert issue.translation_placeholders == {"host": "127.0.0.1"}

    result = await start_fix(hass, entry)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "ftp"
    assert result["description_placeholders"] == {"host": "127.0.0.1"}
    schema = result["data_schema"].schema
    defaults = {str(key): key.default() for key in schema}
    assert defaults == {
        CONF_FTP_USERNAME: "adminftp",
        CONF_FTP_PASSWORD: "wesftp",
        CONF_FTP_PORT: 21,
    }

    result = await answer(
        hass, result["flow_id"], ftp_password="wrong", ftp_port=wes_simulator.ftp_port
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_ftp_auth"}
    assert not (wes_simulator.web_root / DATA_FILE_NAME).exists()
    assert CONF_FTP_USERNAME not in entry.data

    result = await answer(hass, result["flow_id"], ftp_port=wes_simulator.ftp_port)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert entry.data[CONF_FTP_USERNAME] == FTP_USER
    assert entry.data[CONF_FTP_PASSWORD] == FTP_PASSWORD
    assert entry.data[CONF_FTP_PORT] == wes_simulator.ftp_port
    assert entry.data[CONF_MANAGE_DATA_FILE] is True
    assert entry.data[CONF_AUTO_UPDATE] is True
    coordinator: WesCoordinator = entry.runtime_data
    assert installed_marker(wes_simulator) == coordinator.data_file_expected
    assert coordinator.data_file == DATA_FILE_NAME
    assert coordinator.data.layout is DataLayout.WESCONTROL
    assert needs_ftp_issue(hass, entry) is None


@pytest.mark.usefixtures("repairs")
async def test_fix_flow_cannot_connect(hass: HomeAssistant, no_ftp_entry: MockConfigEntry) -> None:
    """Nothing listens on the port: the form comes back with the connection error."""
    with socket.socket() as probe:  # a port just freed: connections are refused at once
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    result = await start_fix(hass, no_ftp_entry)
    result = await answer(hass, result["flow_id"], ftp_port=closed_port)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "ftp_cannot_connect"}
    assert result["data_schema"].schema[CONF_FTP_PORT]  # the form is shown again
    suggested = {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }
    assert suggested[CONF_FTP_PORT] == closed_port
    assert suggested[CONF_FTP_PASSWORD] is None  # a password is never sent back


@pytest.mark.usefixtures("repairs")
async def test_fix_flow_aborts_when_the_entry_is_not_loaded(
    hass: HomeAssistant, no_ftp_entry: MockConfigEntry
) -> None:
    """An ignored issue outlives an unload; its flow then has nothing to fix."""
    entry = no_ftp_entry
    ir.async_get(hass).async_ignore(DOMAIN, needs_ftp_issue_id(entry.entry_id), True)
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert needs_ftp_issue(hass, entry) is not None
    result = await start_fix(hass, entry)
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "not_loaded"


async def test_fix_flow_without_issue_data(hass: HomeAssistant) -> None:
    flow = await async_create_fix_flow(hass, "data_file_needs_ftp_x", None)
    assert isinstance(flow, DataFileFtpFlow)
    flow.hass = hass
    flow.handler = DOMAIN
    flow.flow_id = "flow"
    result = await flow.async_step_init()
    assert result["type"] is FlowResultType.ABORT


async def test_issue_follows_the_file(
    hass: HomeAssistant, freezer: Any, wes_simulator: Any, no_ftp_entry: MockConfigEntry
) -> None:
    """A current file put on the WES by other means clears the issue; a replaced one
    raises it again."""
    entry = no_ftp_entry
    assert needs_ftp_issue(hass, entry) is not None
    put_old_file(wes_simulator)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.data_file_installed == OLD_MARKER
    assert needs_ftp_issue(hass, entry) is not None  # outdated is as good as missing

    (wes_simulator.web_root / DATA_FILE_NAME).unlink()
    ftp = ftp_data(wes_simulator)
    await entry.runtime_data.async_upload_data_file(ftp)  # as another tool would
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.reads_own_data_file
    assert needs_ftp_issue(hass, entry) is None

    put_old_file(wes_simulator)
    await poll(hass, freezer)
    assert needs_ftp_issue(hass, entry) is not None


async def test_no_issue_where_it_does_not_apply(
    hass: HomeAssistant, wes_simulator_factory: Any
) -> None:
    """FTP given (even without "manage"), or firmware without our file: no issue."""
    sim = await wes_simulator_factory(generation="v084", scenario="a")
    with_ftp = await setup_integration(
        hass, build_entry(sim, data=ftp_data(sim, manage_data_file=False))
    )
    assert needs_ftp_issue(hass, with_ftp) is None

    legacy = await wes_simulator_factory(generation="v061d", scenario="a")
    entry = await setup_integration(hass, build_entry(legacy))
    assert entry.runtime_data.data_file_expected is None
    assert needs_ftp_issue(hass, entry) is None


async def test_unknown_state_keeps_the_issue_as_it_is(
    hass: HomeAssistant, wes_simulator: Any, no_ftp_entry: MockConfigEntry
) -> None:
    """Nothing known about the file (DATA.CGX unreadable at setup): no change either way."""
    entry = no_ftp_entry
    ir.async_get(hass).async_ignore(DOMAIN, needs_ftp_issue_id(entry.entry_id), True)
    wes_simulator.faults.set("server_error", 1, path=DATA_FILE_NAME)
    wes_simulator.faults.set("server_error", 1, path=f"/{BUILTIN_DATA_FILE}")
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.data_file_expected is None
    issue = needs_ftp_issue(hass, entry)
    assert issue is not None
    assert issue.dismissed_version is not None


async def test_ignored_issue_stays_ignored_until_the_entry_goes(
    hass: HomeAssistant, no_ftp_entry: MockConfigEntry
) -> None:
    entry = no_ftp_entry
    registry = ir.async_get(hass)
    issue_id = needs_ftp_issue_id(entry.entry_id)
    registry.async_ignore(DOMAIN, issue_id, True)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    issue = needs_ftp_issue(hass, entry)
    assert issue is not None
    assert issue.dismissed_version is not None  # not nagging after a reload

    assert await hass.config_entries.async_remove(entry.entry_id)
    assert needs_ftp_issue(hass, entry) is None


async def test_unload_clears_issues_that_were_not_ignored(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    entry = build_entry(wes_simulator, data=ftp_data(wes_simulator, ftp_password="wrong"))
    await setup_integration(hass, entry)
    no_ftp = await setup_integration(hass, build_entry(wes_simulator, unique_id="001ec0000001"))
    registry = ir.async_get(hass)
    assert registry.async_get_issue(DOMAIN, upload_issue_id(entry.entry_id)) is not None
    assert needs_ftp_issue(hass, no_ftp) is not None
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await hass.config_entries.async_unload(no_ftp.entry_id)
    assert registry.async_get_issue(DOMAIN, upload_issue_id(entry.entry_id)) is None
    assert needs_ftp_issue(hass, no_ftp) is None
