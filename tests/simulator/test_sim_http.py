"""The HTTP server over loopback: auth, files, pages, commands, reboot and faults."""

import asyncio
import base64

import aiohttp
import pytest

from simulator import GARBAGE, FaultKind

ADMIN = aiohttp.BasicAuth("admin", "wes")
USER = aiohttp.BasicAuth("user", "user")


@pytest.fixture
async def session():
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as client:
        yield client


async def get(session, sim, path, auth=ADMIN, **kwargs):
    async with session.get(f"http://127.0.0.1:{sim.http_port}{path}", auth=auth, **kwargs) as r:
        return r.status, r.headers, await r.read()


async def test_data_file_needs_credentials(wes_simulator, session) -> None:
    status, headers, body = await get(session, wes_simulator, "/DATA.CGX", auth=None)
    assert status == 401
    assert headers["WWW-Authenticate"].startswith('Basic realm="')
    assert "serveur WES" in headers["WWW-Authenticate"]
    assert b"<data>" not in body
    status, _, _ = await get(session, wes_simulator, "/DATA.CGX", aiohttp.BasicAuth("admin", "x"))
    assert status == 401
    for header in ("Bearer abc", "Basic !!!", "Basic " + base64.b64encode(b"nocolon").decode()):
        status, _, _ = await get(
            session, wes_simulator, "/DATA.CGX", auth=None, headers={"Authorization": header}
        )
        assert status == 401


async def test_admin_and_read_only_accounts(wes_simulator, session) -> None:
    for auth in (ADMIN, USER):
        status, headers, body = await get(session, wes_simulator, "/DATA.CGX", auth)
        assert status == 200
        assert headers["Content-Type"].startswith("text/xml")
        assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?><data>')
        assert b"\n" not in body
        status, headers, _ = await get(session, wes_simulator, "/index.htm", auth)
        assert status == 200
        assert headers["Content-Type"].startswith("text/html")
    assert (await get(session, wes_simulator, "/INFOCFG.HTM", USER))[0] == 403
    assert (await get(session, wes_simulator, "/INFOCFG.HTM", ADMIN))[0] == 200
    status, _, _ = await get(session, wes_simulator, "/RL.cgi?rl1=OFF", USER)
    assert status == 403
    assert wes_simulator.device.relays[0].on


async def test_read_only_account_can_be_disabled(wes_simulator_factory, session) -> None:
    sim = await wes_simulator_factory(readonly=None, admin=("boss", "secret"))
    assert (await get(session, sim, "/DATA.CGX", USER))[0] == 401
    assert (await get(session, sim, "/DATA.CGX", ADMIN))[0] == 401
    assert (await get(session, sim, "/DATA.CGX", aiohttp.BasicAuth("boss", "secret")))[0] == 200


async def test_names_are_case_insensitive(wes_simulator, session) -> None:
    reference = (await get(session, wes_simulator, "/DATA.CGX"))[2]
    for path in ("/data.cgx", "/DaTa.CgX", "/Data.cgx"):
        status, _, body = await get(session, wes_simulator, path)
        assert status == 200
        assert body == reference
    status, _, body = await get(session, wes_simulator, "/webprog/cgx/pceval.cgx")
    assert status == 200
    assert body.startswith(b"<?xml")
    assert (await get(session, wes_simulator, "/"))[0] == 200
    assert (await get(session, wes_simulator, "/TicVal.htm"))[0] == 200


async def test_every_page_answers(wes_simulator, session) -> None:
    for page in ("TICVAL.HTM", "PCEVAL.HTM", "PULSES.HTM", "TMP.HTM", "RELAIS.HTM", "index.htm"):
        status, headers, body = await get(session, wes_simulator, f"/{page}")
        assert status == 200
        assert headers["Content-Type"].startswith("text/html")
        assert wes_simulator.device.mac.encode() in body
    assert (await get(session, wes_simulator, "/nothing.cgx"))[0] == 404
    assert (await get(session, wes_simulator, "/../etc/passwd"))[0] == 404
    assert (await get(session, wes_simulator, "/DATA.CGX/x.cgx"))[0] == 404


