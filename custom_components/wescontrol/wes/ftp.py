"""FTP access to the WES web root: upload our files, read one back, check a login.

The WES serves its SD card's web root over FTP (port 21, passive, binary; factory account
``adminftp``/``wesftp``): a file stored as ``/NAME.CGX`` is served, rendered, at
``http://wes/NAME.CGX``. Each call opens one control connection, does its job and quits:
the WES's TCP stack is small and FTP is used rarely (setup, file updates).

Failures become ``WesFtpAuthError`` (login refused) or ``WesFtpError`` with a short reason.
The password never appears in a message; aioftp itself masks it in its debug log.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Final

import aioftp

from .errors import WesFtpAuthError, WesFtpError

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

DEFAULT_FTP_PORT: Final = 21
DEFAULT_TIMEOUT: Final = 15.0
# PASV first: every client known to work with the WES uses it (Jeedom ftp_pasv, jwes
# enterLocalPassiveMode, Python ftplib); EPSV is the fallback when PASV is refused.
_PASSIVE_COMMANDS: Final = ("pasv", "epsv")
_BLOCK_SIZE: Final = 8192

# Reply codes (RFC 959 / RFC 3659) and what they mean for the user.
_NOT_LOGGED_IN: Final = "530"
_FILE_UNAVAILABLE: Final = "550"
_REASONS: Final = {
    "451": "the WES could not write the file (SD card full or failing)",
    "452": "not enough space on the WES's SD card",
    "552": "not enough space on the WES's SD card",
    "550": "the WES refused the file (no such file, or no write permission)",
    "553": "the WES refused the file name",
    "532": "the FTP account may not store files",
    "421": "the WES's FTP server is busy or closing the connection",
    "425": "the WES could not open the data connection",
    "426": "the WES closed the data connection during the transfer",
}


def _code(error: aioftp.StatusCodeError) -> str:
    """The reply code the server sent, as text ("550")."""
    return str(error.received_codes[-1]) if error.received_codes else ""


def _reason(error: aioftp.StatusCodeError) -> str:
    code = _code(error)
    return _REASONS.get(code, f"the WES answered FTP code {code or 'unknown'}")


@contextlib.asynccontextmanager
async def _session(
    host: str, port: int, username: str, password: str, limit: float
) -> AsyncIterator[aioftp.Client]:
    """A logged-in client; every failure inside is mapped to our errors."""
    where = f"{host}:{port}"
    client = aioftp.Client(
        socket_timeout=limit,
        connection_timeout=limit,
        passive_commands=_PASSIVE_COMMANDS,
    )
    try:
        async with asyncio.timeout(limit):
            try:
                await client.connect(host, port)
            except aioftp.StatusCodeError as err:
                raise WesFtpError(
                    f"FTP server at {where} refused the connection: {_reason(err)}"
                ) from None
            try:
                await client.login(username, password)
            except aioftp.StatusCodeError as err:
                if _code(err) == _NOT_LOGGED_IN:
                    raise WesFtpAuthError(
                        f"FTP login refused by {where} for user {username!r}"
                    ) from None
                raise WesFtpError(f"FTP login on {where} failed: {_reason(err)}") from None
            yield client
            with contextlib.suppress(aioftp.AIOFTPException, OSError):
                await client.quit()
    except WesFtpError:
        raise
    except TimeoutError:
        raise WesFtpError(f"FTP server at {where} did not answer within {limit:g} s") from None
    except aioftp.StatusCodeError as err:
        raise WesFtpError(f"FTP transfer with {where} failed: {_reason(err)}") from None
    except (aioftp.AIOFTPException, UnicodeError) as err:
        raise WesFtpError(f"FTP exchange with {where} failed ({type(err).__name__})") from None
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise WesFtpError(f"FTP connection to {where} failed: {reason}") from None
    finally:
        client.close()


def _remote_path(name: str) -> str:
    """``NAME.CGX`` at the web root (the FTP root is the web root)."""
    if not name or any(char in name for char in "\r\n\0"):
        raise ValueError("invalid file name for the WES")
    return "/" + name.lstrip("/")


async def upload_file(
    host: str,
    port: int,
    username: str,
    password: str,
    name: str,
    content: bytes,
    *,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 (shared contract; bounds the whole exchange)
) -> None:
    """Store ``content`` as ``/name`` on the WES, replacing any file of that name.

    Raises:
        WesFtpAuthError: the login was refused.
        WesFtpError: anything else (unreachable, timeout, disk full, permission).

    """
    path = _remote_path(name)
    async with (
        _session(host, port, username, password, timeout) as client,
        client.upload_stream(path) as stream,
    ):
        await stream.write(content)


async def download_file(
    host: str,
    port: int,
    username: str,
    password: str,
    name: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 (shared contract; bounds the whole exchange)
) -> bytes | None:
    """The raw (unrendered) file ``/name`` from the WES, or ``None`` when it does not exist.

    Raises:
        WesFtpAuthError: the login was refused.
        WesFtpError: anything else.

    """
    path = _remote_path(name)
    chunks: list[bytes] = []
    async with _session(host, port, username, password, timeout) as client:
        try:
            async with client.download_stream(path) as stream:
                chunks.extend([block async for block in stream.iter_by_block(_BLOCK_SIZE)])
        except aioftp.StatusCodeError as err:
            if _code(err) == _FILE_UNAVAILABLE:
                return None
            raise
    return b"".join(chunks)


async def check_login(
    host: str,
    port: int,
    username: str,
    password: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 (shared contract; bounds the whole exchange)
) -> None:
    """Log in and out, to validate FTP access in the config flow.

    Raises:
        WesFtpAuthError: the login was refused.
        WesFtpError: the server could not be reached or answered oddly.

    """
    async with _session(host, port, username, password, timeout):
        pass
