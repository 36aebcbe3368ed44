"""Config, reauth, reconfigure and options flows, against the simulated WES over loopback."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.data_entry_flow import FlowResultType

from custom_components.wescontrol.catalog import (
    CATALOG,
    enabled_instances,
    features_from_options,
    preselect,
)
from custom_components.wescontrol.config_flow import CONF_USE_FTP, SECTION_HARDWARE
from custom_components.wescontrol.const import (
    CONF_AUTO_UPDATE,
    CONF_FTP_PASSWORD,
    CONF_FTP_PORT,
    CONF_FTP_USERNAME,
    CONF_MANAGE_DATA_FILE,
    DOMAIN,
    OPT_FEATURES,
    OPT_MAINS_VOLTAGE,
    OPT_SCAN_INTERVAL,
    OPT_SCREEN,
)
from custom_components.wescontrol.wes.cgx import DATA_FILE_NAME
from custom_components.wescontrol.wes.errors import WesParseError
from custom_components.wescontrol.wes.features import FeatureKind
from custom_components.wescontrol.wes.ftp import upload_file
from custom_components.wescontrol.wes.models import (
    Clamp,
    PulseCounter,
    Tic,
    WesData,
    WesInfo,
)
from custom_components.wescontrol.wes.names import NAMES_FILE_NAME, generate_names_file

from .conftest import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    FTP_PASSWORD,
    FTP_USER,
    READONLY_PASSWORD,
    READONLY_USER,
    SIM_HOST,
    build_entry,
    setup_integration,
    sim_mac,
)

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

pytestmark = pytest.mark.usefixtures("socket_enabled")


def _free_port() -> int:
    """A loopback port nothing listens on (bound, read, released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((SIM_HOST, 0))
        return int(sock.getsockname()[1])


def _user_input(sim: Any, **changes: Any) -> dict[str, Any]:
    return {
        CONF_HOST: SIM_HOST,
        CONF_PORT: sim.http_port,
        CONF_USERNAME: ADMIN_USER,
        CONF_PASSWORD: ADMIN_PASSWORD,
    } | changes


def _ftp_input(sim: Any, **changes: Any) -> dict[str, Any]:
    return {
        CONF_USE_FTP: True,
        CONF_FTP_USERNAME: FTP_USER,
        CONF_FTP_PASSWORD: FTP_PASSWORD,
        CONF_FTP_PORT: sim.ftp_port,
        CONF_MANAGE_DATA_FILE: True,
        CONF_AUTO_UPDATE: True,
    } | changes


def _hardware(*, screen: bool = False, mains_voltage: bool = False) -> dict[str, Any]:
    """The hardware section as the frontend submits it (always present)."""
    return {SECTION_HARDWARE: {OPT_SCREEN: screen, OPT_MAINS_VOLTAGE: mains_voltage}}


def _defaults(result: Any) -> dict[str, Any]:
    """Default (pre-filled) value of each field of a form, sections flattened."""
    values: dict[str, Any] = {}
    for key, validator in result["data_schema"].schema.items():
        if hasattr(validator, "schema") and hasattr(validator.schema, "schema"):
            for inner in validator.schema.schema:
                values[str(inner)] = inner.default()
        elif callable(getattr(key, "default", None)):
            values[str(key)] = key.default()
    return values


def _suggested(result: Any) -> dict[str, Any]:
    """Suggested value of each field (what the form shows again after an error)."""
    return {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }


async def _start(hass: HomeAssistant) -> Any:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return result


async def _to_features(hass: HomeAssistant, sim: Any, *, ftp: bool = True) -> Any:
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _user_input(sim))
    assert result["step_id"] == "ftp"
    ftp_input = _ftp_input(sim) if ftp else {CONF_USE_FTP: False}
    result = await hass.config_entries.flow.async_configure(result["flow_id"], ftp_input)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "features"
    return result


