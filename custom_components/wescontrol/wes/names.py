"""Our names file: the MAC, the firmware and every user-given name, read rarely.

The WES inserts names raw (no XML escaping, encoding unknown: UTF-8 or Latin-1), so a name
with ``&`` or ``<`` breaks any XML around it. This file therefore is not XML: the template
prints ``|key=value`` records between a start and an end token, and the parser cuts the
rendered bytes on the record keys, which are ours and fixed. A name only breaks its own
record if it contains ``|key=`` with one of our keys, which no one types.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING, Final

from .errors import WesParseError
from .features import INSTANCE_COUNT, FeatureKind
from .models import WesNames

if TYPE_CHECKING:
    from collections.abc import Iterator

NAMES_FILE_NAME: Final = "WESNAMES.CGX"
NAMES_HEADER: Final = "wescontrol-names/1"
_END_KEY: Final = "end"

# Record key -> (feature kind, WesNames attribute, code with {n}).
# Numbering: relays are 0-based in the name code (``o n0`` is relay 1: amg0/WES VERA.CGX and
# Yadoms WESNAMES2.CGX agree), inputs and analog inputs 1-based (same sources), TIC meters
# ``en{n}`` (CGI doc, Yadoms), clamps ``Pn{n}`` (HA-DD, Yadoms), counters ``pn{n}``, probes
# ``W{a}N{b}`` like their values ``W{a}T{b}`` (VERA), virtual switches ``l N{n}`` (VERA).
_NAME_RECORDS: Final[tuple[tuple[str, FeatureKind, str], ...]] = (
    ("tic", FeatureKind.TIC, "tics"),
    ("clamp", FeatureKind.CLAMP, "clamps"),
    ("counter", FeatureKind.PULSE_COUNTER, "pulse_counters"),
    ("probe", FeatureKind.PROBE, "probes"),
    ("relay", FeatureKind.RELAY, "relays"),
    ("input", FeatureKind.INPUT, "inputs"),
    ("analog", FeatureKind.ANALOG_INPUT, "analog_inputs"),
    ("switch", FeatureKind.VIRTUAL_SWITCH, "virtual_switches"),
)
_KEY_ATTRIBUTES: Final = {key: attribute for key, _, attribute in _NAME_RECORDS}
_RECORD_RE: Final = re.compile(
    rb"\|(mac|firmware|" + "|".join(_KEY_ATTRIBUTES).encode() + rb"|" + _END_KEY.encode() + rb")"
    rb"(\d{0,2})="
)
_MAC_RE: Final = re.compile(r"[0-9A-F]{12}")
_UNRENDERED_RE: Final = re.compile(r"%[0-9.l]*[sdXuf]")
_CONTROL_RE: Final = re.compile(r"[\x00-\x1f\x7f]")


def _name_code(key: str, n: int) -> str:
    """The WES code printing the name of instance ``n`` of one kind."""
    if key == "probe":
        group, slot = divmod(n - 1, 10)
        return f"W{group}N{slot}"
    codes = {
        "tic": f"en{n}",
        "clamp": f"Pn{n}",
        "counter": f"pn{n}",
        "relay": f"o n{n - 1}",
        "input": f"l n{n}",
        "analog": f"l a{n}",
        "switch": f"l N{n}",
    }
    return codes[key]


def _template_lines() -> Iterator[str]:
    yield "# wescontrol names file: generated, do not edit"
    yield f"t {NAMES_HEADER}"
    yield "c r a |mac=" + "%02X" * 6
    yield "c v v |firmware=%s"
    for key, kind, _ in _NAME_RECORDS:
        for n in range(1, INSTANCE_COUNT[kind] + 1):
            yield f"c {_name_code(key, n)} |{key}{n}=%s"
    yield f"t |{_END_KEY}="
    yield "."


def generate_names_file() -> str:
    """The CGX template printing the MAC, the firmware and every user-given name."""
    return "\n".join(_template_lines()) + "\n"


def _decode(raw: bytes) -> str:
    """UTF-8 when it decodes, else Latin-1 (which always does), per value."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    return _CONTROL_RE.sub("", text).strip()


def _records(body: bytes) -> dict[str, str]:
    """``key+number`` -> decoded value, the first of each key winning."""
    start = body.find(NAMES_HEADER.encode())
    if start < 0:
        raise WesParseError("not a wescontrol names file (start token missing)")
    matches = list(_RECORD_RE.finditer(body, start))
    if not matches or matches[-1].group(1).decode() != _END_KEY:
        raise WesParseError("names file truncated (end token missing)")
    records: dict[str, str] = {}
    for match, following in pairwise(matches):
        key = (match.group(1) + match.group(2)).decode()
        records.setdefault(key, _decode(body[match.end() : following.start()]))
    return records


def parse_names(body: bytes) -> WesNames:
    """Read a rendered names file; empty names are left out.

    Raises:
        WesParseError: the body is not a rendered names file of ours, or is cut short.

    """
    records = _records(body)
    if any(_UNRENDERED_RE.match(value) for value in records.values()):
        raise WesParseError("names file served without being rendered")
    mac = records.get("mac", "").upper()
    names: dict[str, dict[int, str]] = {attribute: {} for attribute in _KEY_ATTRIBUTES.values()}
    for key, kind, attribute in _NAME_RECORDS:
        for n in range(1, INSTANCE_COUNT[kind] + 1):
            if value := records.get(f"{key}{n}"):
                names[attribute][n] = value
    return WesNames(
        mac=mac if _MAC_RE.fullmatch(mac) else None,
        firmware=records.get("firmware") or None,
        **names,
    )
