"""Turn the bytes of a WES data file into a ``WesData``.

The WES renders its XML from user-editable templates, so the parser reads every known
layout generically (walk each section, key each element by its tag name and trailing
number) instead of expecting a fixed tag list. It is tolerant of what the firmware and the
templates really print: no separators between elements, a missing or lying XML
declaration, Latin-1 bytes, duplicate tags (the first one wins), unknown tags and sections,
bare ``&`` in user-given names, and the "not there" markers (``Pas Dispo``, ``TIC NDERR.``,
``----``, ``.``), which become ``None``, never ``0``.

Anything that is not a readable ``<data>`` document raises ``WesParseError`` and nothing
else. Documents with a DOCTYPE are refused, so no entity expansion can happen.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from .errors import WesParseError
from .features import INSTANCE_COUNT, FeatureKind
from .models import (
    Clamp,
    DataLayout,
    PeriodValues,
    PulseCounter,
    Tic,
    WesData,
    WesInfo,
)

__all__ = ["parse_data"]

# --------------------------------------------------------------------------------------
# Text normalisation
# --------------------------------------------------------------------------------------

_ABSENT_WORDS: Final = frozenset({"pas dispo", "tic nderr.", "tic nderr", "n/a"})
_MAX_NUMBER_LENGTH: Final = 40  # longer "numbers" are garbage, and int() of huge strings is slow
_MAX_INSTANCE_DIGITS: Final = 3
_INT_RE: Final = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL_RE: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_UNSIGNED_RE: Final = re.compile(r"[0-9]{1,4}", re.ASCII)
_HEX_RE: Final = re.compile(r"[0-9A-F]{12}", re.ASCII)
# A bare "&" that does not start a character or entity reference (names are not escaped).
_BARE_AMP_RE: Final = re.compile(
    r"&(?!(?:[A-Za-z][A-Za-z0-9]{0,30}|#[0-9]{1,8}|#x[0-9A-Fa-f]{1,8});)"
)
# CDATA sections are taken verbatim by XML, so their "&" must stay as they are.
_CDATA_RE: Final = re.compile(r"(<!\[CDATA\[.*?\]\]>)", re.DOTALL)
# Characters that XML forbids (C0 controls, U+FFFE, U+FFFF); a WES prints them only as garbage.
_CONTROL_CHARS: Final = {code: None for code in range(32) if chr(code) not in "\t\n\r"} | {
    0xFFFE: None,
    0xFFFF: None,
}
_KWH_TO_WH: Final = 1000

_PRODUCER_TRUSTED_JEEDOM: Final = (1, 0, 5)  # before 1.0.5 Jeedom printed code Tp (disputed)


def _clean(text: str | None) -> str | None:
    """Strip a value; ``None`` for the WES's "not there" markers and empty text."""
    if text is None:
        return None
    value = text.strip()
    if not value.strip("-."):  # "", ".", "-", "----", "..."
        return None
    if value.casefold() in _ABSENT_WORDS:
        return None
    return value


def _to_int(text: str | None) -> int | None:
    """Integer value; ``%09u`` zero padding is dropped, decimals are rounded."""
    value = _clean(text)
    if value is None or len(value) > _MAX_NUMBER_LENGTH:
        return None
    if _INT_RE.fullmatch(value):
        return int(value)
    number = _to_float(value)
    return None if number is None else round(number)


def _to_float(text: str | None) -> float | None:
    """Decimal value with a dot separator (printf ``%f``), finite only."""
    value = _clean(text)
    if value is None or len(value) > _MAX_NUMBER_LENGTH or not _DECIMAL_RE.fullmatch(value):
        return None
    return float(value)


def _to_bool(text: str | None) -> bool | None:
    """``ON``/``OFF`` or ``1``/``0`` (also zero-padded) as a bool; anything else ``None``."""
    value = _clean(text)
    if value is None:
        return None
    word = value.upper()
    if word == "ON":
        return True
    if word == "OFF":
        return False
    if len(value) <= _MAX_NUMBER_LENGTH and _INT_RE.fullmatch(value):
        number = int(value)
        if number in {0, 1}:
            return number == 1
    return None


def _to_wh(text: str | None) -> int | None:
    """Energy index in Wh: a decimal point means the template printed kWh."""
    value = _clean(text)
    if value is None:
        return None
    if "." in value:
        kwh = _to_float(value)
        return None if kwh is None else round(kwh * _KWH_TO_WH)
    return _to_int(value)