async def test_full_flow_with_ftp(hass: HomeAssistant, wes_simulator: Any) -> None:
    """Web access, FTP (names file uploaded, MAC learnt), then the pre-selected features."""
    result = await _to_features(hass, wes_simulator)
    defaults = _defaults(result)
    assert defaults["relay"] == ["1", "2"]
    assert defaults["input"] == ["1", "2"]
    assert isinstance(defaults["tic"], list)
    assert OPT_SCREEN in defaults
    assert OPT_MAINS_VOLTAGE in defaults
    # The names file is now on the WES, and it told us the MAC.
    assert (wes_simulator.web_root / NAMES_FILE_NAME).exists() or any(
        path.name.upper() == NAMES_FILE_NAME for path in wes_simulator.web_root.iterdir()
    )

    user_choice = {
        SECTION_HARDWARE: {OPT_SCREEN: True, OPT_MAINS_VOLTAGE: False},
        "tic": ["1"],
        "clamp": ["2", "1"],
        "probe": ["3"],
        "relay": ["1", "2"],
        "virtual_switch": [],
    }
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_choice)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == f"WES {SIM_HOST}"
    assert result["result"].unique_id == sim_mac(wes_simulator)
    assert result["data"] == {
        CONF_HOST: SIM_HOST,
        CONF_PORT: wes_simulator.http_port,
        CONF_USERNAME: ADMIN_USER,
        CONF_PASSWORD: ADMIN_PASSWORD,
        CONF_FTP_USERNAME: FTP_USER,
        CONF_FTP_PASSWORD: FTP_PASSWORD,
        CONF_FTP_PORT: wes_simulator.ftp_port,
        CONF_MANAGE_DATA_FILE: True,
        CONF_AUTO_UPDATE: True,
    }
    options = result["options"]
    assert options[OPT_SCREEN] is True
    assert options[OPT_MAINS_VOLTAGE] is False
    assert options[OPT_SCAN_INTERVAL] == 30
    features = options[OPT_FEATURES]
    assert set(features) >= {"tic", "clamp", "probe", "relay"}  # others keep their default
    assert "virtual_switch" not in features  # emptied by the user
    assert list(features["clamp"]) == ["1", "2"]
    assert features["clamp"]["1"] == {"measure": "consumption", "clamp_type": "100a"}
    assert features["probe"]["3"] == {"probe_kind": "temperature"}
    assert features["relay"] == {"1": {}, "2": {}}
    assert features["tic"]["1"]["tariff"] == "auto"
    await hass.async_block_till_done()
    # The new entry sets up at once and puts our own data file on the WES.
    entry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.data_file == DATA_FILE_NAME
    assert entry.runtime_data.features.screen is True


async def test_flow_without_ftp(hass: HomeAssistant, wes_simulator: Any) -> None:
    """Skipping FTP: no FTP data stored, the WES is identified by its address."""
    result = await _to_features(hass, wes_simulator, ftp=False)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {SECTION_HARDWARE: {OPT_SCREEN: False, OPT_MAINS_VOLTAGE: True}}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == f"{SIM_HOST}:{wes_simulator.http_port}"
    assert CONF_FTP_USERNAME not in result["data"]
    assert result["options"][OPT_FEATURES]["relay"] == {"1": {}, "2": {}}  # the pre-selection
    assert result["options"][OPT_MAINS_VOLTAGE] is True
    await hass.async_block_till_done()


async def test_names_file_already_on_the_wes(hass: HomeAssistant, wes_simulator: Any) -> None:
    """A names file left by an earlier install gives the MAC without FTP."""
    await upload_file(
        SIM_HOST,
        wes_simulator.ftp_port,
        FTP_USER,
        FTP_PASSWORD,
        NAMES_FILE_NAME,
        generate_names_file().encode("ascii"),
    )
    result = await _to_features(hass, wes_simulator, ftp=False)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _hardware())
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == sim_mac(wes_simulator)
    await hass.async_block_till_done()


