"""Shared fixtures: a simulated WES on loopback (see ``simulator/``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from simulator import WesSimulator

type WesSimulatorFactory = Callable[..., Awaitable[WesSimulator]]


@pytest.fixture
async def wes_simulator_factory(socket_enabled: None) -> AsyncIterator[WesSimulatorFactory]:
    """Start simulators on demand (``WesSimulator`` kwargs); all are stopped at teardown.

    The factory also accepts ``host``, ``http_port`` and ``ftp_port`` for ``start()``.
    Reboots are short (0.3 s) unless ``reboot_delay`` is given.
    """
    started: list[WesSimulator] = []

    async def factory(**kwargs: Any) -> WesSimulator:
        start_kwargs = {
            key: kwargs.pop(key) for key in ("host", "http_port", "ftp_port") if key in kwargs
        }
        kwargs.setdefault("reboot_delay", 0.3)
        sim = WesSimulator(**kwargs)
        started.append(sim)
        await sim.start(**start_kwargs)
        return sim

    yield factory
    for sim in reversed(started):
        await sim.stop()


@pytest.fixture
async def wes_simulator(wes_simulator_factory: WesSimulatorFactory) -> WesSimulator:
    """A started simulator: firmware V0.84A10, scenario "a", static values."""
    return await wes_simulator_factory(generation="v084", scenario="a")
