"""The data-file parser against every known layout, and its tolerance rules."""

from __future__ import annotations

import contextlib
import time
from datetime import datetime

import pytest

from custom_components.wescontrol.wes import parser as parser_module
from custom_components.wescontrol.wes.errors import WesParseError
from custom_components.wescontrol.wes.models import (
    TIC_REGISTERS,
    Clamp,
    DataLayout,
    PeriodValues,
    PulseCounter,
    Tic,
    WesData,
)
from custom_components.wescontrol.wes.parser import parse_data

from .helpers import OBSERVED_V061D, SYNTH_DATA_FILES, data_doc, fixture_bytes, tic_doc


def naive(*parts: int) -> datetime:
    """The WES clock is local time without a zone: naive datetimes on purpose."""
    return datetime(*parts)  # noqa: DTZ001


CLOCK = naive(2025, 12, 4, 13, 42)
TEMPO_INDEXES = {
    "bbrhcjb": 12_345_678,
    "bbrhpjb": 23_456_789,
    "bbrhcjw": 1_234_567,
    "bbrhpjw": 2_345_678,
    "bbrhcjr": 456_789,
    "bbrhpjr": 567_890,
}
HC_INDEXES = {"hchc": 12_345_678, "hchp": 23_456_789}
PROBES = {1: 21.4, 2: -3.6, 3: 48.5, 4: 55.0} | dict.fromkeys(range(5, 31), 0.0)
VARIABLES = {1: 19.5, 2: 1.0} | dict.fromkeys(range(3, 9), 0.0)


def switches(count: int) -> dict[int, bool | None]:
    return {n: n in {1, 5} for n in range(1, count + 1)}


def nonzero(indexes: dict[str, int]) -> dict[str, int]:
    return {key: value for key, value in indexes.items() if value}


def parse_fixture(name: str) -> WesData:
    return parse_data(fixture_bytes(name))


# ---------------------------------------------------------------------------------------
# Every synthesized fixture, exact values
# ---------------------------------------------------------------------------------------


def assert_common_states(data: WesData, switch_count: int) -> None:
    """Probes, relays, inputs, switches and variables are the same in every scenario."""
    assert data.probes == PROBES
    assert data.relays == {1: False, 2: True}
    assert data.inputs == {1: False, 2: True}
    assert data.virtual_switches == switches(switch_count)
    assert data.variables == VARIABLES


def test_default_2017_template() -> None:
    data = parse_fixture("data_default_2017template_synth.xml")
    assert data.layout is DataLayout.DEFAULT
    assert data.info.firmware == "V0.61D"
    assert data.info.clock == CLOCK
    assert data.info.mac is None
    assert data.info.hardware is None
    assert set(data.tics) == {1, 2}
    tic1 = data.tics[1]
    assert tic1.adco == "021528603314"
    assert tic1.tariff_option == "BBR("
    assert tic1.subscribed_current == 45
    assert tic1.tariff_period == "H. Pleine BLEU"
    assert tic1.tomorrow_color == "Jour BLANC"
    assert tic1.apparent_power == 2270
    assert tic1.injected_apparent_power is None
    assert tic1.current == {0: 10, 1: 0, 2: 0, 3: 0}
    assert tic1.max_current == {0: 90, 1: 0, 2: 0, 3: 0}
    assert tic1.voltage == {}
    assert tic1.ejp_notice == 0
    assert tic1.producer is None
    assert tic1.injection_index is None
    assert nonzero(tic1.indexes) == TEMPO_INDEXES
    assert set(tic1.indexes) == {"base", "hchc", "hchp", "ejphn", "ejphpm", *TEMPO_INDEXES}
    assert tic1.total_index == sum(TEMPO_INDEXES.values())
    tic2 = data.tics[2]
    assert tic2.tariff_option == "HC"
    assert tic2.tariff_period == "H. Creuses"
    assert tic2.tomorrow_color is None  # ----
    assert nonzero(tic2.indexes) == HC_INDEXES
    assert data.pulse_counters == {
        1: PulseCounter(pulses_today=1353, index=1235.0),
        2: PulseCounter(pulses_today=87, index=4568.0),
        3: PulseCounter(pulses_today=0, index=0.0),
        4: PulseCounter(pulses_today=0, index=0.0),
    }
    assert data.clamps == {
        1: Clamp(current=7.83, index=29_386_970),
        2: Clamp(current=3.71, index=512_345),
        3: Clamp(current=2.12, index=14_018_885),
        4: Clamp(current=0.0, index=0),
    }
    assert data.analog_inputs == {1: 0.0, 2: 3.0, 3: 0.0, 4: 0.0}
    assert data.mains_voltage is None
    assert data.onewire_relays == {}
    assert_common_states(data, 8)