async def test_read_only_account(hass: HomeAssistant, wes_simulator: Any) -> None:
    """A read-only account is accepted; the next step says commands will not be offered."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _user_input(wes_simulator, username=READONLY_USER, password=READONLY_PASSWORD),
    )
    assert result["step_id"] == "ftp_read_only"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USE_FTP: False}
    )
    assert result["step_id"] == "features"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _hardware())
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_USERNAME] == READONLY_USER
    await hass.async_block_till_done()


async def test_user_step_errors_then_recovery(hass: HomeAssistant, wes_simulator: Any) -> None:
    """Each failure shows its error, keeps what was typed, and the next try succeeds."""
    result = await _start(hass)
    flow_id = result["flow_id"]

    wrong = _user_input(wes_simulator, password="nope")
    result = await hass.config_entries.flow.async_configure(flow_id, wrong)
    assert result["errors"] == {"base": "invalid_auth"}
    assert _suggested(result)[CONF_PORT] == wes_simulator.http_port
    assert _suggested(result)[CONF_USERNAME] == ADMIN_USER

    result = await hass.config_entries.flow.async_configure(
        flow_id, _user_input(wes_simulator, port=_free_port())
    )
    assert result["errors"] == {"base": "cannot_connect"}

    with patch(
        "custom_components.wescontrol.config_flow.WesClient.read_data",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(flow_id, _user_input(wes_simulator))
    assert result["errors"] == {"base": "unknown"}

    result = await hass.config_entries.flow.async_configure(flow_id, _user_input(wes_simulator))
    assert result["step_id"] == "ftp"


@pytest.mark.parametrize(
    ("status", "body"),
    [(200, "<html><body>router</body></html>"), (404, "not found")],
)
async def test_not_a_wes(hass: HomeAssistant, aioclient_mock: Any, status: int, body: str) -> None:
    """Something answers at the address, but no WES data file."""
    aioclient_mock.get("http://192.0.2.10/DATA.CGX", status=status, text=body)
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "192.0.2.10", CONF_PORT: 80, CONF_USERNAME: "admin", CONF_PASSWORD: "x"},
    )
    assert result["errors"] == {"base": "not_a_wes"}


async def test_server_error_is_cannot_connect(hass: HomeAssistant, aioclient_mock: Any) -> None:
    aioclient_mock.get("http://192.0.2.10/DATA.CGX", status=500, text="oops")
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "192.0.2.10", CONF_PORT: 80, CONF_USERNAME: "admin", CONF_PASSWORD: "x"},
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_ftp_errors_then_recovery(hass: HomeAssistant, wes_simulator: Any) -> None:
    """A refused FTP login and an unreachable FTP server are reported; then it works."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(wes_simulator)
    )
    flow_id = result["flow_id"]

    result = await hass.config_entries.flow.async_configure(
        flow_id, _ftp_input(wes_simulator, ftp_password="bad")
    )
    assert result["step_id"] == "ftp"
    assert result["errors"] == {"base": "invalid_ftp_auth"}
    assert _suggested(result)[CONF_FTP_PORT] == wes_simulator.ftp_port

    result = await hass.config_entries.flow.async_configure(
        flow_id, _ftp_input(wes_simulator, ftp_port=_free_port())
    )
    assert result["errors"] == {"base": "ftp_cannot_connect"}

    result = await hass.config_entries.flow.async_configure(
        flow_id, _ftp_input(wes_simulator, manage_data_file=False, auto_update=True)
    )
    assert result["step_id"] == "features"
    result = await hass.config_entries.flow.async_configure(flow_id, _hardware())
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_MANAGE_DATA_FILE] is False
    assert result["data"][CONF_AUTO_UPDATE] is False  # nothing to update without our file
    await hass.async_block_till_done()


async def test_duplicate_by_address(hass: HomeAssistant, wes_simulator: Any) -> None:
    build_entry(wes_simulator).add_to_hass(hass)
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(wes_simulator)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_duplicate_by_mac(hass: HomeAssistant, wes_simulator: Any) -> None:
    """The same WES known under another address is found through its MAC (FTP step)."""
    build_entry(wes_simulator, data={CONF_HOST: "wes.local"}).add_to_hass(hass)
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(wes_simulator)
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _ftp_input(wes_simulator)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


