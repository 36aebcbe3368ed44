"""The HTTP client against the simulated WES over loopback, plus narrow error-path units."""

from __future__ import annotations

import asyncio
import base64
import logging
import socket
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest
from aiohttp import web

from custom_components.wescontrol.wes.client import DEFAULT_MAX_BODY_SIZE, WesClient
from custom_components.wescontrol.wes.errors import (
    WesAuthError,
    WesConnectionError,
    WesError,
    WesForbiddenError,
    WesParseError,
    WesResponseError,
    WesResponseTooLargeError,
    WesTimeoutError,
)
from custom_components.wescontrol.wes.models import DataLayout
from simulator import FaultKind, WesSimulator

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable

    type Factory = Callable[..., Awaitable[WesSimulator]]

HOST = "127.0.0.1"
SECRET = "s3cr3t-P@ss!"  # never to be seen in messages, reprs or logs
SECRET_HEADER = base64.b64encode(f"admin:{SECRET}".encode()).decode()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A real session for loopback requests, closed at teardown."""
    async with aiohttp.ClientSession() as http:
        yield http


def make_client(
    sim: WesSimulator,
    http: aiohttp.ClientSession,
    username: str = "admin",
    password: str = "wes",
    **kwargs: Any,
) -> WesClient:
    return WesClient(HOST, sim.http_port, username, password, session=http, **kwargs)


def assert_secret_free(*texts: str) -> None:
    for text in texts:
        assert SECRET not in text
        assert SECRET_HEADER not in text


# ---------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("generation", "firmware", "tic_count"),
    [("v084", "V0.84A10", 3), ("v08x", "V0.83H", 3), ("v061d", "V0.61D", 2)],
)
@pytest.mark.parametrize("scenario", ["a", "b"])
async def test_read_builtin_data_file(
    wes_simulator_factory: Factory,
    session: aiohttp.ClientSession,
    generation: str,
    firmware: str,
    tic_count: int,
    scenario: str,
) -> None:
    sim = await wes_simulator_factory(generation=generation, scenario=scenario)
    device = sim.device
    data = await make_client(sim, session).read_data()
    assert data.layout is DataLayout.DEFAULT
    assert data.info.firmware == firmware == device.firmware
    assert data.info.clock == device.clock.replace(second=0)
    assert len(data.tics) == tic_count
    tic = data.tics[1]
    model = device.tics[0]
    assert tic.adco == model.adco
    assert tic.apparent_power == model.apparent_power
    assert tic.subscribed_current == model.subscribed_current
    registers = {key: value for key, value in tic.indexes.items() if value}
    assert registers == {key: value for key, value in model.indexes.items() if value}
    assert all(not data.tics[n].present for n in range(2, tic_count + 1))
    assert data.relays == {n: relay.on for n, relay in enumerate(device.relays, 1)}
    assert data.onewire_relays == device.onewire_states
    switches = {n: switch.on for n, switch in enumerate(device.virtual_switches, 1)}
    assert data.virtual_switches == {n: switches[n] for n in data.virtual_switches}
    assert data.inputs == {n: entry.on for n, entry in enumerate(device.inputs, 1)}
    clamp = device.clamps[0]
    assert data.clamps[1].current == round(clamp.current, 2)
    assert data.clamps[1].index == clamp.index
    assert data.probes[1] == round(device.probes[0].reading, 1)


async def test_fetch_returns_raw_bytes_case_insensitively(
    wes_simulator: WesSimulator, session: aiohttp.ClientSession
) -> None:
    client = make_client(wes_simulator, session)
    body = await client.fetch("data.cgx")
    assert body.startswith(b"<?xml")
    assert body == await client.fetch("/DATA.CGX")
    page = await client.fetch("index.htm")
    assert b"<html>" in page


async def test_missing_file_is_a_response_error(
    wes_simulator: WesSimulator, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(WesResponseError) as caught:
        await make_client(wes_simulator, session).fetch("NOPE.CGX")
    assert caught.value.status == 404


async def test_an_html_page_is_not_a_data_file(
    wes_simulator: WesSimulator, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(WesParseError):
        await make_client(wes_simulator, session).read_data("index.htm")


# ---------------------------------------------------------------------------------------
# Commands really change the simulated device
# ---------------------------------------------------------------------------------------


async def test_relay_commands(wes_simulator: WesSimulator, session: aiohttp.ClientSession) -> None:
    client = make_client(wes_simulator, session)
    relays = wes_simulator.device.relays
    await client.set_relay(1, True)
    await client.set_relay(2, False)
    assert (relays[0].on, relays[1].on) == (True, False)
    await client.set_relay(1, False)
    assert relays[0].on is False
    await client.toggle_relay(2)
    assert relays[1].on is True
    data = await client.read_data()
    assert data.relays == {1: False, 2: True}


async def test_onewire_relay_commands(
    wes_simulator_factory: Factory, session: aiohttp.ClientSession
) -> None:
    sim = await wes_simulator_factory(generation="v084", scenario="b")
    assert 103 in sim.device.onewire_states
    client = make_client(sim, session)
    await client.set_relay(103, True)
    assert sim.device.onewire_states[103] is True
    await client.toggle_relay(103)
    assert sim.device.onewire_states[103] is False
    await client.set_relay(109, True)  # the whole card
    assert all(sim.device.onewire_states[n] for n in range(101, 109))
    await client.toggle_relay(109)
    assert not any(sim.device.onewire_states[n] for n in range(101, 109))
    data = await client.read_data()
    assert data.onewire_relays == dict.fromkeys(range(101, 109), False)


async def test_virtual_switch_commands(
    wes_simulator: WesSimulator, session: aiohttp.ClientSession
) -> None:
    client = make_client(wes_simulator, session)
    switches = wes_simulator.device.virtual_switches
    await client.set_virtual_switch(24, True)
    assert switches[23].on is True
    await client.set_virtual_switch(24, False)
    assert switches[23].on is False
    before = switches[4].on
    await client.toggle_virtual_switch(5)
    assert switches[4].on is not before
    await client.set_virtual_switch(1, True)
    data = await client.read_data()
    assert data.virtual_switches[1] is True


async def test_alarm_command(wes_simulator: WesSimulator, session: aiohttp.ClientSession) -> None:
    client = make_client(wes_simulator, session)
    await client.set_alarm(True)
    assert wes_simulator.device.alarm is True
    await client.set_alarm(False)
    assert wes_simulator.device.alarm is False


async def test_reboot_returns_cleanly_and_the_wes_comes_back(
    wes_simulator: WesSimulator, session: aiohttp.ClientSession
) -> None:
    client = make_client(wes_simulator, session, request_timeout=2.0)
    await client.reboot()
    for _ in range(50):
        await asyncio.sleep(0.1)
        if wes_simulator.device.boot_count and not wes_simulator.rebooting:
            break
    assert wes_simulator.device.boot_count == 1
    assert (await client.read_data()).info.firmware == "V0.84A10"


async def test_reboot_timeout_counts_as_success(
    wes_simulator: WesSimulator, session: aiohttp.ClientSession
) -> None:
    wes_simulator.faults.set(FaultKind.TIMEOUT, 1)
    await make_client(wes_simulator, session, request_timeout=0.2).reboot()


async def test_reboot_still_reports_refused_credentials(
    wes_simulator: WesSimulator, session: aiohttp.ClientSession
) -> None:
    with pytest.raises(WesAuthError):
        await make_client(wes_simulator, session, password="bad").reboot()


@pytest.mark.parametrize("relay_id", [0, 3, 100, 110, 200, 201, -1, 1000])
async def test_invalid_relay_ids(relay_id: int, mock_session: aiohttp.ClientSession) -> None:
    client = WesClient(HOST, session=mock_session)
    with pytest.raises(ValueError, match="Relay"):
        await client.set_relay(relay_id, True)
    with pytest.raises(ValueError, match="Relay"):
        await client.toggle_relay(relay_id)


@pytest.mark.parametrize("relay_id", [1, 2, 101, 108, 109, 111, 118, 119, 191, 198, 199])
async def test_valid_relay_ids(
    relay_id: int, aioclient_mock: Any, mock_session: aiohttp.ClientSession
) -> None:
    aioclient_mock.get(f"http://{HOST}/RL.cgi", text="OK")
    client = WesClient(HOST, session=mock_session)
    await client.set_relay(relay_id, True)
    await client.toggle_relay(relay_id)
    sent = [str(call[1]) for call in aioclient_mock.mock_calls]
    assert sent == [
        f"http://{HOST}/RL.cgi?rl{relay_id}=ON",
        f"http://{HOST}/RL.cgi?frl={relay_id}",
    ]


@pytest.mark.parametrize("number", [0, 25, -3])
async def test_invalid_virtual_switches(number: int, mock_session: aiohttp.ClientSession) -> None:
    client = WesClient(HOST, session=mock_session)
    with pytest.raises(ValueError, match="Virtual switch"):
        await client.set_virtual_switch(number, True)
    with pytest.raises(ValueError, match="Virtual switch"):
        await client.toggle_virtual_switch(number)


@pytest.mark.parametrize("value", [True, 1.0, "1", None])
async def test_ids_must_be_integers(value: Any, mock_session: aiohttp.ClientSession) -> None:
    client = WesClient(HOST, session=mock_session)
    with pytest.raises(TypeError):
        await client.set_relay(value, True)
    with pytest.raises(TypeError):
        await client.set_virtual_switch(value, True)


async def test_command_urls(aioclient_mock: Any, mock_session: aiohttp.ClientSession) -> None:
    aioclient_mock.get(f"http://{HOST}:8080/AJAX.CGX", text="<response>OK</response>")
    client = WesClient(HOST, 8080, session=mock_session)
    await client.set_virtual_switch(3, True)
    await client.set_virtual_switch(3, False)
    await client.toggle_virtual_switch(24)
    await client.set_alarm(True)
    await client.set_alarm(False)
    await client.reboot()
    base = f"http://{HOST}:8080/AJAX.CGX"
    assert [str(call[1]) for call in aioclient_mock.mock_calls] == [
        f"{base}?vs3=ON",
        f"{base}?vs3=OFF",
        f"{base}?fvs=24",
        f"{base}?alarme=ON",
        f"{base}?alarme=OFF",
        f"{base}?reset=yes",
    ]


# ---------------------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------------------


async def test_admin_account(wes_simulator: WesSimulator, session: aiohttp.ClientSession) -> None:
    assert await make_client(wes_simulator, session).is_admin() is True


async def test_read_only_account(
    wes_simulator: WesSimulator, session: aiohttp.ClientSession
) -> None:
    client = make_client(wes_simulator, session, "user", "user")
    assert await client.is_admin() is False
    assert (await client.read_data()).info.firmware == "V0.84A10"
    before = wes_simulator.device.relays[0].on
    commands = [
        client.set_relay(1, not before),
        client.toggle_relay(1),
        client.set_virtual_switch(1, True),
        client.toggle_virtual_switch(1),
        client.set_alarm(True),
        client.reboot(),
    ]
    for command in commands:
        with pytest.raises(WesForbiddenError):
            await command
    assert wes_simulator.device.relays[0].on is before
    assert wes_simulator.device.alarm is False
    assert wes_simulator.device.boot_count == 0


async def test_wrong_password(wes_simulator: WesSimulator, session: aiohttp.ClientSession) -> None:
    client = make_client(wes_simulator, session, password=SECRET)
    for call in (client.read_data, client.is_admin, client.reboot):
        with pytest.raises(WesAuthError) as caught:
            await call()
        assert_secret_free(str(caught.value), repr(caught.value))


async def test_authorization_is_sent_preemptively_in_one_request(
    wes_simulator: WesSimulator,
) -> None:
    sent: list[dict[str, str]] = []

    async def on_headers_sent(
        _session: aiohttp.ClientSession,
        _context: Any,
        params: aiohttp.TraceRequestHeadersSentParams,
    ) -> None:
        sent.append(dict(params.headers))

    trace = aiohttp.TraceConfig()
    trace.on_request_headers_sent.append(on_headers_sent)
    async with aiohttp.ClientSession(trace_configs=[trace]) as http:
        await make_client(wes_simulator, http).read_data()
    assert len(sent) == 1
    assert sent[0]["Authorization"] == "Basic " + base64.b64encode(b"admin:wes").decode()


async def test_user_name_with_colon_is_an_auth_error(mock_session: aiohttp.ClientSession) -> None:
    with pytest.raises(WesAuthError, match="':'"):
        await WesClient(HOST, username="a:b", session=mock_session).read_data()


async def test_password_beyond_latin1_is_sent_as_utf8(
    wes_simulator_factory: Factory, session: aiohttp.ClientSession
) -> None:
    password = "mot€"
    sim = await wes_simulator_factory(admin=("admin", password.encode().decode("latin-1")))
    assert await make_client(sim, session, password=password).is_admin() is True


# ---------------------------------------------------------------------------------------
# Every injected fault maps to the right exception
# ---------------------------------------------------------------------------------------

FAULTS = [
    (FaultKind.RESET, WesConnectionError),
    (FaultKind.TRUNCATED, WesParseError),
    (FaultKind.MALFORMED_XML, WesParseError),
    (FaultKind.HTML_ERROR, WesParseError),
    (FaultKind.SERVER_ERROR, WesResponseError),
    (FaultKind.UNAUTHORIZED, WesAuthError),
]


@pytest.mark.parametrize(("fault", "error"), FAULTS, ids=[fault for fault, _ in FAULTS])
async def test_faults_map_to_errors(
    wes_simulator: WesSimulator,
    session: aiohttp.ClientSession,
    fault: FaultKind,
    error: type[WesError],
) -> None:
    client = make_client(wes_simulator, session)
    wes_simulator.faults.set(fault, 1)
    with pytest.raises(error) as caught:
        await client.read_data()
    if fault is FaultKind.SERVER_ERROR:
        assert isinstance(caught.value, WesResponseError)
        assert caught.value.status == 500
    # The fault was one-shot: the next poll works.
    assert (await client.read_data()).info.firmware == "V0.84A10"


async def test_timeout(wes_simulator: WesSimulator, session: aiohttp.ClientSession) -> None:
    wes_simulator.faults.set(FaultKind.TIMEOUT, 1)
    client = make_client(wes_simulator, session, request_timeout=0.2)
    start = time.monotonic()
    with pytest.raises(WesTimeoutError, match=r"0\.2 s"):
        await client.read_data()
    assert time.monotonic() - start < 2
    assert isinstance(WesTimeoutError(), WesConnectionError)


async def test_delayed_answers(wes_simulator: WesSimulator, session: aiohttp.ClientSession) -> None:
    wes_simulator.faults.set(FaultKind.DELAY, 1, delay=0.2)
    data = await make_client(wes_simulator, session, request_timeout=2.0).read_data()
    assert data.info.firmware == "V0.84A10"
    wes_simulator.faults.set(FaultKind.DELAY, 1, delay=1.0)
    with pytest.raises(WesTimeoutError):
        await make_client(wes_simulator, session, request_timeout=0.2).read_data()


async def test_oversized_body(wes_simulator: WesSimulator, session: aiohttp.ClientSession) -> None:
    client = make_client(wes_simulator, session, max_body_size=1024)
    with pytest.raises(WesResponseTooLargeError):
        await client.read_data()
    assert isinstance(WesResponseTooLargeError(), WesParseError)
    assert DEFAULT_MAX_BODY_SIZE == 256 * 1024
    # The connection it dropped does not poison the next request.
    assert len(await client.fetch("index.htm")) < 1024


def free_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


async def test_connection_refused(session: aiohttp.ClientSession, socket_enabled: None) -> None:
    port = free_port()
    client = WesClient(HOST, port, session=session, request_timeout=2.0)
    with pytest.raises(WesConnectionError) as caught:
        await client.read_data()
    assert not isinstance(caught.value, WesTimeoutError)
    assert f"{HOST}:{port}" in str(caught.value)
    # A reboot cannot tell "dropped by the restart" from "refused": both are quiet.
    await client.reboot()


# ---------------------------------------------------------------------------------------
# One request at a time; the timeout covers the request, not the wait for the lock
# ---------------------------------------------------------------------------------------


@dataclass
class SlowWes:
    """A stand-in WES that answers slowly and records how many requests overlap."""

    delay: float = 0.15
    in_flight: int = 0
    most_in_flight: int = 0
    paths: list[str] = field(default_factory=list)
    port: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await asyncio.sleep(self.delay)
            self.paths.append(request.path_qs)
            return web.Response(body=b"<data><info><firmware>V1</firmware></info></data>")
        finally:
            self.in_flight -= 1


@pytest.fixture
async def slow_wes(socket_enabled: None) -> AsyncIterator[SlowWes]:
    """A slow HTTP server on loopback, stopped at teardown."""
    wes = SlowWes()
    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", wes.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, HOST, 0)
    await site.start()
    wes.port = runner.addresses[0][1]
    yield wes
    await runner.cleanup()


async def test_requests_are_serialised(slow_wes: SlowWes, session: aiohttp.ClientSession) -> None:
    client = WesClient(HOST, slow_wes.port, session=session, request_timeout=0.5)
    start = time.monotonic()
    results = await asyncio.gather(
        client.read_data(), client.set_relay(1, True), client.read_data(), client.fetch("X.CGX")
    )
    assert slow_wes.most_in_flight == 1
    assert len(slow_wes.paths) == 4
    # Four 0.15 s answers in a row exceed one request timeout: the timeout covers the
    # request itself, not the wait for the previous ones.
    assert time.monotonic() - start >= 0.6
    assert results[0].info.firmware == "V1"


async def test_a_command_waits_for_a_poll(
    slow_wes: SlowWes, session: aiohttp.ClientSession
) -> None:
    client = WesClient(HOST, slow_wes.port, session=session)
    poll = asyncio.create_task(client.read_data())
    await asyncio.sleep(0.05)
    await client.set_relay(1, True)
    assert poll.done()  # the command went out only after the poll's answer
    await poll
    assert slow_wes.paths == ["/DATA.CGX", "/RL.cgi?rl1=ON"]


async def test_a_slow_answer_within_the_timeout_is_fine(
    slow_wes: SlowWes, session: aiohttp.ClientSession
) -> None:
    client = WesClient(HOST, slow_wes.port, session=session, request_timeout=2.0)
    assert (await client.read_data()).info.firmware == "V1"
    slow_wes.delay = 0.4
    with pytest.raises(WesTimeoutError):
        await WesClient(HOST, slow_wes.port, session=session, request_timeout=0.1).read_data()


# ---------------------------------------------------------------------------------------
# Secrets
# ---------------------------------------------------------------------------------------


async def test_no_secret_in_repr_messages_or_logs(
    wes_simulator: WesSimulator,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    wes_simulator.admin = ("admin", SECRET)
    client = make_client(wes_simulator, session, password=SECRET, request_timeout=0.3)
    texts = [repr(client), str(client)]
    assert (await client.read_data()).info.firmware == "V0.84A10"
    for fault in [*(kind for kind, _ in FAULTS), FaultKind.TIMEOUT]:
        wes_simulator.faults.set(fault, 1)
        try:
            await client.read_data()
        except WesError as err:
            texts += [str(err), repr(err), repr(err.__cause__), repr(err.__context__)]
    client_bad = make_client(wes_simulator, session, password=SECRET + "x")
    with pytest.raises(WesAuthError) as caught:
        await client_bad.set_relay(1, True)
    texts += [str(caught.value), repr(caught.value), repr(client_bad)]
    texts += [record.getMessage() for record in caplog.records]
    assert any("GET /DATA.CGX" in record.getMessage() for record in caplog.records)
    assert_secret_free(*texts)


# ---------------------------------------------------------------------------------------
# Narrow error paths (aioclient_mock)
# ---------------------------------------------------------------------------------------

URL = f"http://{HOST}/DATA.CGX"


@pytest.mark.parametrize(
    ("exception", "error"),
    [
        (aiohttp.ClientConnectionError(), WesConnectionError),
        (aiohttp.ServerDisconnectedError(), WesConnectionError),
        (aiohttp.ClientPayloadError(), WesConnectionError),
        (ConnectionResetError(), WesConnectionError),
        (TimeoutError(), WesTimeoutError),
        (aiohttp.ServerTimeoutError(), WesTimeoutError),  # the session's own read timeout
    ],
)
async def test_transport_errors(
    aioclient_mock: Any,
    mock_session: aiohttp.ClientSession,
    exception: Exception,
    error: type[WesError],
) -> None:
    aioclient_mock.get(URL, exc=exception)
    with pytest.raises(error) as caught:
        await WesClient(HOST, session=mock_session).read_data()
    assert type(caught.value) is error


async def test_invalid_http_answer(
    aioclient_mock: Any, mock_session: aiohttp.ClientSession
) -> None:
    request_info = aiohttp.RequestInfo(
        url=URL,  # type: ignore[arg-type]
        method="GET",
        headers={},  # type: ignore[arg-type]
        real_url=URL,  # type: ignore[arg-type]
    )
    aioclient_mock.get(URL, exc=aiohttp.ClientResponseError(request_info, (), status=400))
    with pytest.raises(WesResponseError) as caught:
        await WesClient(HOST, session=mock_session).read_data()
    assert caught.value.status == 400


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, WesAuthError),
        (403, WesForbiddenError),
        (404, WesResponseError),
        (302, WesResponseError),
        (503, WesResponseError),
    ],
)
async def test_status_mapping(
    aioclient_mock: Any, mock_session: aiohttp.ClientSession, status: int, error: type[WesError]
) -> None:
    aioclient_mock.get(URL, status=status, text="nope")
    with pytest.raises(error):
        await WesClient(HOST, session=mock_session).read_data()


async def test_invalid_host_is_a_connection_error(mock_session: aiohttp.ClientSession) -> None:
    with pytest.raises(WesConnectionError, match="Invalid WES address"):
        await WesClient("bad host/name", session=mock_session).read_data()


async def test_properties_and_repr(mock_session: aiohttp.ClientSession) -> None:
    client = WesClient("wes.lan", 8080, "reader", SECRET, session=mock_session)
    assert (client.host, client.port, client.username) == ("wes.lan", 8080, "reader")
    assert repr(client) == "WesClient(host='wes.lan', port=8080, username='reader')"
    assert_secret_free(repr(client))
