"""Fixtures of the protocol tests."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator

    import aiohttp


@pytest.fixture
async def mock_session(aioclient_mock: Any) -> AsyncGenerator[aiohttp.ClientSession]:
    """An ``aiohttp`` session whose requests ``aioclient_mock`` answers (no socket)."""
    session = aioclient_mock.create_session(asyncio.get_running_loop())
    yield session
    await session.close()