# ----- reauth ---------------------------------------------------------------------------


async def test_reauth(hass: HomeAssistant, wes_simulator: Any) -> None:
    """A 401 at setup starts reauth; a wrong password is refused; the right one reloads."""
    entry = build_entry(wes_simulator, data={CONF_PASSWORD: "old"})
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert len(flows) == 1
    assert flows[0]["context"]["source"] == "reauth"
    flow_id = flows[0]["flow_id"]

    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_USERNAME: ADMIN_USER, CONF_PASSWORD: "still-wrong"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_USERNAME: ADMIN_USER, CONF_PASSWORD: ADMIN_PASSWORD}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_PASSWORD] == ADMIN_PASSWORD
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_reauth_of_a_loaded_entry(hass: HomeAssistant, wes_simulator: Any) -> None:
    """Reauth on a loaded entry stores the account; the update listener reloads it."""
    entry = await setup_integration(hass, build_entry(wes_simulator))
    assert entry.state is ConfigEntryState.LOADED
    result = await entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    assert _suggested(result)[CONF_USERNAME] == ADMIN_USER
    with patch.object(
        hass.config_entries,
        "async_schedule_reload",
        wraps=hass.config_entries.async_schedule_reload,
    ) as schedule_reload:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_USERNAME: READONLY_USER, CONF_PASSWORD: READONLY_PASSWORD}
        )
    schedule_reload.assert_not_called()  # the update listener alone reloads: once
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data.is_admin is False


# ----- reconfigure ----------------------------------------------------------------------


async def test_reconfigure(hass: HomeAssistant, wes_simulator: Any) -> None:
    entry = await setup_integration(hass, build_entry(wes_simulator))
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    assert _suggested(result)[CONF_PORT] == wes_simulator.http_port

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(wes_simulator, port=_free_port())
    )
    assert result["errors"] == {"base": "cannot_connect"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        _user_input(wes_simulator, username=READONLY_USER, password=READONLY_PASSWORD),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_USERNAME] == READONLY_USER
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_refuses_another_wes(
    hass: HomeAssistant, wes_simulator: Any, wes_simulator_factory: Any
) -> None:
    """Another WES (its names file tells a different MAC) cannot replace this one."""
    entry = build_entry(wes_simulator)
    entry.add_to_hass(hass)
    other = await wes_simulator_factory()
    other.device.mac = "001EC0ABCDEF"
    await upload_file(
        SIM_HOST,
        other.ftp_port,
        FTP_USER,
        FTP_PASSWORD,
        NAMES_FILE_NAME,
        generate_names_file().encode("ascii"),
    )
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _user_input(other))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert entry.data[CONF_PORT] == wes_simulator.http_port


async def test_reconfigure_to_an_address_in_use(
    hass: HomeAssistant, wes_simulator: Any, wes_simulator_factory: Any
) -> None:
    other = await wes_simulator_factory()
    build_entry(other, unique_id="other").add_to_hass(hass)
    entry = build_entry(wes_simulator)
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _user_input(other))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


# ----- options --------------------------------------------------------------------------