async def test_uploaded_files(wes_simulator, session) -> None:
    root = wes_simulator.web_root
    (root / "Sub").mkdir()
    (root / "Sub" / "Mine.CGX").write_bytes(
        "t <a>\r\nc v v%s\r\nc pn1 %s\r\ni head.inc\r\nc zz1%d\r\nt é</a>\r\n".encode("latin-1")
    )
    (root / "head.inc").write_bytes(b"<inc/>")
    (root / "style.css").write_bytes(b"body{}")
    (root / "blob.bin").write_bytes(b"\x00\x01")
    status, headers, body = await get(session, wes_simulator, "/sub/mine.cgx")
    assert status == 200
    assert headers["Content-Type"].startswith("text/xml")
    assert body.decode() == "<a>V0.84A10Eau froide<inc/>é</a>"
    assert wes_simulator.unknown_codes == ["zz1"]
    status, headers, body = await get(session, wes_simulator, "/STYLE.CSS")
    assert (status, body) == (200, b"body{}")
    assert headers["Content-Type"].startswith("text/css")
    status, headers, _ = await get(session, wes_simulator, "/blob.bin")
    assert headers["Content-Type"] == "application/octet-stream"
    # A template with a wrong type: the output is not XML any more and the mismatch is kept.
    (root / "bad.cgx").write_text("t <a>\nc ea1 %d\nt </a>\n")
    body = (await get(session, wes_simulator, "/bad.cgx"))[2]
    assert body.decode() == f"<a>{GARBAGE}</a>"
    assert wes_simulator.mismatches[-1].code == "ea1"


async def test_relay_commands(wes_simulator, session) -> None:
    device = wes_simulator.device
    status, headers, body = await get(session, wes_simulator, "/RL.cgi?rl1=OFF&rl2=ON")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert not device.relays[0].on
    assert device.relays[1].on
    status, headers, body = await get(session, wes_simulator, "/rl.cgx?frl=2")
    assert headers["Content-Type"].startswith("text/xml")
    assert body.endswith(
        b"<data><relais><RELAIS1>OFF</RELAIS1><RELAIS2>OFF</RELAIS2></relais></data>"
    )
    await get(session, wes_simulator, "/AJAX.CGX?rl1=ON")
    assert device.relays[0].on
    await get(session, wes_simulator, "/ajax.cgx?frl=1")
    assert not device.relays[0].on


async def test_onewire_relay_commands(wes_simulator_factory, session) -> None:
    sim = await wes_simulator_factory(scenario="b")
    states = sim.device.onewire_states
    assert states[101]
    await get(sim and session, sim, "/RL.cgi?rl101=OFF&rl108=ON")
    assert not sim.device.onewire_states[101]
    assert sim.device.onewire_states[108]
    await get(session, sim, "/RL.cgi?rl109=ON")
    assert all(sim.device.onewire_states.values())
    await get(session, sim, "/AJAX.CGX?frl=109")
    assert not any(sim.device.onewire_states.values())
    await get(session, sim, "/AJAX.CGX?frl=105")
    body = (await get(session, sim, "/DATA.CGX"))[2]
    assert b"<RELAIS105>ON</RELAIS105>" in body
    # Unknown ids and junk parameters are ignored, like the device does.
    status, _, _ = await get(session, sim, "/RL.cgi?rl150=ON&rlx=ON&frl=abc&foo=1")
    assert status == 200


async def test_virtual_switch_and_alarm_commands(wes_simulator, session) -> None:
    device = wes_simulator.device
    status, headers, body = await get(session, wes_simulator, "/AJAX.cgx?vs24=ON")
    assert status == 200
    assert headers["Content-Type"].startswith("text/xml")
    assert body.endswith(b"<response>OK</response>")
    assert device.virtual_switches[23].on
    await get(session, wes_simulator, "/AJAX.cgx?fvs=24")
    assert not device.virtual_switches[23].on
    await get(session, wes_simulator, "/VS.cgi?vs3=ON")
    assert device.virtual_switches[2].on
    await get(session, wes_simulator, "/RL.cgx?vs3=OFF")
    assert not device.virtual_switches[2].on
    await get(session, wes_simulator, "/AJAX.cgx?fvs=x&vsx=ON")
    await get(session, wes_simulator, "/AJAX.cgx?alarme=ON")
    assert device.alarm
    await get(session, wes_simulator, "/AJAX.cgx?alarme=OFF")
    assert not device.alarm
    await get(session, wes_simulator, "/AJAX.cgx?reset=no")
    assert not wes_simulator.rebooting


async def test_reboot_drops_then_comes_back(wes_simulator, session) -> None:
    port = wes_simulator.http_port
    with pytest.raises(aiohttp.ClientError):
        await get(session, wes_simulator, "/AJAX.CGX?reset=yes")
    await asyncio.sleep(0.05)
    assert wes_simulator.rebooting
    with pytest.raises(aiohttp.ClientConnectionError):
        await get(session, wes_simulator, "/DATA.CGX")
    await asyncio.sleep(0.4)
    status, _, _ = await get(session, wes_simulator, "/DATA.CGX")
    assert status == 200
    assert wes_simulator.http_port == port
    assert wes_simulator.device.boot_count == 1
    assert not wes_simulator.rebooting


