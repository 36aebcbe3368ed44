"""``python -m simulator``: run a simulated WES until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import TYPE_CHECKING

from .faults import FaultKind
from .scenarios import SCENARIOS, Generation
from .server import DEFAULT_ADMIN, DEFAULT_FTP, DEFAULT_READONLY, WesSimulator

if TYPE_CHECKING:
    from collections.abc import Sequence


def _account(text: str) -> tuple[str, str]:
    username, sep, password = text.partition(":")
    if not sep or not username:
        raise argparse.ArgumentTypeError("expected USER:PASS")
    return username, password


def build_parser() -> argparse.ArgumentParser:
    """The command line (also used by tests)."""
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Run a simulated CartElectronic WES."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--http-port", type=int, default=8080, help="HTTP port (0: any)")
    parser.add_argument("--ftp-port", type=int, default=2121, help="FTP port (0: any)")
    parser.add_argument(
        "--generation",
        choices=[g.value for g in Generation],
        default=None,
        help="firmware generation (default: the scenario's)",
    )
    parser.add_argument(
        "--scenario", choices=[*SCENARIOS, "none"], default="a", help="installation to simulate"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for reproducible values")
    parser.add_argument(
        "--admin", type=_account, default=DEFAULT_ADMIN, metavar="USER:PASS", help="admin account"
    )
    parser.add_argument(
        "--readonly",
        type=_account,
        default=DEFAULT_READONLY,
        metavar="USER:PASS",
        help="read-only account",
    )
    parser.add_argument("--no-readonly", action="store_true", help="disable the read-only account")
    parser.add_argument(
        "--ftp", type=_account, default=DEFAULT_FTP, metavar="USER:PASS", help="FTP account"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        choices=[k.value for k in FaultKind],
        help="arm a fault until the simulator stops (repeatable)",
    )
    parser.add_argument(
        "--fault-delay", type=float, default=5.0, help="seconds used by the delay fault"
    )
    parser.add_argument(
        "--reboot-delay", type=float, default=3.0, help="seconds unreachable after reset=yes"
    )
    parser.add_argument("--no-animate", action="store_true", help="keep values still")
    return parser


def make_simulator(args: argparse.Namespace) -> WesSimulator:
    """Build (but do not start) the simulator the arguments describe."""
    sim = WesSimulator(
        generation=args.generation,
        seed=args.seed,
        scenario=None if args.scenario == "none" else args.scenario,
        admin=args.admin,
        readonly=None if args.no_readonly else args.readonly,
        ftp=args.ftp,
        reboot_delay=args.reboot_delay,
        animate=not args.no_animate,
    )
    for kind in args.fault:
        sim.faults.set(kind, delay=args.fault_delay)
    return sim


async def serve(args: argparse.Namespace, stop: asyncio.Event | None = None) -> None:
    """Start, print where it listens (never the passwords), run until ``stop`` or Ctrl-C."""
    sim = make_simulator(args)
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
    await sim.start(args.host, args.http_port, args.ftp_port)
    print(
        f"WES simulator ({sim.device.firmware}, scenario {args.scenario}, MAC {sim.device.mac})\n"
        f"  HTTP {sim.url}/DATA.CGX  admin user {sim.admin[0]!r}"
        + (f", read-only user {sim.readonly[0]!r}" if sim.readonly else "")
        + f"\n  FTP  ftp://{sim.host}:{sim.ftp_port}/  user {sim.ftp_account[0]!r}"
        f"\n  web root {sim.web_root}",
        flush=True,
    )
    try:
        await stop.wait()
    finally:
        await sim.stop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = build_parser().parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    print("WES simulator stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