async def test_options_menu_round_trip(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Change features, a TIC tariff, a clamp, hardware and polling; save once."""
    entry = init_integration
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == [
        "features",
        "tic",
        "clamp",
        "pulse_counter",
        "probe",
        "hardware",
        "polling",
        "save",
    ]
    flow_id = result["flow_id"]

    result = await hass.config_entries.options.async_configure(
        flow_id, {"next_step_id": "features"}
    )
    assert result["step_id"] == "features"
    assert _defaults(result)["clamp"] == ["1", "2"]
    result = await hass.config_entries.options.async_configure(
        flow_id,
        {
            "tic": ["1"],
            "clamp": ["1"],
            "probe": ["1", "4"],
            "onewire_card": ["2"],
            "relay": ["1", "2"],
            "pulse_counter": [],
        },
    )
    assert result["type"] is FlowResultType.MENU
    assert "onewire_card" in result["menu_options"]
    assert "pulse_counter" not in result["menu_options"]

    result = await hass.config_entries.options.async_configure(flow_id, {"next_step_id": "tic"})
    assert result["step_id"] == "tic"
    result = await hass.config_entries.options.async_configure(flow_id, {"instance": "1"})
    assert result["step_id"] == "instance"
    assert _defaults(result) == {"tariff": "auto", "measure": "consumption"}
    result = await hass.config_entries.options.async_configure(
        flow_id, {"tariff": "tempo", "measure": "both"}
    )
    assert result["type"] is FlowResultType.MENU

    result = await hass.config_entries.options.async_configure(
        flow_id, {"next_step_id": "onewire_card"}
    )
    result = await hass.config_entries.options.async_configure(flow_id, {"instance": "2"})
    assert _defaults(result) == {"relay_count": "8"}
    result = await hass.config_entries.options.async_configure(flow_id, {"relay_count": "3"})

    result = await hass.config_entries.options.async_configure(
        flow_id, {"next_step_id": "hardware"}
    )
    assert _defaults(result) == {OPT_SCREEN: False, OPT_MAINS_VOLTAGE: False}
    result = await hass.config_entries.options.async_configure(
        flow_id, {OPT_SCREEN: True, OPT_MAINS_VOLTAGE: True}
    )

    result = await hass.config_entries.options.async_configure(flow_id, {"next_step_id": "polling"})
    assert _defaults(result) == {OPT_SCAN_INTERVAL: 30}
    result = await hass.config_entries.options.async_configure(flow_id, {OPT_SCAN_INTERVAL: 45})

    result = await hass.config_entries.options.async_configure(flow_id, {"next_step_id": "save"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    assert entry.options[OPT_SCREEN] is True
    assert entry.options[OPT_MAINS_VOLTAGE] is True
    assert entry.options[OPT_SCAN_INTERVAL] == 45
    features = entry.options[OPT_FEATURES]
    assert features["tic"] == {"1": {"tariff": "tempo", "measure": "both"}}
    assert features["onewire_card"] == {"2": {"relay_count": "3"}}
    assert set(features["probe"]) == {"1", "4"}
    assert "pulse_counter" not in features
    # The update listener reloaded the entry with the new options.
    assert entry.state is ConfigEntryState.LOADED
    coordinator = entry.runtime_data
    assert coordinator.update_interval is not None
    assert coordinator.update_interval.total_seconds() == 45
    assert coordinator.features.screen is True


async def test_options_on_an_unloaded_entry(hass: HomeAssistant, wes_simulator: Any) -> None:
    """The options flow works without the entry loaded (no names to show, defaults)."""
    entry = build_entry(wes_simulator, options={})
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["menu_options"] == ["features", "hardware", "polling", "save"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "save"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {}


async def test_names_not_readable_after_upload(hass: HomeAssistant, wes_simulator: Any) -> None:
    """FTP works but the names file cannot be read back: the address identifies the WES."""
    result = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(wes_simulator)
    )
    with patch(
        "custom_components.wescontrol.config_flow.parse_names",
        side_effect=WesParseError("garbled"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], _ftp_input(wes_simulator)
        )
    assert result["step_id"] == "features"
    result = await hass.config_entries.flow.async_configure(result["flow_id"], _hardware())
    assert result["result"].unique_id == f"{SIM_HOST}:{wes_simulator.http_port}"
    await hass.async_block_till_done()


async def test_options_parameter_pages(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Every kind with parameters has its page; names label the instances."""
    entry = init_integration
    result = await hass.config_entries.options.async_init(entry.entry_id)
    flow_id = result["flow_id"]
    for kind, fields in (
        ("pulse_counter", {"meter_type": "gas", "measure": "consumption"}),
        ("probe", {"probe_kind": "humidity"}),
        ("clamp", {"measure": "production", "clamp_type": "20a"}),
    ):
        result = await hass.config_entries.options.async_configure(flow_id, {"next_step_id": kind})
        assert result["step_id"] == kind
        result = await hass.config_entries.options.async_configure(flow_id, {"instance": "1"})
        assert result["step_id"] == "instance"
        assert set(_defaults(result)) == set(fields)
        assert result["description_placeholders"]["instance"].startswith("1")
        result = await hass.config_entries.options.async_configure(flow_id, fields)
        assert result["type"] is FlowResultType.MENU
    result = await hass.config_entries.options.async_configure(flow_id, {"next_step_id": "save"})
    await hass.async_block_till_done()
    features = entry.options[OPT_FEATURES]
    assert features["pulse_counter"]["1"] == {"meter_type": "gas", "measure": "consumption"}
    assert features["probe"]["1"] == {"probe_kind": "humidity"}
    assert features["clamp"]["1"] == {"measure": "production", "clamp_type": "20a"}
    assert features["clamp"]["2"] == {"measure": "consumption", "clamp_type": "100a"}


async def test_options_features_of_an_unloaded_entry(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    entry = build_entry(wes_simulator, options={})
    entry.add_to_hass(hass)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "features"}
    )
    assert _defaults(result)["relay"] == []
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"relay": ["2"], "probe": ["7"]}
    )
    assert result["menu_options"] == ["features", "probe", "hardware", "polling", "save"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "save"}
    )
    assert entry.options[OPT_FEATURES] == {
        "probe": {"7": {"probe_kind": "temperature"}},
        "relay": {"2": {}},
    }


