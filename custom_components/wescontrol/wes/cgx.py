"""Our own CGX data file: a template holding only what the user enabled.

The WES renders a ``.CGX`` template on every GET: ``t`` lines are copied as they are, ``c``
lines print a device value through a printf format, ``.`` ends the file. Printing only the
enabled instances keeps the file small, which is faster for the WES to render and for us to
parse. Every code and printf format below is one a public template used on the firmware
generation it is chosen for (see ``docs/wes-protocol.md`` §2, §3.2 and §6.2); where the sources
disagree, the choice is explained next to the code.

The rendered document uses the section and tag names of the Jeedom layout, so one parser reads
both, and starts with ``<wescontrol><version>MARKER</version></wescontrol>``: the marker tells
the integration whether the file on the WES is the one it would generate now.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from .errors import WesError
from .features import (
    INSTANCE_COUNT,
    MEASURES,
    OPT_MEASURE,
    OPT_TARIFF,
    TARIFFS,
    TIC_MEASURES,
    EnabledFeatures,
    FeatureKind,
)
from .models import TIC_REGISTERS, FirmwareGeneration
from .names import NAMES_FILE_NAME, generate_names_file

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

__all__ = [
    "DATA_FILE_NAME",
    "NAMES_FILE_NAME",
    "SCHEMA_VERSION",
    "CgxLine",
    "UnsupportedFirmwareError",
    "data_file_fields",
    "data_file_version",
    "generate_data_file",
    "generate_full_data_file",
    "generate_names_file",
    "supports_data_file",
    "tic_registers",
]

# Bump when the layout or a code/format changes for the same enabled set: the marker changes
# with it, so every installed file is replaced.
SCHEMA_VERSION: Final = 1
# Our own name on the WES web root. Long names work on the WES's FAT card (DATA_JEEDOM.CGX).
DATA_FILE_NAME: Final = "WESCTRL.CGX"
MARKER_SECTION: Final = "wescontrol"
MARKER_TAG: Final = "version"
MARKER_PLACEHOLDER: Final = "{marker}"
ONEWIRE_SECTION: Final = "relais1W"  # printed whole by ``WRo``; its children are not ours to name

_DIGEST_LENGTH: Final = 10
_PERIODS: Final = (("j", "JOUR"), ("m", "MOIS"), ("a", "ANNEE"))
_TIC_AUTO: Final = TARIFFS[0]
_TIC_CONSUMPTION, _, _TIC_BOTH = TIC_MEASURES
_PRODUCER_MEASURES: Final = frozenset(TIC_MEASURES[1:])  # production, both
_CLAMP_PRODUCTION: Final = MEASURES[1]


class UnsupportedFirmwareError(WesError, ValueError):
    """The firmware generation has no data file of ours; keep reading the built-in DATA.CGX.

    Firmware before V0.80 uses the letter-case codes of 2015-2017, for which no complete,
    proven set of codes and formats is public (e.g. ``Ti1`` needs ``%s`` on 0.6x and
    ``%09u`` on 0.7x). A wrong format prints garbage or breaks the XML, so we do not guess.
    """


@dataclass(frozen=True, slots=True)
class CgxLine:
    """One ``c`` line: a code, then the printf text printing one or more elements."""

    code: str  # exactly as written after "c ", padding included
    body: str  # the printf format, with the element tags around each value
    tags: tuple[str, ...]  # elements the line prints, for ``data_file_fields``

    def render(self) -> str:
        """The template line."""
        return f"c {self.code}{self.body}"


def _field(code: str, tag: str, fmt: str) -> CgxLine:
    """A code printing one value into one element."""
    return CgxLine(code, f"<{tag}>{fmt}</{tag}>", (tag,))


def _multi(code: str, tags: tuple[str, ...], fmt: str) -> CgxLine:
    """A code printing several values (``la``, ``PPT``) into consecutive elements."""
    return CgxLine(code, "".join(f"<{tag}>{fmt}</{tag}>" for tag in tags), tags)


@dataclass(frozen=True, slots=True)
class _Section:
    """A ``<name>`` element of the data file and the code lines inside it."""

    name: str
    lines: tuple[CgxLine, ...]


# --- TIC ---------------------------------------------------------------------------------

# Register -> (code with {n} for the TIC number, tag). Codes common to both generations.
_TIC_REGISTER_CODES: Final[Mapping[str, tuple[str, str]]] = {
    "base": ("Tb{n}1", "BASE"),
    "ejphn": ("Tj{n}1", "EJPHN"),
    "ejphpm": ("Tj{n}2", "EJPHPM"),
    "bbrhcjb": ("Tr{n}1", "BBRHCJB"),
    "bbrhpjb": ("Tr{n}2", "BBRHPJB"),
    "bbrhcjw": ("Tr{n}3", "BBRHCJW"),
    "bbrhpjw": ("Tr{n}4", "BBRHPJW"),
    "bbrhcjr": ("Tr{n}5", "BBRHCJR"),
    "bbrhpjr": ("Tr{n}6", "BBRHPJR"),
    "h_weekend": ("Tw{n} ", "H_WeekEnd"),
    "hc_semaine": ("Tm{n}1", "HC_Semaine"),
    "hp_semaine": ("Tm{n}2", "HP_Semaine"),
    "hc_weekend": ("Tm{n}3", "HC_WeekEnd"),
    "hp_weekend": ("Tm{n}4", "HP_WeekEnd"),
    "hc_mercredi": ("Tm{n}5", "HC_Mercredi"),
    "hp_mercredi": ("Tm{n}6", "HP_Mercredi"),
}
# The HC/HP registers moved at V0.84A10 (Jeedom beta commit "fix TIC HP/HC Index", 2022-06):
# before, HCHP = Tc{n}1 and HCHC = Tc{n}2 (0.8x default, Jeedom master); after, H_PLEINE =
# TP{n} and H_CREUSE = TC{n} (Jeedom beta, HA-DD). H_SUPER_CREUSE (Ts{n}) only exists after.
_TIC_REGISTER_CODES_BY_GENERATION: Final[
    Mapping[FirmwareGeneration, Mapping[str, tuple[str, str]]]
] = {
    FirmwareGeneration.V08: {
        "hchc": ("Tc{n}2", "HCHC"),
        "hchp": ("Tc{n}1", "HCHP"),
    },
    FirmwareGeneration.V084: {
        "hchc": ("TC{n} ", "H_CREUSE"),
        "hchp": ("TP{n} ", "H_PLEINE"),
        "h_super_creuse": ("Ts{n} ", "H_SUPER_CREUSE"),
    },
}
_TARIFF_REGISTERS: Final[Mapping[str, tuple[str, ...]]] = {
    "base": ("base",),
    "hc": ("hchp", "hchc"),
    "ejp": ("ejphn", "ejphpm"),
    "tempo": ("bbrhcjb", "bbrhpjb", "bbrhcjw", "bbrhpjw", "bbrhcjr", "bbrhpjr"),
}


def tic_registers(tariff: str, generation: FirmwareGeneration) -> tuple[str, ...]:
    """The index registers (``TIC_REGISTERS`` names) our file prints for a TIC's tariff."""
    codes = _register_codes(generation)
    if tariff in _TARIFF_REGISTERS:
        return _TARIFF_REGISTERS[tariff]
    return tuple(name for name in TIC_REGISTERS if name in codes)


