"""The simulator's own built-in templates (the files a WES keeps on its SD card).

Written from the protocol dossier (§3.1 layouts a and b, §6.2 code changes), built line by
line here so each generation's file follows from its code set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from .scenarios import Generation

if TYPE_CHECKING:
    from collections.abc import Iterator

CRLF: Final = "\r\n"
_TEMPO_TAGS: Final = ("BBRHCJB", "BBRHPJB", "BBRHCJW", "BBRHPJW", "BBRHCJR", "BBRHPJR")


def _element(code: str, tag: str, fmt: str) -> str:
    return f"c {code}<{tag}>{fmt}</{tag}>"


def _head() -> Iterator[str]:
    yield 't <?xml version="1.0" encoding="utf-8"?>'
    yield "t <data>"


def _info(generation: Generation) -> Iterator[str]:
    yield "t <info>"
    yield _element("g d" if generation is Generation.V061D else "h d", "date", "%02d/%02d/%02d")
    yield _element("h h", "time", "%02d:%02d")
    yield _element("v v", "firmware", "%s")
    yield "t </info>"


def _old_tic(number: int) -> Iterator[str]:
    """Layout (a): letter case picks the TIC, indexes are the meter's raw strings."""
    low = number == 1

    def case(letter: str) -> str:
        return letter if low else letter.upper()

    i = "i" if low else "I"
    yield f"t <tic{number}>"
    yield _element(f"e {case('a')} ", "ADCO", "%s")
    yield _element(f"eo{number} ", "OPTARIF", "%s.")
    yield _element(f"e {case('c')} ", "ISOUSC", "%d")
    yield _element(f"T {case('n')} ", "PTEC", "%s")
    yield _element(f"{i} p ", "PAP", "%d")
    for phase, suffix in enumerate(("", "1", "2", "3")):
        yield _element(f"{i}i{phase} ", f"IINST{suffix}", "%d")
    for phase, suffix in enumerate(("", "1", "2", "3")):
        yield _element(f"{i}m{phase} ", f"IMAX{suffix}", "%d")
    yield _element(f"Te{number} ", "PEJP", "%d")
    yield _element(f"Td{number} ", "DEMAIN", "%s")
    t = "T" + case("b")
    yield _element(f"{t}1 ", "BASE", "%s")
    t = "T" + case("c")
    yield _element(f"{t}2 ", "HCHC", "%s")
    yield _element(f"{t}1 ", "HCHP", "%s")
    t = "T" + case("j")
    yield _element(f"{t}1 ", "EJPHN", "%s")
    yield _element(f"{t}2 ", "EJPHPM", "%s")
    t = "T" + case("r")
    for slot, tag in enumerate(_TEMPO_TAGS, start=1):
        yield _element(f"{t}{slot} ", tag, "%s")
    yield f"t </tic{number}>"


def _numeric_tic(number: int, generation: Generation) -> Iterator[str]:
    """Layout (b): numeric codes; 0.84 renames HC indexes, DEMAIN and ADCO codes."""
    new = generation is Generation.V084
    n = number
    yield f"t <tic{n}>"
    yield _element(f"{'ea' if new else 'es'}{n} ", "ADCO", "%s")
    yield _element(f"eo{n} ", "OPTARIF", "%s.")
    yield _element(f"eS{n} ", "ISOUSC", "%d")
    yield _element(f"Tn{n} ", "PTEC", "%s")
    yield _element(f"ip{n} ", "PAP", "%d")
    if new:
        yield _element(f"ij{n} ", "PAPIJ", "%d")
    for phase, suffix in enumerate(("", "1", "2", "3")):
        yield _element(f"ii{n}{phase}", f"IINST{suffix}", "%d")
    for phase in (1, 2, 3):
        yield _element(f"iu{n}{phase}", f"TENSION{phase}", "%lu")
    for phase, suffix in enumerate(("", "1", "2", "3")):
        yield _element(f"iM{n}{phase}", f"IMAX{suffix}", "%d")
    yield _element(f"Te{n} ", "PEJP", "%d")
    yield _element(f"{'TD' if new else 'Td'}{n} ", "DEMAIN", "%s")
    yield _element(f"Tb{n}1", "BASE", "%09u")
    if new:
        yield _element(f"TP{n} ", "H_PLEINE", "%09u")
        yield _element(f"TC{n} ", "H_CREUSE", "%09u")
    else:
        yield _element(f"Tc{n}2", "HCHC", "%09u")
        yield _element(f"Tc{n}1", "HCHP", "%09u")
    yield _element(f"Tj{n}1", "EJPHN", "%09u")
    yield _element(f"Tj{n}2", "EJPHPM", "%09u")
    for slot, tag in enumerate(_TEMPO_TAGS, start=1):
        yield _element(f"Tr{n}{slot}", tag, "%09u")
    if new:
        yield _element(f"ei{n} ", "PRODUCTEUR", "%09u")
        yield _element(f"TJ{n} ", "INJECTION", "%09u")
    else:
        yield _element(f"Ta{n} ", "INJECTION", "%09u")
    yield f"t </tic{n}>"


