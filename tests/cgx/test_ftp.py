"""FTP upload, download and login check against the simulator and scripted servers."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from custom_components.wescontrol.wes.cgx import (
    DATA_FILE_NAME,
    data_file_version,
    generate_data_file,
)
from custom_components.wescontrol.wes.errors import WesFtpAuthError, WesFtpError
from custom_components.wescontrol.wes.features import EnabledFeatures, FeatureKind
from custom_components.wescontrol.wes.ftp import check_login, download_file, upload_file
from custom_components.wescontrol.wes.models import FirmwareGeneration
from custom_components.wescontrol.wes.names import NAMES_FILE_NAME, generate_names_file, parse_names
from custom_components.wescontrol.wes.parser import parse_data

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Mapping

    from simulator import WesSimulator

HOST = "127.0.0.1"
SECRET = "s3cr3t-Pa55"
FEATURES = EnabledFeatures(
    instances={FeatureKind.TIC: {1: {"tariff": "tempo"}}, FeatureKind.PROBE: {1: {}, 2: {}}}
)


async def http_get(sim: WesSimulator, name: str) -> bytes:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{sim.url}/{name}", auth=aiohttp.BasicAuth(*sim.admin)) as response,
    ):
        assert response.status == 200
        return await response.read()


def assert_no_secret(error: BaseException, secret: str) -> None:
    assert secret not in str(error)
    assert secret not in repr(error)
    assert all(secret not in str(arg) for arg in error.args)


async def test_upload_then_http_serves_it_rendered(wes_simulator: WesSimulator) -> None:
    sim = wes_simulator
    template = generate_data_file(FEATURES, FirmwareGeneration.V084)
    await upload_file(HOST, sim.ftp_port, *sim.ftp_account, DATA_FILE_NAME, template.encode())
    assert (sim.web_root / DATA_FILE_NAME).read_text() == template
    data = parse_data(await http_get(sim, DATA_FILE_NAME.lower()))
    assert data.info.data_file_version == data_file_version(FEATURES, FirmwareGeneration.V084)
    assert set(data.probes) == {1, 2}
    assert sim.unknown_codes == []
    # A second upload replaces the file, and the raw template can be read back.
    await upload_file(HOST, sim.ftp_port, *sim.ftp_account, DATA_FILE_NAME, b"t <data/>\n.\n")
    raw = await download_file(HOST, sim.ftp_port, *sim.ftp_account, DATA_FILE_NAME)
    assert raw == b"t <data/>\n.\n"


async def test_download_of_a_missing_file_is_none(wes_simulator: WesSimulator) -> None:
    sim = wes_simulator
    assert await download_file(HOST, sim.ftp_port, *sim.ftp_account, "NOPE.CGX") is None


async def test_names_file_round_trip(wes_simulator: WesSimulator) -> None:
    sim = wes_simulator
    await upload_file(
        HOST, sim.ftp_port, *sim.ftp_account, NAMES_FILE_NAME, generate_names_file().encode()
    )
    names = parse_names(await http_get(sim, NAMES_FILE_NAME))
    assert sim.unknown_codes == []
    assert sim.mismatches == []
    device = sim.device
    assert names.mac == device.mac
    assert names.firmware == device.firmware

    def named(items: list[Any]) -> dict[int, str]:
        return {n: item.name.strip() for n, item in enumerate(items, start=1) if item.name.strip()}

    assert names.relays == named(device.relays)
    assert "Pompe & filtre" in names.relays.values()
    assert names.inputs == named(device.inputs)
    assert "Contact <garage>" in names.inputs.values()
    assert names.analog_inputs == named(device.analogs)
    assert names.tics == named(device.tics)
    assert names.clamps == named(device.clamps)
    assert names.pulse_counters == named(device.counters)
    assert names.probes == named(device.probes)
    assert names.virtual_switches == named(device.virtual_switches)
    assert any("é" in name for name in (*names.inputs.values(), *names.analog_inputs.values()))


async def test_check_login(wes_simulator: WesSimulator) -> None:
    sim = wes_simulator
    await check_login(HOST, sim.ftp_port, *sim.ftp_account)
    with pytest.raises(WesFtpAuthError) as caught:
        await check_login(HOST, sim.ftp_port, sim.ftp_account[0], SECRET)
    assert_no_secret(caught.value, SECRET)
    assert "login refused" in str(caught.value)


async def test_bad_login_on_upload(wes_simulator: WesSimulator) -> None:
    sim = wes_simulator
    with pytest.raises(WesFtpAuthError) as caught:
        await upload_file(HOST, sim.ftp_port, "adminftp", SECRET, DATA_FILE_NAME, b"x")
    assert_no_secret(caught.value, SECRET)
    assert not (sim.web_root / DATA_FILE_NAME).exists()


async def test_disk_full(wes_simulator: WesSimulator) -> None:
    sim = wes_simulator
    sim.faults.set("disk_full", 1)
    with pytest.raises(WesFtpError, match="SD card") as caught:
        await upload_file(HOST, sim.ftp_port, *sim.ftp_account, DATA_FILE_NAME, b"t x\n.\n")
    assert not isinstance(caught.value, WesFtpAuthError)
    assert_no_secret(caught.value, sim.ftp_account[1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


async def test_nothing_listening(socket_enabled: None) -> None:
    with pytest.raises(WesFtpError, match="FTP connection to .* failed") as caught:
        await upload_file(HOST, free_port(), "adminftp", SECRET, DATA_FILE_NAME, b"x", timeout=2)
    assert_no_secret(caught.value, SECRET)


async def test_invalid_file_name() -> None:
    with pytest.raises(ValueError, match="file name"):
        await upload_file(HOST, 21, "u", "p", "A\r\nDELE B", b"x")
    with pytest.raises(ValueError, match="file name"):
        await download_file(HOST, 21, "u", "p", "")


# --- scripted servers for the replies the simulator does not give ---------------------------


@contextlib.asynccontextmanager
async def scripted_server(
    replies: Mapping[str, str], banner: str | None = "220 WES"
) -> AsyncIterator[int]:
    """An FTP control port answering each command verb with a fixed reply.

    ``PASV`` opens a data port that accepts and closes at once. ``banner=None`` never
    greets (a server that hangs). Unknown verbs get ``502``.
    """
    data_servers: list[asyncio.Server] = []
    handlers: set[asyncio.Task[None]] = set()

    async def data_handler(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        try:
            if banner is None:
                await reader.read()
                return
            writer.write(f"{banner}\r\n".encode())
            while line := await reader.readline():
                verb = line.decode().split(" ", 1)[0].strip().upper()
                reply = replies.get(verb, "502 not implemented")
                if verb == "PASV" and reply.startswith("227"):
                    data = await asyncio.start_server(data_handler, HOST, 0)
                    data_servers.append(data)
                    port = data.sockets[0].getsockname()[1]
                    reply = f"227 Entering Passive Mode (127,0,0,1,{port // 256},{port % 256})"
                writer.write(f"{reply}\r\n".encode())
                await writer.drain()
        finally:
            writer.close()

    server = await asyncio.start_server(handle, HOST, 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        for task in handlers:
            task.cancel()
        server.close()
        for data in data_servers:
            data.close()
            await data.wait_closed()
        await server.wait_closed()


LOGGED_IN = {"USER": "331 password", "PASS": "230 ok", "TYPE": "200 ok", "QUIT": "221 bye"}


async def test_server_that_never_greets_times_out(socket_enabled: None) -> None:
    async with scripted_server({}, banner=None) as port:
        with pytest.raises(WesFtpError, match="did not answer within 0.3 s"):
            await check_login(HOST, port, "adminftp", SECRET, timeout=0.3)


async def test_busy_server_refuses_the_connection(socket_enabled: None) -> None:
    async with scripted_server({}, banner="421 too many users") as port:
        with pytest.raises(WesFtpError, match="refused the connection: .*busy"):
            await check_login(HOST, port, "adminftp", SECRET)


async def test_login_failure_that_is_not_a_bad_password(socket_enabled: None) -> None:
    async with scripted_server({"USER": "421 closing"}) as port:
        with pytest.raises(WesFtpError, match="login on .* failed") as caught:
            await check_login(HOST, port, "adminftp", SECRET)
    assert not isinstance(caught.value, WesFtpAuthError)


@pytest.mark.parametrize(
    ("stor_reply", "message"),
    [
        ("552 exceeded storage allocation", "not enough space"),
        ("553 bad name", "refused the file name"),
        ("550 permission denied", "no write permission"),
        ("599 odd", "FTP code 599"),
    ],
)
async def test_upload_refusals(socket_enabled: None, stor_reply: str, message: str) -> None:
    async with scripted_server({**LOGGED_IN, "PASV": "227", "STOR": stor_reply}) as port:
        with pytest.raises(WesFtpError, match=message) as caught:
            await upload_file(HOST, port, "adminftp", SECRET, DATA_FILE_NAME, b"x")
    assert_no_secret(caught.value, SECRET)


async def test_download_failure_other_than_missing(socket_enabled: None) -> None:
    async with scripted_server({**LOGGED_IN, "PASV": "227", "RETR": "425 no data"}) as port:
        with pytest.raises(WesFtpError, match="data connection"):
            await download_file(HOST, port, "adminftp", SECRET, DATA_FILE_NAME)


async def test_passive_mode_refused(socket_enabled: None) -> None:
    replies = {**LOGGED_IN, "PASV": "500 no", "EPSV": "500 no"}
    async with scripted_server(replies) as port:
        with pytest.raises(WesFtpError, match="FTP code 500"):
            await upload_file(HOST, port, "adminftp", SECRET, DATA_FILE_NAME, b"x")


async def test_unencodable_password_is_an_ftp_error(socket_enabled: None) -> None:
    async with scripted_server(LOGGED_IN) as port:
        with pytest.raises(WesFtpError, match="UnicodeEncodeError") as caught:
            await check_login(HOST, port, "adminftp", "pass\udc80word")
    assert "pass" not in str(caught.value)