def _register_codes(generation: FirmwareGeneration) -> dict[str, tuple[str, str]]:
    return {**_TIC_REGISTER_CODES, **_TIC_REGISTER_CODES_BY_GENERATION[generation]}


def _tic_lines(
    n: int, tariff: str, measure: str, generation: FirmwareGeneration
) -> Iterator[CgxLine]:
    """Fields of TIC ``n``: meter identity, live values, the tariff's registers, totals."""
    v084 = generation is FirmwareGeneration.V084
    # ADCO: ``ea{n}`` since 0.83H B03 (Yadoms commit 52650ef, Jeedom master and beta);
    # 0.80-0.83G printed it with ``es{n}``, which we do not support separately.
    yield _field(f"ea{n} ", "ADCO", "%s")
    yield _field(f"eo{n} ", "OPTARIF", "%s.")  # every template appends the "."
    yield _field(f"eS{n} ", "ISOUSC", "%d")
    yield _field(f"Tn{n} ", "PTEC", "%s")
    yield _field(f"ip{n} ", "PAP", "%d")
    yield _field(f"ii{n}0", "IINST", "%d")
    for phase in (1, 2, 3):
        yield _field(f"ii{n}{phase}", f"IINST{phase}", "%d")
    for phase in (1, 2, 3):
        yield _field(f"iu{n}{phase}", f"TENSION{phase}", "%lu")
    yield _field(f"iM{n}0", "IMAX", "%d")
    for phase in (1, 2, 3):
        yield _field(f"iM{n}{phase}", f"IMAX{phase}", "%d")
    if tariff in (_TIC_AUTO, "ejp"):
        yield _field(f"Te{n} ", "PEJP", "%d")
    if tariff in (_TIC_AUTO, "tempo"):
        # DEMAIN: Td{n} up to 0.8x, TD{n} from 0.84 (amg0/WES commit fc6d26e).
        yield _field(f"TD{n} " if v084 else f"Td{n} ", "DEMAIN", "%s")
    codes = _register_codes(generation)
    for register in tic_registers(tariff, generation):
        code, tag = codes[register]
        yield _field(code.format(n=n), tag, "%09u")
    # Totals: kWh and EUR. The yearly kWh is "%d" in Jeedom master (< V0.84A10) and
    # "%.03f" in Jeedom beta 1.0.5 (>= V0.84A10).
    yield _field(f"jT{n} ", "CONSO_JOUR", "%.03f")
    yield _field(f"jE{n} ", "COUT_JOUR", "%.02f")
    yield _field(f"mT{n} ", "CONSO_MOIS", "%.03f")
    yield _field(f"mE{n} ", "COUT_MOIS", "%.02f")
    yield _field(f"aT{n} ", "CONSO_ANNEE", "%.03f" if v084 else "%d")
    yield _field(f"aE{n} ", "COUT_ANNEE", "%.02f")
    if measure in _PRODUCER_MEASURES:
        yield _field(f"ij{n} ", "PAPIJ", "%d")
        if v084:
            # PRODUCTEUR: ei{n} in Jeedom beta (2024-01). Before V0.84A10 the only candidate,
            # Tp{n}, is disputed (producer flag, PTEC or tomorrow's colour), so it is left out.
            yield _field(f"ei{n} ", "PRODUCTEUR", "%09u")
        # INJECTION (EAIT, Wh): TJ{n} on >= V0.84A10 (Jeedom beta, HA-DD); Ta{n} before
        # (0.8x default DATA.CGX, Jeedom master).
        yield _field(f"TJ{n} " if v084 else f"Ta{n} ", "INJECTION", "%09u")