# ----- the catalogue behind the forms -----------------------------------------------------


def test_enabled_instances_is_lenient() -> None:
    """Options from another version never break setup: bad parts are dropped or defaulted."""
    raw = {
        OPT_FEATURES: {
            "tic": {"1": {"tariff": "martian", "extra": "x"}, "9": {}, "two": {}},
            "clamp": ["not", "a", "mapping"],
            "teleporter": {"1": {}},
            "probe": {"2": None},
            "relay": {},
        }
    }
    assert enabled_instances(raw) == {
        FeatureKind.TIC: {1: {"tariff": "auto", "measure": "consumption"}},
        FeatureKind.PROBE: {2: {"probe_kind": "temperature"}},
    }
    assert enabled_instances({OPT_FEATURES: "junk"}) == {}
    features = features_from_options(raw | {OPT_SCREEN: True})
    assert features.screen is True
    assert features.mains_voltage is False
    assert features.numbers(FeatureKind.TIC) == [1]


def test_catalog_covers_every_kind() -> None:
    assert set(CATALOG) == set(FeatureKind)
    assert CATALOG[FeatureKind.TIC].web_page == "TICVAL.HTM"
    assert CATALOG[FeatureKind.CLAMP].web_page == "PCEVAL.HTM"
    assert CATALOG[FeatureKind.PULSE_COUNTER].web_page == "PULSES.HTM"
    assert CATALOG[FeatureKind.PROBE].web_page == "TMP.HTM"
    assert CATALOG[FeatureKind.RELAY].web_page == "RELAIS.HTM"
    assert CATALOG[FeatureKind.VARIABLE].web_page is None
    assert CATALOG[FeatureKind.ONEWIRE_CARD].default_options() == {"relay_count": "8"}
    assert CATALOG[FeatureKind.PROBE].count == 30