def _to_tariff_option(text: str | None) -> str | None:
    """OPTARIF without the trailing dots the meter and the templates append."""
    value = _clean(text)
    if value is None:
        return None
    return value.rstrip(".").strip() or None


def _to_mac(text: str | None) -> str | None:
    """MAC address as 12 upper-case hex digits, whatever the separators."""
    value = _clean(text)
    if value is None:
        return None
    mac = value.upper().replace(":", "").replace("-", "").replace(" ", "")
    return mac if _HEX_RE.fullmatch(mac) else None


def _to_clock(date_text: str | None, time_text: str | None) -> datetime | None:
    """The WES's local clock from ``DD/MM/YYYY`` and ``HH:MM`` (naive), or ``None``."""
    date_value = _clean(date_text)
    time_value = _clean(time_text)
    if date_value is None or time_value is None:
        return None
    parts = date_value.split("/") + time_value.split(":")
    if len(parts) not in {5, 6} or not all(_UNSIGNED_RE.fullmatch(part) for part in parts):
        return None
    day, month, year, hour, minute, *seconds = (int(part) for part in parts)
    second = seconds[0] if seconds else 0
    if year < 100:  # noqa: PLR2004 (a two-digit year from a %02d template)
        year += 2000
    try:
        return datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 (WES local time)
    except (ValueError, OverflowError):
        return None


def _version_tuple(text: str | None) -> tuple[int, ...] | None:
    """``1.0.5`` as ``(1, 0, 5)``; ``None`` when unreadable."""
    if text is None:
        return None
    parts = text.split(".")
    if not all(part.isascii() and part.isdigit() and len(part) < 6 for part in parts):  # noqa: PLR2004
        return None
    return tuple(int(part) for part in parts)


# --------------------------------------------------------------------------------------
# Document loading
# --------------------------------------------------------------------------------------


def _decode(body: bytes) -> str:
    """UTF-8 when it is valid, else Latin-1 (which accepts any byte)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("latin-1")
    return text.lstrip("\ufeff \t\r\n")


def _load_root(body: bytes) -> ET.Element:
    """Parse the document and return its ``<data>`` root, or raise ``WesParseError``."""
    if not isinstance(body, bytes | bytearray | memoryview):
        raise WesParseError("The WES answer is not a byte string")
    text = _decode(bytes(body))
    if not text:
        raise WesParseError("The WES answer is empty")
    lowered = text.lower()
    if "<!doctype" in lowered or "<!entity" in lowered:
        raise WesParseError("The WES answer is not a data file (it has a DOCTYPE)")
    if text.startswith("<?xml"):
        # Drop the declaration: the bytes are already decoded, whatever it claims.
        end = text.find("?>")
        if end < 0:
            raise WesParseError("The WES answer is truncated (unterminated XML declaration)")
        text = text[end + 2 :]
    # Anything after the last end tag of the root (a NUL, a stray byte) is ignored.
    end_of_root = text.rfind("</data>")
    if end_of_root >= 0:
        text = text[: end_of_root + len("</data>")]
    text = text.translate(_CONTROL_CHARS)
    if "&" in text:
        text = _escape_bare_ampersands(text)
    try:
        root = ET.fromstring(text)  # noqa: S314 (DOCTYPEs refused above: no entity expansion)
    except ET.ParseError as err:
        raise WesParseError(f"The WES answer is not well-formed XML ({err})") from None
    if root.tag.lower() != "data":
        raise WesParseError(f"The WES answer is not a data file (root <{root.tag[:40]}>)")
    return root


def _escape_bare_ampersands(text: str) -> str:
    """Escape the "&" of unescaped names, leaving CDATA sections (taken verbatim) alone."""
    parts = _CDATA_RE.split(text)
    # split() with one group puts the CDATA sections at the odd positions.
    return "".join(
        part if index % 2 else _BARE_AMP_RE.sub("&amp;", part) for index, part in enumerate(parts)
    )


# --------------------------------------------------------------------------------------
# Element helpers
# --------------------------------------------------------------------------------------


def _split_number(tag: str) -> tuple[str, int | None]:
    """``SONDE12`` -> (``SONDE``, 12); ``PAP`` -> (``PAP``, None)."""
    prefix = tag.rstrip("0123456789")
    digits = tag[len(prefix) :]
    if not digits or len(digits) > _MAX_INSTANCE_DIGITS:
        return tag, None
    return prefix, int(digits)


def _leaf_values(section: ET.Element) -> dict[str, str]:
    """Upper-cased tag -> text of a section's children; the first of duplicates wins."""
    values: dict[str, str] = {}
    for child in section:
        tag = child.tag.upper()
        if tag not in values:
            values[tag] = child.text or ""
    return values


