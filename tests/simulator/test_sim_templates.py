"""The built-in templates: one line of well-formed XML for every generation and scenario."""

import pytest
from sim_test_helpers import parse_xml

from simulator import Generation, build_device, data_template, render
from simulator.templates import builtin_files, infocfg_template, pceval_template

COMBINATIONS = [(g, s) for g in Generation for s in ("a", "b", "c", None)]


@pytest.mark.parametrize(("generation", "scenario"), COMBINATIONS)
def test_builtin_data_file_is_one_line_of_xml(generation, scenario) -> None:
    template = data_template(generation)
    assert template.endswith(".\r\n")
    result = render(template, build_device(scenario, generation, seed=3), generation)
    assert result.unknown_codes == []
    assert result.mismatches == []
    assert "\n" not in result.text
    assert "\r" not in result.text
    root = parse_xml(result.text.encode())
    assert root.tag == "data"
    assert (
        root.find("info/firmware").text
        == {
            Generation.V061D: "V0.61D",
            Generation.V08X: "V0.83H",
            Generation.V084: "V0.84A10",
        }[generation]
    )


def test_layouts_differ_by_generation() -> None:
    def root(generation, scenario="a"):
        device = build_device(scenario, generation, seed=0)
        return parse_xml(render(data_template(generation), device, generation).text)

    old = root(Generation.V061D, "c")
    assert old.find("tic3") is None
    assert old.find("tic1/HCHC") is not None
    assert old.find("tic1/TENSION1") is None
    assert old.find("tic1/BASE").text.isdigit()
    assert old.find("tic2/BASE").text == "0"
    assert old.find("analogique/AD1").text == "0"
    assert old.find("pince/V") is None
    assert len(old.find("switch_virtuel")) == 8

    v08 = root(Generation.V08X)
    assert v08.find("tic3/ADCO").text == "Pas Dispo"
    assert v08.find("tic1/HCHP") is not None
    assert v08.find("tic1/H_PLEINE") is None
    assert v08.find("pince/INJECT1") is not None
    assert v08.find("pince/V").text == "231"
    assert v08.find("analogique/AD1").text == "0.00"
    assert v08.find("impulsion/INDEX1").text.isdigit()

    v084 = root(Generation.V084)
    assert v084.find("tic1/H_CREUSE") is not None
    assert v084.find("tic1/HCHC") is None
    assert v084.find("tic1/PTEC").text == "H. Pleine BLEU"
    assert v084.find("tic1/DEMAIN").text == "Jour BLANC"
    assert v084.find("tic2/PTEC").text == "TIC NDERR."
    assert v084.find("tic2/OPTARIF").text == "."
    assert v084.find("tic2/DEMAIN").text == "----"
    assert v084.find("tic3/ADCO").text == "Pas Dispo"
    assert v084.find("impulsion/INDEX1").text.endswith(".250")
    assert len(v084.find("switch_virtuel")) == 24
    assert v084.find("relais/RELAIS1").text == "ON"
    assert v084.find("relais1W") is None
    assert v084.find("temp/SONDE3").text == "-2.5"

    producer = root(Generation.V084, "b")
    assert producer.find("tic1/PRODUCTEUR").text == "000000001"
    assert int(producer.find("tic1/INJECTION").text) > 0
    assert producer.find("tic1/PAPIJ").text == "1250"
    assert producer.find("tic1/IINST2").text == "7"
    relays = producer.find("relais1W")
    assert [child.tag for child in relays] == [f"RELAIS{n}" for n in range(101, 109)]
    assert relays.find("RELAIS101").text == "ON"


def test_web_pages_templates() -> None:
    generation = Generation.V084
    device = build_device("a", generation, seed=0)
    pceval = parse_xml(render(pceval_template(), device, generation).text)
    values = [item.findtext("value") for item in pceval]
    assert values[0] == "7.83 A"
    assert values[1].endswith("W cos phi 0.93")
    assert values[2].endswith(" kWh")
    info = parse_xml(render(infocfg_template(), device, generation).text)
    assert [item.findtext("value") for item in info][:2] == ["WES V2 HW2.0", "V0.84A10"]
    assert set(builtin_files(generation)) == {
        "DATA.CGX",
        "WEBPROG/CGX/PCEVAL.CGX",
        "WEBPROG/CGX/INFOCFG.CGX",
    }
    assert set(builtin_files(Generation.V061D)) == {"DATA.CGX"}