def test_default_fw08x_2019_template() -> None:
    data = parse_fixture("data_default_fw08x_2019template_synth.xml")
    assert data.layout is DataLayout.DEFAULT
    assert data.info.firmware == "V0.83H"
    assert data.info.clock == CLOCK
    tic1, tic2, tic3 = data.tics[1], data.tics[2], data.tics[3]
    assert tic1.voltage == {1: 234, 2: 0, 3: 0}
    assert nonzero(tic1.indexes) == TEMPO_INDEXES
    assert tic1.injection_index == 0
    assert tic2.voltage == {1: 236, 2: 0, 3: 0}
    assert nonzero(tic2.indexes) == HC_INDEXES
    assert tic2.injection_index == 1_234_567
    assert tic2.producer is None  # not printed by this template
    assert tic3 == Tic()
    assert not tic3.present
    assert data.clamps[1] == Clamp(current=7.83, index=29_386_970, injection_index=0)
    assert data.clamps[2] == Clamp(current=3.71, index=512_345, injection_index=5_203_481)
    assert data.mains_voltage == 231.0
    assert data.analog_inputs == {1: 0.0, 2: 3.27, 3: 0.0, 4: 0.0}
    assert data.pulse_counters[1] == PulseCounter(pulses_today=1353, index=1235.0)
    assert_common_states(data, 8)


def test_jeedom_master_cgx102() -> None:
    data = parse_fixture("data_jeedom_master_cgx102_synth.xml")
    assert data.layout is DataLayout.JEEDOM
    assert data.info.jeedom_cgx_version == "1.0.2"
    assert data.info.data_file_version is None
    assert data.info.firmware == "V0.83H"
    assert data.info.hardware == "V2.0"
    assert data.info.free_space == 3.652
    assert data.info.alarm is False
    tic1, tic2 = data.tics[1], data.tics[2]
    assert nonzero(tic1.indexes) == TEMPO_INDEXES
    assert tic1.consumption == PeriodValues(day=18.456, month=95.21, year=4321.0)
    assert tic1.cost == PeriodValues(day=2.87, month=14.62, year=812.33)
    # Master prints PRODUCTEUR from code Tp (tomorrow's colour here): not a producer flag.
    assert tic1.producer is None
    assert tic2.producer is None
    assert tic2.injected_apparent_power == 850
    assert tic2.injection_index == 1_234_567
    assert nonzero(tic2.indexes) == HC_INDEXES
    assert data.tics[3] == Tic()
    pulse1 = data.pulse_counters[1]
    assert pulse1 == PulseCounter(
        pulses_today=1353,
        index=1235.0,
        flow=6.5,
        consumption=PeriodValues(day=338.25, month=1.98, year=98.43),
        consumption_yesterday=463.75,
        cost=PeriodValues(day=1.18, month=6.93, year=344.51),
    )
    assert set(data.pulse_counters) == set(range(1, 7))
    clamp1 = data.clamps[1]
    assert clamp1.index == 29_386_970  # 29386.970 kWh
    assert clamp1.apparent_power == 1809
    assert clamp1.real_power is None  # no WATTn before 1.0.4
    assert clamp1.max_current == PeriodValues(day=24.37, month=31.05, year=38.44)
    clamp2 = data.clamps[2]
    assert clamp2.index == 512_345
    assert clamp2.injection_index == 5_203_481  # 5203.481 kWh
    assert clamp2.injection == PeriodValues(day=6.42, month=14.83, year=3377.2)
    assert clamp2.gain == PeriodValues(day=0.83, month=1.93, year=439.04)
    assert data.mains_voltage == 231.0
    assert_common_states(data, 24)


def test_jeedom_beta_cgx105() -> None:
    data = parse_fixture("data_jeedom_beta_cgx105_synth.xml")
    assert data.layout is DataLayout.JEEDOM
    assert data.info.jeedom_cgx_version == "1.0.5"
    assert data.info.firmware == "V0.84A10"
    assert data.info.clock == CLOCK
    tic1 = data.tics[1]
    assert tic1 == Tic(
        adco="021528603314",
        tariff_option="BBR(",
        subscribed_current=45,
        tariff_period="H. Pleine BLEU",
        tomorrow_color="Jour BLANC",
        apparent_power=2270,
        injected_apparent_power=0,
        current={0: 10, 1: 0, 2: 0, 3: 0},
        max_current={0: 90, 1: 0, 2: 0, 3: 0},
        voltage={1: 234, 2: 0, 3: 0},
        ejp_notice=0,
        producer=False,
        injection_index=0,
        indexes=tic1.indexes,
        consumption=PeriodValues(day=18.456, month=95.21, year=4321.987),
        cost=PeriodValues(day=2.87, month=14.62, year=812.33),
    )
    assert nonzero(tic1.indexes) == TEMPO_INDEXES
    assert len(tic1.indexes) == 19  # every register of TIC_REGISTERS
    tic2 = data.tics[2]
    assert tic2.producer is True  # 000000001
    assert tic2.injected_apparent_power == 850  # PAPIJ printed twice: the first one
    assert tic2.injection_index == 1_234_567
    assert nonzero(tic2.indexes) == HC_INDEXES  # H_CREUSE / H_PLEINE
    assert tic2.apparent_power == 0
    assert data.tics[3] == Tic()
    assert data.pulse_counters[1].index == 1234.567
    assert data.pulse_counters[2].index == 4567.89
    clamp1, clamp2 = data.clamps[1], data.clamps[2]
    assert clamp1.real_power == 1682  # WATT1..4 sit after clamp 1
    assert data.clamps[3].real_power == 421
    assert clamp2.real_power == 834
    assert clamp2.injection_index == 5_203_481  # INJECT2, not MODINJECT2
    assert clamp1.index == 29_386_970
    assert data.onewire_relays == {101: True} | dict.fromkeys(range(102, 109), False)
    assert data.analog_inputs == {1: 0.0, 2: 3.27, 3: 0.0, 4: 0.0}
    assert data.mains_voltage == 231.0
    assert_common_states(data, 24)