# --- Clamps, pulse counters --------------------------------------------------------------


def _clamp_lines(n: int, *, consumption: bool, production: bool) -> Iterator[CgxLine]:
    """Fields of clamp ``n``; the energy indexes are integers, hence Wh (see below)."""
    yield _field(f"P A{n} ", f"I{n}", "%.02f")
    yield _field(f"P P{n} ", f"PUISSANCE{n}", "%d")
    # The index unit is disputed with "%.03f" (Jeedom reads kWh, HA-DD Wh). With "%d" it is
    # Wh: observed on V0.61D (29386970) and the 0.8x default prints it so.
    yield _field(f"P W{n} ", f"INDEX{n}", "%d")
    if production:
        # PPi{n} is the injection index in the WES's own 0.8x DATA.CGX ("%d", like P W) and in
        # Jeedom; HA-DD's reading of it as a 0/1 mode is one author's guess.
        yield _field(f"PPi{n} ", f"INJECT{n}", "%d")
    for letter, period in _PERIODS:
        if consumption:
            yield _field(f"PC{letter}{n} ", f"CONSO_{period}{n}", "%.02f")
            yield _field(f"Pe{letter}{n} ", f"COUT_{period}{n}", "%.02f")
        if production:
            yield _field(f"PI{letter}{n} ", f"INJEC_{period}{n}", "%.02f")
            yield _field(f"Pg{letter}{n} ", f"GAIN_{period}{n}", "%.02f")
        yield _field(f"PM{letter}{n} ", f"MAX_{period}{n}", "%.02f")