def _children(root: ET.Element) -> dict[str, ET.Element]:
    """Lower-cased tag -> element of the root's sections; the first of duplicates wins."""
    sections: dict[str, ET.Element] = {}
    for child in root:
        sections.setdefault(child.tag.lower(), child)
    return sections


def _instance(kind: FeatureKind, number: int | None) -> int | None:
    """``number`` when it is a valid instance number of ``kind``, else ``None``."""
    if number is not None and 1 <= number <= INSTANCE_COUNT[kind]:
        return number
    return None


# --------------------------------------------------------------------------------------
# Section readers
# --------------------------------------------------------------------------------------

_HC_REGISTERS: Final = {"H_CREUSE": "hchc", "HCHC": "hchc", "H_PLEINE": "hchp", "HCHP": "hchp"}
_TIC_REGISTER_TAGS: Final = frozenset(
    {
        "BASE",
        "EJPHN",
        "EJPHPM",
        "BBRHCJB",
        "BBRHPJB",
        "BBRHCJW",
        "BBRHPJW",
        "BBRHCJR",
        "BBRHPJR",
        "H_WEEKEND",
        "HC_SEMAINE",
        "HP_SEMAINE",
        "HC_WEEKEND",
        "HP_WEEKEND",
        "HC_MERCREDI",
        "HP_MERCREDI",
        "H_SUPER_CREUSE",
    }
)
_PERIODS: Final = {"JOUR": "day", "MOIS": "month", "ANNEE": "year"}


def _period_values(values: Mapping[str, str], prefix: str, suffix: str = "") -> PeriodValues:
    """Day, month and year values from ``{prefix}_JOUR{suffix}`` and its siblings."""
    found = {
        attribute: _to_float(values.get(f"{prefix}_{period}{suffix}"))
        for period, attribute in _PERIODS.items()
    }
    return PeriodValues(**found)


_PHASE_PREFIXES: Final = ("IINST", "IMAX", "TENSION")


def _read_tic(section: ET.Element, *, trust_producer: bool) -> Tic:
    """One ``tic{n}`` section; an ADCO printed as absent means no meter and no values."""
    values = _leaf_values(section)
    if "ADCO" in values and _clean(values["ADCO"]) is None:
        return Tic()
    indexes: dict[str, int] = {}
    phases: dict[str, dict[int, int]] = {prefix: {} for prefix in _PHASE_PREFIXES}
    for tag, text in values.items():
        register = _HC_REGISTERS.get(tag) or (tag.lower() if tag in _TIC_REGISTER_TAGS else None)
        if register is not None:
            index = _to_int(text)
            if index is not None:
                indexes.setdefault(register, index)  # HCHC and H_CREUSE: the first one wins
            continue
        prefix, number = _split_number(tag)
        # IINST/IMAX alone are the single-phase values (phase 0); TENSION has phases only.
        phase = 0 if number is None and prefix != "TENSION" else number
        if prefix in phases and phase is not None and 0 <= phase <= 3:  # noqa: PLR2004
            amount = _to_int(text)
            if amount is not None:
                phases[prefix][phase] = amount
    producer = _to_int(values.get("PRODUCTEUR")) if trust_producer else None
    return Tic(
        adco=_clean(values.get("ADCO")),
        tariff_option=_to_tariff_option(values.get("OPTARIF")),
        subscribed_current=_to_int(values.get("ISOUSC")),
        tariff_period=_clean(values.get("PTEC")),
        tomorrow_color=_clean(values.get("DEMAIN")),
        apparent_power=_to_int(values.get("PAP")),
        injected_apparent_power=_to_int(values.get("PAPIJ")),
        current=dict(sorted(phases["IINST"].items())),
        max_current=dict(sorted(phases["IMAX"].items())),
        voltage=dict(sorted(phases["TENSION"].items())),
        ejp_notice=_to_int(values.get("PEJP")),
        producer=producer == 1 if producer in {0, 1} else None,
        injection_index=_to_int(values.get("INJECTION")),
        indexes=indexes,
        consumption=_period_values(values, "CONSO"),
        cost=_period_values(values, "COUT"),
    )


def _group_by_number(values: Mapping[str, str], kind: FeatureKind) -> dict[int, dict[str, str]]:
    """Split ``{PREFIX}{n}`` tags by instance: n -> {PREFIX: text}; the first one wins."""
    groups: dict[int, dict[str, str]] = {}
    for tag, text in values.items():
        prefix, number = _split_number(tag)
        if (instance := _instance(kind, number)) is not None:
            groups.setdefault(instance, {}).setdefault(prefix, text)
    return groups


