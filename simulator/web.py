"""The WES web server: Basic auth, rendered CGX files, HTML pages and command endpoints."""

from __future__ import annotations

import asyncio
import base64
import binascii
import html
from typing import TYPE_CHECKING, Final

from aiohttp import web

from .faults import Fault, FaultKind

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from .server import WesSimulator

REALM: Final = "Acces au serveur WES"
COMMAND_ENDPOINTS: Final = frozenset({"rl.cgi", "rl.cgx", "ajax.cgx", "vs.cgi"})
ADMIN_PAGES: Final = frozenset({"infocfg.htm"})
PAGES: Final = {
    "index.htm": "Serveur WES",
    "ticval.htm": "Téléinfo",
    "pceval.htm": "Pinces ampèremétriques",
    "pulses.htm": "Compteurs d'impulsions",
    "tmp.htm": "Sondes 1-Wire",
    "relais.htm": "Relais, entrées et switchs virtuels",
    "infocfg.htm": "Info serveur",
}
HTML_ERROR_PAGE: Final = (
    b"<html><head><title>Erreur</title></head>"
    b"<body><h1>Erreur serveur WES</h1><p>Service indisponible</p></body></html>"
)
_CONTENT_TYPES: Final = {
    ".cgx": "text/xml",
    ".htm": "text/html",
    ".html": "text/html",
    ".css": "text/css",
    ".js": "application/javascript",
    ".xml": "text/xml",
    ".txt": "text/plain",
}

BODY_FAULTS: Final = frozenset({FaultKind.RESET, FaultKind.TRUNCATED, FaultKind.MALFORMED_XML})
ADMIN: Final = "admin"
READ_ONLY: Final = "user"


def find_file(root: Path, relative: str) -> Path | None:
    """Find a file under ``root`` matching ``relative`` case-insensitively (FAT semantics)."""
    current = root
    parts = [part for part in relative.replace("\\", "/").split("/") if part]
    for part in parts:
        if part in {".", ".."} or not current.is_dir():
            return None
        wanted = part.lower()
        match = next((entry for entry in current.iterdir() if entry.name.lower() == wanted), None)
        if match is None:
            return None
        current = match
    return current if parts and current.is_file() else None


