"""Our data file on the simulated WES: installed by FTP at setup, re-installed after an
options change, followed poll by poll, and what each file can carry."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.wescontrol.catalog import features_from_options
from custom_components.wescontrol.const import (
    BUILTIN_DATA_FILE,
    CONF_AUTO_UPDATE,
    CONF_FTP_PASSWORD,
    CONF_FTP_PORT,
    CONF_FTP_USERNAME,
    CONF_MANAGE_DATA_FILE,
    OPT_FEATURES,
    OPT_SCAN_INTERVAL,
)
from custom_components.wescontrol.coordinator import UPLOAD_REQUESTS
from custom_components.wescontrol.wes.cgx import (
    DATA_FILE_NAME,
    data_file_version,
    generate_data_file,
)
from custom_components.wescontrol.wes.features import FeatureKind
from custom_components.wescontrol.wes.models import DataLayout, FirmwareGeneration
from simulator.web import WesWebApp

from .conftest import (
    DEFAULT_OPTIONS,
    FTP_PASSWORD,
    FTP_USER,
    build_entry,
    setup_integration,
)

if TYPE_CHECKING:
    from pathlib import Path

    from homeassistant.core import HomeAssistant
    from pytest_homeassistant_custom_component.common import MockConfigEntry

    from custom_components.wescontrol.coordinator import WesCoordinator

pytestmark = pytest.mark.usefixtures("socket_enabled")

POLL = timedelta(seconds=30)
OLD_MARKER = "1.v084.0000000000"


def ftp_data(sim: Any, **changes: Any) -> dict[str, Any]:
    """Entry data giving FTP access to the simulator and managing our file."""
    return {
        CONF_FTP_USERNAME: FTP_USER,
        CONF_FTP_PASSWORD: FTP_PASSWORD,
        CONF_FTP_PORT: sim.ftp_port,
        CONF_MANAGE_DATA_FILE: True,
        CONF_AUTO_UPDATE: True,
    } | changes


def installed_marker(sim: Any) -> str | None:
    """The marker of the template stored on the simulator, read from its text."""
    path: Path = sim.web_root / DATA_FILE_NAME
    if not path.exists():
        return None
    text = path.read_text(encoding="latin-1")
    start = text.index("<version>") + len("<version>")
    return text[start : text.index("</version>", start)]


def put_old_file(sim: Any, options: dict[str, Any] = DEFAULT_OPTIONS) -> None:
    """Store a file of ours whose marker is not the current one (as an older version would)."""
    current = generate_data_file(features_from_options(options), FirmwareGeneration.V084)
    marker = data_file_version(features_from_options(options), FirmwareGeneration.V084)
    (sim.web_root / DATA_FILE_NAME).write_text(current.replace(marker, OLD_MARKER))


async def poll(hass: HomeAssistant, freezer: Any) -> None:
    """Let one scheduled poll happen."""
    freezer.tick(POLL)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def entity_state(hass: HomeAssistant, entry: MockConfigEntry, unique_suffix: str) -> str | None:
    """State of the entity whose unique id is ``<wes id>_<unique_suffix>``."""
    registry = er.async_get(hass)
    unique_id = f"{entry.runtime_data.wes_id}_{unique_suffix}"
    for domain in ("sensor", "binary_sensor", "update", "switch"):
        if entity_id := registry.async_get_entity_id(domain, "wescontrol", unique_id):
            state = hass.states.get(entity_id)
            return None if state is None else state.state
    return None


@pytest.fixture
def request_log(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of every HTTP request the simulators receive."""
    paths: list[str] = []
    original = WesWebApp.handle

    async def logged(self: WesWebApp, request: Any) -> Any:
        paths.append(request.path)
        return await original(self, request)

    monkeypatch.setattr(WesWebApp, "handle", logged)
    return paths


# ----- setup -------------------------------------------------------------------------------