def test_homeassistant_cgx() -> None:
    data = parse_fixture("homeassistant_cgx_synth.xml")
    assert data.layout is DataLayout.HOMEASSISTANT
    assert data.info.mac == "001EC0123456"
    assert data.info.hardware == "V2.0"
    assert data.info.firmware == "V0.84A10"
    assert data.info.free_space == 3.652
    assert data.info.clock == CLOCK
    assert set(data.tics) == {1, 2}
    assert nonzero(data.tics[1].indexes) == TEMPO_INDEXES
    assert data.tics[1].producer is None  # code Tp again
    assert nonzero(data.tics[2].indexes) == HC_INDEXES
    assert data.tics[2].injection_index == 1_234_567
    assert data.clamps == {
        1: Clamp(current=7.83, real_power=1682, index=29_386_970, injection_index=0),
        2: Clamp(current=3.71, real_power=834, index=512_345, injection_index=5_203_481),
        3: Clamp(current=2.12, real_power=421, index=14_018_885, injection_index=0),
        4: Clamp(current=0.0, apparent_power=0, index=0, injection_index=0),
    }
    assert data.mains_voltage == 231.0
    assert data.analog_inputs == {1: 0.0, 2: 3.27, 3: 0.0, 4: 0.0}
    assert data.pulse_counters == {}
    assert_common_states(data, 24)


@pytest.mark.skipif(not OBSERVED_V061D.exists(), reason="observed capture not available")
def test_observed_v061d_capture() -> None:
    data = parse_data(OBSERVED_V061D.read_bytes())
    assert data.layout is DataLayout.DEFAULT
    assert data.info.firmware == "V0.61D"
    assert data.info.clock == naive(2017, 4, 22, 9, 55)
    assert data.tics == {1: Tic(), 2: Tic()}  # Pas Dispo: no meter, no values
    assert data.clamps == {
        1: Clamp(current=0.0, index=29_386_970),
        2: Clamp(current=0.0, index=5_203_481),
        3: Clamp(current=0.0, index=14_018_885),
        4: Clamp(current=0.63, index=14_932),
    }
    assert data.probes == {1: 21.5} | dict.fromkeys(range(2, 31), 0.0)
    assert data.relays == {1: False, 2: False}
    assert data.virtual_switches == dict.fromkeys(range(1, 9), False)


def test_default_v084_layout_c() -> None:
    """The inferred >= V0.84A10 default: H_PLEINE/H_CREUSE, ei producer flag, pIU thousandths."""
    body = data_doc(
        "<info><date>04/12/2025</date><time>13:42</time><firmware>V0.84A10</firmware></info>"
        "<tic1><ADCO>041876543210</ADCO><OPTARIF>HC..</OPTARIF><PAP>0</PAP><PAPIJ>850</PAPIJ>"
        "<TENSION1>236</TENSION1><H_PLEINE>023456789</H_PLEINE><H_CREUSE>012345678</H_CREUSE>"
        "<PRODUCTEUR>000000001</PRODUCTEUR><INJECTION>001234567</INJECTION></tic1>"
        "<impulsion><PULSE1>1353</PULSE1><INDEX1>1234.567</INDEX1></impulsion>"
        "<pince><I1>7.83</I1><INDEX1>29386970</INDEX1><INJECT1>5203481</INJECT1><V>231</V></pince>"
    )
    data = parse_data(body)
    assert data.layout is DataLayout.DEFAULT
    tic = data.tics[1]
    assert tic.tariff_option == "HC"
    assert tic.indexes == HC_INDEXES
    assert tic.producer is True
    assert tic.injection_index == 1_234_567
    assert data.pulse_counters[1].index == 1234.567
    assert data.clamps[1] == Clamp(current=7.83, index=29_386_970, injection_index=5_203_481)