def _pulses(generation: Generation) -> Iterator[str]:
    index_format = "%d.%03.0f" if generation is Generation.V084 else "%.0f"
    yield "t <impulsion>"
    for n in range(1, 5):
        yield _element(f"pp{n} ", f"PULSE{n}", "%d")
        yield _element(f"pIU{n}", f"INDEX{n}", index_format)
    yield "t </impulsion>"


def _clamps(generation: Generation) -> Iterator[str]:
    yield "t <pince>"
    for n in range(1, 5):
        yield _element(f"P A{n} ", f"I{n}", "%.02f")
        yield _element(f"P W{n} ", f"INDEX{n}", "%d")
        if generation is not Generation.V061D:
            yield _element(f"PPi{n} ", f"INJECT{n}", "%d")
    if generation is not Generation.V061D:
        yield _element("PVV ", "V", "%d")
    yield "t </pince>"


def _probes() -> Iterator[str]:
    yield "t <temp>"
    for number in range(1, 31):
        tens, unit = divmod(number - 1, 10)
        yield _element(f"W{tens}T{unit} ", f"SONDE{number}", "%.01f")
    yield "t </temp>"


def _io(generation: Generation) -> Iterator[str]:
    yield "t <relais>"
    for n in (1, 2):
        yield _element(f"o R{n} ", f"RELAIS{n}", "%s")
    yield "t </relais>"
    yield "t <entree>"
    for n in (1, 2):
        yield _element(f"l\tE{n} ", f"ENTREE{n}", "%d")
    yield "t </entree>"
    yield "t <analogique>"
    if generation is Generation.V061D:
        for n in range(1, 5):
            yield _element(f"l A{n} ", f"AD{n}", "%d")
    else:
        yield "c la " + " ".join(f"<AD{n}>%.02f</AD{n}>" for n in range(1, 5))
    yield "t </analogique>"
    yield "t <switch_virtuel>"
    if generation is Generation.V084:
        for n in range(1, 25):
            yield _element(f"lSE{n} ", f"SWITCH{n}", "%d")
    else:
        for n in range(1, 9):
            yield _element(f"l\tV{n} ", f"SWITCH{n}", "%d")
    yield "t </switch_virtuel>"
    yield "t <variables>"
    for n in range(1, 9):
        yield _element(f"Vv{n} ", f"VARIABLE{n}", "%.02f")
    yield "t </variables>"


def data_template(generation: Generation) -> str:
    """The built-in ``DATA.CGX`` of a firmware generation (CRLF lines, ends with ``.``)."""
    tics = (
        [line for n in (1, 2) for line in _old_tic(n)]
        if generation is Generation.V061D
        else [line for n in (1, 2, 3) for line in _numeric_tic(n, generation)]
    )
    lines = [
        f"# DATA.CGX - simulated WES {generation.value} built-in data file",
        *_head(),
        *_info(generation),
        *tics,
        *_pulses(generation),
        *_clamps(generation),
        *_probes(),
        *_io(generation),
        "c WRo",
        "t </data>",
        ".",
    ]
    return CRLF.join(lines) + CRLF


def pceval_template() -> str:
    """``WEBPROG/CGX/PCEVAL.CGX``: the clamp page's values, form style, with units."""
    lines = ['t <?xml version="1.0" encoding="utf-8"?>', "t <form>"]
    for n in range(1, 5):
        lines += [
            f"c P A{n}<text><id>pce{n}_i</id><value>%.02f A</value></text>",
            f"c PPU{n}<text><id>pce{n}_p</id><value>%s</value></text>",
            f"c P W{n}<text><id>pce{n}_idx</id><value>%.02f kWh</value></text>",
        ]
    lines += ["t </form>", "."]
    return CRLF.join(lines) + CRLF


def infocfg_template() -> str:
    """``WEBPROG/CGX/INFOCFG.CGX``: hardware then firmware version, form style."""
    lines = [
        't <?xml version="1.0" encoding="utf-8"?>',
        "t <form>",
        "c v h<text><id>hw</id><value>%s</value></text>",
        "c v v<text><id>fw</id><value>%s</value></text>",
        "c r a<text><id>mac</id><value>%02X:%02X:%02X:%02X:%02X:%02X</value></text>",
        "t </form>",
        ".",
    ]
    return CRLF.join(lines) + CRLF


def builtin_files(generation: Generation) -> dict[str, str]:
    """Every template the simulated SD card starts with, by relative path."""
    files = {"DATA.CGX": data_template(generation)}
    if generation is not Generation.V061D:
        files["WEBPROG/CGX/PCEVAL.CGX"] = pceval_template()
        files["WEBPROG/CGX/INFOCFG.CGX"] = infocfg_template()
    return files
