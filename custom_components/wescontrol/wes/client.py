"""Talk HTTP to a WES: read its data files and send it commands.

The WES runs a small embedded TCP/IP stack, so the client is deliberately gentle: one
request in flight at a time, the whole request sent in one go with preemptive Basic
authentication (no 401 round trip), a timeout on every request and a cap on the body it
accepts. Every failure is one of the ``WesError`` children; none carries the password.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Final

import aiohttp
from aiohttp import hdrs
from yarl import URL

from .errors import (
    WesAuthError,
    WesConnectionError,
    WesForbiddenError,
    WesResponseError,
    WesResponseTooLargeError,
    WesTimeoutError,
)
from .features import INSTANCE_COUNT, FeatureKind
from .parser import parse_data

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .models import WesData

__all__ = ["DEFAULT_MAX_BODY_SIZE", "DEFAULT_REQUEST_TIMEOUT", "WesClient"]

_LOGGER = logging.getLogger(__name__)

DEFAULT_REQUEST_TIMEOUT: Final = 10.0
DEFAULT_MAX_BODY_SIZE: Final = 256 * 1024  # a full Jeedom-style file is about 10 kB
_CHUNK_SIZE: Final = 16 * 1024

_ADMIN_PAGE: Final = "INFOCFG.HTM"  # 403 for a read-only account
_RELAY_PATH: Final = "RL.cgi"
_AJAX_PATH: Final = "AJAX.CGX"

_HTTP_OK: Final = 200
_HTTP_UNAUTHORIZED: Final = 401
_HTTP_FORBIDDEN: Final = 403

_ONBOARD_RELAYS: Final = range(1, INSTANCE_COUNT[FeatureKind.RELAY] + 1)
_ONEWIRE_CARDS: Final = INSTANCE_COUNT[FeatureKind.ONEWIRE_CARD]
_ONEWIRE_FIRST_ID: Final = 101  # card c, relay r: 100 + 10 (c - 1) + r
_ONEWIRE_CARD_STEP: Final = 10
_ONEWIRE_WHOLE_CARD_DIGIT: Final = 9  # id 1c9 drives every relay of card c at once
_VIRTUAL_SWITCHES: Final = range(1, INSTANCE_COUNT[FeatureKind.VIRTUAL_SWITCH] + 1)


def _is_valid_relay_id(relay_id: int) -> bool:
    """1-2 on board; 1-Wire 101..198 (relay digit 1-8) and whole cards 109, 119 .. 199."""
    if relay_id in _ONBOARD_RELAYS:
        return True
    card, position = divmod(relay_id - _ONEWIRE_FIRST_ID, _ONEWIRE_CARD_STEP)
    return 0 <= card < _ONEWIRE_CARDS and 0 <= position < _ONEWIRE_WHOLE_CARD_DIGIT


def _check_number(value: object, valid: range | None, what: str) -> int:
    """``value`` as an instance number; TypeError if not an int, ValueError if not valid."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if valid is not None and value not in valid:
        raise ValueError(f"{what} {value} does not exist on a WES")
    return value


def _on_off(on: bool) -> str:  # noqa: FBT001 (mirrors the WES's ON/OFF parameter)
    return "ON" if on else "OFF"


