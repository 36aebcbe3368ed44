"""Per-poll figures for a fully equipped WES served by the simulator on loopback.

Not a test: it prints a table and asserts nothing. It measures what design §5-6 promise:
bytes per poll for each data file, parse time, the coordinator's update (fetch, parse and
every entity's state write) in a real Home Assistant, the same fetch and parse done the
bare way (plain aiohttp + xmltodict) as a reference, the longest event-loop stall during
a poll, and how long a switch command takes to show in its entity's state.

The simulator runs in a child process (``--serve``), so its rendering neither slows the
measured process nor counts as one of its stalls. Every figure is a median; runs of the
reference and of ours alternate, so the noise of a shared machine hits both alike.

Run it with ``scripts/bench`` (or ``PYTHONPATH=. .venv/bin/python scripts/bench.py``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import logging
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from unittest.mock import PropertyMock, patch

import aiohttp
import xmltodict
from homeassistant import loader
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    EVENT_STATE_CHANGED,
    STATE_ON,
)
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import (  # type: ignore[import-untyped]
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.wescontrol.catalog import features_from_options
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
from custom_components.wescontrol.wes.cgx import (
    DATA_FILE_NAME,
    generate_data_file,
    generate_full_data_file,
)
from custom_components.wescontrol.wes.client import WesClient
from custom_components.wescontrol.wes.features import (
    METER_TYPES,
    OPT_CLAMP_TYPE,
    OPT_MEASURE,
    OPT_METER_TYPE,
    OPT_PROBE_KIND,
    OPT_RELAY_COUNT,
    OPT_TARIFF,
)
from custom_components.wescontrol.wes.models import FirmwareGeneration
from custom_components.wescontrol.wes.parser import parse_data
from simulator import (
    Clamp,
    Contract,
    OneWireCard,
    PeriodTotals,
    Probe,
    PulseCounter,
    TempoColour,
    Tic,
    WesSimulator,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterator

    from homeassistant.core import Event, EventStateChangedData, HomeAssistant

    from custom_components.wescontrol.coordinator import WesCoordinator

ROOT: Final = Path(__file__).resolve().parent.parent
JEEDOM_SAMPLE: Final = ROOT / "tests" / "fixtures" / "data_jeedom_beta_cgx105_synth.xml"
JEEDOM_NAME: Final = "JEEDOM.XML"  # served as it is, like a rendered DATA_JEEDOM.CGX
BUILTIN_NAME: Final = "DATA.CGX"
TYPICAL_NAME: Final = "TYPICAL.CGX"  # our file for a typical install
FULL_NAME: Final = "FULL.CGX"  # every feature with every field, Jeedom-style
# A typical install: 1 Tempo TIC, 2 clamps, 1 water counter, 3 probes, 2 relays.
TYPICAL_OPTIONS: Final[dict[str, Any]] = {
    "features": {
        "tic": {"1": {OPT_TARIFF: "tempo", OPT_MEASURE: "consumption"}},
        "clamp": {"1": {OPT_MEASURE: "consumption"}, "2": {OPT_MEASURE: "production"}},
        "pulse_counter": {"1": {OPT_METER_TYPE: "water", OPT_MEASURE: "consumption"}},
        "probe": {str(n): {OPT_PROBE_KIND: "temperature"} for n in (1, 2, 3)},
        "relay": {"1": {}, "2": {}},
    },
}
HOST: Final = "127.0.0.1"
ADMIN: Final = ("admin", "wes")
FTP: Final = ("adminftp", "wesftp")
TICK: Final = 0.001  # the stall meter's period, s
ANIMATE_INTERVAL: Final = 0.05  # s between two drifts of the simulated values

PROBE_KINDS: Final = {"temperature": "T", "humidity": "H", "luminosity": "L"}


def _probe_kind(number: int) -> str:
    """Probes 1-24 measure temperature, 25-27 humidity, 28-30 light."""
    if number <= 24:  # noqa: PLR2004
        return "temperature"
    return "humidity" if number <= 27 else "luminosity"  # noqa: PLR2004


FULL_OPTIONS: Final[dict[str, Any]] = {
    OPT_FEATURES: {
        "tic": {str(n): {OPT_TARIFF: "auto", OPT_MEASURE: "both"} for n in (1, 2, 3)},
        "clamp": {
            "1": {OPT_MEASURE: "consumption", OPT_CLAMP_TYPE: "100a"},
            "2": {OPT_MEASURE: "production", OPT_CLAMP_TYPE: "100a"},
            "3": {OPT_MEASURE: "consumption", OPT_CLAMP_TYPE: "100a"},
            "4": {OPT_MEASURE: "consumption", OPT_CLAMP_TYPE: "20a"},
        },
        "pulse_counter": {
            str(n): {OPT_METER_TYPE: meter, OPT_MEASURE: "consumption"}
            for n, meter in enumerate(METER_TYPES, start=1)
        },
        "probe": {str(n): {OPT_PROBE_KIND: _probe_kind(n)} for n in range(1, 31)},
        "relay": {"1": {}, "2": {}},
        "onewire_card": {"1": {OPT_RELAY_COUNT: "8"}},
        "input": {"1": {}, "2": {}},
        "analog_input": {str(n): {} for n in range(1, 5)},
        "virtual_switch": {str(n): {} for n in range(1, 25)},
        "variable": {str(n): {} for n in range(1, 9)},
    },
    OPT_SCREEN: True,
    OPT_MAINS_VOLTAGE: True,
    OPT_SCAN_INTERVAL: 30,
}


# ----- the simulated installation ----------------------------------------------------------


def _totals(day: float) -> PeriodTotals:
    return PeriodTotals(day=day, month=round(day * 11, 3), year=round(day * 130, 3))


def equip_fully(sim: WesSimulator) -> None:
    """Wire everything a WES can take: 3 TIC, 4 clamps, 6 counters, 30 probes, a card."""
    device = sim.device
    device.alarm = True
    device.mains_voltage = 232
    contracts = (Contract.TEMPO, Contract.HC, Contract.BASE)
    for number, (tic, contract) in enumerate(zip(device.tics, contracts, strict=True), 1):
        if tic.wired:
            continue
        device.tics[number - 1] = Tic(
            wired=True,
            adco=f"0{number}1234567890",
            contract=contract,
            subscribed_current=30,
            phases=3 if contract is Contract.HC else 1,
            today=TempoColour.BLUE if contract is Contract.TEMPO else None,
            tomorrow=TempoColour.WHITE if contract is Contract.TEMPO else None,
            apparent_power=1500 + 100 * number,
            current=[7, 3, 2, 2],
            max_current=[30, 25, 25, 25],
            voltage=[231, 232, 230],
            producer=contract is Contract.HC,
            injection=2_500_000,
            consumption=_totals(10.5),
            cost=_totals(1.9),
        )
        for register in ("base", "hchp", "hchc", "bbrhcjb", "bbrhpjb"):
            device.tics[number - 1].indexes[register] = 12_000_000 + number
    for number, clamp in enumerate(device.clamps, 1):
        if not clamp.enabled:
            device.clamps[number - 1] = Clamp(
                enabled=True,
                current=2.5 * number,
                cos_phi=0.95,
                index=5_000_000 * number,
                consumption=_totals(4.2),
                cost=_totals(0.7),
                max_current=_totals(12.0),
            )
    for number in range(len(device.counters)):
        if device.counters[number].unit == 0:
            device.counters[number] = PulseCounter(
                unit=(1, 2, 2, 3, 1, 4)[number],
                pulses_per_unit=10,
                pulses_today=120,
                index=4321.5 + number,
                flow=1.5,
                consumption_day=12.0,
                consumption_yesterday=15.0,
                consumption_month=0.3,
                consumption_year=3.1,
                cost=_totals(0.4),
            )
    for number in range(len(device.probes)):
        if not device.probes[number].detected:
            kind = PROBE_KINDS[_probe_kind(number + 1)]
            value = {"T": 20.0 + number / 10, "H": 55.0, "L": 300.0}[kind]
            device.probes[number] = Probe(
                detected=True,
                kind=kind,
                value=value,
                rom=(0x28, number, 1, 2, 3, 4, 5, 6),
                minimum=_totals(value - 2),
                maximum=_totals(value + 2),
            )
    device.cards[0] = OneWireCard(size=8, name="Carte 1", rom=(0x29, 9, 8, 7, 6, 5, 4, 3))


# ----- measuring helpers ----------------------------------------------------------------------


@dataclass
class StallMeter:
    """A task that wakes every millisecond and keeps the worst lateness it saw."""

    worst: float = 0.0
    _task: asyncio.Task[None] | None = field(default=None, repr=False)

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(TICK)
            self.worst = max(self.worst, time.perf_counter() - start - TICK)

    def start(self) -> None:
        """Start ticking on the running loop."""
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop ticking."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def timed(
    runs: int,
    action: Callable[[], Awaitable[object]],
    before: Callable[[], Awaitable[None]] | None = None,
) -> list[float]:
    """Durations in seconds of ``runs`` calls of ``action`` (``before`` runs untimed)."""
    durations: list[float] = []
    for _ in range(runs):
        if before is not None:
            await before()
        start = time.perf_counter()
        await action()
        durations.append(time.perf_counter() - start)
    return durations


def sync_timed(runs: int, action: Callable[[], object]) -> list[float]:
    """Durations in seconds of ``runs`` calls of a plain function."""
    durations: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        durations.append(time.perf_counter() - start)
    return durations


def ms(values: list[float]) -> str:
    """Median in milliseconds, with the spread."""
    if not values:
        return "n/a"
    median = statistics.median(values) * 1000
    return f"{median:8.3f} ms  (min {min(values) * 1000:.3f}, max {max(values) * 1000:.3f})"


@dataclass
class Report:
    """Rows of the printed table, by section."""

    rows: list[tuple[str, str]] = field(default_factory=list)

    def section(self, title: str) -> None:
        """Start a section."""
        self.rows.append((f"-- {title}", ""))

    def add(self, label: str, value: str) -> None:
        """Add one figure."""
        self.rows.append((label, value))

    def lines(self) -> Iterator[str]:
        """The table, one line per row."""
        width = max(len(label) for label, _ in self.rows) + 2
        for label, value in self.rows:
            yield label if not value else f"  {label:<{width}}{value}"


# ----- protocol-level figures ------------------------------------------------------------------


async def bare_fetch_parse(session: aiohttp.ClientSession, url: str) -> None:
    """The reference: one GET with plain aiohttp, the body through xmltodict."""
    async with session.get(url, auth=aiohttp.BasicAuth(*ADMIN)) as response:
        xmltodict.parse(await response.read())


async def fetch_with_headers(session: aiohttp.ClientSession, url: str) -> tuple[bytes, int]:
    """Body and header size of one GET."""
    async with session.get(url, auth=aiohttp.BasicAuth(*ADMIN)) as response:
        body = await response.read()
        headers = sum(len(k) + len(v) + 4 for k, v in response.raw_headers) + 17
        return body, headers


async def size_figures(sim: Served, report: Report) -> None:
    """Rendered bytes of our file for a typical install against the full file."""
    async with aiohttp.ClientSession() as session:
        sizes = {
            name: len((await fetch_with_headers(session, f"{sim.url}/{name}"))[0])
            for name in (BUILTIN_NAME, FULL_NAME, TYPICAL_NAME)
        }
    report.section("file sizes, rendered (same device)")
    report.add("built-in DATA.CGX", f"{sizes[BUILTIN_NAME]:8d} bytes")
    report.add("full file, every feature and field", f"{sizes[FULL_NAME]:8d} bytes")
    report.add("ours, typical install", f"{sizes[TYPICAL_NAME]:8d} bytes")
    report.add(
        "typical / full",
        f"{100 * sizes[TYPICAL_NAME] / sizes[FULL_NAME]:8.1f} %  (goal <= 25 %)",
    )


async def protocol_figures(sim: Served, files: dict[str, str], runs: int, report: Report) -> None:
    """Bytes, parse times, bare and client fetch+parse per file."""
    async with aiohttp.ClientSession() as session:
        client = WesClient(HOST, sim.http_port, *ADMIN, session=session)
        for label, name in files.items():
            url = f"{sim.url}/{name}"
            body, header_size = await fetch_with_headers(session, url)
            report.section(f"{label} ({name})")
            report.add("bytes per poll", f"{len(body):8d} body + {header_size} headers")
            report.add(
                "parse_data (ours)", ms(sync_timed(runs * 10, functools.partial(parse_data, body)))
            )
            report.add(
                "xmltodict.parse (bare)",
                ms(sync_timed(runs * 10, functools.partial(xmltodict.parse, body))),
            )

            bare = functools.partial(bare_fetch_parse, session, url)
            ours = functools.partial(client.read_data, name)
            await bare()  # warm the connection pool
            bare_times: list[float] = []
            ours_times: list[float] = []
            for run in range(runs):  # alternate, so that machine noise hits both alike
                pairs = ((bare, bare_times), (ours, ours_times))
                for action, times in pairs if run % 2 else pairs[::-1]:
                    times.extend(await timed(1, action))
            report.add("fetch+parse, aiohttp+xmltodict", ms(bare_times))
            report.add("fetch+parse, WesClient.read_data", ms(ours_times))
            report.add(
                "client overhead vs bare",
                f"{paired_overhead(ours_times, bare_times):+8.1f} %  (goal <= +10 %)",
            )


def paired_overhead(ours: list[float], reference: list[float]) -> float:
    """Median, over runs taken side by side, of how much longer ours took, in %."""
    return (statistics.median(o / r for o, r in zip(ours, reference, strict=True)) - 1) * 100


# ----- Home Assistant figures ------------------------------------------------------------------


async def ha_figures(sim: Served, runs: int, report: Report) -> None:
    """Coordinator updates, loop stalls and command latency in a real Home Assistant."""
    # As in the test plugin: the shared session resolves names without zeroconf.
    with patch(
        "homeassistant.helpers.aiohttp_client._async_make_resolver",
        return_value=aiohttp.AsyncResolver(),
    ):
        await _in_home_assistant(sim, runs, report)


async def _in_home_assistant(sim: Served, runs: int, report: Report) -> None:
    async with async_test_home_assistant() as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)  # let it find our integration
        try:
            for data_file in (False, True):
                await _one_entry(hass, sim, runs, report, data_file=data_file)
        finally:
            await hass.async_stop(force=True)


async def _one_entry(
    hass: HomeAssistant,
    sim: Served,
    runs: int,
    report: Report,
    *,
    data_file: bool,
) -> None:
    """Set up one entry with every entity enabled, measure it, remove it."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="WES",
        unique_id=sim.mac.lower(),
        data={
            CONF_HOST: HOST,
            CONF_PORT: sim.http_port,
            CONF_USERNAME: ADMIN[0],
            CONF_PASSWORD: ADMIN[1],
            CONF_FTP_USERNAME: FTP[0],
            CONF_FTP_PASSWORD: FTP[1],
            CONF_FTP_PORT: sim.ftp_port,
            CONF_MANAGE_DATA_FILE: data_file,
            CONF_AUTO_UPDATE: data_file,
        },
        options=FULL_OPTIONS,
    )
    entry.add_to_hass(hass)
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        new_callable=PropertyMock,
        return_value=True,
    ):
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    coordinator: WesCoordinator = entry.runtime_data
    entities = er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    report.section(f"Home Assistant, polling {coordinator.data_file}")
    report.add("entities (all enabled)", f"{len(entities):8d}")

    async def next_values() -> None:
        await asyncio.sleep(ANIMATE_INTERVAL * 1.2)  # the simulated values drift meanwhile

    # Each run takes the reference, our fetch+parse and a whole refresh side by side, in
    # this same loop, so that the noise of a shared machine hits all three alike.
    url = f"{sim.url}/{coordinator.data_file}"
    bare_times: list[float] = []
    fetch_parse: list[float] = []
    update_times: list[float] = []
    stalls: list[float] = []
    meter = StallMeter()
    meter.start()
    async with aiohttp.ClientSession() as plain:
        for _ in range(runs):
            await next_values()
            bare_times += await timed(1, functools.partial(bare_fetch_parse, plain, url))
            await next_values()
            fetch_parse += await timed(1, coordinator._async_update_data)  # noqa: SLF001
            await next_values()
            meter.worst = 0.0
            update_times += await timed(1, coordinator.async_refresh)
            stalls.append(meter.worst)
    await meter.stop()
    assert coordinator.last_update_success, coordinator.last_exception  # noqa: S101
    report.add("bare fetch+parse, same loop", ms(bare_times))
    report.add("coordinator fetch+parse (no states)", ms(fetch_parse))
    report.add("coordinator update (fetch+parse+states)", ms(update_times))
    for label, times in (("fetch+parse", fetch_parse), ("whole update", update_times)):
        report.add(f"{label} overhead vs bare", f"{paired_overhead(times, bare_times):+8.1f} %")
    writes = statistics.median(u - f for u, f in zip(update_times, fetch_parse, strict=True))
    report.add("state writes per entity", f"{writes / len(entities) * 1e6:8.1f} us")
    report.add(
        "longest loop stall per poll",
        f"{statistics.median(stalls) * 1000:8.3f} ms median, "
        f"{max(stalls) * 1000:.3f} ms worst  (goal < 50 ms)",
    )
    report.add(
        "command -> state (virtual switch)", ms(await _command_latency(hass, coordinator, runs))
    )
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()