def _real_power_line() -> CgxLine:
    """``PPT`` prints the real power (W) of the 4 clamps at once (Jeedom beta 1.0.4)."""
    count = INSTANCE_COUNT[FeatureKind.CLAMP]
    return _multi("PPT ", tuple(f"WATT{k}" for k in range(1, count + 1)), "%d")


def _pulse_lines(n: int, generation: FirmwareGeneration) -> Iterator[CgxLine]:
    """Fields of pulse counter ``n``, in the unit configured on the WES for it."""
    yield _field(f"pp{n} ", f"PULSE{n}", "%d")
    # INDEX: "%.0f" before V0.84A10 (0.8x default, Jeedom master); from V0.84A10 the firmware
    # supplies an integer part and a float fraction: "%d.%03.0f" (Jeedom beta f9e1a1f).
    index_format = "%d.%03.0f" if generation is FirmwareGeneration.V084 else "%.0f"
    yield _field(f"pIU{n}", f"INDEX{n}", index_format)
    yield _field(f"pd{n} ", f"DEBIT{n}", "%.02f")
    yield _field(f"pCj{n}", f"CONSO_JOUR{n}", "%.02f")
    yield _field(f"pCh{n}", f"CONSO_VEILLE{n}", "%.02f")
    yield _field(f"pej{n}", f"COUT_JOUR{n}", "%.02f")
    yield _field(f"pCm{n}", f"CONSO_MOIS{n}", "%.02f")
    yield _field(f"pem{n}", f"COUT_MOIS{n}", "%.02f")
    yield _field(f"pCa{n}", f"CONSO_ANNEE{n}", "%.02f")
    yield _field(f"pea{n}", f"COUT_ANNEE{n}", "%.02f")


# --- The rest -----------------------------------------------------------------------------


def _probe_line(n: int) -> CgxLine:
    """Probe ``n`` (1-30) is ``W{a}T{b}`` with n = 10a + b + 1."""
    group, slot = divmod(n - 1, 10)
    return _field(f"W{group}T{slot} ", f"SONDE{n}", "%.01f")


def _switch_line(n: int) -> CgxLine:
    """Virtual switch ``n``: ``lSE{n}``, glued to the tag from 10 on as in Jeedom's file."""
    code = f"lSE{n}" if n >= 10 else f"lSE{n} "  # noqa: PLR2004 (two-digit numbers)
    return _field(code, f"SWITCH{n}", "%d")


def _analog_line() -> CgxLine:
    """``la`` prints the 4 analog inputs at once.

    We print all four when any is enabled rather than drop some with a shortened format:
    relying on the firmware's printf to skip unused arguments is not proven, and 4 short
    values cost about 60 bytes.
    """
    count = INSTANCE_COUNT[FeatureKind.ANALOG_INPUT]
    return _multi("la ", tuple(f"AD{k}" for k in range(1, count + 1)), "%.02f")


