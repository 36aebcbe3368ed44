"""Fault injection: make the simulated WES misbehave like a real one on a bad day."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class FaultKind(StrEnum):
    """What can go wrong with a request (DISK_FULL applies to FTP uploads)."""

    DELAY = "delay"  # answer late by ``delay`` seconds
    TIMEOUT = "timeout"  # never answer (until the client gives up or the simulator stops)
    RESET = "reset"  # send the headers and half the body, then drop the connection
    TRUNCATED = "truncated"  # a clean answer whose body is cut in half
    MALFORMED_XML = "malformed_xml"  # a 200 whose XML is broken
    HTML_ERROR = "html_error"  # a 200 text/html error page instead of XML
    SERVER_ERROR = "server_error"  # HTTP 500
    UNAUTHORIZED = "unauthorized"  # HTTP 401 even with good credentials
    FORBIDDEN = "forbidden"  # HTTP 403 even with good credentials
    DISK_FULL = "disk_full"  # FTP uploads fail with 451


@dataclass
class Fault:
    """One armed fault: how many requests it still hits (``None``: until cleared)."""

    kind: FaultKind
    remaining: int | None = None
    delay: float = 1.0
    path: str | None = None  # only requests whose path contains this (case-insensitive)
    hits: int = 0  # requests hit so far: a test can tell its request reached the WES

    def matches(self, path: str) -> bool:
        """Whether the fault applies to a request path."""
        return self.path is None or self.path.lower() in path.lower()


class Faults:
    """The armed faults of one simulator; settable from tests and from the CLI."""

    def __init__(self) -> None:
        """Start with nothing armed."""
        self._faults: list[Fault] = []

    @property
    def active(self) -> list[Fault]:
        """The armed faults, in the order they were set."""
        return list(self._faults)

    def set(
        self,
        kind: FaultKind | str,
        count: int | None = None,
        *,
        delay: float = 1.0,
        path: str | None = None,
    ) -> Fault:
        """Arm a fault for ``count`` requests (``None``: until :meth:`clear`)."""
        fault = Fault(FaultKind(kind), count, delay, path)
        self._faults.append(fault)
        return fault

    def clear(self, kind: FaultKind | str | None = None) -> None:
        """Disarm every fault, or every fault of one kind."""
        if kind is None:
            self._faults.clear()
        else:
            self._faults = [f for f in self._faults if f.kind is not FaultKind(kind)]

    def take(self, path: str, *, ftp: bool = False) -> Fault | None:
        """Return the fault hitting this request (HTTP, or FTP upload) and count it."""
        for fault in self._faults:
            if (fault.kind is FaultKind.DISK_FULL) != ftp or not fault.matches(path):
                continue
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    self._faults.remove(fault)
            fault.hits += 1
            return fault
        return None