def test_preselect_reads_what_is_wired() -> None:
    data = WesData(
        info=WesInfo(alarm=False),
        tics={
            1: Tic(adco="021528603314"),
            2: Tic(adco=None),
            3: Tic(adco="0000", producer=True),
        },
        clamps={
            1: Clamp(current=2.5),
            2: Clamp(current=0.0, index=0),
            3: Clamp(current=0.0, injection_index=1200),
        },
        pulse_counters={1: PulseCounter(index=12.5), 2: PulseCounter(index=0, pulses_today=0)},
        probes={1: 21.5, 2: 0.0, 3: None, 31: 4.0},
        onewire_relays={101: True, 102: False, 103: False, 111: True, 118: False, 250: True},
        analog_inputs={1: 0.0, 2: 3.3},
        virtual_switches={1: True, 2: False, 3: None},
        variables={1: 0.0, 8: 2.5},
        mains_voltage=231.0,
    )
    options = preselect(data)
    assert options[OPT_SCREEN] is True
    assert options[OPT_MAINS_VOLTAGE] is True
    features = options[OPT_FEATURES]
    assert features["tic"] == {
        "1": {"tariff": "auto", "measure": "consumption"},
        "3": {"tariff": "auto", "measure": "both"},
    }
    assert features["clamp"] == {
        "1": {"measure": "consumption", "clamp_type": "100a"},
        "3": {"measure": "production", "clamp_type": "100a"},
    }
    assert list(features["pulse_counter"]) == ["1"]
    assert list(features["probe"]) == ["1"]  # 0.0 is "no probe"; 31 does not exist
    assert features["onewire_card"] == {"1": {"relay_count": "3"}, "2": {"relay_count": "8"}}
    assert features["relay"] == {"1": {}, "2": {}}
    assert features["input"] == {"1": {}, "2": {}}
    assert list(features["analog_input"]) == ["2"]
    assert list(features["virtual_switch"]) == ["1"]
    assert list(features["variable"]) == ["8"]
    empty = preselect(WesData())
    assert empty[OPT_SCREEN] is False
    assert empty[OPT_MAINS_VOLTAGE] is False
    assert set(empty[OPT_FEATURES]) == {"relay", "input"}


def _ftp_entry_data(sim: Any) -> dict[str, Any]:
    return {
        CONF_FTP_USERNAME: FTP_USER,
        CONF_FTP_PASSWORD: FTP_PASSWORD,
        CONF_FTP_PORT: sim.ftp_port,
        CONF_MANAGE_DATA_FILE: False,
        CONF_AUTO_UPDATE: False,
    }


def _ftp_fields(sim: Any, **changes: Any) -> dict[str, Any]:
    return {
        CONF_FTP_USERNAME: FTP_USER,
        CONF_FTP_PASSWORD: FTP_PASSWORD,
        CONF_FTP_PORT: sim.ftp_port,
    } | changes


async def test_reconfigure_with_ftp(hass: HomeAssistant, wes_simulator: Any) -> None:
    """The FTP account is part of the form, checked, then stored with the rest."""
    entry = build_entry(wes_simulator, data=_ftp_entry_data(wes_simulator))
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert _suggested(result)[CONF_FTP_PORT] == wes_simulator.ftp_port
    flow_id = result["flow_id"]

    result = await hass.config_entries.flow.async_configure(
        flow_id, _user_input(wes_simulator) | _ftp_fields(wes_simulator, ftp_password="bad")
    )
    assert result["errors"] == {"base": "invalid_ftp_auth"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, _user_input(wes_simulator) | _ftp_fields(wes_simulator, ftp_port=_free_port())
    )
    assert result["errors"] == {"base": "ftp_cannot_connect"}

    new_port = wes_simulator.ftp_port
    result = await hass.config_entries.flow.async_configure(
        flow_id, _user_input(wes_simulator) | _ftp_fields(wes_simulator)
    )
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_FTP_PORT] == new_port
    assert entry.data[CONF_MANAGE_DATA_FILE] is False  # untouched
    await hass.async_block_till_done()


async def test_reconfigure_with_ftp_finds_another_wes(
    hass: HomeAssistant, wes_simulator: Any, wes_simulator_factory: Any
) -> None:
    """The names file put by FTP at the new address tells another MAC: refused."""
    entry = build_entry(wes_simulator, data=_ftp_entry_data(wes_simulator))
    entry.add_to_hass(hass)
    other = await wes_simulator_factory()
    other.device.mac = "001EC0ABCDEF"
    result = await entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], _user_input(other) | _ftp_fields(other)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"


async def test_reconfigure_without_ftp_has_no_ftp_fields(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    entry = build_entry(wes_simulator)
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert CONF_FTP_USERNAME not in _suggested(result)
