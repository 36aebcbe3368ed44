"""The WES FTP server: passive, one account, its root is the web root (the SD card)."""

from __future__ import annotations

import errno
import os
from typing import TYPE_CHECKING, Any

import aioftp

if TYPE_CHECKING:
    from pathlib import Path

    from .faults import Faults


def _path_io_factory(faults: Faults) -> type[aioftp.PathIO]:
    """A blocking PathIO (no thread pool) whose writes can fail with "disk full"."""

    class SdCardPathIO(aioftp.PathIO):
        async def _open(self, path: Path, *args: Any, **kwargs: Any) -> Any:
            mode = str(kwargs.get("mode", args[0] if args else "rb"))
            if "w" in mode and faults.take(str(path), ftp=True) is not None:
                raise aioftp.PathIOError(os.strerror(errno.ENOSPC))
            return await super()._open(path, *args, **kwargs)

    return SdCardPathIO


class WesFtpServer:
    """Wraps aioftp so the simulator can start and stop it with the HTTP server."""

    def __init__(self, root: Path, username: str, password: str, faults: Faults) -> None:
        """Prepare the single FTP account, rooted at the web root."""
        user = aioftp.User(username, password, home_path="/", base_path=root)
        self._server = aioftp.Server(
            [user],
            path_io_factory=_path_io_factory(faults),
            system_type="Windows_NT",
            welcome_message="Serveur FTP WES",
        )
        self.port = 0

    async def start(self, host: str, port: int) -> int:
        """Listen; return the port."""
        await self._server.start(host, port)
        self.port = int(self._server.address[1])
        return self.port

    async def stop(self) -> None:
        """Close the listener and every session."""
        await self._server.close()
