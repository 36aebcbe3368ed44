"""Fault suite: every way a WES can fail, through Home Assistant, against the simulator.

For each fault the same promises are checked (design §5, silver rules): entities go
unavailable, the log says it once and once more on recovery, the entry recovers by
itself on the first poll after the fault clears, no lifetime index ever goes down, and no
secret ever reaches a log record.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from homeassistant.components.sensor import ATTR_STATE_CLASS, SensorStateClass
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import (
    CONF_PASSWORD,
    CONF_USERNAME,
    EVENT_STATE_CHANGED,
    STATE_OFF,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.update_coordinator import UpdateFailed
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.wescontrol.const import (
    CONF_AUTO_UPDATE,
    CONF_FTP_PASSWORD,
    CONF_FTP_PORT,
    CONF_FTP_USERNAME,
    CONF_MANAGE_DATA_FILE,
    DOMAIN,
)
from custom_components.wescontrol.wes.client import WesClient
from simulator import Fault, FaultKind, WesSimulator

from .conftest import ADMIN_USER, FTP_USER, build_entry, setup_integration

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterator
    from pathlib import Path

    from custom_components.wescontrol.coordinator import WesCoordinator

pytestmark = pytest.mark.usefixtures("socket_enabled", "entity_registry_enabled_by_default")

POLL = timedelta(seconds=30)
FAILING_POLLS = 3
# Distinctive secrets, so that a leak cannot hide behind a common word ("wes", "user").
WEB_SECRET = "Web-S3cret!7q"
FTP_SECRET = "Ftp-S3cret!9z"
SECRETS = (
    WEB_SECRET,
    FTP_SECRET,
    base64.b64encode(f"{ADMIN_USER}:{WEB_SECRET}".encode()).decode(),
    base64.b64encode(f"{FTP_USER}:{FTP_SECRET}".encode()).decode(),
    "Authorization",
)
OTHER_MAC = "001EC0FFFFFF"
LOGGER_PREFIX = "custom_components.wescontrol"


# ----- the faults ----------------------------------------------------------------------------


@dataclass
class FaultContext:
    """What a fault case can act on: the simulator, and what it saved to undo the fault."""

    sim: WesSimulator = field(init=False)
    saved_mac: str = ""
    saved_port: int = 0
    saved_ftp_port: int = 0
    # Requests hang: the test moves the clock past the client timeout once one got here.
    stall: Fault | None = None


type FaultAction = Callable[[FaultContext], Awaitable[None]]


def _sim_fault(kind: FaultKind) -> tuple[FaultAction, FaultAction]:
    """Arm one of the simulator's fault kinds on every request until cleared."""

    async def arm(ctx: FaultContext) -> None:
        fault = ctx.sim.faults.set(kind)
        ctx.stall = fault if kind is FaultKind.TIMEOUT else None

    async def clear(ctx: FaultContext) -> None:
        ctx.sim.faults.clear()
        ctx.stall = None

    return arm, clear


async def _stop_http(ctx: FaultContext) -> None:
    """Close the port: the simulator stops (its SD card is a test folder, so it stays)."""
    ctx.saved_port = ctx.sim.http_port
    ctx.saved_ftp_port = ctx.sim.ftp_port
    await ctx.sim.stop()


async def _restart_http(ctx: FaultContext) -> None:
    await ctx.sim.start(host="127.0.0.1", http_port=ctx.saved_port, ftp_port=ctx.saved_ftp_port)


async def _reboot(ctx: FaultContext) -> None:
    """Start a reboot; the WES is unreachable until ``_wait_rebooted``."""
    ctx.sim.reboot_delay = 3600.0  # the test decides when the WES is back
    ctx.sim.schedule_reboot()
    for _ in range(50):  # a few loop turns: the reboot task closes the port
        await asyncio.sleep(0)
    assert ctx.sim.rebooting


async def _wait_rebooted(ctx: FaultContext) -> None:
    """End the reboot: listen again on the same port, as the WES does after booting."""
    boots = ctx.sim.device.boot_count
    await ctx.sim.end_reboot()
    assert ctx.sim.device.boot_count == boots + 1
    assert not ctx.sim.rebooting