def _info_lines(features: EnabledFeatures) -> Iterator[CgxLine]:
    yield _field("h d ", "date", "%02d/%02d/%02d")
    yield _field("h h ", "time", "%02d:%02d")
    yield _field("v v ", "firmware", "%s")
    # The hardware string's format is unknown (dossier §8.13): CDATA keeps "<" or "&" harmless.
    yield _field("v h ", "serverversion", "<![CDATA[%s]]>")
    yield _field("r a ", "mac", "%02X" * 6)
    yield _field("ff  ", "spaceleft", "%0.03f")
    if features.screen:
        yield _field("L A ", "alarme", "%d")


@dataclass(frozen=True, slots=True)
class _Selection:
    """What goes into a file: the enabled set, or everything (reference file)."""

    features: EnabledFeatures
    everything: bool = False

    def numbers(self, kind: FeatureKind) -> list[int]:
        if self.everything:
            return list(range(1, INSTANCE_COUNT[kind] + 1))
        return self.features.numbers(kind)

    def option(self, kind: FeatureKind, n: int, key: str, default: str) -> str:
        return self.features.option(kind, n, key, default)


def _sections(selection: _Selection, generation: FirmwareGeneration) -> list[_Section]:
    """The data file's sections, in document order, without the marker."""
    features = selection.features
    full = selection.everything
    sections = [_Section("info", tuple(_info_lines(features)))]
    for n in selection.numbers(FeatureKind.TIC):
        tariff = selection.option(FeatureKind.TIC, n, OPT_TARIFF, _TIC_AUTO)
        measure = selection.option(FeatureKind.TIC, n, OPT_MEASURE, _TIC_CONSUMPTION)
        if full or tariff not in TARIFFS:  # an unknown tariff prints every register
            tariff = _TIC_AUTO
        if full:
            measure = _TIC_BOTH
        sections.append(_Section(f"tic{n}", tuple(_tic_lines(n, tariff, measure, generation))))

    pulse = [
        line
        for n in selection.numbers(FeatureKind.PULSE_COUNTER)
        for line in _pulse_lines(n, generation)
    ]
    sections.append(_Section("impulsion", tuple(pulse)))

    clamp: list[CgxLine] = []
    for n in selection.numbers(FeatureKind.CLAMP):
        producing = (
            selection.option(FeatureKind.CLAMP, n, OPT_MEASURE, MEASURES[0]) == _CLAMP_PRODUCTION
        )
        clamp.extend(
            _clamp_lines(n, consumption=full or not producing, production=full or producing)
        )
    if clamp and generation is FirmwareGeneration.V084:
        clamp.append(_real_power_line())  # PPT is a >= V0.84A10 code (Jeedom beta only)
    if features.mains_voltage or full:
        clamp.append(_field("PVV  ", "V", "%d"))
    sections.append(_Section("pince", tuple(clamp)))

    sections.append(
        _Section("temp", tuple(_probe_line(n) for n in selection.numbers(FeatureKind.PROBE)))
    )
    # Relays in numeric form (o E, 1/0) rather than text (o R, ON/OFF): dossier §9.1.
    relays = selection.numbers(FeatureKind.RELAY)
    sections.append(
        _Section("relais", tuple(_field(f"o E{n} ", f"RELAIS{n}", "%d") for n in relays))
    )
    inputs = selection.numbers(FeatureKind.INPUT)
    sections.append(
        _Section("entree", tuple(_field(f"l\tE{n} ", f"ENTREE{n}", "%d") for n in inputs))
    )
    analog = (_analog_line(),) if selection.numbers(FeatureKind.ANALOG_INPUT) else ()
    sections.append(_Section("analogique", analog))
    switches = selection.numbers(FeatureKind.VIRTUAL_SWITCH)
    sections.append(_Section("switch_virtuel", tuple(_switch_line(n) for n in switches)))
    variables = selection.numbers(FeatureKind.VARIABLE)
    sections.append(
        _Section("variables", tuple(_field(f"Vv{n} ", f"VARIABLE{n}", "%.02f") for n in variables))
    )
    return [section for section in sections if section.lines]


