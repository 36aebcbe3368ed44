"""A poll writes the states of the entities whose reading changed, and only those."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity import Entity

from custom_components.wescontrol.entity import WesEntity
from simulator import FaultKind

from .conftest import poll


async def test_unchanged_poll_writes_nothing(
    hass: Any, init_integration: Any, wes_simulator: Any, freezer: Any
) -> None:
    written: list[str] = []
    original = Entity._async_write_ha_state

    def counting(self: Entity) -> None:
        if isinstance(self, WesEntity):
            written.append(self.entity_id)
        original(self)

    with patch.object(Entity, "_async_write_ha_state", counting):
        await poll(hass, freezer)
        assert written == []  # the simulator's values do not move unless asked

        wes_simulator.device.probes[0].value += 1.5
        await poll(hass, freezer)
        assert len(written) == 1
        assert written[0].startswith("sensor.")
        probe = hass.states.get(written[0])
        assert float(probe.state) == round(wes_simulator.device.probes[0].value, 1)

        # A failed poll changes every entity that was available, and only those.
        registry = er.async_get(hass)
        ours = {
            entry.entity_id
            for entry in er.async_entries_for_config_entry(registry, init_integration.entry_id)
        }
        were_available = {
            entity_id
            for entity_id in ours
            if (state := hass.states.get(entity_id)) and state.state != STATE_UNAVAILABLE
        }
        written.clear()
        wes_simulator.faults.set(FaultKind.SERVER_ERROR)
        await poll(hass, freezer)
        assert sorted(written) == sorted(were_available)
        await poll(hass, freezer)
        assert len(written) == len(were_available)  # a second failed poll changes nothing
