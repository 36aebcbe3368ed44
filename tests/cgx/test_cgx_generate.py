"""Generation of our CGX data file: codes per firmware generation, selection, marker."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from custom_components.wescontrol.wes import cgx
from custom_components.wescontrol.wes.cgx import (
    DATA_FILE_NAME,
    MARKER_PLACEHOLDER,
    UnsupportedFirmwareError,
    data_file_fields,
    data_file_version,
    generate_data_file,
    generate_full_data_file,
    supports_data_file,
    tic_registers,
)
from custom_components.wescontrol.wes.errors import WesError
from custom_components.wescontrol.wes.features import INSTANCE_COUNT, EnabledFeatures, FeatureKind
from custom_components.wescontrol.wes.models import TIC_REGISTERS, FirmwareGeneration

V08 = FirmwareGeneration.V08
V084 = FirmwareGeneration.V084
GENERATIONS = (V08, V084)

_SPEC_RE = re.compile(r"%[-+ #0]*\d*(?:\.\d*)?(?:l|h)?[diouxXfs]")


def features(**kinds: dict[int, dict[str, str]]) -> EnabledFeatures:
    return EnabledFeatures(instances={FeatureKind(kind): value for kind, value in kinds.items()})


def code_lines(template: str) -> list[str]:
    return [line for line in template.splitlines() if line.startswith("c ")]


def dry_render(template: str) -> bytes:
    """Render without a WES: drop each code, print every conversion as a digit."""
    out: list[str] = []
    for line in template.splitlines():
        if line.startswith("t "):
            out.append(line[2:])
        elif line.startswith("c "):
            body = line[2:]
            start = body.find("<")
            out.append(_SPEC_RE.sub("1", body[start:]) if start >= 0 else "")
        elif line == ".":
            break
    return "".join(out).encode()


def test_file_name_is_our_own_cgx() -> None:
    assert DATA_FILE_NAME.endswith(".CGX")
    assert DATA_FILE_NAME.upper() != "DATA.CGX"


@pytest.mark.parametrize("generation", GENERATIONS)
def test_template_shape(generation: FirmwareGeneration) -> None:
    template = generate_data_file(features(tic={1: {}}), generation)
    lines = template.splitlines()
    assert template.endswith(".\n")
    assert all(line[:2] in {"t ", "c ", "# "} or line == "." for line in lines)
    body = [line for line in lines if not line.startswith("#")]
    assert body[0] == "t <data>"
    marker = data_file_version(features(tic={1: {}}), generation)
    assert body[1] == f"t <wescontrol><version>{marker}</version></wescontrol>"
    assert body[2] == "t <info>"
    assert body[-2:] == ["t </data>", "."]
    assert MARKER_PLACEHOLDER not in template


def test_legacy_firmware_keeps_the_builtin_file() -> None:
    assert not supports_data_file(FirmwareGeneration.LEGACY)
    assert supports_data_file(V08)
    assert supports_data_file(V084)
    for call in (generate_data_file, data_file_version, data_file_fields):
        with pytest.raises(UnsupportedFirmwareError, match="DATA.CGX") as caught:
            call(EnabledFeatures(), FirmwareGeneration.LEGACY)
        assert isinstance(caught.value, ValueError)
        assert isinstance(caught.value, WesError)


@pytest.mark.parametrize("generation", GENERATIONS)
def test_info_block(generation: FirmwareGeneration) -> None:
    plain = code_lines(generate_data_file(EnabledFeatures(), generation))
    assert plain == [
        "c h d <date>%02d/%02d/%02d</date>",
        "c h h <time>%02d:%02d</time>",
        "c v v <firmware>%s</firmware>",
        "c v h <serverversion><![CDATA[%s]]></serverversion>",
        "c r a <mac>%02X%02X%02X%02X%02X%02X</mac>",
        "c ff  <spaceleft>%0.03f</spaceleft>",
    ]
    screen = generate_data_file(EnabledFeatures(screen=True), generation)
    assert "c L A <alarme>%d</alarme>" in screen
    voltage = generate_data_file(EnabledFeatures(mains_voltage=True), generation)
    assert "t <pince>\nc PVV  <V>%d</V>\nt </pince>" in voltage


def test_hc_registers_follow_the_generation() -> None:
    hc = features(tic={2: {"tariff": "hc"}})
    old = generate_data_file(hc, V08)
    new = generate_data_file(hc, V084)
    assert "c Tc21<HCHP>%09u</HCHP>" in old
    assert "c Tc22<HCHC>%09u</HCHC>" in old
    assert "H_PLEINE" not in old
    assert "c TP2 <H_PLEINE>%09u</H_PLEINE>" in new
    assert "c TC2 <H_CREUSE>%09u</H_CREUSE>" in new
    assert "HCHC" not in new
    for template in (old, new):
        assert "BASE" not in template
        assert "BBR" not in template
        assert "DEMAIN" not in template
        assert "PEJP" not in template


@pytest.mark.parametrize(
    ("tariff", "expected"),
    [
        ("base", {"BASE"}),
        ("ejp", {"EJPHN", "EJPHPM"}),
        ("tempo", {"BBRHCJB", "BBRHPJB", "BBRHCJW", "BBRHPJW", "BBRHCJR", "BBRHPJR"}),
    ],
)
@pytest.mark.parametrize("generation", GENERATIONS)
def test_tariff_registers(tariff: str, expected: set[str], generation: FirmwareGeneration) -> None:
    fields = data_file_fields(features(tic={1: {"tariff": tariff}}), generation)["tic1"]
    registers = {tag for tag in fields if tag.upper() == tag and tag not in _TIC_COMMON}
    assert registers == expected | ({"PEJP"} if tariff == "ejp" else set()) | (
        {"DEMAIN"} if tariff == "tempo" else set()
    )


_TIC_COMMON = {
    "ADCO",
    "OPTARIF",
    "ISOUSC",
    "PTEC",
    "PAP",
    "IINST",
    "IINST1",
    "IINST2",
    "IINST3",
    "TENSION1",
    "TENSION2",
    "TENSION3",
    "IMAX",
    "IMAX1",
    "IMAX2",
    "IMAX3",
    "CONSO_JOUR",
    "COUT_JOUR",
    "CONSO_MOIS",
    "COUT_MOIS",
    "CONSO_ANNEE",
    "COUT_ANNEE",
}


def test_auto_tariff_prints_every_register_of_the_generation() -> None:
    assert tic_registers("auto", V084) == TIC_REGISTERS
    assert tic_registers("auto", V08) == tuple(r for r in TIC_REGISTERS if r != "h_super_creuse")
    new = generate_data_file(features(tic={3: {}}), V084)
    assert "c Ts3 <H_SUPER_CREUSE>%09u</H_SUPER_CREUSE>" in new
    assert "c Tw3 <H_WeekEnd>%09u</H_WeekEnd>" in new
    assert "c Tm36<HP_Mercredi>%09u</HP_Mercredi>" in new
    assert "c Te3 <PEJP>%d</PEJP>" in new
    assert "c TD3 <DEMAIN>%s</DEMAIN>" in new
    old = generate_data_file(features(tic={3: {}}), V08)
    assert "H_SUPER_CREUSE" not in old
    assert "c Td3 <DEMAIN>%s</DEMAIN>" in old


def test_unknown_tariff_is_treated_as_auto() -> None:
    odd = data_file_fields(features(tic={1: {"tariff": "bbr"}}), V084)
    assert odd == data_file_fields(features(tic={1: {}}), V084)


def test_yearly_total_format_per_generation() -> None:
    tic = features(tic={1: {"tariff": "base"}})
    assert "c aT1 <CONSO_ANNEE>%d</CONSO_ANNEE>" in generate_data_file(tic, V08)
    assert "c aT1 <CONSO_ANNEE>%.03f</CONSO_ANNEE>" in generate_data_file(tic, V084)


@pytest.mark.parametrize("measure", ["production", "both"])
def test_producer_fields(measure: str) -> None:
    tic = features(tic={1: {"tariff": "base", "measure": measure}})
    new = generate_data_file(tic, V084)
    assert "c ij1 <PAPIJ>%d</PAPIJ>" in new
    assert "c ei1 <PRODUCTEUR>%09u</PRODUCTEUR>" in new
    assert "c TJ1 <INJECTION>%09u</INJECTION>" in new
    old = generate_data_file(tic, V08)
    assert "c ij1 <PAPIJ>%d</PAPIJ>" in old
    assert "PRODUCTEUR" not in old  # Tp{n} is disputed before V0.84A10
    assert "c Ta1 <INJECTION>%09u</INJECTION>" in old


@pytest.mark.parametrize("generation", GENERATIONS)
def test_consumer_tic_has_no_producer_fields(generation: FirmwareGeneration) -> None:
    template = generate_data_file(features(tic={1: {"measure": "consumption"}}), generation)
    for tag in ("PAPIJ", "PRODUCTEUR", "INJECTION"):
        assert tag not in template


@pytest.mark.parametrize("generation", GENERATIONS)
def test_clamp_fields_follow_the_measure(generation: FirmwareGeneration) -> None:
    template = generate_data_file(
        features(clamp={1: {"measure": "consumption"}, 3: {"measure": "production"}}), generation
    )
    assert "c P W1 <INDEX1>%d</INDEX1>" in template  # integer: Wh
    assert "c P W3 <INDEX3>%d</INDEX3>" in template
    assert "c PCj1 <CONSO_JOUR1>%.02f</CONSO_JOUR1>" in template
    assert "c Pea1 <COUT_ANNEE1>%.02f</COUT_ANNEE1>" in template
    assert "INJECT1" not in template
    assert "GAIN_JOUR1" not in template
    assert "c PPi3 <INJECT3>%d</INJECT3>" in template
    assert "c Pga3 <GAIN_ANNEE3>%.02f</GAIN_ANNEE3>" in template
    assert "c PIm3 <INJEC_MOIS3>%.02f</INJEC_MOIS3>" in template
    assert "CONSO_JOUR3" not in template
    assert "c PMj1 <MAX_JOUR1>%.02f</MAX_JOUR1>" in template
    assert "c PMj3 <MAX_JOUR3>%.02f</MAX_JOUR3>" in template
    assert "<I2>" not in template  # clamp 2 is not enabled
    assert "INDEX2" not in template
    assert ("WATT1" in template) is (generation is V084)
    assert "PVV" not in template


def test_real_power_only_with_clamps() -> None:
    assert "PPT" not in generate_data_file(features(probe={1: {}}), V084)
    line = "c PPT <WATT1>%d</WATT1><WATT2>%d</WATT2><WATT3>%d</WATT3><WATT4>%d</WATT4>"
    assert line in generate_data_file(features(clamp={4: {}}), V084)


def test_pulse_index_format_per_generation() -> None:
    counter = features(pulse_counter={6: {"meter_type": "gas"}})
    assert "c pIU6<INDEX6>%.0f</INDEX6>" in generate_data_file(counter, V08)
    new = generate_data_file(counter, V084)
    assert "c pIU6<INDEX6>%d.%03.0f</INDEX6>" in new
    for tag in ("PULSE6", "DEBIT6", "CONSO_JOUR6", "CONSO_VEILLE6", "COUT_ANNEE6"):
        assert f"<{tag}>" in new


@pytest.mark.parametrize("generation", GENERATIONS)
def test_states_and_small_kinds(generation: FirmwareGeneration) -> None:
    template = generate_data_file(
        features(
            probe={1: {}, 10: {}, 11: {}, 30: {}},
            relay={2: {}},
            input={1: {}, 2: {}},
            analog_input={3: {}},
            virtual_switch={9: {}, 10: {}, 24: {}},
            variable={8: {}},
        ),
        generation,
    )
    for line in (
        "c W0T0 <SONDE1>%.01f</SONDE1>",
        "c W0T9 <SONDE10>%.01f</SONDE10>",
        "c W1T0 <SONDE11>%.01f</SONDE11>",
        "c W2T9 <SONDE30>%.01f</SONDE30>",
        "c o E2 <RELAIS2>%d</RELAIS2>",
        "c l\tE1 <ENTREE1>%d</ENTREE1>",
        "c l\tE2 <ENTREE2>%d</ENTREE2>",
        "c la <AD1>%.02f</AD1><AD2>%.02f</AD2><AD3>%.02f</AD3><AD4>%.02f</AD4>",
        "c lSE9 <SWITCH9>%d</SWITCH9>",
        "c lSE10<SWITCH10>%d</SWITCH10>",
        "c lSE24<SWITCH24>%d</SWITCH24>",
        "c Vv8 <VARIABLE8>%.02f</VARIABLE8>",
    ):
        assert line in template
    assert "RELAIS1" not in template
    assert "WRo" not in template
    assert "c WRo\nt </data>" in generate_data_file(features(onewire_card={3: {}}), generation)


@pytest.mark.parametrize("generation", GENERATIONS)
def test_no_user_names_in_the_data_file(generation: FirmwareGeneration) -> None:
    codes = {line[2:6] for line in code_lines(generate_full_data_file(generation))}
    name_codes = {"en1 ", "Pn1 ", "pn1<", "W0N0", "o n0", "l n1", "l a1", "l N1"}
    assert not codes & name_codes
    assert "%s" not in "".join(
        line
        for line in code_lines(generate_full_data_file(generation))
        if not line.startswith(("c ea", "c eo", "c Tn", "c TD", "c Td", "c v "))
    )


@pytest.mark.parametrize("generation", GENERATIONS)
def test_every_template_is_well_formed_xml(generation: FirmwareGeneration) -> None:
    full = generate_full_data_file(generation)
    root = ET.fromstring(dry_render(full))  # noqa: S314 (our own text)
    assert root.tag == "data"
    assert root[0].tag == "wescontrol"
    assert [child.tag for child in root][1:] == [
        "info",
        "tic1",
        "tic2",
        "tic3",
        "impulsion",
        "pince",
        "temp",
        "relais",
        "entree",
        "analogique",
        "switch_virtuel",
        "variables",
    ]
    pince = {child.tag for child in root.findall("pince/*")}
    assert {"INJECT4", "CONSO_JOUR4", "GAIN_JOUR4", "V"} <= pince
    assert len(root.findall("temp/*")) == INSTANCE_COUNT[FeatureKind.PROBE]
    assert "c WRo" in full
    # No tag is printed twice in a section (Jeedom's file has PAPIJ twice).
    for section in root:
        tags = [child.tag for child in section]
        assert len(tags) == len(set(tags)), section.tag


def test_fields_helper_matches_the_template() -> None:
    enabled = features(
        tic={1: {"tariff": "tempo"}},
        clamp={2: {}},
        relay={1: {}},
        onewire_card={1: {"relay_count": "3"}},
    )
    fields = data_file_fields(enabled, V084)
    root = ET.fromstring(dry_render(generate_data_file(enabled, V084)))  # noqa: S314
    for section in root:
        assert fields[section.tag] == frozenset(child.tag for child in section)
    assert fields["relais1W"] == frozenset()
    assert "relais1W" not in data_file_fields(features(relay={1: {}}), V084)


# --- the version marker ---------------------------------------------------------------------

TYPICAL: dict[str, dict[int, dict[str, str]]] = {
    "tic": {1: {"tariff": "tempo", "measure": "consumption"}},
    "clamp": {1: {"measure": "consumption"}, 2: {"measure": "production"}},
    "pulse_counter": {1: {"meter_type": "water"}},
    "probe": {1: {"probe_kind": "temperature"}, 2: {}, 3: {}},
    "relay": {1: {}, 2: {}},
}


def test_marker_is_stable_across_orderings_and_runs() -> None:
    forward = features(**TYPICAL)
    backward = features(
        **{kind: dict(reversed(value.items())) for kind, value in reversed(TYPICAL.items())}
    )
    assert data_file_version(forward, V084) == data_file_version(backward, V084)
    assert generate_data_file(forward, V084) == generate_data_file(backward, V084)
    marker = data_file_version(forward, V084)
    assert re.fullmatch(rf"{cgx.SCHEMA_VERSION}\.v084\.[0-9a-f]{{10}}", marker)


def variant(**changes: dict[int, dict[str, str]]) -> EnabledFeatures:
    """The typical install with some kinds replaced."""
    return features(**{**TYPICAL, **changes})


def test_marker_changes_with_the_content() -> None:
    base = data_file_version(features(**TYPICAL), V084)
    changed = [
        data_file_version(features(**TYPICAL), V08),
        data_file_version(variant(probe={1: {}, 2: {}}), V084),
        data_file_version(variant(tic={1: {"tariff": "hc"}}), V084),
        data_file_version(variant(tic={1: {"measure": "both"}}), V084),
        data_file_version(variant(clamp={1: {}, 2: {}}), V084),
        data_file_version(EnabledFeatures(features(**TYPICAL).instances, screen=True), V084),
        data_file_version(EnabledFeatures(features(**TYPICAL).instances, mains_voltage=True), V084),
    ]
    assert base not in changed
    assert len(set(changed)) == len(changed)


def test_marker_ignores_options_that_change_nothing() -> None:
    base = data_file_version(features(**TYPICAL), V084)
    same = variant(
        pulse_counter={1: {"meter_type": "gas", "measure": "production"}},
        probe={1: {"probe_kind": "humidity"}, 2: {}, 3: {}},
        clamp={1: {"clamp_type": "20a"}, 2: {"measure": "production"}},
    )
    assert data_file_version(same, V084) == base


@pytest.mark.parametrize("generation", GENERATIONS)
def test_templates_are_ascii(generation: FirmwareGeneration) -> None:
    """The integration may upload them as ASCII or Latin-1 bytes: both must be identical."""
    full = generate_full_data_file(generation)
    assert full.encode("ascii") == full.encode("latin-1")