def _read_pulse_counters(section: ET.Element) -> dict[int, PulseCounter]:
    """The ``impulsion`` section: PULSEn, INDEXn, DEBITn, CONSO_*n, COUT_*n."""
    groups = _group_by_number(_leaf_values(section), FeatureKind.PULSE_COUNTER)
    return {
        number: PulseCounter(
            pulses_today=_to_int(fields.get("PULSE")),
            index=_to_float(fields.get("INDEX")),
            flow=_to_float(fields.get("DEBIT")),
            consumption=_period_values(fields, "CONSO"),
            consumption_yesterday=_to_float(fields.get("CONSO_VEILLE")),
            cost=_period_values(fields, "COUT"),
        )
        for number, fields in sorted(groups.items())
    }


def _clamp_from_fields(fields: Mapping[str, str]) -> Clamp:
    """One clamp from its unnumbered field names (I, PUISSANCE, WATT, INDEX, INJECT, ...)."""
    return Clamp(
        current=_to_float(fields.get("I")),
        apparent_power=_to_int(fields.get("PUISSANCE")),
        real_power=_to_int(fields.get("WATT")),
        index=_to_wh(fields.get("INDEX")),
        injection_index=_to_wh(fields.get("INJECT")),
        consumption=_period_values(fields, "CONSO"),
        cost=_period_values(fields, "COUT"),
        injection=_period_values(fields, "INJEC"),
        gain=_period_values(fields, "GAIN"),
        max_current=_period_values(fields, "MAX"),
    )


def _read_clamps(section: ET.Element) -> tuple[dict[int, Clamp], float | None]:
    """The ``pince`` section: per-clamp fields numbered 1-4, plus the mains voltage ``V``."""
    values = _leaf_values(section)
    groups = _group_by_number(values, FeatureKind.CLAMP)
    clamps = {number: _clamp_from_fields(fields) for number, fields in sorted(groups.items())}
    return clamps, _to_float(values.get("V"))


def _power_string(text: str | None) -> tuple[int | None, int | None]:
    """``"N VA"`` -> (N, None); ``"N W cos phi X.XX"`` -> (None, N): (apparent, real)."""
    value = _clean(text)
    if value is None:
        return None, None
    words = value.split()
    if len(words) < 2:  # noqa: PLR2004
        return None, None
    amount = _to_int(words[0])
    unit = words[1].upper()
    if unit == "VA":
        return amount, None
    if unit == "W":
        return None, amount
    return None, None


def _read_ha_clamps(section: ET.Element) -> tuple[dict[int, Clamp], float | None]:
    """homeassistant.cgx ``clamps``: ``clamp{n}`` blocks plus a ``V`` leaf."""
    clamps: dict[int, Clamp] = {}
    voltage: float | None = None
    for child in section:
        tag = child.tag.upper()
        if tag == "V":
            voltage = voltage if voltage is not None else _to_float(child.text)
            continue
        prefix, number = _split_number(tag)
        instance = _instance(FeatureKind.CLAMP, number)
        if prefix != "CLAMP" or instance is None or instance in clamps:
            continue
        fields = _leaf_values(child)
        apparent, real = _power_string(fields.get("POWER"))
        clamps[instance] = Clamp(
            current=_to_float(fields.get("I")),
            apparent_power=apparent,
            real_power=real,
            index=_to_wh(fields.get("INDEX")),
            injection_index=_to_wh(fields.get("IDXINJECT")),
        )
    return dict(sorted(clamps.items())), voltage


@dataclass(slots=True)
class _Builder:
    """Mutable collector of the values found while walking the document."""

    layout: DataLayout = DataLayout.DEFAULT
    info: dict[str, str] = field(default_factory=dict)
    data_file_version: str | None = None
    jeedom_cgx_version: str | None = None
    tics: dict[int, Tic] = field(default_factory=dict)
    clamps: dict[int, Clamp] = field(default_factory=dict)
    pulse_counters: dict[int, PulseCounter] = field(default_factory=dict)
    probes: dict[int, float | None] = field(default_factory=dict)
    relays: dict[int, bool | None] = field(default_factory=dict)
    onewire_relays: dict[int, bool | None] = field(default_factory=dict)
    inputs: dict[int, bool | None] = field(default_factory=dict)
    analog_inputs: dict[int, float | None] = field(default_factory=dict)
    virtual_switches: dict[int, bool | None] = field(default_factory=dict)
    variables: dict[int, float | None] = field(default_factory=dict)
    mains_voltage: float | None = None

    def trust_producer(self) -> bool:
        """Whether PRODUCTEUR comes from the producer-flag code ``ei`` (not the disputed ``Tp``)."""
        if self.layout is DataLayout.HOMEASSISTANT:
            return False
        if self.layout is DataLayout.JEEDOM:
            version = _version_tuple(self.jeedom_cgx_version)
            return version is not None and version >= _PRODUCER_TRUSTED_JEEDOM
        return True


