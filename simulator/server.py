"""WesSimulator: a whole WES on loopback (HTTP + FTP + device model + faults)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import tempfile
import time
import weakref
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final, Self

from aiohttp import web

from .cgx import CgxRenderer, CodeMismatch
from .faults import Faults
from .ftpserver import WesFtpServer
from .scenarios import Generation, build_device, default_generation
from .templates import builtin_files
from .web import WesWebApp, find_file

if TYPE_CHECKING:
    from .device import Device

DEFAULT_ADMIN: Final = ("admin", "wes")
DEFAULT_READONLY: Final = ("user", "user")
DEFAULT_FTP: Final = ("adminftp", "wesftp")
DEFAULT_REBOOT_DELAY: Final = 3.0


class WesSimulator:
    """A simulated CartElectronic WES.

    Values stay still unless :meth:`advance` is called or ``animate=True`` (the CLI's
    default) lets a background task advance the clock in real time.
    """

    def __init__(
        self,
        generation: Generation | str | None = None,
        seed: int = 0,
        scenario: str | None = "a",
        *,
        admin: tuple[str, str] = DEFAULT_ADMIN,
        readonly: tuple[str, str] | None = DEFAULT_READONLY,
        ftp: tuple[str, str] = DEFAULT_FTP,
        web_root: Path | None = None,
        reboot_delay: float = DEFAULT_REBOOT_DELAY,
        animate: bool = False,
        animate_interval: float = 1.0,
    ) -> None:
        """Build the device and the SD card; nothing listens before :meth:`start`."""
        self.generation = (
            Generation.parse(generation) if generation is not None else default_generation(scenario)
        )
        self.scenario = scenario
        self.seed = seed
        self.admin = admin
        self.readonly = readonly
        self.ftp_account = ftp
        self.reboot_delay = reboot_delay
        self.animate = animate
        self.animate_interval = animate_interval
        self.faults = Faults()
        self.renderer = CgxRenderer(build_device(scenario, self.generation, seed), self.generation)
        self.web_root = Path(tempfile.mkdtemp(prefix="wes-sim-")) if web_root is None else web_root
        # A temporary SD card goes away at stop(), or when the simulator is garbage collected.
        self._remove_root = (
            weakref.finalize(self, shutil.rmtree, self.web_root, ignore_errors=True)
            if web_root is None
            else None
        )
        self._install_builtin_files()
        self.host = "127.0.0.1"
        self.http_port = 0
        self.ftp_port = 0
        self.closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._site: web.SockSite | None = None
        self._ftp: WesFtpServer | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.rebooting = False
        # Set by end_reboot() to cut the reboot short; _booted: the reboot is over.
        self._wake = asyncio.Event()
        self._booted = asyncio.Event()

    # -- state ----------------------------------------------------------------------------

    @property
    def device(self) -> Device:
        """The mutable device model (replace it to swap the whole WES)."""
        return self.renderer.device

    @device.setter
    def device(self, device: Device) -> None:
        self.renderer.device = device

    @property
    def unknown_codes(self) -> list[str]:
        """Codes seen in rendered templates that this firmware does not know."""
        return self.renderer.unknown_codes

    @property
    def mismatches(self) -> list[CodeMismatch]:
        """Formats that did not match the values a code supplies (printed as garbage)."""
        return self.renderer.mismatches

    @property
    def url(self) -> str:
        """Base URL of the HTTP server."""
        return f"http://{self.host}:{self.http_port}"

    def advance(self, seconds: float) -> None:
        """Move the device's clock forward; values drift accordingly."""
        self.device.advance(seconds)

    def render_template(self, template: str) -> str:
        """Render a template as the HTTP server would (includes resolve in the web root)."""
        return self.renderer.render(template, self._include)

    def _include(self, name: str) -> str | None:
        path = find_file(self.web_root, name)
        return path.read_bytes().decode("latin-1") if path is not None else None

    def _install_builtin_files(self) -> None:
        for relative, text in builtin_files(self.generation).items():
            target = self.web_root / relative
            if find_file(self.web_root, relative) is None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text.encode("utf-8"))

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", http_port: int = 0, ftp_port: int = 0) -> None:
        """Start HTTP and FTP servers (port 0: any free port)."""
        self.host = host
        self.closing.clear()
        self._runner = web.AppRunner(
            WesWebApp(self).build(), access_log=None, handler_cancellation=True
        )
        await self._runner.setup()
        self.http_port = await self._listen(http_port)
        self._ftp = WesFtpServer(self.web_root, *self.ftp_account, self.faults)
        self.ftp_port = await self._ftp.start(host, ftp_port)
        if self.animate:
            self.device.clock = datetime.now().replace(microsecond=0)  # noqa: DTZ005 - WES clock is local
            self._spawn(self._animate())

    async def _listen(self, port: int) -> int:
        assert self._runner is not None  # noqa: S101 - start() sets it first
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, port))
        self._site = web.SockSite(self._runner, sock)
        await self._site.start()
        return int(sock.getsockname()[1])

    async def stop(self) -> None:
        """Stop everything, release every task, delete the temporary web root."""
        self.closing.set()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        # A reboot task cancelled before it ran never reached its finally: end it here.
        self.rebooting = False
        self._booted.set()
        if self._ftp is not None:
            await self._ftp.stop()
            self._ftp = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
            self._site = None
        if self._remove_root is not None:
            self._remove_root()

    async def __aenter__(self) -> Self:
        """Start on loopback with free ports."""
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        """Stop."""
        await self.stop()

    # -- reboot ---------------------------------------------------------------------------

    def schedule_reboot(self) -> None:
        """Reboot in the background (the request that asked is dropped)."""
        if self.rebooting or self._site is None:
            return
        self._begin_reboot()
        self._spawn(self._reboot())

    async def reboot(self) -> None:
        """Go unreachable for ``reboot_delay`` seconds, then listen again on the same port."""
        if self.rebooting or self._site is None:
            return
        self._begin_reboot()
        await self._reboot()

    async def end_reboot(self) -> None:
        """Finish a reboot now, so tests decide when the WES is back (no-op if not rebooting).

        Returns once the port listens again, the boot counted as a normal reboot's.
        """
        if not self.rebooting:
            return
        self._wake.set()
        await self._booted.wait()

    def _begin_reboot(self) -> None:
        # Fresh events here, not in _reboot(): end_reboot() may come before the task runs.
        self.rebooting = True
        self._wake.clear()
        self._booted.clear()

    async def _reboot(self) -> None:
        assert self._runner is not None  # noqa: S101 - a site implies a runner
        assert self._site is not None  # noqa: S101
        try:
            await self._site.stop()
            self._site = None
            server = self._runner.server
            if server is not None:
                for handler in server.connections:
                    handler.force_close()
                    if handler.transport is not None:
                        handler.transport.abort()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.reboot_delay)
            self.device.boot_count += 1
            await self._listen(self.http_port)
        finally:
            self.rebooting = False
            self._booted.set()

    # -- animation ------------------------------------------------------------------------

    async def _animate(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(self.animate_interval)
            now = time.monotonic()
            self.device.advance(now - last)
            last = now

    def _spawn(self, coro: object) -> None:
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(coro)  # type: ignore[arg-type]
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