def decode_template(raw: bytes) -> str:
    """Templates are UTF-8 or ISO-8859-1 (JWES writes Latin-1); accept both."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class WesWebApp:
    """Request handling of one simulator; reads the simulator's state on every request."""

    def __init__(self, sim: WesSimulator) -> None:
        """Bind to a simulator."""
        self._sim = sim

    def build(self) -> web.Application:
        """Return the aiohttp application (one catch-all route)."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self.handle)
        return app

    # -- entry point -------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Apply faults, check credentials, then dispatch."""
        fault = self._sim.faults.take(request.path)
        if fault is not None:
            early = await self._early_fault(fault)
            if early is not None:
                return early
        role = self._role(request)
        if role is None:
            return self._unauthorized()
        response = await self._dispatch(request, role)
        if (
            fault is not None
            and fault.kind in BODY_FAULTS
            and response.status == 200  # noqa: PLR2004
            and isinstance(response, web.Response)
        ):
            return await self._late_fault(request, fault, response)
        return response

    async def _early_fault(  # noqa: PLR0911 - one answer per fault kind
        self, fault: Fault
    ) -> web.StreamResponse | None:
        if fault.kind is FaultKind.DELAY:
            await asyncio.sleep(fault.delay)
            return None
        if fault.kind is FaultKind.TIMEOUT:
            # Hang until the client gives up (the handler is then cancelled) or we stop.
            await self._sim.closing.wait()
            return web.Response(status=503)
        if fault.kind is FaultKind.SERVER_ERROR:
            return web.Response(status=500, text="500 Internal Server Error")
        if fault.kind is FaultKind.UNAUTHORIZED:
            return self._unauthorized()
        if fault.kind is FaultKind.FORBIDDEN:
            return self._forbidden()
        if fault.kind is FaultKind.HTML_ERROR:
            return web.Response(body=HTML_ERROR_PAGE, content_type="text/html")
        return None

    async def _late_fault(
        self, request: web.Request, fault: Fault, response: web.Response
    ) -> web.StreamResponse:
        body = bytes(response.body) if isinstance(response.body, (bytes, bytearray)) else b""
        half = len(body) // 2
        if fault.kind is FaultKind.TRUNCATED:
            return web.Response(body=body[:half], content_type=response.content_type)
        if fault.kind is FaultKind.MALFORMED_XML:
            return web.Response(
                body=body[:half] + b"<?>&</" + body[half:], content_type=response.content_type
            )
        # RESET: promise the whole body, send half of it, then drop the connection.
        stream = web.StreamResponse(headers={"Content-Type": response.content_type})
        stream.content_length = len(body)
        await stream.prepare(request)
        await stream.write(body[:half])
        if request.transport is not None:
            request.transport.abort()
        return stream

    # -- auth ------------------------------------------------------------------------------

    def _role(self, request: web.Request) -> str | None:
        header = request.headers.get("Authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("latin-1")
        except (binascii.Error, ValueError):
            return None
        username, _, password = decoded.partition(":")
        if (username, password) == self._sim.admin:
            return ADMIN
        if self._sim.readonly is not None and (username, password) == self._sim.readonly:
            return READ_ONLY
        return None

    @staticmethod
    def _unauthorized() -> web.Response:
        return web.Response(
            status=401,
            text="401 Unauthorized: acces refuse",
            headers={"WWW-Authenticate": f'Basic realm="{REALM}"'},
        )

    @staticmethod
    def _forbidden() -> web.Response:
        """The WES's answer to an account that may not do this (and the ``forbidden`` fault)."""
        return web.Response(status=403, text="403 Forbidden")

    # -- dispatch --------------------------------------------------------------------------

    async def _dispatch(  # noqa: PLR0911 - one answer per kind of resource
        self, request: web.Request, role: str
    ) -> web.StreamResponse:
        relative = request.path.lstrip("/") or "index.htm"
        name = relative.lower()
        if name in COMMAND_ENDPOINTS:
            if role != ADMIN:
                return self._forbidden()
            return await self._command(request, name)
        if name in ADMIN_PAGES and role != ADMIN:
            return self._forbidden()
        path = find_file(self._sim.web_root, relative)
        if path is None:
            if name in PAGES:
                return self._page(name)
            return web.Response(status=404, text="404 Not Found")
        raw = path.read_bytes()
        suffix = path.suffix.lower()
        if suffix == ".cgx":
            text = self._sim.render_template(decode_template(raw))
            return web.Response(body=text.encode("utf-8"), content_type="text/xml")
        return web.Response(
            body=raw, content_type=_CONTENT_TYPES.get(suffix, "application/octet-stream")
        )

    def _page(self, name: str) -> web.Response:
        device = self._sim.device
        title = PAGES[name]
        rows = [
            ("Firmware", device.firmware),
            ("Matériel", device.hardware),
            ("Adresse MAC", device.mac),
            ("Date", device.clock.strftime("%d/%m/%Y %H:%M")),
        ]
        cells = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>" for k, v in rows
        )
        body = (
            f"<html><head><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1><table>{cells}</table></body></html>"
        )
        return web.Response(text=body, content_type="text/html")

    # -- commands ------------------------------------------------------------------------

    async def _command(self, request: web.Request, endpoint: str) -> web.StreamResponse:
        query: Mapping[str, str] = request.query
        reset = False
        for key, value in query.items():
            reset = self._apply(key.lower(), value) or reset
        if reset:
            if request.transport is not None:
                request.transport.abort()
            self._sim.schedule_reboot()
            return web.Response(status=200)
        relays = self._sim.device.relays
        if endpoint == "rl.cgx":
            states = "".join(
                f"<RELAIS{n}>{'ON' if relay.on else 'OFF'}</RELAIS{n}>"
                for n, relay in enumerate(relays, start=1)
            )
            body = f'<?xml version="1.0" encoding="utf-8"?><data><relais>{states}</relais></data>'
            return web.Response(text=body, content_type="text/xml")
        if endpoint == "ajax.cgx":
            return web.Response(
                text='<?xml version="1.0" encoding="utf-8"?><response>OK</response>',
                content_type="text/xml",
            )
        return web.Response(text="<html><body>OK</body></html>", content_type="text/html")

    def _apply(self, key: str, value: str) -> bool:
        """Apply one query parameter; return True for a reset request."""
        device = self._sim.device
        state = value.strip().upper()
        on = state in {"ON", "1"}
        if key == "reset":
            return state == "YES"
        if key == "alarme":
            device.alarm = on
            return False
        number = _int_or_none(value)
        if key == "frl" and number is not None:
            device.toggle_relay(number)
            return False
        if key == "fvs" and number is not None:
            device.toggle_virtual_switch(number)
            return False
        if key.startswith("rl") and (relay_id := _int_or_none(key[2:])) is not None:
            device.set_relay(relay_id, on)
            return False
        if key.startswith("vs") and (switch := _int_or_none(key[2:])) is not None:
            device.set_virtual_switch(switch, on)
        return False


def _int_or_none(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None
