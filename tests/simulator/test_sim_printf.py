"""The typed printf: C formatting rules and garbage on type mismatches."""

import pytest

from simulator.printf import (
    GARBAGE,
    CType,
    c_double,
    c_energy,
    c_format,
    c_int,
    c_str,
    c_uint,
)


@pytest.mark.parametrize(
    ("fmt", "args", "expected"),
    [
        ("<BASE>%09u</BASE>", (c_uint(12345678),), "<BASE>012345678</BASE>"),
        ("%09u", (c_uint(1),), "000000001"),
        ("%.03f", (c_double(12.3456),), "12.346"),
        ("%0.03f", (c_double(3.5),), "3.500"),
        ("%d.%03.0f", (c_int(1234), c_double(5.0)), "1234.005"),
        ("%d.%03.0f", (c_int(7), c_double(250.0)), "7.250"),
        ("%02X%02X%02X", (c_int(0), c_int(0x1E), c_int(0xC0)), "001EC0"),
        ("%lu", (c_uint(231),), "231"),
        ("%ld", (c_int(-4),), "-4"),
        ("%hd", (c_int(12),), "12"),
        ("%u", (c_int(-1),), "4294967295"),
        ("%x", (c_int(255),), "ff"),
        ("%c", (c_int(65),), "A"),
        (" <V>%d</V> V", (c_int(230),), " <V>230</V> V"),
        ("  lead %s", (c_str("x"),), "  lead x"),
        ("%5.1f|%-4d|%+d", (c_double(2.25), c_int(7), c_int(3)), "  2.2|7   |+3"),
        ("100%% %d", (c_int(5),), "100% 5"),
        ("%.0f", (c_double(2.5),), "2"),
        ("%02d/%02d/%02d", (c_int(4), c_int(12), c_int(2026)), "04/12/2026"),
        ("%02d:%02d", (c_int(9), c_int(5), c_int(99)), "09:05"),  # surplus ignored
        ("no conversion", (c_int(1),), "no conversion"),
        ("%d %y", (c_int(1),), "1 %y"),  # not a conversion: printed as is
        ("%.5s", (c_str("abcdefgh"),), "abcde"),
    ],
)
def test_formats(fmt, args, expected) -> None:
    text, mismatches = c_format(fmt, args)
    assert text == expected
    assert mismatches == []


def test_energy_follows_conversion() -> None:
    assert c_format("%d", (c_energy(29386970),))[0] == "29386970"
    assert c_format("%.03f", (c_energy(29386970),))[0] == "29386.970"
    assert c_format("%09u", (c_energy(5),))[0] == "000000005"


@pytest.mark.parametrize(
    ("fmt", "args", "supplied"),
    [
        ("%d", (c_double(1.5),), CType.DOUBLE),
        ("%.0f", (c_int(12),), CType.INT),
        ("%s", (c_int(1),), CType.INT),
        ("%d", (c_str("x"),), CType.STRING),
        ("%f", (c_str("x"),), CType.STRING),
        ("%d", (), None),
        ("%*d", (c_int(3), c_int(4)), CType.INT),
    ],
)
def test_mismatch_prints_garbage(fmt, args, supplied) -> None:
    text, mismatches = c_format(fmt, args)
    assert text == GARBAGE
    assert len(mismatches) == 1
    assert mismatches[0].supplied is supplied


def test_pulse_index_formats_by_generation() -> None:
    # < V0.84A10 supplies one double; >= V0.84A10 an int and a double.
    old = (c_double(1234.0),)
    new = (c_int(1234), c_double(567.0))
    assert c_format("%.0f", old) == ("1234", [])
    assert c_format("%d.%03.0f", new) == ("1234.567", [])
    text, mismatches = c_format("%d.%03.0f", old)
    assert text == f"{GARBAGE}.{GARBAGE}"
    assert len(mismatches) == 2
    text, mismatches = c_format("%.0f", new)
    assert text == GARBAGE
