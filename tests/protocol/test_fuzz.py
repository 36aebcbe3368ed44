"""Fuzzing: whatever bytes arrive, only ``WesParseError`` may escape the parser.

The default run is short (a couple of hundred examples per test). For a long run::

    WES_FUZZ_EXAMPLES=100000 .venv/bin/python -m pytest tests/protocol/test_fuzz.py --no-cov
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custom_components.wescontrol.wes import client as client_module
from custom_components.wescontrol.wes.client import WesClient
from custom_components.wescontrol.wes.errors import WesParseError, WesResponseTooLargeError
from custom_components.wescontrol.wes.models import WesData
from custom_components.wescontrol.wes.parser import parse_data

if TYPE_CHECKING:
    import aiohttp

from .helpers import SYNTH_DATA_FILES, data_doc, fixture_bytes

EXAMPLES = int(os.environ.get("WES_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis folder left behind
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

OUR_FILE = data_doc(
    "<wescontrol><version>1</version></wescontrol><info><mac>001EC0123456</mac>"
    "<spaceleft>3.6</spaceleft><alarme>0</alarme></info><tic1><ADCO>1</ADCO>"
    "<BASE>000000012</BASE></tic1><pince><I1>1.00</I1><WATT1>5</WATT1><V>230</V></pince>"
    "<relais1W><RELAIS101>ON</RELAIS101></relais1W>"
)
SEEDS = [fixture_bytes(name) for name in SYNTH_DATA_FILES] + [OUR_FILE]

INSERTIONS = [
    b"<",
    b">",
    b"&",
    b"&amp;",
    b"&#0;",
    b"&#x110000;",
    b"</",
    b"/>",
    b"<x>",
    b"</data>",
    b"<data>",
    b"<tic1>",
    b"<ADCO>",
    b"<SONDE1>",
    b"<RELAIS101>",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?xml",
    b"<!DOCTYPE x>",
    b'"',
    b"\x00",
    b"\xff",
    b"\xc3",
    b"Pas Dispo",
    b"----",
    b".",
    b"-",
    b"1e999",
    b"9" * 50,
]
TAG_NAMES = st.sampled_from(
    [
        "data", "info", "tic1", "tic2", "tic4", "tics", "clamps", "clamp1", "pince", "temp",
        "SONDE1", "RELAIS1", "RELAIS101", "relais1W", "ADCO", "PAP", "INDEX1", "INJECT1",
        "power", "date", "time", "mac", "jeedom", "cgxversion", "wescontrol", "version",
        "relays", "relay1", "enabled", "x", "IINST9", "TENSION1", "PRODUCTEUR",
    ]
)  # fmt: skip
TEXT_VALUES = st.sampled_from(
    ["", "0", "1", "ON", "OFF", "-1.5", "000000001", "Pas Dispo", "1682 W cos phi 0.9", "1.2.3"]
) | st.text(max_size=12)


@st.composite
def random_tag(draw: st.DrawFn) -> bytes:
    """A small well-formed element with a known or unknown tag name."""
    name = draw(TAG_NAMES)
    value = draw(TEXT_VALUES)
    escaped = value.replace("&", "&amp;").replace("<", "&lt;")
    return f"<{name}>{escaped}</{name}>".encode(errors="surrogatepass")


@st.composite
def mutated_fixture(draw: st.DrawFn) -> bytes:
    """A seed document after a few random byte-level mutations."""
    body = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if not body:
            break
        position = draw(st.integers(min_value=0, max_value=len(body) - 1))
        operation = draw(
            st.sampled_from(["flip", "truncate", "insert", "tag", "duplicate", "delete"])
        )
        if operation == "flip":
            body[position] = draw(st.integers(min_value=0, max_value=255))
        elif operation == "truncate":
            del body[position:]
        elif operation == "insert":
            body[position:position] = draw(st.sampled_from(INSERTIONS))
        elif operation == "tag":
            body[position:position] = draw(random_tag())
        else:
            end = draw(st.integers(min_value=position, max_value=min(len(body), position + 600)))
            if operation == "duplicate":
                body[end:end] = body[position:end]
            else:
                del body[position:end]
    return bytes(body)


@st.composite
def duplicated_section(draw: st.DrawFn) -> bytes:
    """A seed with one whole section (``<name>...</name>``) repeated."""
    body = draw(st.sampled_from(SEEDS))
    name = draw(
        st.sampled_from(
            [b"info", b"tic1", b"tic2", b"pince", b"temp", b"relais", b"impulsion", b"clamps"]
        )
    )
    start = body.find(b"<" + name + b">")
    end = body.find(b"</" + name + b">")
    if start < 0 or end < start:
        return body
    section = body[start : end + len(name) + 3]
    copies = draw(st.integers(min_value=1, max_value=3))
    return body[:start] + section * copies + body[start:]


@st.composite
def random_document(draw: st.DrawFn) -> bytes:
    """A ``<data>`` root holding random (possibly nested) elements."""
    parts = draw(st.lists(random_tag(), max_size=20))
    nested = draw(st.sampled_from(["", "<tics>", "<clamps><clamp1>", "<relays><relay1>"]))
    closing = "".join(f"</{tag[1:]}>" for tag in reversed(nested.split(">")[:-1]))
    return b"<data>" + nested.encode() + b"".join(parts) + closing.encode() + b"</data>"


def parse_or_parse_error(body: bytes) -> WesData | None:
    """Parse; a ``WesParseError`` is fine, anything else fails the test."""
    try:
        data = parse_data(body)
    except WesParseError:
        return None
    assert isinstance(data, WesData)
    return data


@FUZZ
@given(mutated_fixture())
def test_mutated_fixtures(body: bytes) -> None:
    parse_or_parse_error(body)


@FUZZ
@given(duplicated_section())
def test_duplicated_sections_parse(body: bytes) -> None:
    assert parse_or_parse_error(body) is not None


@FUZZ
@given(random_document())
def test_random_documents_parse(body: bytes) -> None:
    assert parse_or_parse_error(body) is not None


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(body: bytes) -> None:
    parse_or_parse_error(body)


@FUZZ
@given(st.text(alphabet="<>/&;=\"' datic1ADCOPSINDEX0123456789.-\n\x00é", max_size=400))
def test_random_markup_text(text: str) -> None:
    parse_or_parse_error(text.encode(errors="surrogatepass"))


@FUZZ
@given(st.sampled_from(SEEDS), st.integers(min_value=0, max_value=12_000))
def test_every_truncation(body: bytes, cut: int) -> None:
    data = parse_or_parse_error(body[:cut])
    if cut >= len(body):
        assert data is not None


# ---------------------------------------------------------------------------------------
# The client refuses an over-cap body without parsing it
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1025, 4096, 300_000])
@pytest.mark.parametrize("announced", [True, False], ids=["content-length", "no-length"])
async def test_client_refuses_over_cap_body_unparsed(
    size: int,
    announced: bool,
    aioclient_mock: Any,
    mock_session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsed: list[bytes] = []

    def spy(body: bytes) -> WesData:
        parsed.append(body)
        return parse_data(body)

    monkeypatch.setattr(client_module, "parse_data", spy)
    body = b"<data>" + b" " * size + b"</data>"
    headers = {"Content-Length": str(len(body))} if announced else None
    aioclient_mock.get("http://wes.local/DATA.CGX", content=body, headers=headers)
    client = WesClient("wes.local", session=mock_session, max_body_size=1024)
    with pytest.raises(WesResponseTooLargeError):
        await client.read_data()
    assert parsed == []
    # Under the cap, the same path parses.
    aioclient_mock.clear_requests()
    aioclient_mock.get("http://wes.local/DATA.CGX", content=b"<data/>")
    assert await client.read_data() == WesData()
    assert len(parsed) == 1
