"""``python -m simulator``: argument parsing, startup banner, clean stop."""

import asyncio
import signal
import sys

import aiohttp
import pytest

from simulator import FaultKind, Generation
from simulator.__main__ import build_parser, make_simulator, serve


def test_defaults() -> None:
    args = build_parser().parse_args([])
    assert args.host == "127.0.0.1"
    assert args.http_port == 8080
    assert args.scenario == "a"
    assert args.generation is None
    assert args.admin == ("admin", "wes")
    assert args.readonly == ("user", "user")
    assert args.ftp == ("adminftp", "wesftp")
    assert not args.no_animate
    sim = make_simulator(args)
    assert sim.animate
    assert sim.generation is Generation.V084


def test_all_options() -> None:
    args = build_parser().parse_args(
        [
            "--host", "0.0.0.0",  # noqa: S104
            "--http-port", "0",
            "--ftp-port", "0",
            "--generation", "v08x",
            "--scenario", "none",
            "--seed", "5",
            "--admin", "root:pa:ss",
            "--readonly", "guest:guest",
            "--ftp", "f:g",
            "--fault", "delay",
            "--fault", "malformed_xml",
            "--fault", "forbidden",
            "--fault-delay", "0.5",
            "--reboot-delay", "1",
            "--no-animate",
        ]
    )  # fmt: skip
    sim = make_simulator(args)
    assert sim.admin == ("root", "pa:ss")
    assert sim.readonly == ("guest", "guest")
    assert sim.ftp_account == ("f", "g")
    assert sim.scenario is None
    assert sim.seed == 5
    assert sim.generation is Generation.V08X
    assert sim.reboot_delay == 1.0
    assert not sim.animate
    assert [f.kind for f in sim.faults.active] == [
        FaultKind.DELAY,
        FaultKind.MALFORMED_XML,
        FaultKind.FORBIDDEN,
    ]
    assert sim.faults.active[0].delay == 0.5
    assert make_simulator(build_parser().parse_args(["--no-readonly"])).readonly is None
    assert make_simulator(build_parser().parse_args(["--scenario", "c"])).generation is (
        Generation.V061D
    )


@pytest.mark.parametrize(
    "argv",
    [["--admin", "nocolon"], ["--ftp", ":pw"], ["--fault", "boom"], ["--generation", "v1"]],
)
def test_bad_arguments(argv, capsys) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(argv)


async def test_serve_banner(socket_enabled, capsys) -> None:
    args = build_parser().parse_args(
        ["--http-port", "0", "--ftp-port", "0", "--admin", "admin:s3cret", "--no-animate"]
    )
    stop = asyncio.Event()
    stop.set()
    await serve(args, stop)
    out = capsys.readouterr().out
    assert "HTTP http://127.0.0.1:" in out
    assert "FTP  ftp://127.0.0.1:" in out
    assert "s3cret" not in out
    assert "wesftp" not in out


async def test_process_runs_and_stops_on_sigterm(socket_enabled) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "simulator", "--http-port", "0", "--ftp-port", "0",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        first = await asyncio.wait_for(process.stdout.readline(), 10)
        assert b"WES simulator" in first
        http_line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        url = http_line.split()[1]
        async with aiohttp.ClientSession() as session:
            async with session.get(url, auth=aiohttp.BasicAuth("admin", "wes")) as response:
                assert response.status == 200
                assert (await response.read()).startswith(b"<?xml")
            async with session.get(url) as response:
                assert response.status == 401
        process.send_signal(signal.SIGTERM)
        out, _ = await asyncio.wait_for(process.communicate(), 10)
        assert b"stopped" in out
        assert process.returncode == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