async def _command_latency(
    hass: HomeAssistant, coordinator: WesCoordinator, runs: int
) -> list[float]:
    """From ``switch.turn_on/off`` to the entity's new state, alternating."""
    switch_id = _switch_entity(hass)
    durations: list[float] = []
    for _ in range(runs):
        state = hass.states.get(switch_id)
        turn_on = state is None or state.state != STATE_ON
        changed: asyncio.Future[None] = hass.loop.create_future()

        def on_change(event: Event[EventStateChangedData]) -> None:
            new = event.data["new_state"]
            if (
                event.data["entity_id"] == switch_id
                and new is not None
                and (new.state == STATE_ON) == turn_on  # noqa: B023 (read at once)
                and not changed.done()  # noqa: B023
            ):
                changed.set_result(None)  # noqa: B023

        unsub = hass.bus.async_listen(EVENT_STATE_CHANGED, on_change)
        # Commands here come faster than a human's: end the refresh cooldown (1 s) so each
        # one is measured alone, as a command a while after the previous one would be.
        coordinator._debounced_refresh.async_cancel()  # noqa: SLF001
        start = time.perf_counter()
        await hass.services.async_call(
            "switch", "turn_on" if turn_on else "turn_off", {"entity_id": switch_id}
        )
        await asyncio.wait_for(changed, timeout=10)
        durations.append(time.perf_counter() - start)
        unsub()
        await hass.async_block_till_done()
    return durations