def test_our_data_file() -> None:
    body = data_doc(
        "<wescontrol><version>3-abc123</version></wescontrol>"
        "<info><date>04/12/2025</date><time>13:42</time><firmware>V0.84A10</firmware>"
        "<serverversion>V2.0</serverversion><mac>001ec0123456</mac>"
        "<spaceleft>3.652</spaceleft><alarme>1</alarme></info>"
        "<tic1><ADCO>021528603314</ADCO><BBRHCJB>12345678</BBRHCJB>"
        "<PRODUCTEUR>000000000</PRODUCTEUR></tic1>"
        "<pince><I1>7.83</I1><WATT1>1682</WATT1><INDEX1>29386970</INDEX1><V>231</V></pince>"
        "<relais1W><RELAIS111>ON</RELAIS111><RELAIS119>ON</RELAIS119><RELAIS100>ON</RELAIS100>"
        "</relais1W>"
    )
    data = parse_data(body)
    assert data.layout is DataLayout.WESCONTROL
    assert data.info.data_file_version == "3-abc123"
    assert data.info.mac == "001EC0123456"
    assert data.info.hardware == "V2.0"
    assert data.info.free_space == 3.652
    assert data.info.alarm is True
    assert data.tics[1].indexes == {"bbrhcjb": 12_345_678}
    assert data.tics[1].producer is False
    assert data.clamps[1] == Clamp(current=7.83, real_power=1682, index=29_386_970)
    assert data.mains_voltage == 231.0
    assert data.onewire_relays == {111: True}  # 119 (whole card) and 100 are not relays


def test_fixtures_parse_fast() -> None:
    bodies = [fixture_bytes(name) for name in SYNTH_DATA_FILES]
    start = time.perf_counter()
    for _ in range(20):
        for body in bodies:
            parse_data(body)
    per_file = (time.perf_counter() - start) / (20 * len(bodies))
    assert per_file < 0.02  # about 1 ms on a laptop; generous for a loaded CI runner


# ---------------------------------------------------------------------------------------
# Tolerance: layout of the bytes
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SYNTH_DATA_FILES)
def test_whitespace_between_elements_does_not_matter(name: str) -> None:
    body = fixture_bytes(name)
    compact = body.replace(b"> <", b"><")
    pretty = compact.replace(b"><", b">\r\n\t  <")
    assert parse_data(pretty) == parse_data(compact) == parse_data(body)


@pytest.mark.parametrize("name", SYNTH_DATA_FILES)
def test_declaration_is_optional(name: str) -> None:
    body = fixture_bytes(name)
    without = body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body
    assert parse_data(without) == parse_data(body)


def test_leading_byte_order_mark_and_whitespace() -> None:
    body = "\ufeff \r\n".encode() + fixture_bytes("data_default_2017template_synth.xml")
    assert parse_data(body).info.firmware == "V0.61D"


def test_utf8_text() -> None:
    data = parse_data(tic_doc("<PTEC>Heures d'été</PTEC>"))
    assert data.tics[1].tariff_period == "Heures d'été"


def test_latin1_bytes_behind_a_utf8_declaration() -> None:
    body = tic_doc("<PTEC>Heures été</PTEC>").decode().encode("latin-1")
    assert b'encoding="utf-8"' in body
    assert parse_data(body).tics[1].tariff_period == "Heures été"


def test_latin1_declaration_and_bytes() -> None:
    body = b'<?xml version="1.0" encoding="ISO-8859-1"?><data><info><firmware>V\xe9</firmware>'
    body += b"</info></data>"
    assert parse_data(body).info.firmware == "Vé"


def test_duplicate_tags_first_wins() -> None:
    body = data_doc(
        "<tic1><ADCO>1</ADCO><PAPIJ>100</PAPIJ><PAPIJ>200</PAPIJ>"
        "<HCHC>5</HCHC><H_CREUSE>6</H_CREUSE></tic1>"
        "<tic1><ADCO>2</ADCO></tic1>"
        "<temp><SONDE1>1.5</SONDE1><SONDE1>2.5</SONDE1></temp><temp><SONDE2>9</SONDE2></temp>"
        "<relais1W><RELAIS101>ON</RELAIS101><RELAIS101>OFF</RELAIS101></relais1W>"
        "<relays><relay1><enabled>1</enabled></relay1><relay1><enabled>0</enabled></relay1>"
        "</relays>"
    )
    data = parse_data(body)
    assert data.tics[1].adco == "1"
    assert data.tics[1].injected_apparent_power == 100
    assert data.tics[1].indexes == {"hchc": 5}
    assert data.probes == {1: 1.5}
    assert data.onewire_relays == {101: True}
    assert data.relays == {1: True}