async def _swap_wes(ctx: FaultContext) -> None:
    """Another WES now answers at the address (same files, another MAC)."""
    ctx.saved_mac = ctx.sim.device.mac
    ctx.sim.device.mac = OTHER_MAC


async def _restore_wes(ctx: FaultContext) -> None:
    ctx.sim.device.mac = ctx.saved_mac


@dataclass(frozen=True)
class FaultCase:
    """One way to fail: how to start and end it, and what the coordinator should say."""

    arm: FaultAction
    clear: FaultAction
    translation_key: str
    needs_mac: bool = False  # only detectable when the data read carries the MAC


FAULTS: dict[str, FaultCase] = {
    "timeout": FaultCase(*_sim_fault(FaultKind.TIMEOUT), "timeout"),
    "connection_refused": FaultCase(_stop_http, _restart_http, "cannot_connect"),
    "reset_mid_body": FaultCase(*_sim_fault(FaultKind.RESET), "cannot_connect"),
    "truncated_xml": FaultCase(*_sim_fault(FaultKind.TRUNCATED), "invalid_response"),
    "malformed_xml": FaultCase(*_sim_fault(FaultKind.MALFORMED_XML), "invalid_response"),
    "html_page": FaultCase(*_sim_fault(FaultKind.HTML_ERROR), "invalid_response"),
    "http_403": FaultCase(*_sim_fault(FaultKind.FORBIDDEN), "forbidden"),
    "http_500": FaultCase(*_sim_fault(FaultKind.SERVER_ERROR), "cannot_connect"),
    "reboot": FaultCase(_reboot, _wait_rebooted, "cannot_connect"),
    "other_wes": FaultCase(_swap_wes, _restore_wes, "wrong_device", needs_mac=True),
}


# ----- fixtures --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def short_request_timeout() -> Iterator[None]:
    """Client timeouts of a quarter second, so the timeout case stays fast."""
    with pytest.MonkeyPatch.context() as patcher:
        patcher.setattr(
            "custom_components.wescontrol.coordinator.WesClient",
            functools.partial(WesClient, request_timeout=0.25),
        )
        yield


@pytest.fixture
async def fault_context(
    wes_simulator_factory: Callable[..., Awaitable[WesSimulator]], tmp_path: Path
) -> FaultContext:
    """A fully equipped scenario-a WES with distinctive secrets."""
    ctx = FaultContext()
    ctx.sim = await wes_simulator_factory(
        generation="v084",
        scenario="a",
        admin=(ADMIN_USER, WEB_SECRET),
        ftp=(FTP_USER, FTP_SECRET),
        web_root=tmp_path / "sd",
    )
    return ctx


def _entry(sim: WesSimulator, *, data_file: bool) -> MockConfigEntry:
    """An entry with web and FTP secrets; ``data_file``: poll our file (it prints the MAC)."""
    return build_entry(
        sim,
        data={
            CONF_PASSWORD: WEB_SECRET,
            CONF_FTP_USERNAME: FTP_USER,
            CONF_FTP_PASSWORD: FTP_SECRET,
            CONF_FTP_PORT: sim.ftp_port,
            CONF_MANAGE_DATA_FILE: data_file,
            CONF_AUTO_UPDATE: data_file,
        },
    )


# ----- observation helpers ------------------------------------------------------------------------


async def _poll(hass: HomeAssistant, freezer: Any, ctx: FaultContext | None = None) -> None:
    """Let one scheduled poll happen.

    The test clock is frozen, the event loop's too: a request that hangs only times out
    when the clock is moved past the client's timeout, once the WES got the request.
    """
    stall = ctx.stall if ctx is not None else None
    hits = stall.hits if stall is not None else 0
    freezer.tick(POLL)
    async_fire_time_changed(hass)
    if stall is not None:
        for _ in range(10_000):  # loop turns, not time: the loop's clock is frozen
            if stall.hits > hits:
                break
            await asyncio.sleep(0)
        assert stall.hits > hits, "the poll never reached the WES"
        freezer.tick(timedelta(seconds=1))
        async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