async def test_setup_uploads_our_file_and_entities_read_it(
    hass: HomeAssistant, freezer: Any, request_log: list[str], wes_simulator: Any
) -> None:
    """The file lands in the FTP root; polls read it; values only it carries show up."""
    entry = await setup_integration(hass, build_entry(wes_simulator, data=ftp_data(wes_simulator)))
    coordinator: WesCoordinator = entry.runtime_data
    stored = (wes_simulator.web_root / DATA_FILE_NAME).read_text(encoding="latin-1")
    assert stored == generate_data_file(coordinator.features, FirmwareGeneration.V084)
    assert installed_marker(wes_simulator) == coordinator.data_file_expected

    request_log.clear()
    await poll(hass, freezer)
    assert request_log == [f"/{DATA_FILE_NAME}"]
    data = coordinator.data
    assert data.layout is DataLayout.WESCONTROL
    assert coordinator.reads_own_data_file
    real_power = data.clamps[1].real_power
    assert real_power is not None
    assert real_power > 0  # DATA.CGX has no real power at all
    assert data.tics[1].consumption.day is not None
    assert entity_state(hass, entry, "clamp1_power") == str(real_power)
    assert float(entity_state(hass, entry, "tic1_consumption_day") or "nan") == pytest.approx(
        data.tics[1].consumption.day
    )


async def test_without_ftp_a_current_file_is_read(hass: HomeAssistant, wes_simulator: Any) -> None:
    """A current file of ours (put there earlier) is used even without FTP access."""
    features = features_from_options(DEFAULT_OPTIONS)
    (wes_simulator.web_root / DATA_FILE_NAME).write_text(
        generate_data_file(features, FirmwareGeneration.V084)
    )
    entry = await setup_integration(hass, build_entry(wes_simulator))
    coordinator: WesCoordinator = entry.runtime_data
    assert coordinator.data_file == DATA_FILE_NAME
    assert coordinator.reads_own_data_file
    assert not coordinator.data_file_outdated