def test_duplicate_ha_clamp_and_tic_first_wins() -> None:
    body = data_doc(
        "<tics><tic1><ADCO>1</ADCO></tic1><tic1><ADCO>2</ADCO></tic1></tics>"
        "<clamps><clamp1><I>1.00</I></clamp1><clamp1><I>2.00</I></clamp1><V>230</V><V>1</V>"
        "<clamp9><I>1</I></clamp9><other/></clamps>"
    )
    data = parse_data(body)
    assert data.tics[1].adco == "1"
    assert data.clamps == {1: Clamp(current=1.0)}
    assert data.mains_voltage == 230.0


def test_stray_text_unknown_tags_and_sections_are_ignored() -> None:
    body = data_doc(
        "junk<info>x<firmware>V1</firmware>y<colour>blue</colour></info>more"
        "<tic1><ADCO>1</ADCO>stray<NEWTAG>7</NEWTAG><NEW9>1</NEW9><PAP>5</PAP></tic1>"
        "<tic7><ADCO>2</ADCO></tic7><tic><ADCO>3</ADCO></tic><ticX/>"
        "<mystery><SONDE1>5</SONDE1></mystery>"
        "<temp><SONDE31>1</SONDE31><SONDE0>1</SONDE0><SONDE>1</SONDE><SONDE0001>2</SONDE0001>"
        "<OTHER1>3</OTHER1><SONDE12345>4</SONDE12345></temp>"
        "<pince><I5>1</I5><V>-</V></pince><impulsion><PULSE7>1</PULSE7></impulsion>"
        "<?pi ignored?><!-- a comment -->"
    )
    data = parse_data(body)
    assert data.info.firmware == "V1"
    assert data.tics == {1: Tic(adco="1", apparent_power=5)}
    assert data.probes == {}  # SONDE0001 has too many digits to be an instance number
    assert data.clamps == {}
    assert data.mains_voltage is None
    assert data.pulse_counters == {}


def test_junk_after_the_root_is_ignored() -> None:
    body = fixture_bytes("data_default_2017template_synth.xml") + b"\x00\r\n<garbage"
    assert parse_data(body).info.firmware == "V0.61D"


def test_control_characters_are_dropped() -> None:
    data = parse_data(tic_doc("<PTEC>H. \x01Creuses\x1f</PTEC>"))
    assert data.tics[1].tariff_period == "H. Creuses"


def test_bare_ampersand_in_a_name_is_tolerated() -> None:
    body = data_doc(
        "<clamps><clamp1><name>Chauffage & ECS</name><I>1.50</I></clamp1></clamps>"
        "<info><firmware>A &amp; B &#233; &#xE9; &lt;</firmware></info>"
    )
    data = parse_data(body)
    assert data.clamps[1].current == 1.5
    assert data.info.firmware == "A & B é é <"


def test_ampersand_inside_cdata_is_kept_verbatim() -> None:
    body = data_doc(
        "<info><serverversion><![CDATA[HW A&B <2>]]></serverversion>"
        "<firmware>Pompe & filtre</firmware></info>"
    )
    data = parse_data(body)
    assert data.info.hardware == "HW A&B <2>"
    assert data.info.firmware == "Pompe & filtre"


def test_root_tag_case_and_section_case() -> None:
    body = b"<DATA><INFO><Firmware>V2</Firmware></INFO><TIC1><adco>7</adco></TIC1></DATA>"
    data = parse_data(body)
    assert data.info.firmware == "V2"
    assert data.tics[1].adco == "7"


def test_empty_document_sections() -> None:
    assert parse_data(b"<data/>") == WesData()
    assert parse_data(b"<data><info/><tic1/><pince/><temp/></data>") == WesData(tics={1: Tic()})


# ---------------------------------------------------------------------------------------
# Tolerance of the values
# ---------------------------------------------------------------------------------------

ABSENT_MARKERS = ("Pas Dispo", "PAS DISPO", "TIC NDERR.", "----", ".", "-", "", "   ", "..")


@pytest.mark.parametrize("marker", ABSENT_MARKERS)
def test_absent_markers_are_none(marker: str) -> None:
    body = data_doc(
        f"<tic1><ADCO>1</ADCO><PAP>{marker}</PAP><PTEC>{marker}</PTEC><DEMAIN>{marker}</DEMAIN>"
        f"<OPTARIF>{marker}</OPTARIF><BASE>{marker}</BASE><IINST>{marker}</IINST>"
        f"<CONSO_JOUR>{marker}</CONSO_JOUR><PRODUCTEUR>{marker}</PRODUCTEUR></tic1>"
        f"<temp><SONDE1>{marker}</SONDE1></temp><relais><RELAIS1>{marker}</RELAIS1></relais>"
        f"<pince><I1>{marker}</I1><INDEX1>{marker}</INDEX1><V>{marker}</V></pince>"
        f"<info><firmware>{marker}</firmware><date>{marker}</date><time>{marker}</time>"
        f"<mac>{marker}</mac><alarme>{marker}</alarme></info>"
        f"<impulsion><PULSE1>{marker}</PULSE1><INDEX1>{marker}</INDEX1></impulsion>"
    )
    data = parse_data(body)
    tic = data.tics[1]
    assert tic == Tic(adco="1")
    assert tic.indexes == {}
    assert data.probes == {1: None}
    assert data.relays == {1: None}
    assert data.clamps == {1: Clamp()}
    assert data.pulse_counters == {1: PulseCounter()}
    assert data.mains_voltage is None
    assert data.info.firmware is None
    assert data.info.clock is None
    assert data.info.mac is None
    assert data.info.alarm is None