class IndexWatcher:
    """Records every state of every ``total_increasing`` sensor; a drop is a failure."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start listening to state changes."""
        self.last: dict[str, float] = {}
        self.drops: list[tuple[str, float, float]] = []
        self.seen = 0
        self._unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, self._on_change)
        for state in hass.states.async_all("sensor"):
            self._record(state.entity_id, state.state, state.attributes)

    @callback
    def _on_change(self, event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None:
            self._record(new.entity_id, new.state, new.attributes)

    def _record(self, entity_id: str, value: str, attributes: Any) -> None:
        if attributes.get(ATTR_STATE_CLASS) != SensorStateClass.TOTAL_INCREASING:
            return
        try:
            number = float(value)
        except ValueError:
            return  # unknown / unavailable: the recorder skips them, nothing is booked
        self.seen += 1
        previous = self.last.get(entity_id)
        if previous is not None and number < previous:
            self.drops.append((entity_id, previous, number))
        self.last[entity_id] = number

    def close(self) -> None:
        """Stop listening."""
        self._unsub()


def _entity_ids(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    registry = er.async_get(hass)
    return [e.entity_id for e in er.async_entries_for_config_entry(registry, entry.entry_id)]


def _states(hass: HomeAssistant, entity_ids: list[str]) -> dict[str, str]:
    states = {entity_id: hass.states.get(entity_id) for entity_id in entity_ids}
    return {entity_id: state.state for entity_id, state in states.items() if state is not None}


def _split_connectivity(
    hass: HomeAssistant, entry: MockConfigEntry, entity_ids: list[str]
) -> tuple[str, list[str]]:
    """The connectivity sensor (always available, off while failing) and the others."""
    registry = er.async_get(hass)
    wes_id = entry.runtime_data.wes_id
    connectivity = registry.async_get_entity_id("binary_sensor", DOMAIN, f"{wes_id}_connectivity")
    assert connectivity is not None
    return connectivity, [entity_id for entity_id in entity_ids if entity_id != connectivity]


def _loud(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    """What a user sees in the log of the integration: INFO and above."""
    return [r for r in records if r.levelno >= logging.INFO and r.name.startswith(LOGGER_PREFIX)]


def _warnings(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    """Warnings and errors from anyone but asyncio (slow callbacks of the test loop)."""
    return [r for r in records if r.levelno >= logging.WARNING and r.name != "asyncio"]


def _assert_no_secret(records: list[logging.LogRecord]) -> None:
    """No password, FTP password or Basic credentials in any record, message or traceback."""
    formatter = logging.Formatter()
    for record in records:
        text = formatter.format(record) + repr(record.args)
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked in {record.name}: {text[:200]}"


def _assert_no_secret_in_error(error: BaseException | None) -> None:
    """Neither the error nor anything it was raised from carries a secret."""
    while error is not None:
        text = f"{error!s} {error!r} {error.args!r}"
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} leaked in {type(error).__name__}"
        error = error.__cause__ or error.__context__


# ----- the suite ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "data_file"),
    [
        pytest.param(name, data_file, id=f"{name}-{'our_file' if data_file else 'builtin_file'}")
        for name, case in FAULTS.items()
        for data_file in (False, True)
        # DATA.CGX does not print the MAC: see test_other_wes_with_builtin_file.
        if data_file or not case.needs_mac
    ],
)
async def test_fault_then_recovery(
    hass: HomeAssistant,
    freezer: Any,
    caplog: pytest.LogCaptureFixture,
    fault_context: FaultContext,
    fault: str,
    data_file: bool,
) -> None:
    """Unavailable while failing, said once, back by itself, no index drop, no leak."""
    case = FAULTS[fault]
    caplog.set_level(logging.DEBUG)
    entry = await setup_integration(hass, _entry(fault_context.sim, data_file=data_file))
    assert entry.state is ConfigEntryState.LOADED
    coordinator: WesCoordinator = entry.runtime_data
    connectivity, entity_ids = _split_connectivity(hass, entry, _entity_ids(hass, entry))
    good = _states(hass, entity_ids)
    assert len(good) == len(entity_ids) > 40
    # DATA.CGX cannot feed some entities: those are unavailable (see test_availability.py).
    assert (STATE_UNAVAILABLE in good.values()) is not data_file
    assert hass.states.get(connectivity).state == STATE_ON  # type: ignore[union-attr]
    data_before = coordinator.data
    watcher = IndexWatcher(hass)
    assert watcher.seen > 5  # lifetime indexes and period totals are watched
    mark = len(caplog.records)

    await case.arm(fault_context)
    for _ in range(FAILING_POLLS):
        await _poll(hass, freezer, fault_context)
        assert not coordinator.last_update_success
        assert set(_states(hass, entity_ids).values()) == {STATE_UNAVAILABLE}
        assert hass.states.get(connectivity).state == STATE_OFF  # type: ignore[union-attr]
    error = coordinator.last_exception
    assert isinstance(error, UpdateFailed)
    assert error.translation_domain == DOMAIN
    assert error.translation_key == case.translation_key
    assert coordinator.data is data_before  # nothing of a failed read is kept
    _assert_no_secret_in_error(error)
    failing = _loud(caplog.records[mark:])
    assert [r.levelno for r in failing] == [logging.ERROR], failing
    assert str(error) in failing[0].getMessage()
    # Nothing else says more than debug about it (aiohttp, Home Assistant...).
    assert _warnings(caplog.records[mark:]) == failing
    mark = len(caplog.records)

    await case.clear(fault_context)
    await _poll(hass, freezer)
    assert coordinator.last_update_success
    assert _states(hass, entity_ids) == good
    assert hass.states.get(connectivity).state == STATE_ON  # type: ignore[union-attr]
    await _poll(hass, freezer)
    recovered = _loud(caplog.records[mark:])
    assert [(r.levelno, "recovered" in r.getMessage()) for r in recovered] == [(logging.INFO, True)]

    watcher.close()
    assert watcher.drops == []
    _assert_no_secret(caplog.records)


async def test_other_wes_with_builtin_file(
    hass: HomeAssistant, freezer: Any, fault_context: FaultContext
) -> None:
    """DATA.CGX has no MAC: a swap is only caught at the next setup, by the names file.

    What polls can still promise: the lifetime indexes of the other WES, lower than ours,
    are published as unknown rather than as a drop.
    """
    entry = await setup_integration(hass, _entry(fault_context.sim, data_file=False))
    watcher = IndexWatcher(hass)
    await _swap_wes(fault_context)
    for tic in fault_context.sim.device.tics:
        for register in tic.indexes:
            tic.indexes[register] //= 2
    await _poll(hass, freezer)
    assert entry.runtime_data.last_update_success  # nothing tells the two apart
    watcher.close()
    assert watcher.drops == []


async def _fail_with_401(
    hass: HomeAssistant, freezer: Any, caplog: pytest.LogCaptureFixture, ctx: FaultContext
) -> tuple[MockConfigEntry, list[str], dict[str, str], str]:
    """Set up, then let the WES answer 401 to several polls; returns the reauth flow id."""
    entry = await setup_integration(hass, _entry(ctx.sim, data_file=True))
    _, entity_ids = _split_connectivity(hass, entry, _entity_ids(hass, entry))
    good = _states(hass, entity_ids)
    mark = len(caplog.records)
    ctx.sim.faults.set("unauthorized")
    for _ in range(FAILING_POLLS):
        await _poll(hass, freezer, ctx)
        assert set(_states(hass, entity_ids).values()) == {STATE_UNAVAILABLE}
    flows = [
        flow
        for flow in hass.config_entries.flow.async_progress()
        if flow["context"]["source"] == SOURCE_REAUTH
    ]
    assert [flow["context"]["entry_id"] for flow in flows] == [entry.entry_id]
    loud = _loud(caplog.records[mark:])
    assert [r.levelno for r in loud] == [logging.ERROR]
    assert "Authentication failed" in loud[0].getMessage()
    return entry, entity_ids, good, flows[0]["flow_id"]


async def test_401_starts_reauth(
    hass: HomeAssistant,
    freezer: Any,
    caplog: pytest.LogCaptureFixture,
    fault_context: FaultContext,
) -> None:
    """401: unavailable, logged once, one reauth flow for the entry, no index drop."""
    caplog.set_level(logging.DEBUG)
    watcher = IndexWatcher(hass)
    entry, _, _, _ = await _fail_with_401(hass, freezer, caplog, fault_context)
    assert entry.state is ConfigEntryState.LOADED
    watcher.close()
    assert watcher.drops == []
    _assert_no_secret(caplog.records)


async def test_reauth_with_same_account_recovers(
    hass: HomeAssistant,
    freezer: Any,
    caplog: pytest.LogCaptureFixture,
    fault_context: FaultContext,
) -> None:
    """A WES that answered 401 for a while: confirming the same account brings it back."""
    caplog.set_level(logging.DEBUG)
    watcher = IndexWatcher(hass)
    entry, entity_ids, good, flow_id = await _fail_with_401(hass, freezer, caplog, fault_context)
    fault_context.sim.faults.clear()
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_USERNAME: ADMIN_USER, CONF_PASSWORD: WEB_SECRET}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    await _poll(hass, freezer, fault_context)
    assert entry.state is ConfigEntryState.LOADED
    watcher.close()
    assert watcher.drops == []
    _assert_no_secret(caplog.records)
    assert _states(hass, entity_ids) == good


async def test_meter_not_read_yet_after_reboot(
    hass: HomeAssistant, freezer: Any, caplog: pytest.LogCaptureFixture, fault_context: FaultContext
) -> None:
    """Right after a reboot the WES prints zeros for a meter it has not read yet.

    Those are missing values, not readings: the TIC's indexes are ``unknown`` while the
    rest of the WES is available, and no index is booked as a drop.
    """
    caplog.set_level(logging.DEBUG)
    sim = fault_context.sim
    entry = await setup_integration(hass, _entry(sim, data_file=True))
    entity_ids = _entity_ids(hass, entry)
    good = _states(hass, entity_ids)
    watcher = IndexWatcher(hass)
    registry = er.async_get(hass)
    tic_indexes = [
        entity_id
        for entity_id in entity_ids
        if (entity := registry.async_get(entity_id)) is not None
        and entity.unique_id.startswith(f"{entry.runtime_data.wes_id}_tic1_")
        and hass.states.get(entity_id) is not None
        and hass.states.get(entity_id).attributes.get(ATTR_STATE_CLASS)  # type: ignore[union-attr]
        == SensorStateClass.TOTAL_INCREASING
        and "index" in entity.unique_id
    ]
    assert tic_indexes

    await _reboot(fault_context)
    await _poll(hass, freezer)
    sim.device.tics[0].wired = False
    await _wait_rebooted(fault_context)
    await _poll(hass, freezer)
    after_boot = _states(hass, entity_ids)
    assert {after_boot[entity_id] for entity_id in tic_indexes} == {STATE_UNKNOWN}
    assert STATE_UNAVAILABLE not in after_boot.values()

    sim.device.tics[0].wired = True
    await _poll(hass, freezer)
    assert _states(hass, entity_ids) == good
    watcher.close()
    assert watcher.drops == []
    _assert_no_secret(caplog.records)


async def test_wes_down_at_start_then_back(
    hass: HomeAssistant, freezer: Any, caplog: pytest.LogCaptureFixture, fault_context: FaultContext
) -> None:
    """A WES off when Home Assistant starts: setup retries by itself and loads once it is back."""
    caplog.set_level(logging.DEBUG)
    sim = fault_context.sim
    entry = _entry(sim, data_file=True)
    await _stop_http(fault_context)
    mark = len(caplog.records)
    await setup_integration(hass, entry)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    said = [r.getMessage() for r in caplog.records[mark:] if "not ready yet" in r.getMessage()]
    assert len(said) == 1
    assert "Cannot reach the WES" in said[0]
    assert not [r for r in _loud(caplog.records[mark:]) if r.levelno >= logging.WARNING]

    await _restart_http(fault_context)
    freezer.tick(timedelta(minutes=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    _, entity_ids = _split_connectivity(hass, entry, _entity_ids(hass, entry))
    assert STATE_UNAVAILABLE not in _states(hass, entity_ids).values()
    _assert_no_secret(caplog.records)
