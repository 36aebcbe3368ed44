"""The names file: template shape and a lenient parser of raw, unescaped names."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from custom_components.wescontrol.wes.errors import WesParseError
from custom_components.wescontrol.wes.models import WesNames
from custom_components.wescontrol.wes.names import (
    NAMES_FILE_NAME,
    NAMES_HEADER,
    generate_names_file,
    parse_names,
)

MAC = "001EC0ABCDEF"


def fake_render(values: dict[str, str], *, encoding: str = "utf-8", space: str = " ") -> bytes:
    """Render the names template like the WES: drop codes, insert raw values."""
    out: list[str] = []
    for line in generate_names_file().splitlines():
        if line.startswith("t "):
            out.append(line[2:])
        elif line.startswith("c "):
            record = line[line.index("|") :]
            key = record[1 : record.index("=")]
            if key == "mac":
                out.append(f"{space}|mac={MAC}")
            else:
                out.append(f"{space}|{key}={values.get(key, '')}")
        elif line == ".":
            break
    return "".join(out).encode(encoding)


def test_template_prints_every_name_code() -> None:
    template = generate_names_file()
    assert NAMES_FILE_NAME.endswith(".CGX")
    assert template.endswith(".\n")
    lines = template.splitlines()
    assert f"t {NAMES_HEADER}" in lines
    for line in (
        "c r a |mac=%02X%02X%02X%02X%02X%02X",
        "c v v |firmware=%s",
        "c en1 |tic1=%s",
        "c en3 |tic3=%s",
        "c Pn4 |clamp4=%s",
        "c pn6 |counter6=%s",
        "c W0N0 |probe1=%s",
        "c W2N9 |probe30=%s",
        "c o n0 |relay1=%s",
        "c o n1 |relay2=%s",
        "c l n2 |input2=%s",
        "c l a4 |analog4=%s",
        "c l N24 |switch24=%s",
    ):
        assert line in lines
    assert lines[-2] == "t |end="


def test_names_with_xml_breaking_characters_and_accents() -> None:
    names = {
        "tic1": "Linky <maison>",
        "clamp2": "PV & batterie",
        "counter1": 'Eau "froide"',
        "probe1": "Séjour",
        "probe30": "Cave l'été",
        "relay1": "Pompe piscine",
        "relay2": "Chauffe-eau",
        "input1": "Porte",
        "analog4": "Cuve 0-10V",
        "switch24": "Mode   nuit  ",
        "counter3": "",
    }
    parsed = parse_names(fake_render(names))
    assert parsed.mac == MAC
    assert parsed.tics == {1: "Linky <maison>"}
    assert parsed.clamps == {2: "PV & batterie"}
    assert parsed.pulse_counters == {1: 'Eau "froide"'}
    assert parsed.probes == {1: "Séjour", 30: "Cave l'été"}
    assert parsed.relays == {1: "Pompe piscine", 2: "Chauffe-eau"}
    assert parsed.inputs == {1: "Porte"}
    assert parsed.analog_inputs == {4: "Cuve 0-10V"}
    assert parsed.virtual_switches == {24: "Mode   nuit"}


def test_latin1_names_are_decoded() -> None:
    parsed = parse_names(
        fake_render({"probe2": "Chambre bébé", "tic1": "Compteur"}, encoding="latin-1")
    )
    assert parsed.probes == {2: "Chambre bébé"}
    assert parsed.tics == {1: "Compteur"}


def test_mixed_encodings_are_decoded_per_name() -> None:
    body = (
        fake_render({"probe1": "AAAA", "probe2": "BBBB"})
        .replace(b"AAAA", "été".encode())
        .replace(b"BBBB", "été".encode("latin-1"))
    )
    assert parse_names(body).probes == {1: "été", 2: "été"}


def test_without_leading_spaces_and_with_control_characters() -> None:
    body = fake_render({"relay1": "Re\x01lais\r\n", "clamp1": "Main"}, space="")
    parsed = parse_names(body)
    assert parsed.relays == {1: "Relais"}
    assert parsed.clamps == {1: "Main"}


def test_firmware_and_bad_mac() -> None:
    body = fake_render({"firmware": "V0.84A10"}).replace(MAC.encode(), b"nothex")
    parsed = parse_names(body)
    assert parsed.mac is None
    assert parsed.firmware == "V0.84A10"


def test_lower_case_mac_is_normalised() -> None:
    assert parse_names(fake_render({}).replace(MAC.encode(), MAC.lower().encode())).mac == MAC


def test_empty_file_gives_no_names() -> None:
    assert parse_names(fake_render({})) == WesNames(mac=MAC)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html><body>404 Not Found</body></html>",
        b"<data><info></info></data>",
        b"\xff\xfe\x00garbage",
    ],
)
def test_garbage_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(WesParseError, match="not a wescontrol names file"):
        parse_names(body)


def test_truncated_file_is_a_parse_error() -> None:
    body = fake_render({"probe1": "Salon"})
    with pytest.raises(WesParseError, match="truncated"):
        parse_names(body[: body.index(b"|end=")])
    with pytest.raises(WesParseError, match="truncated"):
        parse_names(NAMES_HEADER.encode())


def test_unrendered_template_is_a_parse_error() -> None:
    with pytest.raises(WesParseError, match="rendered"):
        parse_names(generate_names_file().encode())


def test_first_record_wins() -> None:
    body = fake_render({"probe1": "Salon"}).replace(b"|end=", b"|probe1=Other|end=")
    assert parse_names(body).probes == {1: "Salon"}


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=60))
def test_any_bytes_give_names_or_a_parse_error(prefix: bytes, name: bytes) -> None:
    for body in (prefix, prefix + fake_render({}).replace(b"|tic1=", b"|tic1=" + name)):
        try:
            parsed = parse_names(body)
        except WesParseError:
            continue
        assert isinstance(parsed, WesNames)
        for value in parsed.tics.values():
            assert value
            assert not re.search(r"[\x00-\x1f]", value)


def test_names_template_is_ascii() -> None:
    assert generate_names_file().encode("ascii")