@pytest.mark.parametrize("adco", ["Pas Dispo", "", "----"])
def test_tic_without_meter_has_no_values(adco: str) -> None:
    data = parse_data(tic_doc("<PAP>2270</PAP><BASE>000001234</BASE>", adco=adco))
    assert data.tics[1] == Tic()
    assert data.tics[1].total_index is None


def test_tic_without_adco_tag_keeps_its_values() -> None:
    data = parse_data(data_doc("<tic2><PAP>2270</PAP><BASE>000001234</BASE></tic2>"))
    assert data.tics[2] == Tic(apparent_power=2270, indexes={"base": 1234})


def test_zero_stays_zero() -> None:
    data = parse_data(tic_doc("<PAP>0</PAP><BASE>000000000</BASE><PEJP>0</PEJP>"))
    assert data.tics[1].apparent_power == 0
    assert data.tics[1].indexes == {"base": 0}
    assert data.tics[1].ejp_notice == 0


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("BBR(.", "BBR("),
        ("HC..", "HC"),
        ("HC.", "HC"),
        ("BASE", "BASE"),
        ("EJP.", "EJP"),
        (".", None),
        ("...", None),
        (" HC. ", "HC"),
    ],
)
def test_tariff_option(printed: str, expected: str | None) -> None:
    assert parse_data(tic_doc(f"<OPTARIF>{printed}</OPTARIF>")).tics[1].tariff_option == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("000000001", True), ("1", True), ("000000000", False), ("0", False), ("000000002", None)],
)
def test_producer_flag(printed: str, expected: bool | None) -> None:
    tic = parse_data(tic_doc(f"<PRODUCTEUR>{printed}</PRODUCTEUR>")).tics[1]
    assert tic.producer is expected


@pytest.mark.parametrize(
    ("version", "trusted"),
    [("1.0.5", True), ("1.1", True), ("1.0.4", False), ("x.y", False), ("", False)],
)
def test_producer_flag_by_jeedom_version(version: str, trusted: bool) -> None:
    body = data_doc(
        f"<jeedom><cgxversion>{version}</cgxversion></jeedom>"
        "<tic1><ADCO>1</ADCO><PRODUCTEUR>000000001</PRODUCTEUR></tic1>"
    )
    assert parse_data(body).tics[1].producer is (True if trusted else None)


def test_hc_register_names_map_to_canonical_keys() -> None:
    old = parse_data(tic_doc("<HCHC>000000010</HCHC><HCHP>000000020</HCHP>")).tics[1]
    new = parse_data(tic_doc("<H_CREUSE>000000010</H_CREUSE><H_PLEINE>000000020</H_PLEINE>"))
    assert old.indexes == new.tics[1].indexes == {"hchc": 10, "hchp": 20}


def test_every_register_tag() -> None:
    tags = [
        "BASE", "HCHC", "HCHP", "EJPHN", "EJPHPM", "BBRHCJB", "BBRHPJB", "BBRHCJW", "BBRHPJW",
        "BBRHCJR", "BBRHPJR", "H_WeekEnd", "HC_Semaine", "HP_Semaine", "HC_WeekEnd",
        "HP_WeekEnd", "HC_Mercredi", "HP_Mercredi", "H_SUPER_CREUSE",
    ]  # fmt: skip
    body = tic_doc("".join(f"<{tag}>{n:09d}</{tag}>" for n, tag in enumerate(tags, 1)))
    indexes = parse_data(body).tics[1].indexes
    assert list(indexes.values()) == list(range(1, len(tags) + 1))
    assert set(indexes) == set(TIC_REGISTERS)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("ON", True),
        ("on", True),
        ("OFF", False),
        ("1", True),
        ("0", False),
        ("2", None),
        ("0.6", None),
        ("01", True),
        ("yes", None),
        ("Pas Dispo", None),
    ],
)
def test_relay_states(printed: str, expected: bool | None) -> None:
    body = data_doc(
        f"<relais><RELAIS1>{printed}</RELAIS1></relais>"
        f"<switch_virtuel><SWITCH3>{printed}</SWITCH3></switch_virtuel>"
        f"<entree><ENTREE2>{printed}</ENTREE2></entree>"
        f"<relais1W><RELAIS105>{printed}</RELAIS105></relais1W>"
        f"<info><alarme>{printed}</alarme></info>"
    )
    data = parse_data(body)
    assert data.relays == {1: expected}
    assert data.virtual_switches == {3: expected}
    assert data.inputs == {2: expected}
    assert data.onewire_relays == {105: expected}
    assert data.info.alarm is expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("29386970", 29_386_970),
        ("29386.970", 29_386_970),
        ("0.000", 0),
        ("0", 0),
        ("1.5", 1500),
        ("0.0004", 0),
        ("12.", 12_000),
        ("abc", None),
        ("1.2.3", None),
    ],
)
def test_clamp_index_units(printed: str, expected: int | None) -> None:
    body = data_doc(f"<pince><INDEX1>{printed}</INDEX1><INJECT1>{printed}</INJECT1></pince>")
    clamp = parse_data(body).clamps[1]
    assert clamp.index == expected
    assert clamp.injection_index == expected