class WesClient:
    """An HTTP client for one WES, on a session the caller owns.

    Args:
        host: host name or IP address of the WES.
        port: its HTTP port (80 unless changed on the WES).
        username: web account; ``admin`` by default.
        password: its password; never logged nor shown in errors or the repr.
        session: the ``aiohttp`` session to use; the client never closes it.
        request_timeout: seconds allowed for each request, body included.
        max_body_size: answers larger than this many bytes are refused unread.
    """

    def __init__(
        self,
        host: str,
        port: int = 80,
        username: str = "admin",
        password: str = "wes",  # noqa: S107 (the WES factory default)
        *,
        session: aiohttp.ClientSession,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        max_body_size: int = DEFAULT_MAX_BODY_SIZE,
    ) -> None:
        """Store the connection settings; nothing is sent before the first call."""
        self._host = host
        self._port = port
        self._username = username
        self._password = password
        self._session = session
        self._request_timeout = request_timeout
        self._max_body_size = max_body_size
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        """Identify the client without its password."""
        return f"WesClient(host={self._host!r}, port={self._port}, username={self._username!r})"

    @property
    def host(self) -> str:
        """Host name or address of the WES."""
        return self._host

    @property
    def port(self) -> int:
        """HTTP port of the WES."""
        return self._port

    @property
    def username(self) -> str:
        """Web account used for every request."""
        return self._username

    # ----------------------------------------------------------------------------------
    # Reading
    # ----------------------------------------------------------------------------------

    async def fetch(self, path: str) -> bytes:
        """GET a file from the WES web root (``DATA.CGX``, ``WEBPROG/CGX/INFOCFG.CGX``...).

        Raises:
            WesError: a child of it for every failure (see ``errors.py``).
        """
        return await self._get(path)

    async def read_data(self, filename: str = "DATA.CGX") -> WesData:
        """GET a data file and parse it.

        Raises:
            WesParseError: the answer is not a WES data file.
            WesError: a child of it for every other failure.
        """
        body = await self._get(filename)
        return parse_data(body)

    async def is_admin(self) -> bool:
        """Whether the account has admin rights: the info page answers 403 to the others."""
        try:
            await self._get(_ADMIN_PAGE)
        except WesForbiddenError:
            return False
        return True

    # ----------------------------------------------------------------------------------
    # Commands
    # ----------------------------------------------------------------------------------

    async def set_relay(self, relay_id: int, on: bool) -> None:  # noqa: FBT001
        """Switch a relay: 1-2 on board, 101-198 on 1-Wire cards, 109..199 a whole card."""
        self._check_relay_id(relay_id)
        await self._get(_RELAY_PATH, {f"rl{relay_id}": _on_off(on)})

    async def toggle_relay(self, relay_id: int) -> None:
        """Flip a relay (same ids as ``set_relay``)."""
        self._check_relay_id(relay_id)
        await self._get(_RELAY_PATH, {"frl": str(relay_id)})

    async def set_virtual_switch(self, number: int, on: bool) -> None:  # noqa: FBT001
        """Switch virtual switch 1-24."""
        _check_number(number, _VIRTUAL_SWITCHES, "Virtual switch")
        await self._get(_AJAX_PATH, {f"vs{number}": _on_off(on)})

    async def toggle_virtual_switch(self, number: int) -> None:
        """Flip virtual switch 1-24."""
        _check_number(number, _VIRTUAL_SWITCHES, "Virtual switch")
        await self._get(_AJAX_PATH, {"fvs": str(number)})

    async def set_alarm(self, on: bool) -> None:  # noqa: FBT001
        """Arm or disarm the alarm (needs the optional screen)."""
        await self._get(_AJAX_PATH, {"alarme": _on_off(on)})

    async def reboot(self) -> None:
        """Restart the WES. It drops the connection at once: that counts as success.

        Any connection error counts, a refused connection included: aiohttp resends a GET
        once when the connection drops before the answer, and that second try meets a WES
        that is already restarting. Auth and HTTP errors still raise.
        """
        try:
            await self._get(_AJAX_PATH, {"reset": "yes"})
        except WesConnectionError as err:  # includes WesTimeoutError
            _LOGGER.debug("WES %s dropped the connection on reboot (%s)", self._host, err)

    @staticmethod
    def _check_relay_id(relay_id: int) -> None:
        _check_number(relay_id, None, "Relay")
        if not _is_valid_relay_id(relay_id):
            raise ValueError(f"Relay {relay_id} does not exist on a WES")

    # ----------------------------------------------------------------------------------
    # HTTP
    # ----------------------------------------------------------------------------------

    def _url(self, path: str, query: Mapping[str, str] | None) -> URL:
        return URL.build(
            scheme="http",
            host=self._host,
            port=self._port,
            path="/" + path.lstrip("/"),
            query=query,
        )

    def _auth(self) -> aiohttp.BasicAuth:
        """Basic credentials, Latin-1 like the WES's web UI, UTF-8 when that cannot encode."""
        try:
            auth = aiohttp.BasicAuth(self._username, self._password)
            auth.encode()
        except UnicodeEncodeError:
            return aiohttp.BasicAuth(self._username, self._password, encoding="utf-8")
        except ValueError:
            raise WesAuthError("The user name must not contain ':'") from None
        return auth

    async def _get(self, path: str, query: Mapping[str, str] | None = None) -> bytes:
        """One GET, alone on the wire, within the timeout; the body or a ``WesError``."""
        try:
            url = self._url(path, query)
        except (TypeError, ValueError) as err:
            raise WesConnectionError(f"Invalid WES address {self._host}:{self._port}") from err
        auth = self._auth()
        target = url.path_qs
        async with self._lock:
            _LOGGER.debug("GET %s from WES %s:%s", target, self._host, self._port)
            try:
                async with asyncio.timeout(self._request_timeout):
                    body = await self._exchange(url, auth, target)
            except TimeoutError as err:
                raise WesTimeoutError(
                    f"The WES at {self._host}:{self._port} did not answer {target} "
                    f"within {self._request_timeout:g} s"
                ) from err
            except aiohttp.ClientResponseError as err:
                raise WesResponseError(
                    f"The WES at {self._host}:{self._port} sent an invalid HTTP answer "
                    f"to {target} ({type(err).__name__})",
                    err.status or None,
                ) from err
            except (aiohttp.ClientError, OSError) as err:
                raise WesConnectionError(
                    f"Connection to the WES at {self._host}:{self._port} failed during "
                    f"{target} ({type(err).__name__})"
                ) from err
        _LOGGER.debug("WES %s answered %s with %d bytes", self._host, target, len(body))
        return body

    async def _exchange(self, url: URL, auth: aiohttp.BasicAuth, target: str) -> bytes:
        """Send the request and read the capped body, mapping the HTTP status."""
        async with self._session.get(
            url, auth=auth, allow_redirects=False, raise_for_status=False
        ) as response:
            status = response.status
            if status == _HTTP_UNAUTHORIZED:
                raise WesAuthError(f"The WES refused the credentials of {self._username!r}")
            if status == _HTTP_FORBIDDEN:
                raise WesForbiddenError(f"The WES account {self._username!r} may not get {target}")
            if status != _HTTP_OK:
                raise WesResponseError(f"The WES answered {target} with HTTP {status}", status)
            return await self._read_body(response, target)

    async def _read_body(self, response: aiohttp.ClientResponse, target: str) -> bytes:
        """Read at most ``max_body_size`` bytes; refuse a larger answer without keeping it."""
        limit = self._max_body_size
        declared = response.headers.get(hdrs.CONTENT_LENGTH, "")
        if declared.isascii() and declared.isdigit() and int(declared[:18]) > limit:
            response.close()
            raise WesResponseTooLargeError(
                f"The WES answer to {target} announces {declared[:18]} bytes (more than {limit})"
            )
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(_CHUNK_SIZE):
            size += len(chunk)
            if size > limit:
                response.close()
                raise WesResponseTooLargeError(f"The WES answer to {target} exceeds {limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
