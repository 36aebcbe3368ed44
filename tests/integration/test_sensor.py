"""Sensor platform against the simulated WES: snapshots, readings, devices, edge cases."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension

from custom_components.wescontrol import (
    PLATFORMS,
    binary_sensor,
    button,
    entity,
    sensor,
    switch,
    update,
)
from custom_components.wescontrol.const import (
    CONF_FTP_PASSWORD,
    CONF_FTP_PORT,
    CONF_FTP_USERNAME,
    CONF_MANAGE_DATA_FILE,
    DOMAIN,
    OPT_FEATURES,
    OPT_MAINS_VOLTAGE,
    OPT_SCAN_INTERVAL,
    OPT_SCREEN,
)
from custom_components.wescontrol.entity import WesDevices
from custom_components.wescontrol.wes.features import FeatureKind
from custom_components.wescontrol.wes.models import Tic
from custom_components.wescontrol.wes.names import NAMES_FILE_NAME, generate_names_file

from .conftest import poll

SIM_HOST = "127.0.0.1"

FROZEN_NOW = "2026-01-15 13:30:00+00:00"

# What each simulator scenario has wired, enabled as a user would (plus a few extra
# instances so every meter family, tariff and measure shows up in a snapshot).
SCENARIO_OPTIONS: dict[str, dict[str, Any]] = {
    "a": {
        OPT_FEATURES: {
            "tic": {"1": {"tariff": "auto", "measure": "consumption"}},
            "clamp": {"1": {"measure": "consumption"}, "2": {"measure": "production"}},
            "pulse_counter": {"1": {"meter_type": "water", "measure": "consumption"}},
            "probe": {str(n): {"probe_kind": "temperature"} for n in (1, 2, 3)},
            "relay": {"1": {}, "2": {}},
            "input": {"1": {}, "2": {}},
            "analog_input": {str(n): {} for n in (1, 2, 3, 4)},
            "virtual_switch": {str(n): {} for n in (1, 2, 3)},
            "variable": {str(n): {} for n in (1, 2, 3)},
        },
        OPT_SCREEN: True,
        OPT_MAINS_VOLTAGE: True,
        OPT_SCAN_INTERVAL: 30,
    },
    "b": {
        OPT_FEATURES: {
            "tic": {"1": {"tariff": "auto", "measure": "both"}},
            "pulse_counter": {"1": {"meter_type": "gas", "measure": "consumption"}},
            "probe": {
                "1": {"probe_kind": "temperature"},
                "2": {"probe_kind": "humidity"},
                "3": {"probe_kind": "luminosity"},
            },
            "onewire_card": {"1": {"relay_count": "8"}},
            "relay": {"1": {}, "2": {}},
            "input": {"1": {}},
            "virtual_switch": {"2": {}},
            "variable": {"1": {}},
        },
        OPT_SCREEN: False,
        OPT_MAINS_VOLTAGE: False,
        OPT_SCAN_INTERVAL: 30,
    },
    "c": {
        OPT_FEATURES: {
            "tic": {
                "1": {"tariff": "base", "measure": "consumption"},
                "2": {"tariff": "ejp", "measure": "consumption"},
                "3": {"tariff": "hc", "measure": "production"},
            },
            "clamp": {"1": {"measure": "consumption"}},
            "pulse_counter": {
                "1": {"meter_type": "electricity", "measure": "production"},
                "2": {"meter_type": "fuel_oil", "measure": "consumption"},
                "3": {"meter_type": "calories", "measure": "consumption"},
            },
            "probe": {"1": {"probe_kind": "temperature"}},
            "onewire_card": {"2": {"relay_count": "3"}},
            "relay": {"1": {}, "2": {}},
            "input": {"1": {}, "2": {}},
        },
        OPT_SCREEN: False,
        OPT_MAINS_VOLTAGE: False,
        OPT_SCAN_INTERVAL: 30,
    },
}


def sim_mac(sim: Any) -> str:
    """The simulated WES's id as the integration stores it (12 lower-case hex)."""
    return str(sim.device.mac).lower()