async def test_reboot_closes_open_connections(wes_simulator) -> None:
    async with aiohttp.ClientSession() as keep_alive:
        await get(keep_alive, wes_simulator, "/DATA.CGX")
        wes_simulator.schedule_reboot()
        wes_simulator.schedule_reboot()  # a second reset while rebooting is ignored
        await asyncio.sleep(0.05)
        with pytest.raises(aiohttp.ClientConnectionError):
            await get(keep_alive, wes_simulator, "/DATA.CGX")
        await asyncio.sleep(0.4)
        assert (await get(keep_alive, wes_simulator, "/DATA.CGX"))[0] == 200


async def test_end_reboot_listens_again_at_once(wes_simulator_factory, session) -> None:
    sim = await wes_simulator_factory(reboot_delay=3600.0)
    port = sim.http_port
    await sim.end_reboot()  # not rebooting: nothing to end
    assert sim.device.boot_count == 0
    sim.schedule_reboot()
    await asyncio.sleep(0.05)
    assert sim.rebooting
    with pytest.raises(aiohttp.ClientConnectionError):
        await get(session, sim, "/DATA.CGX")
    await asyncio.wait_for(sim.end_reboot(), 5)
    assert not sim.rebooting
    assert sim.device.boot_count == 1
    assert sim.http_port == port
    assert (await get(session, sim, "/DATA.CGX"))[0] == 200


async def test_end_reboot_before_the_reboot_task_runs(wes_simulator_factory, session) -> None:
    sim = await wes_simulator_factory(reboot_delay=3600.0)
    sim.schedule_reboot()
    await asyncio.wait_for(sim.end_reboot(), 5)  # the wake-up is not lost
    assert not sim.rebooting
    assert sim.device.boot_count == 1
    assert (await get(session, sim, "/DATA.CGX"))[0] == 200


async def test_stop_ends_a_reboot_not_yet_started(wes_simulator_factory) -> None:
    sim = await wes_simulator_factory(reboot_delay=3600.0)
    sim.schedule_reboot()
    await sim.stop()  # cancels the reboot task before its first step
    assert not sim.rebooting
    await asyncio.wait_for(sim.end_reboot(), 5)
    assert sim.device.boot_count == 0


async def test_reboot_before_start_is_a_no_op() -> None:
    from simulator import WesSimulator

    sim = WesSimulator()
    await sim.reboot()
    assert not sim.rebooting
    await sim.stop()
    assert not sim.web_root.exists()


async def test_mac_change_looks_like_another_wes(wes_simulator, session) -> None:
    (wes_simulator.web_root / "mac.cgx").write_text("c r a%02X%02X%02X%02X%02X%02X")
    before = (await get(session, wes_simulator, "/MAC.CGX"))[2]
    wes_simulator.device.mac = "001EC0ABCDEF"
    after = (await get(session, wes_simulator, "/MAC.CGX"))[2]
    assert before != after
    assert after == b"001EC0ABCDEF"


async def test_values_static_until_advanced(wes_simulator, session) -> None:
    first = (await get(session, wes_simulator, "/DATA.CGX"))[2]
    assert (await get(session, wes_simulator, "/DATA.CGX"))[2] == first
    wes_simulator.advance(600)
    assert (await get(session, wes_simulator, "/DATA.CGX"))[2] != first


async def test_fault_delay(wes_simulator, session) -> None:
    wes_simulator.faults.set(FaultKind.DELAY, 1, delay=0.2)
    loop = asyncio.get_running_loop()
    start = loop.time()
    assert (await get(session, wes_simulator, "/DATA.CGX"))[0] == 200
    assert loop.time() - start >= 0.2
    start = loop.time()
    await get(session, wes_simulator, "/DATA.CGX")
    assert loop.time() - start < 0.2
    assert wes_simulator.faults.active == []


async def test_fault_timeout(wes_simulator, session) -> None:
    wes_simulator.faults.set(FaultKind.TIMEOUT, 1)
    with pytest.raises(TimeoutError):
        await get(session, wes_simulator, "/DATA.CGX", timeout=aiohttp.ClientTimeout(total=0.3))
    assert (await get(session, wes_simulator, "/DATA.CGX"))[0] == 200


async def test_fault_timeout_released_by_stop(wes_simulator_factory) -> None:
    sim = await wes_simulator_factory()
    sim.faults.set("timeout")
    async with aiohttp.ClientSession() as client:
        request = asyncio.ensure_future(get(client, sim, "/DATA.CGX"))
        await asyncio.sleep(0.1)
        await sim.stop()
        status, _, _ = await request
        assert status == 503


async def test_fault_reset_mid_body(wes_simulator, session) -> None:
    wes_simulator.faults.set(FaultKind.RESET, 1)
    with pytest.raises(aiohttp.ClientPayloadError):
        await get(session, wes_simulator, "/DATA.CGX")
    assert (await get(session, wes_simulator, "/DATA.CGX"))[0] == 200