type _Converter = Callable[[str | None], float | bool | None]


@dataclass(frozen=True, slots=True)
class _NumberedSection:
    """A section of numbered leaves (``SONDE1``..) that fill one ``WesData`` mapping."""

    kind: FeatureKind
    prefixes: frozenset[str]
    attribute: str
    convert: _Converter


_NUMBERED_SECTIONS: Final[Mapping[str, _NumberedSection]] = {
    "temp": _NumberedSection(FeatureKind.PROBE, frozenset({"SONDE"}), "probes", _to_float),
    "probes": _NumberedSection(FeatureKind.PROBE, frozenset({"PROBE"}), "probes", _to_float),
    "relais": _NumberedSection(FeatureKind.RELAY, frozenset({"RELAIS"}), "relays", _to_bool),
    "entree": _NumberedSection(FeatureKind.INPUT, frozenset({"ENTREE"}), "inputs", _to_bool),
    "intput": _NumberedSection(
        FeatureKind.INPUT, frozenset({"INTPUT", "INPUT"}), "inputs", _to_bool
    ),
    "analogique": _NumberedSection(
        FeatureKind.ANALOG_INPUT, frozenset({"AD"}), "analog_inputs", _to_float
    ),
    "analog": _NumberedSection(
        FeatureKind.ANALOG_INPUT, frozenset({"AD"}), "analog_inputs", _to_float
    ),
    "switch_virtuel": _NumberedSection(
        FeatureKind.VIRTUAL_SWITCH, frozenset({"SWITCH"}), "virtual_switches", _to_bool
    ),
    "virtual_switch": _NumberedSection(
        FeatureKind.VIRTUAL_SWITCH, frozenset({"SWITCH"}), "virtual_switches", _to_bool
    ),
    "variables": _NumberedSection(
        FeatureKind.VARIABLE, frozenset({"VARIABLE"}), "variables", _to_float
    ),
}


def _read_numbered(section: ET.Element, spec: _NumberedSection, target: dict[int, object]) -> None:
    """Fill ``target`` from a section of numbered leaves; the first of duplicates wins."""
    for tag, text in _leaf_values(section).items():
        prefix, number = _split_number(tag)
        instance = _instance(spec.kind, number)
        if prefix in spec.prefixes and instance is not None and instance not in target:
            target[instance] = spec.convert(text)


def _is_onewire_relay_id(number: int) -> bool:
    """1-Wire relay ids: 101..198 with a relay digit 1-8 (card c: 100 + 10(c-1) + r)."""
    return 101 <= number <= 198 and 1 <= number % 10 <= 8  # noqa: PLR2004


def _read_onewire_relays(section: ET.Element, target: dict[int, bool | None]) -> None:
    """The ``relais1W`` block printed by ``WRo``: ``RELAIS{id}`` = ON/OFF."""
    for tag, text in _leaf_values(section).items():
        prefix, number = _split_number(tag)
        if prefix == "RELAIS" and number is not None and _is_onewire_relay_id(number):
            target.setdefault(number, _to_bool(text))


def _read_ha_relays(section: ET.Element, target: dict[int, bool | None]) -> None:
    """homeassistant.cgx ``relays``: ``relay{n}/enabled`` = 0/1."""
    for child in section:
        prefix, number = _split_number(child.tag.upper())
        instance = _instance(FeatureKind.RELAY, number)
        if prefix == "RELAY" and instance is not None:
            target.setdefault(instance, _to_bool(_leaf_values(child).get("ENABLED")))


def _detect_layout(sections: Iterable[str]) -> DataLayout:
    """Which template produced the file, from its marker sections."""
    names = set(sections)
    if "wescontrol" in names:
        return DataLayout.WESCONTROL
    if "jeedom" in names:
        return DataLayout.JEEDOM
    if "tics" in names or "clamps" in names:
        return DataLayout.HOMEASSISTANT
    return DataLayout.DEFAULT


