"""FTP: its root is the web root; an uploaded template is served at once."""

import aioftp
import aiohttp
import pytest

from simulator import FaultKind

TEMPLATE = b"t <x>\r\nc h h<time>%02d:%02d</time>\r\nc lSE2 <S2>%d</S2>\r\nt </x>\r\n.\r\n"


async def upload(sim, path, content, login=("adminftp", "wesftp")):
    async with aioftp.Client.context("127.0.0.1", sim.ftp_port, *login, socket_timeout=5) as client:
        if "/" in path:
            await client.make_directory(path.rsplit("/", 1)[0])
        async with client.upload_stream(path) as stream:
            await stream.write(content)


async def fetch(sim, path):
    url = f"http://127.0.0.1:{sim.http_port}{path}"
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, auth=aiohttp.BasicAuth("admin", "wes")) as response,
    ):
        return response.status, await response.text()


async def test_upload_then_render(wes_simulator) -> None:
    await upload(wes_simulator, "HASS_WES.CGX", TEMPLATE)
    assert (wes_simulator.web_root / "HASS_WES.CGX").read_bytes() == TEMPLATE
    assert await fetch(wes_simulator, "/hass_wes.cgx") == (
        200,
        "<x><time>14:30</time><S2>1</S2></x>",
    )
    wes_simulator.device.virtual_switches[1].on = False
    assert (await fetch(wes_simulator, "/HASS_WES.CGX"))[1].endswith("<S2>0</S2></x>")


async def test_upload_in_sub_folder(wes_simulator) -> None:
    await upload(wes_simulator, "JWES/HIGH.CGX", TEMPLATE)
    assert (await fetch(wes_simulator, "/jwes/high.cgx"))[0] == 200


async def test_download_builtin_data_file(wes_simulator) -> None:
    async with (
        aioftp.Client.context("127.0.0.1", wes_simulator.ftp_port, "adminftp", "wesftp") as client,
        client.download_stream("DATA.CGX") as stream,
    ):
        content = await stream.read()
    assert content.startswith(b"# DATA.CGX")
    assert b"c TD1 <DEMAIN>%s</DEMAIN>\r\n" in content


async def test_wrong_ftp_password(wes_simulator) -> None:
    with pytest.raises(aioftp.StatusCodeError):
        await upload(wes_simulator, "X.CGX", TEMPLATE, login=("adminftp", "nope"))


async def test_custom_ftp_account(wes_simulator_factory) -> None:
    sim = await wes_simulator_factory(ftp=("me", "pw"))
    await upload(sim, "A.CGX", TEMPLATE, login=("me", "pw"))
    assert (await fetch(sim, "/a.cgx"))[0] == 200


async def test_disk_full(wes_simulator) -> None:
    wes_simulator.faults.set(FaultKind.DISK_FULL, 1)
    with pytest.raises(aioftp.StatusCodeError) as error:
        await upload(wes_simulator, "FULL.CGX", TEMPLATE)
    assert "451" in str(error.value)
    # HTTP requests are not affected by the FTP fault; the next upload works.
    assert (await fetch(wes_simulator, "/DATA.CGX"))[0] == 200
    await upload(wes_simulator, "FULL.CGX", TEMPLATE)
    assert (await fetch(wes_simulator, "/full.cgx"))[0] == 200