def _switch_entity(hass: HomeAssistant) -> str:
    """The entity of virtual switch 5 (any switch of ours would do)."""
    registry = er.async_get(hass)
    for entry in registry.entities.values():
        if (
            entry.platform == DOMAIN
            and entry.domain == "switch"
            and "virtual_switch" in (entry.unique_id)
        ):
            return entry.entity_id
    raise LookupError("no virtual switch entity")


# ----- the simulator, in a process of its own ---------------------------------------------------


async def serve() -> None:
    """Child process: a fully equipped WES whose values drift; runs until stdin closes.

    Apart from the measured process, the simulator's rendering neither slows the polls
    nor shows up as an event-loop stall of Home Assistant.
    """
    sim = WesSimulator(
        generation="v084",
        scenario="a",
        admin=ADMIN,
        ftp=FTP,
        animate=True,
        animate_interval=ANIMATE_INTERVAL,
    )
    equip_fully(sim)
    await sim.start(host=HOST)
    features = features_from_options(FULL_OPTIONS)
    template = generate_data_file(features, FirmwareGeneration.V084)
    (sim.web_root / DATA_FILE_NAME).write_bytes(template.encode("latin-1"))
    (sim.web_root / JEEDOM_NAME).write_bytes(JEEDOM_SAMPLE.read_bytes())
    typical = generate_data_file(features_from_options(TYPICAL_OPTIONS), FirmwareGeneration.V084)
    (sim.web_root / TYPICAL_NAME).write_bytes(typical.encode("latin-1"))
    full = generate_full_data_file(FirmwareGeneration.V084)
    (sim.web_root / FULL_NAME).write_bytes(full.encode("latin-1"))
    print(sim.http_port, sim.ftp_port, sim.device.mac, flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # the parent closes stdin when done
    await sim.stop()


@dataclass(frozen=True)
class Served:
    """Where the child process's simulator listens."""

    http_port: int
    ftp_port: int
    mac: str

    @property
    def url(self) -> str:
        """Base URL of its web server."""
        return f"http://{HOST}:{self.http_port}"


@contextlib.asynccontextmanager
async def served_wes() -> AsyncIterator[Served]:
    """Start ``bench.py --serve`` and stop it at the end."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve",
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None  # noqa: S101 - PIPE asked
    assert process.stdout is not None  # noqa: S101
    try:
        http_port, ftp_port, mac = (await process.stdout.readline()).decode().split()
        yield Served(int(http_port), int(ftp_port), mac)
    finally:
        process.stdin.close()
        await process.wait()


# ----- main --------------------------------------------------------------------------------------


async def main(runs: int) -> None:
    """Measure against the child process's WES, then print the table."""
    started = time.perf_counter()
    files = {
        "built-in data file": BUILTIN_NAME,
        "our generated data file": DATA_FILE_NAME,
        "Jeedom beta file (sample)": JEEDOM_NAME,
    }
    report = Report()
    async with served_wes() as wes:
        await size_figures(wes, report)
        await protocol_figures(wes, files, runs, report)
        await ha_figures(wes, runs, report)
    print(f"WES bench: fully equipped WES on loopback, median of {runs} runs")
    for line in report.lines():
        print(line)
    print(f"total time {time.perf_counter() - started:.1f} s")


def cli() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=30, help="runs per figure (default 30)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(serve() if args.serve else main(args.runs))


if __name__ == "__main__":
    cli()