async def test_ftp_without_manage_leaves_the_wes_alone(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    """FTP given but "manage" declined: nothing uploaded, nothing looked at."""
    entry = build_entry(wes_simulator, data=ftp_data(wes_simulator, manage_data_file=False))
    await setup_integration(hass, entry)
    coordinator: WesCoordinator = entry.runtime_data
    assert not (wes_simulator.web_root / DATA_FILE_NAME).exists()
    assert coordinator.data_file == BUILTIN_DATA_FILE
    assert coordinator.data_file_expected is None


# ----- options change ----------------------------------------------------------------------


def _with_clamp3() -> dict[str, Any]:
    options = copy.deepcopy(DEFAULT_OPTIONS)
    options[OPT_FEATURES]["clamp"]["3"] = {"measure": "consumption", "clamp_type": "100a"}
    return options


@pytest.mark.parametrize("auto_update", [True, False])
async def test_options_change_reuploads_at_once(
    hass: HomeAssistant, wes_simulator: Any, *, auto_update: bool
) -> None:
    """Enabling an instance is an explicit change: the new file goes up with the reload,
    with or without automatic updates, and the reloaded entities read it."""
    data = ftp_data(wes_simulator, auto_update=auto_update)
    entry = await setup_integration(hass, build_entry(wes_simulator, data=data))
    before = installed_marker(wes_simulator)
    assert before == entry.runtime_data.data_file_expected

    options = _with_clamp3()
    hass.config_entries.async_update_entry(entry, options=options)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    coordinator: WesCoordinator = entry.runtime_data
    after = installed_marker(wes_simulator)
    assert after != before
    assert after == data_file_version(features_from_options(options), FirmwareGeneration.V084)
    assert coordinator.data_file_installed == after == coordinator.data_file_expected
    assert coordinator.data_file == DATA_FILE_NAME
    assert coordinator.data.layout is DataLayout.WESCONTROL
    assert coordinator.data.clamps[3].apparent_power is not None  # only our file has it
    assert entry.entry_id not in hass.data.get(UPLOAD_REQUESTS, set())


async def test_options_change_that_keeps_the_file_does_not_upload(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    entry = await setup_integration(hass, build_entry(wes_simulator, data=ftp_data(wes_simulator)))
    path: Path = wes_simulator.web_root / DATA_FILE_NAME
    path.write_text(path.read_text() + "\n")  # a mark an upload would erase
    hass.config_entries.async_update_entry(entry, options=DEFAULT_OPTIONS | {OPT_SCAN_INTERVAL: 60})
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert path.read_text().endswith(".\n\n")
    assert entry.runtime_data.data_file == DATA_FILE_NAME


async def test_options_change_on_legacy_firmware_asks_no_upload(
    hass: HomeAssistant, wes_simulator_factory: Any
) -> None:
    sim = await wes_simulator_factory(generation="v061d", scenario="a")
    entry = await setup_integration(hass, build_entry(sim, data=ftp_data(sim)))
    assert not entry.runtime_data.data_file_changes_with(_with_clamp3())
    hass.config_entries.async_update_entry(entry, options=_with_clamp3())
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert not (sim.web_root / DATA_FILE_NAME).exists()


async def test_outdated_file_without_auto_update_waits_for_the_user(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    """An outdated file nobody asked to change is left alone when auto update is off."""
    put_old_file(wes_simulator)
    entry = build_entry(wes_simulator, data=ftp_data(wes_simulator, auto_update=False))
    await setup_integration(hass, entry)
    coordinator: WesCoordinator = entry.runtime_data
    assert installed_marker(wes_simulator) == OLD_MARKER
    assert coordinator.data_file_installed == OLD_MARKER
    assert coordinator.data_file_outdated
    assert coordinator.data_file == BUILTIN_DATA_FILE


async def test_outdated_file_with_auto_update_is_replaced(
    hass: HomeAssistant, wes_simulator: Any
) -> None:
    put_old_file(wes_simulator)
    entry = await setup_integration(hass, build_entry(wes_simulator, data=ftp_data(wes_simulator)))
    assert installed_marker(wes_simulator) == entry.runtime_data.data_file_expected
    assert entry.runtime_data.data_file == DATA_FILE_NAME


# ----- followed poll by poll ---------------------------------------------------------------


async def test_file_gone_from_the_wes_falls_back_in_the_same_poll(
    hass: HomeAssistant, freezer: Any, request_log: list[str], wes_simulator: Any
) -> None:
    entry = await setup_integration(hass, build_entry(wes_simulator, data=ftp_data(wes_simulator)))
    coordinator: WesCoordinator = entry.runtime_data
    (wes_simulator.web_root / DATA_FILE_NAME).unlink()
    request_log.clear()
    await poll(hass, freezer)
    assert coordinator.last_update_success
    assert request_log == [f"/{DATA_FILE_NAME}", f"/{BUILTIN_DATA_FILE}"]
    assert coordinator.data.layout is DataLayout.DEFAULT
    assert coordinator.data_file == BUILTIN_DATA_FILE
    assert coordinator.data_file_installed is None
    assert coordinator.data_file_outdated


async def test_file_replaced_on_the_wes_is_not_read_any_more(
    hass: HomeAssistant, freezer: Any, request_log: list[str], wes_simulator: Any
) -> None:
    entry = await setup_integration(hass, build_entry(wes_simulator, data=ftp_data(wes_simulator)))
    coordinator: WesCoordinator = entry.runtime_data
    put_old_file(wes_simulator)
    await poll(hass, freezer)
    assert coordinator.data_file_installed == OLD_MARKER
    assert coordinator.data_file == BUILTIN_DATA_FILE
    request_log.clear()
    await poll(hass, freezer)
    assert request_log == [f"/{BUILTIN_DATA_FILE}"]
    assert not coordinator.reads_own_data_file


async def test_other_errors_on_our_file_stay_poll_failures(
    hass: HomeAssistant, freezer: Any, wes_simulator: Any
) -> None:
    entry = await setup_integration(hass, build_entry(wes_simulator, data=ftp_data(wes_simulator)))
    coordinator: WesCoordinator = entry.runtime_data
    wes_simulator.faults.set("server_error", 1, path=DATA_FILE_NAME)
    await poll(hass, freezer)
    assert not coordinator.last_update_success
    assert coordinator.data_file == DATA_FILE_NAME
    await poll(hass, freezer)
    assert coordinator.last_update_success


# ----- what each file can carry ------------------------------------------------------------


async def test_carries_with_our_file(hass: HomeAssistant, wes_simulator: Any) -> None:
    entry = await setup_integration(hass, build_entry(wes_simulator, data=ftp_data(wes_simulator)))
    coordinator: WesCoordinator = entry.runtime_data
    assert coordinator.reads_own_data_file
    assert coordinator.carries(FeatureKind.CLAMP, "real_power", 1)
    assert coordinator.carries(FeatureKind.TIC, "consumption", 1)
    assert coordinator.carries(None, "free_space")
    assert coordinator.carries(FeatureKind.TIC, "h_super_creuse", 1)
    assert coordinator.carries(FeatureKind.PULSE_COUNTER, "flow", 6)


async def test_carries_with_the_builtin_file(hass: HomeAssistant, wes_simulator: Any) -> None:
    entry = await setup_integration(hass, build_entry(wes_simulator))
    coordinator: WesCoordinator = entry.runtime_data
    assert not coordinator.reads_own_data_file
    assert coordinator.data.clamps[1].real_power is None
    assert not coordinator.carries(FeatureKind.CLAMP, "real_power", 1)
    assert coordinator.carries(FeatureKind.CLAMP, "current", 1)
    assert not coordinator.carries(FeatureKind.TIC, "consumption", 1)
    assert coordinator.carries(FeatureKind.TIC, "injected_apparent_power", 1)
    assert coordinator.carries(FeatureKind.TIC, "hchc", 1)
    assert not coordinator.carries(FeatureKind.TIC, "h_super_creuse", 1)
    assert not coordinator.carries(None, "free_space")
    assert coordinator.carries(None, "mains_voltage")
    assert coordinator.carries(FeatureKind.PULSE_COUNTER, "index", 4)
    assert not coordinator.carries(FeatureKind.PULSE_COUNTER, "index", 5)
    assert coordinator.carries(FeatureKind.VIRTUAL_SWITCH, None, 24)
    assert coordinator.carries(FeatureKind.PROBE, None, 30)


@pytest.mark.parametrize("generation", ["v08x", "v061d"])
async def test_carries_on_older_firmware(
    hass: HomeAssistant, wes_simulator_factory: Any, generation: str
) -> None:
    sim = await wes_simulator_factory(generation=generation, scenario="a")
    entry = await setup_integration(hass, build_entry(sim, data=ftp_data(sim)))
    coordinator: WesCoordinator = entry.runtime_data
    legacy = generation == "v061d"
    assert coordinator.reads_own_data_file is not legacy
    assert not coordinator.carries(FeatureKind.CLAMP, "real_power", 1)  # PPT is V0.84A10
    assert not coordinator.carries(FeatureKind.TIC, "producer", 1)
    assert coordinator.carries(FeatureKind.TIC, "apparent_power", 1)
    if legacy:
        assert not coordinator.carries(FeatureKind.TIC, "injected_apparent_power", 1)
        assert not coordinator.carries(FeatureKind.TIC, "voltage", 1)
        assert not coordinator.carries(FeatureKind.TIC, "base", 3)
        assert not coordinator.carries(FeatureKind.VIRTUAL_SWITCH, None, 9)
        assert not coordinator.carries(FeatureKind.VARIABLE, None, 1)
        assert not coordinator.carries(None, "mains_voltage")
        assert coordinator.carries(FeatureKind.PROBE, None, 20)
        assert not coordinator.carries(FeatureKind.PROBE, None, 21)
    else:
        assert coordinator.carries(FeatureKind.TIC, "consumption", 1)
        assert coordinator.carries(FeatureKind.TIC, "hchc", 1)
        assert not coordinator.carries(FeatureKind.TIC, "h_super_creuse", 1)