@pytest.mark.parametrize(
    ("power", "apparent", "real"),
    [
        ("1682 W cos phi 0.93", None, 1682),
        ("250 VA", 250, None),
        ("0 VA", 0, None),
        ("12", None, None),
        ("12 kW", None, None),
        ("x VA", None, None),
        ("Pas Dispo", None, None),
    ],
)
def test_homeassistant_power_string(power: str, apparent: int | None, real: int | None) -> None:
    clamp = parse_data(data_doc(f"<clamps><clamp1><power>{power}</power></clamp1></clamps>"))
    assert clamp.clamps[1] == Clamp(apparent_power=apparent, real_power=real)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("001EC0123456", "001EC0123456"),
        ("001ec0123456", "001EC0123456"),
        ("00:1E:C0:12:34:56", "001EC0123456"),
        ("00-1e-c0-12-34-56", "001EC0123456"),
        ("001EC012345", None),
        ("001EC01234567", None),
        ("001EC012345G", None),
    ],
)
def test_mac(printed: str, expected: str | None) -> None:
    assert parse_data(data_doc(f"<info><serial>{printed}</serial></info>")).info.mac == expected


@pytest.mark.parametrize(
    ("date", "clock", "expected"),
    [
        ("22/04/2017", "09:55", naive(2017, 4, 22, 9, 55)),
        ("04/12/25", "13:42", naive(2025, 12, 4, 13, 42)),
        ("04/12/2025", "13:42:07", naive(2025, 12, 4, 13, 42, 7)),
        ("31/02/2025", "13:42", None),
        ("04/12/2025", "25:00", None),
        ("04-12-2025", "13:42", None),
        ("04/12/2025", "1342", None),
        ("aa/12/2025", "13:42", None),
        ("04/12/2025", "-1:42", None),
        ("04/12/99999", "13:42", None),
        ("04/12/2025", None, None),
        (None, "13:42", None),
    ],
)
def test_clock(date: str | None, clock: str | None, expected: datetime | None) -> None:
    info = ""
    if date is not None:
        info += f"<date>{date}</date>"
    if clock is not None:
        info += f"<time>{clock}</time>"
    assert parse_data(data_doc(f"<info>{info}</info>")).info.clock == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("21.4", 21.4),
        ("-3.6", -3.6),
        ("+2", 2.0),
        (".5", 0.5),
        ("7", 7.0),
        ("1_000", None),
        ("١٢", None),
        ("nan", None),
        ("inf", None),
        ("1e5", None),
        ("0x10", None),
        ("9" * 200, None),
        ("12 °C", None),
    ],
)
def test_decimal_values_are_strict(printed: str, expected: float | None) -> None:
    body = data_doc(f"<temp><SONDE1>{printed}</SONDE1></temp>")
    assert parse_data(body).probes == {1: expected}


@pytest.mark.parametrize(
    ("printed", "expected"),
    [("000012345", 12345), ("-5", -5), ("2270.4", 2270), ("2270.6", 2271), ("1_0", None)],
)
def test_integer_values(printed: str, expected: int | None) -> None:
    assert parse_data(tic_doc(f"<PAP>{printed}</PAP>")).tics[1].apparent_power == expected


def test_phases_and_voltage() -> None:
    tic = parse_data(
        tic_doc(
            "<IINST>5</IINST><IINST1>1</IINST1><IINST4>9</IINST4><IMAX>60</IMAX>"
            "<IMAX3>20</IMAX3><TENSION>240</TENSION><TENSION2>231</TENSION2><IINST2>x</IINST2>"
        )
    ).tics[1]
    assert tic.current == {0: 5, 1: 1}
    assert tic.max_current == {0: 60, 3: 20}
    assert tic.voltage == {2: 231}