def _read_tic_sections(sections: Iterable[tuple[str, ET.Element]], builder: _Builder) -> None:
    """Every ``tic{n}`` element among ``sections``, in document order."""
    for name, element in sections:
        prefix, number = _split_number(name.upper())
        instance = _instance(FeatureKind.TIC, number)
        if prefix == "TIC" and instance is not None and instance not in builder.tics:
            builder.tics[instance] = _read_tic(element, trust_producer=builder.trust_producer())


def _walk(root: ET.Element) -> _Builder:
    """Read every known section of the document into a builder."""
    sections = _children(root)
    builder = _Builder(layout=_detect_layout(sections))
    if (marker := sections.get("wescontrol")) is not None:
        builder.data_file_version = _clean(_leaf_values(marker).get("VERSION"))
    if (marker := sections.get("jeedom")) is not None:
        builder.jeedom_cgx_version = _clean(_leaf_values(marker).get("CGXVERSION"))
    if (info := sections.get("info")) is not None:
        builder.info = _leaf_values(info)
    _read_tic_sections(sections.items(), builder)
    if (tics := sections.get("tics")) is not None:
        _read_tic_sections(((child.tag.lower(), child) for child in tics), builder)
    _read_meters(sections, builder)
    _read_states(sections, builder)
    return builder


def _read_meters(sections: Mapping[str, ET.Element], builder: _Builder) -> None:
    """Pulse counters and clamps (Jeedom-style ``pince`` or homeassistant.cgx ``clamps``)."""
    if (pulses := sections.get("impulsion")) is not None:
        builder.pulse_counters = _read_pulse_counters(pulses)
    if (clamps := sections.get("pince")) is not None:
        builder.clamps, builder.mains_voltage = _read_clamps(clamps)
    elif (clamps := sections.get("clamps")) is not None:
        builder.clamps, builder.mains_voltage = _read_ha_clamps(clamps)


def _read_states(sections: Mapping[str, ET.Element], builder: _Builder) -> None:
    """Probes, relays, inputs, analog inputs, virtual switches and variables."""
    for name, spec in _NUMBERED_SECTIONS.items():
        if (section := sections.get(name)) is not None:
            _read_numbered(section, spec, getattr(builder, spec.attribute))
    if (onewire := sections.get("relais1w")) is not None:
        _read_onewire_relays(onewire, builder.onewire_relays)
    if (relays := sections.get("relays")) is not None:
        _read_ha_relays(relays, builder.relays)


def _build_info(builder: _Builder) -> WesInfo:
    """The server block, whichever tag names the layout uses."""
    info = builder.info
    return WesInfo(
        firmware=_clean(info.get("FIRMWARE")),
        hardware=_clean(info.get("SERVERVERSION") or info.get("HARDWARE")),
        mac=_to_mac(info.get("MAC") or info.get("SERIAL")),
        clock=_to_clock(info.get("DATE"), info.get("TIME")),
        free_space=_to_float(info.get("SPACELEFT") or info.get("STORAGE")),
        alarm=_to_bool(info.get("ALARME")),
        data_file_version=builder.data_file_version,
        jeedom_cgx_version=builder.jeedom_cgx_version,
    )


def parse_data(body: bytes) -> WesData:
    """Read a WES data file (built-in ``DATA.CGX``, Jeedom's, homeassistant.cgx or ours).

    Raises:
        WesParseError: the bytes are not a readable ``<data>`` document; nothing else escapes.
    """
    root = _load_root(body)
    try:
        builder = _walk(root)
        return WesData(
            layout=builder.layout,
            info=_build_info(builder),
            tics=dict(sorted(builder.tics.items())),
            clamps=builder.clamps,
            pulse_counters=builder.pulse_counters,
            probes=dict(sorted(builder.probes.items())),
            relays=dict(sorted(builder.relays.items())),
            onewire_relays=dict(sorted(builder.onewire_relays.items())),
            inputs=dict(sorted(builder.inputs.items())),
            analog_inputs=dict(sorted(builder.analog_inputs.items())),
            virtual_switches=dict(sorted(builder.virtual_switches.items())),
            variables=dict(sorted(builder.variables.items())),
            mains_voltage=builder.mains_voltage,
        )
    except (ArithmeticError, LookupError, TypeError, ValueError, RecursionError) as err:
        # Defensive: a value shape nobody foresaw must still read as "not a data file".
        raise WesParseError(f"The WES data file could not be read ({type(err).__name__})") from None