async def test_fault_truncated(wes_simulator, session) -> None:
    full = (await get(session, wes_simulator, "/DATA.CGX"))[2]
    wes_simulator.faults.set(FaultKind.TRUNCATED, 1)
    status, _, body = await get(session, wes_simulator, "/DATA.CGX")
    assert status == 200
    assert body == full[: len(full) // 2]


async def test_fault_malformed_xml(wes_simulator, session) -> None:
    wes_simulator.faults.set(FaultKind.MALFORMED_XML, 2)
    for _ in range(2):
        status, headers, body = await get(session, wes_simulator, "/DATA.CGX")
        assert status == 200
        assert headers["Content-Type"].startswith("text/xml")
        assert b"<?>&</" in body
    assert b"<?>&</" not in (await get(session, wes_simulator, "/DATA.CGX"))[2]


async def test_fault_html_error_page(wes_simulator, session) -> None:
    wes_simulator.faults.set(FaultKind.HTML_ERROR)
    status, headers, body = await get(session, wes_simulator, "/DATA.CGX")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert body.startswith(b"<html>")
    wes_simulator.faults.clear(FaultKind.HTML_ERROR)
    assert (await get(session, wes_simulator, "/DATA.CGX"))[2].startswith(b"<?xml")


async def test_fault_server_error_and_unauthorized(wes_simulator, session) -> None:
    wes_simulator.faults.set(FaultKind.SERVER_ERROR, 1)
    wes_simulator.faults.set(FaultKind.UNAUTHORIZED, 1)
    assert (await get(session, wes_simulator, "/DATA.CGX"))[0] == 500
    status, headers, _ = await get(session, wes_simulator, "/DATA.CGX")
    assert status == 401
    assert "serveur WES" in headers["WWW-Authenticate"]
    assert (await get(session, wes_simulator, "/DATA.CGX"))[0] == 200


async def test_fault_forbidden(wes_simulator, session) -> None:
    fault = wes_simulator.faults.set(FaultKind.FORBIDDEN, 2)
    for _ in range(2):
        status, _, body = await get(session, wes_simulator, "/DATA.CGX")
        assert (status, body) == (403, b"403 Forbidden")
    assert (await get(session, wes_simulator, "/DATA.CGX"))[0] == 200
    assert fault.hits == 2
    wes_simulator.faults.set("forbidden")
    assert (await get(session, wes_simulator, "/DATA.CGX"))[0] == 403
    assert (await get(session, wes_simulator, "/DATA.CGX"))[0] == 403
    wes_simulator.faults.clear(FaultKind.FORBIDDEN)
    assert (await get(session, wes_simulator, "/DATA.CGX"))[0] == 200


async def test_fault_only_on_matching_path(wes_simulator, session) -> None:
    wes_simulator.faults.set(FaultKind.SERVER_ERROR, path="data.cgx")
    assert (await get(session, wes_simulator, "/index.htm"))[0] == 200
    assert (await get(session, wes_simulator, "/DATA.CGX"))[0] == 500
    wes_simulator.faults.clear()
    assert (await get(session, wes_simulator, "/DATA.CGX"))[0] == 200


async def test_late_faults_skip_error_answers(wes_simulator, session) -> None:
    wes_simulator.faults.set(FaultKind.TRUNCATED, 1)
    status, _, body = await get(session, wes_simulator, "/missing.cgx")
    assert status == 404
    assert body == b"404 Not Found"


async def test_direct_reboot_and_context_manager(socket_enabled) -> None:
    from simulator import Device, WesSimulator

    async with WesSimulator(scenario="c", reboot_delay=0.05) as sim:
        assert sim.url == f"http://127.0.0.1:{sim.http_port}"
        await sim.reboot()
        assert sim.device.boot_count == 1
        sim.device = Device(firmware="V9")
        async with aiohttp.ClientSession() as client:
            body = (await get(client, sim, "/DATA.CGX"))[2]
        assert b"<firmware>V9</firmware>" in body
    assert not sim.web_root.exists()


async def test_animation_moves_values(socket_enabled, tmp_path) -> None:
    from simulator import WesSimulator

    (tmp_path / "data.cgx").write_text("t mine")
    sim = WesSimulator(animate=True, animate_interval=0.02, web_root=tmp_path)
    await sim.start()
    try:
        clock = sim.device.clock
        water = sim.device.counters[0].index
        await asyncio.sleep(0.15)
        assert sim.device.clock > clock
        assert sim.device.counters[0].index > water
        # A user-supplied web root keeps its own DATA.CGX.
        async with aiohttp.ClientSession() as client:
            assert (await get(client, sim, "/DATA.CGX"))[2] == b"mine"
    finally:
        await sim.stop()
    assert tmp_path.exists()
