"""A C ``printf`` that knows the C type of every argument, as the WES firmware's does.

The WES hands each code's values to ``sprintf`` with the template's format. A format
whose conversions do not match what the firmware pushes on the stack prints garbage on
a real device; here a mismatched or missing argument prints :data:`GARBAGE` (which also
breaks the XML, so a wrong template is caught) and is reported to the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

GARBAGE: Final = "<?>"

_UINT_MASK: Final = 0xFFFFFFFF
_CHAR_MASK: Final = 0xFF
_WH_PER_KWH: Final = 1000.0

_SPEC_RE: Final = re.compile(
    r"%(?P<flags>[-+ #0]*)(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d*))?"
    r"(?P<length>hh|h|ll|l|L|z|j|t)?(?P<conversion>[diouxXeEfFgGcs%])"
)


class CType(StrEnum):
    """The C type of one value the firmware supplies for a code."""

    INT = "int"
    UINT = "unsigned"
    DOUBLE = "double"
    STRING = "char*"
    ENERGY = "energy"  # Wh; integer conversions get Wh, float conversions get kWh


@dataclass(frozen=True, slots=True)
class CArg:
    """One value pushed for ``sprintf``: its C type and its Python value."""

    ctype: CType
    value: int | float | str


def c_int(value: int) -> CArg:
    """Return a signed int argument."""
    return CArg(CType.INT, int(value))


def c_uint(value: int) -> CArg:
    """Return an unsigned int argument."""
    return CArg(CType.UINT, int(value))


def c_double(value: float) -> CArg:
    """Return a double argument."""
    return CArg(CType.DOUBLE, float(value))


def c_str(value: str) -> CArg:
    """Return a string argument."""
    return CArg(CType.STRING, value)


def c_energy(wh: int) -> CArg:
    """Return an energy argument (Wh) whose C type follows the template's conversion."""
    return CArg(CType.ENERGY, int(wh))


_INT_CONVERSIONS: Final = frozenset("diouxXc")
_FLOAT_CONVERSIONS: Final = frozenset("eEfFgG")


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A conversion that got the wrong C type, or no argument at all."""

    conversion: str
    supplied: CType | None


def _convert(conversion: str, arg: CArg) -> int | float | str | None:  # noqa: PLR0911
    """Return the Python value for one conversion, or ``None`` on a type mismatch."""
    value = arg.value
    if conversion in _INT_CONVERSIONS:
        if arg.ctype is CType.ENERGY or arg.ctype in (CType.INT, CType.UINT):
            number = int(value)
            if conversion == "c":
                return chr(number & _CHAR_MASK)
            if conversion not in {"d", "i"}:
                return number & _UINT_MASK
            return number
        return None
    if conversion in _FLOAT_CONVERSIONS:
        if arg.ctype is CType.DOUBLE:
            return float(value)
        if arg.ctype is CType.ENERGY:
            return int(value) / _WH_PER_KWH
        return None
    # "s"
    if arg.ctype is CType.STRING:
        return str(value)
    return None


def c_format(fmt: str, args: tuple[CArg, ...]) -> tuple[str, list[Mismatch]]:
    """Apply a C format to typed arguments; return the text and any mismatches.

    Length modifiers (``l``, ``h``...) are accepted and ignored, as on a 32-bit target.
    Surplus arguments are ignored, as C does. A ``*`` width or precision is not used by
    any WES template and counts as a mismatch.
    """
    out: list[str] = []
    mismatches: list[Mismatch] = []
    position = 0
    next_arg = 0
    for match in _SPEC_RE.finditer(fmt):
        out.append(fmt[position : match.start()])
        position = match.end()
        conversion = match.group("conversion")
        if conversion == "%":
            out.append("%")
            continue
        width = match.group("width") or ""
        precision = match.group("precision")
        arg = args[next_arg] if next_arg < len(args) else None
        next_arg += 1
        value = None
        if arg is not None and "*" not in (width, precision):
            value = _convert(conversion, arg)
        if value is None:
            mismatches.append(Mismatch(conversion, None if arg is None else arg.ctype))
            out.append(GARBAGE)
            continue
        python_conversion = {"i": "d", "u": "d", "c": "s"}.get(conversion, conversion)
        spec = "%" + match.group("flags") + width
        if precision is not None:
            spec += "." + precision
        out.append((spec + python_conversion) % value)
    out.append(fmt[position:])
    return "".join(out), mismatches