def build_entry(sim: Any, options: dict[str, Any], **data: Any) -> MockConfigEntry:
    """An entry for a started simulator, identified by its MAC."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="WES",
        data={
            CONF_HOST: SIM_HOST,
            CONF_PORT: sim.http_port,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: "wes",
            **data,
        },
        options=options,
        unique_id=sim_mac(sim),
    )


async def setup_integration(hass: Any, entry: MockConfigEntry) -> MockConfigEntry:
    """Add an entry and set it up; it must load."""
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    return entry


def platform_states(hass: Any, entry: Any, domain: str) -> dict[str, Any]:
    """States of one platform's entities of an entry, keyed by entity id (stable)."""
    registry = er.async_get(hass)
    result: dict[str, Any] = {}
    for reg in er.async_entries_for_config_entry(registry, entry.entry_id):
        if reg.domain != domain:
            continue
        state = hass.states.get(reg.entity_id)
        result[reg.entity_id] = (
            None if state is None else {"state": state.state, "attributes": dict(state.attributes)}
        )
    return dict(sorted(result.items()))


def entity_id_of(hass: Any, domain: str, unique_id: str) -> str:
    """Entity id of one of our entities, by unique id."""
    entity_id = er.async_get(hass).async_get_entity_id(domain, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


@pytest.fixture
def snapshot(snapshot):
    """Snapshots in ``snapshots/`` next to this file, serialised the Home Assistant way."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


def ftp_access(sim: Any) -> dict[str, Any]:
    """Entry data that lets the integration keep its own data file on the simulator."""
    return {
        CONF_FTP_USERNAME: "adminftp",
        CONF_FTP_PASSWORD: "wesftp",
        CONF_FTP_PORT: sim.ftp_port,
        CONF_MANAGE_DATA_FILE: True,
    }


@pytest.fixture
async def scenario_entry(request, hass, wes_simulator_factory, freezer):
    """A simulator of the parametrized scenario and an entry set up against it.

    ``"a"`` reads the WES's built-in DATA.CGX; ``"a+ftp"`` lets the integration install
    and read its own data file (the primary source), as a user with FTP access does.
    """
    freezer.move_to(FROZEN_NOW)
    scenario, _, source = request.param.partition("+")
    sim = await wes_simulator_factory(scenario=scenario)
    data = ftp_access(sim) if source == "ftp" else {}
    entry = build_entry(sim, SCENARIO_OPTIONS[scenario], **data)
    await setup_integration(hass, entry)
    return sim, entry


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize(
    "scenario_entry", ["a", "b", "c", "a+ftp", "b+ftp", "c+ftp"], indirect=True
)
async def test_sensor_snapshot(hass, scenario_entry, snapshot, request) -> None:
    """Every sensor of a scenario, with its state and attributes."""
    _sim, entry = scenario_entry
    scenario = request.node.callspec.params["scenario_entry"]
    states = platform_states(hass, entry, "sensor")
    assert states
    assert all(value is not None for value in states.values())
    assert states == snapshot(name=f"sensor-scenario-{scenario}")


@pytest.mark.parametrize("scenario_entry", ["a", "a+ftp"], indirect=True)
async def test_scenario_a_readings(hass, scenario_entry) -> None:
    """Spot checks of units and values a user relies on (Tempo TIC, clamps, water).

    Costs are only in our data file: with ``DATA.CGX`` they are unavailable, units kept.
    """
    sim, entry = scenario_entry
    wes = sim_mac(sim)
    tic = sim.device.tics[0]

    state = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_index_bbrhcjb"))
    assert float(state.state) == pytest.approx(tic.indexes["bbrhcjb"] / 1000)
    assert state.attributes["unit_of_measurement"] == "kWh"
    assert state.attributes["state_class"] == "total_increasing"
    assert state.attributes["device_class"] == "energy"

    period = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_tariff_period"))
    assert period.state in sensor.TARIFF_PERIODS
    colour = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_tomorrow_colour"))
    assert colour.state == "white"

    # Only the registers of the tariff in force exist (Tempo here).
    registry = er.async_get(hass)
    assert registry.async_get_entity_id("sensor", DOMAIN, f"{wes}_tic1_index_base") is None
    assert registry.async_get_entity_id("sensor", DOMAIN, f"{wes}_tic1_index_hchc") is None

    power = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_clamp1_power"))
    assert power.attributes["device_class"] == "power"
    assert power.attributes["unit_of_measurement"] == "W"
    assert registry.async_get_entity_id("sensor", DOMAIN, f"{wes}_clamp2_index") is None
    assert registry.async_get_entity_id("sensor", DOMAIN, f"{wes}_clamp2_injection_index")

    water = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_pulse_counter1_index"))
    assert water.attributes["device_class"] == "water"
    assert water.attributes["unit_of_measurement"] == "m³"

    cost = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_cost_day"))
    assert cost.attributes["device_class"] == "monetary"
    assert cost.attributes["unit_of_measurement"] == "€"
    if not entry.runtime_data.reads_own_data_file:
        assert cost.state == STATE_UNAVAILABLE
        return
    assert float(cost.state) == pytest.approx(tic.cost.day, abs=0.01)
    assert cost.attributes["last_reset"].startswith("2026-01-15T00:00:00")
    month = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_cost_month"))
    assert month.attributes["last_reset"].startswith("2026-01-01T00:00:00")
    year = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_cost_year"))
    assert year.attributes["last_reset"].startswith("2026-01-01T00:00:00")

    mains = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_mains_voltage"))
    assert float(mains.state) == 231


@pytest.mark.parametrize("scenario_entry", ["a"], indirect=True)
async def test_disabled_by_default(hass, scenario_entry) -> None:
    """Noisy and rarely useful sensors are created disabled."""
    sim, _entry = scenario_entry
    wes = sim_mac(sim)
    registry = er.async_get(hass)
    for unique_id in (f"{wes}_clock", f"{wes}_tic1_max_current", f"{wes}_clamp1_max_current_day"):
        entry = registry.async_get(entity_id_of(hass, "sensor", unique_id))
        assert entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    free = registry.async_get(entity_id_of(hass, "sensor", f"{wes}_free_space"))
    assert free.entity_category.value == "diagnostic"


@pytest.mark.parametrize("scenario_entry", ["b"], indirect=True)
async def test_three_phase_producer(hass, scenario_entry) -> None:
    """A three-phase Linky producer: one current per phase, injection, HC registers."""
    sim, _entry = scenario_entry
    wes = sim_mac(sim)
    registry = er.async_get(hass)
    for phase in (1, 2, 3):
        state = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_current_{phase}"))
        assert float(state.state) == sim.device.tics[0].current[phase]
    assert registry.async_get_entity_id("sensor", DOMAIN, f"{wes}_tic1_current") is None
    assert registry.async_get_entity_id("sensor", DOMAIN, f"{wes}_tic1_tomorrow_colour") is None
    injection = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_injection_index"))
    assert injection.attributes["device_class"] == "energy"
    hc = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_index_hchc"))
    hp = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_index_hchp"))
    total = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_total_index"))
    assert float(total.state) == pytest.approx(float(hc.state) + float(hp.state))
    gas = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_pulse_counter1_index"))
    assert gas.attributes["device_class"] == "gas"
    assert gas.attributes["unit_of_measurement"] == "m³"


@pytest.mark.parametrize("scenario_entry", ["a"], indirect=True)
async def test_devices(hass, scenario_entry) -> None:
    """One WES device, one sub-device per metering instance attached to it."""
    sim, entry = scenario_entry
    wes = sim_mac(sim)
    registry = dr.async_get(hass)
    parent = registry.async_get_device(identifiers={(DOMAIN, wes)})
    assert parent is not None
    assert parent.manufacturer == "CartElectronic"
    assert parent.sw_version == sim.device.firmware
    assert parent.configuration_url == f"http://127.0.0.1:{sim.http_port}/"
    assert (dr.CONNECTION_NETWORK_MAC, dr.format_mac(wes)) in parent.connections
    pages = {
        "tic1": "TICVAL.HTM",
        "clamp1": "PCEVAL.HTM",
        "clamp2": "PCEVAL.HTM",
        "pulse_counter1": "PULSES.HTM",
        "probe1": "TMP.HTM",
    }
    for suffix, page in pages.items():
        child = registry.async_get_device(identifiers={(DOMAIN, f"{wes}_{suffix}")})
        assert child is not None, suffix
        assert child.via_device_id == parent.id
        assert child.configuration_url.endswith(page)
    devices = dr.async_entries_for_config_entry(registry, entry.entry_id)
    assert len(devices) == 1 + len(pages) + 2  # probes 2 and 3
    # Without names on the WES, sub-devices take translated generic names.
    names = {
        suffix: registry.async_get_device(identifiers={(DOMAIN, f"{wes}_{suffix}")}).name
        for suffix in ("tic1", "clamp2", "pulse_counter1", "probe1")
    }
    assert names == {
        "tic1": "TIC 1",
        "clamp2": "Clamp 2",
        "pulse_counter1": "Pulse counter 1",
        "probe1": "Probe 1",
    }


async def test_sub_device_names_follow_the_language(hass, wes_simulator_factory) -> None:
    """A French Home Assistant names the sub-devices in French."""
    hass.config.language = "fr"
    sim = await wes_simulator_factory(scenario="a")
    await setup_integration(hass, build_entry(sim, SCENARIO_OPTIONS["a"]))
    registry = dr.async_get(hass)
    wes = sim_mac(sim)
    names = {
        suffix: registry.async_get_device(identifiers={(DOMAIN, f"{wes}_{suffix}")}).name
        for suffix in ("tic1", "clamp2", "pulse_counter1")
    }
    assert names == {
        "tic1": "Téléinfo 1",
        "clamp2": "Pince 2",
        "pulse_counter1": "Compteur d'impulsions 1",
    }


async def test_sub_devices_named_by_the_wes(hass, wes_simulator_factory) -> None:
    """With the names file on the WES, sub-devices carry the names the user gave them."""
    sim = await wes_simulator_factory(scenario="a")
    (sim.web_root / NAMES_FILE_NAME).write_text(generate_names_file(), encoding="latin-1")
    await setup_integration(hass, build_entry(sim, SCENARIO_OPTIONS["a"]))
    registry = dr.async_get(hass)
    wes = sim_mac(sim)
    names = {
        suffix: registry.async_get_device(identifiers={(DOMAIN, f"{wes}_{suffix}")}).name
        for suffix in ("tic1", "clamp2", "pulse_counter1", "probe2")
    }
    assert names == {
        "tic1": "Linky maison",
        "clamp2": "PV & onduleur",
        "pulse_counter1": "Eau froide",
        "probe2": "Chambre d'Élise",
    }
    analog = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_analog_input1_voltage"))
    assert analog.name == "WES Entrée analogique 1"


@pytest.mark.parametrize("scenario_entry", ["a"], indirect=True)
async def test_newer_device_registry_shapes(hass, scenario_entry, monkeypatch) -> None:
    """Sub-devices use ChildDeviceInfo (2026.9+) or via_device_id (2026.8) when present."""
    _sim, entry = scenario_entry
    coordinator = entry.runtime_data
    parent = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, coordinator.wes_id)})

    captured: dict[str, Any] = {}

    def child_device_info(**kwargs: Any) -> dict[str, Any]:
        captured.update(kwargs)
        return kwargs

    monkeypatch.setattr(entity, "_CHILD_DEVICE_INFO", child_device_info)
    WesDevices.create(hass, coordinator).sub_device(FeatureKind.PROBE, 2)
    assert captured["parent_device_id"] == parent.id
    assert captured["identifiers"] == {(DOMAIN, f"{coordinator.wes_id}_probe2")}

    monkeypatch.setattr(entity, "_CHILD_DEVICE_INFO", None)
    monkeypatch.setattr(entity, "_HAS_VIA_DEVICE_ID", True)
    info = WesDevices.create(hass, coordinator).sub_device(FeatureKind.TIC, 1)
    assert info["via_device_id"] == parent.id
    assert "via_device" not in info


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("scenario_entry", ["a"], indirect=True)
async def test_absent_values(hass, scenario_entry) -> None:
    """Unknown tariff words and an unread probe: unknown / unavailable, never a crash."""
    sim, entry = scenario_entry
    wes = sim_mac(sim)
    coordinator = entry.runtime_data
    data = coordinator.data
    tic = dataclasses.replace(data.tics[1], tariff_period="Inconnu", tomorrow_color="----")
    probes = {**data.probes, 1: None}
    coordinator.async_set_updated_data(
        dataclasses.replace(data, tics={**data.tics, 1: tic}, probes=probes)
    )
    await hass.async_block_till_done()
    period = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_tariff_period"))
    assert period.state == STATE_UNKNOWN
    colour = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_tomorrow_colour"))
    assert colour.state == STATE_UNKNOWN
    probe = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_probe1_temperature"))
    assert probe.state == STATE_UNAVAILABLE
    other = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_probe2_temperature"))
    assert other.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN)

    clock = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_clock"))
    assert clock.state == "2026-01-15T22:30:00+00:00"  # WES local time, HA's zone

    # A TIC that disappears from the file reads unknown, not 0; so does a missing clock.
    info = dataclasses.replace(data.info, clock=None)
    coordinator.async_set_updated_data(dataclasses.replace(data, tics={}, info=info))
    await hass.async_block_till_done()
    power = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_tic1_apparent_power"))
    assert power.state == STATE_UNKNOWN
    clock = hass.states.get(entity_id_of(hass, "sensor", f"{wes}_clock"))
    assert clock.state == STATE_UNKNOWN


@pytest.mark.parametrize("scenario_entry", ["a"], indirect=True)
async def test_wes_offline_then_back(hass, scenario_entry, freezer) -> None:
    """A failed poll makes the sensors unavailable; the next good one brings them back."""
    sim, _entry = scenario_entry
    wes = sim_mac(sim)
    entity_id = entity_id_of(hass, "sensor", f"{wes}_clamp1_current")
    sim.faults.set("server_error", 1)
    await poll(hass, freezer)
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    await poll(hass, freezer)
    assert float(hass.states.get(entity_id).state) == pytest.approx(sim.device.clamps[0].current)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("H. Pleine BLEU", "peak_blue"),
        ("H. Creuse BLANC", "off_peak_white"),
        ("H. Creuse ROUGE", "off_peak_red"),
        ("H. Pleines", "peak"),
        ("H. Creuses", "off_peak"),
        ("HCJR", "off_peak_red"),
        ("TH..", "base"),
        ("HN..", "ejp_normal"),
        ("PM..", "ejp_peak"),
        ("Heures Normales", "ejp_normal"),
        ("Pointe Mobile", "ejp_peak"),
        ("Toutes Heures", "base"),
        ("Inconnu", None),
        ("TIC NDERR.", None),
        ("", None),
        (None, None),
    ],
)
def test_tariff_period_words(words: str | None, expected: str | None) -> None:
    """PTEC words and codes map to the enum options; anything else is unknown."""
    assert sensor.tariff_period(words) == expected
    assert expected is None or expected in sensor.TARIFF_PERIODS


def test_phases_and_tariffs() -> None:
    """Three-phase detection and the tariff derived from OPTARIF."""
    assert not sensor.tic_three_phase(Tic(current={0: 12, 1: 0, 2: 0, 3: 0}))
    assert sensor.tic_three_phase(Tic(current={1: 3, 2: 4, 3: 0}))
    assert sensor.tic_three_phase(Tic(voltage={1: 230, 2: 231, 3: 229}))
    assert sensor.tomorrow_colour("Jour ROUGE") == "red"
    assert sensor.tomorrow_colour("----") is None


def _translation_keys() -> dict[str, set[str]]:
    """Every translation key our platforms use, by platform (every platform we set up)."""
    keys: dict[str, set[str]] = {platform.value: set() for platform in PLATFORMS}
    descriptions: list[tuple[str, Any]] = [
        *(("sensor", d) for group in sensor.SENSORS_BY_KIND.values() for d in group),
        *(("sensor", d) for d in sensor.WES_SENSORS),
        *(("binary_sensor", d) for d in binary_sensor.WES_BINARY_SENSORS),
        *(
            ("binary_sensor", d)
            for group in binary_sensor.BINARY_SENSORS_BY_KIND.values()
            for d in group
        ),
        *(("switch", d) for d in (switch.RELAY, switch.VIRTUAL_SWITCH, switch.ALARM)),
        *(("switch", d) for d in switch.ONEWIRE_RELAYS),
        ("button", button.RESTART),
        ("update", update.DATA_FILE),
    ]
    for platform, description in descriptions:
        if description.translation_key:
            keys[platform].add(description.translation_key)
    return keys


@pytest.mark.parametrize("language", ["en", "fr"])
def test_translations_cover_every_key(language: str) -> None:
    """Every entity name and every enum state has an English and a French text."""
    root = Path(sensor.__file__).parent
    texts = json.loads((root / "translations" / f"{language}.json").read_text("utf-8"))
    for platform, keys in _translation_keys().items():
        section = texts["entity"].get(platform, {})
        for key in keys:
            assert section[key]["name"], (platform, key)
    states = texts["entity"]["sensor"]
    assert set(states["tariff_period"]["state"]) == set(sensor.TARIFF_PERIODS)
    assert set(states["tomorrow_colour"]["state"]) == set(sensor.TOMORROW_COLOURS)
    icons = json.loads((root / "icons.json").read_text("utf-8"))
    used = _translation_keys()
    for platform, section in icons["entity"].items():
        assert platform in used, platform
        assert set(section) <= used[platform], platform
    assert icons["entity"]["update"]["data_file"]["default"].startswith("mdi:")