def test_homeassistant_sections() -> None:
    body = data_doc(
        "<intput><intput1>1</intput1><input2>0</input2></intput>"
        "<analog><ad1>1.25</ad1><ad5>1</ad5></analog>"
        "<probes><probe1>20.5</probe1><probe31>1</probe31></probes>"
        "<virtual_switch><switch24>1</switch24><switch25>1</switch25></virtual_switch>"
        "<variables><variable8>3.50</variable8></variables>"
        "<relays><relay2><enabled>1</enabled></relay2><relay3><enabled>1</enabled></relay3>"
        "<relay1/><other1><enabled>1</enabled></other1></relays>"
    )
    data = parse_data(body)
    assert data.inputs == {1: True, 2: False}
    assert data.analog_inputs == {1: 1.25}
    assert data.probes == {1: 20.5}
    assert data.virtual_switches == {24: True}
    assert data.variables == {8: 3.5}
    assert data.relays == {1: None, 2: True}


# ---------------------------------------------------------------------------------------
# Unreadable answers raise WesParseError and nothing else
# ---------------------------------------------------------------------------------------

BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    b"<data><info><firmware>&lol2;</firmware></info></data>"
)
EXTERNAL_ENTITY = (
    b'<!DOCTYPE data [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b"<data><info><firmware>&xxe;</firmware></info></data>"
)

UNREADABLE = {
    "empty": b"",
    "blank": b" \r\n\t ",
    "bom only": b"\xef\xbb\xbf",
    "text": b"Bad request",
    "html page": b"<html><head><title>401</title></head><body>Login</body></html>",
    "html doctype": b"<!DOCTYPE html><html><body>WES</body></html>",
    "truncated": fixture_bytes("data_jeedom_beta_cgx105_synth.xml")[:5000],
    "truncated declaration": b'<?xml version="1.0" encoding="utf-8"',
    "only declaration": b'<?xml version="1.0"?>',
    "unclosed root": b"<data>",
    "mismatched tags": b"<data><info></tic1></data>",
    "root not data": fixture_bytes("webprog_pceval_shape_synth.xml"),
    "form root": b"<form><text><id>a</id><value>1</value></text></form>",
    "two roots": b"<data></data><data></data>",
    "billion laughs": BILLION_LAUGHS,
    "external entity": EXTERNAL_ENTITY,
    "entity only": b'<!ENTITY x "y"><data/>',
    "unknown entity": b"<data><info><firmware>&nbsp;</firmware></info></data>",
    "unescaped lt": b"<data><info><firmware>a < b</firmware></info></data>",
    "nul bytes": b"\x00\x00\x00",
    "utf16": '<?xml version="1.0" encoding="utf-16"?><data/>'.encode("utf-16"),
    "unbound prefix": b"<data><x:info/></data>",
    "json": b'{"data": {}}',
    "binary": bytes(range(256)),
}


@pytest.mark.parametrize("body", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_unreadable_answers_raise_parse_error(body: bytes) -> None:
    with pytest.raises(WesParseError):
        parse_data(body)


@pytest.mark.parametrize("value", ["text", None, 12, bytearray(b"x")])
def test_wrong_input_types_raise_parse_error(value: object) -> None:
    with pytest.raises(WesParseError):
        parse_data(value)  # type: ignore[arg-type]


def test_bytearray_and_memoryview_are_accepted() -> None:
    body = fixture_bytes("data_default_2017template_synth.xml")
    assert parse_data(bytearray(body)) == parse_data(memoryview(body)) == parse_data(body)  # type: ignore[arg-type]


def test_parse_error_message_is_short_and_safe() -> None:
    with pytest.raises(WesParseError) as caught:
        parse_data(b"<" + b"r" * 10_000 + b"/>")
    assert len(str(caught.value)) < 200


def test_unexpected_internal_error_becomes_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(root: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(parser_module, "_walk", explode)
    with pytest.raises(WesParseError, match="KeyError"):
        parse_data(b"<data/>")


@pytest.mark.parametrize(
    "body",
    [
        b"<data>" + b"<a>" * 50_000 + b"</a>" * 50_000 + b"</data>",
        b"<data><temp><SONDE1>" + b"9" * 200_000 + b"</SONDE1></temp></data>",
        b"<data><info><firmware>" + b"&a" * 50_000 + b"</firmware></info></data>",
        b"<data><info><date>" + b"1/" * 50_000 + b"</date><time>1:1</time></info></data>",
        b"<data><temp>" + b"<SONDE1>1</SONDE1>" * 10_000 + b"</temp></data>",
    ],
    ids=["deep nesting", "huge number", "many ampersands", "long date", "many duplicates"],
)
def test_pathological_documents_stay_fast(body: bytes) -> None:
    start = time.perf_counter()
    with contextlib.suppress(WesParseError):
        parse_data(body)
    assert time.perf_counter() - start < 2.0