def _check_generation(generation: FirmwareGeneration) -> None:
    if not supports_data_file(generation):
        msg = (
            f"no data file of ours for firmware generation {generation.value!r} "
            "(before V0.80): read the built-in DATA.CGX"
        )
        raise UnsupportedFirmwareError(msg)


def _template(selection: _Selection, generation: FirmwareGeneration) -> str:
    """The whole template, with the marker still a placeholder."""
    _check_generation(generation)
    lines = [
        "# wescontrol data file: generated, do not edit (re-uploaded when outdated)",
        "t <data>",
        f"t <{MARKER_SECTION}><{MARKER_TAG}>{MARKER_PLACEHOLDER}</{MARKER_TAG}></{MARKER_SECTION}>",
    ]
    for section in _sections(selection, generation):
        lines.append(f"t <{section.name}>")
        lines.extend(line.render() for line in section.lines)
        lines.append(f"t </{section.name}>")
    if selection.everything or selection.features.numbers(FeatureKind.ONEWIRE_CARD):
        # WRo prints the whole <relais1W> block itself, and nothing without a card.
        lines.append("c WRo")
    lines.extend(["t </data>", "."])
    return "\n".join(lines) + "\n"


def _marker(template: str, generation: FirmwareGeneration) -> str:
    """Schema version, generation and a digest of everything the template prints."""
    digest = hashlib.sha256(f"{SCHEMA_VERSION}\n{generation.value}\n{template}".encode())
    return f"{SCHEMA_VERSION}.{generation.value}.{digest.hexdigest()[:_DIGEST_LENGTH]}"


def supports_data_file(generation: FirmwareGeneration) -> bool:
    """Whether we can generate a data file for this firmware generation."""
    return generation is not FirmwareGeneration.LEGACY


def data_file_version(features: EnabledFeatures, generation: FirmwareGeneration) -> str:
    """The marker the file generated for ``features`` prints in ``<wescontrol><version>``.

    It is derived from the template itself, so it changes exactly when the content does
    (an option that alters nothing, such as a counter's meter type, keeps it), and it does
    not depend on dict ordering or on the run.
    """
    return _marker(_template(_Selection(features), generation), generation)


def generate_data_file(features: EnabledFeatures, generation: FirmwareGeneration) -> str:
    """The CGX template for the enabled features on this firmware generation.

    Raises:
        UnsupportedFirmwareError: for ``FirmwareGeneration.LEGACY`` (keep DATA.CGX).

    """
    template = _template(_Selection(features), generation)
    return template.replace(MARKER_PLACEHOLDER, _marker(template, generation))


def generate_full_data_file(generation: FirmwareGeneration) -> str:
    """Every instance with every field, Jeedom-style: the reference for size comparisons."""
    selection = _Selection(EnabledFeatures(screen=True, mains_voltage=True), everything=True)
    template = _template(selection, generation)
    return template.replace(MARKER_PLACEHOLDER, _marker(template, generation))


def data_file_fields(
    features: EnabledFeatures, generation: FirmwareGeneration
) -> dict[str, frozenset[str]]:
    """Section -> element names our file prints for ``features`` (marker included).

    The 1-Wire relay block appears as ``relais1W`` with no names: ``WRo`` chooses them.
    Useful to tell "the file does not carry this" from "the WES printed nothing".
    """
    _check_generation(generation)
    fields = {MARKER_SECTION: frozenset({MARKER_TAG})}
    for section in _sections(_Selection(features), generation):
        fields[section.name] = frozenset(tag for line in section.lines for tag in line.tags)
    if features.numbers(FeatureKind.ONEWIRE_CARD):
        fields[ONEWIRE_SECTION] = frozenset()
    return fields
