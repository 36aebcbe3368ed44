"""Every code family, in both code schemes and every firmware generation, exact output."""

import pytest
from sim_test_helpers import known_device

from simulator import GARBAGE, Contract, Device, Generation, render
from simulator.cgx import CgxRenderer

V061D, V08X, V084 = Generation.V061D, Generation.V08X, Generation.V084
MAC_FMT = "%02X" * 6
ROM_FMT = "%02X" * 8

SYSTEM = [
    ("c g d<date>%02d/%02d/%02d</date>", "<date>07/03/2026</date>"),
    ("c h d<date>%02d/%02d/%02d</date>", "<date>07/03/2026</date>"),
    ("c h h<time>%02d:%02d</time>", "<time>08:05</time>"),
    ("c h j%s", "Samedi 7 Mars 2026"),
    ("c v v<firmware>%s</firmware>", "<firmware>V0.84A10</firmware>"),
    ("c v h%s", "WES V2 HW2.0"),
    ("c GgV%d", "2"),
    (f"c r a<mac>{MAC_FMT}</mac>", "<mac>001EC094A39A</mac>"),
    ("c ff<spaceleft>%0.03f</spaceleft>", "<spaceleft>3.500</spaceleft>"),
    ("c L A<alarme>%d</alarme>", "<alarme>1</alarme>"),
]

NUMERIC_TIC = [
    ("c ea1 <ADCO>%s</ADCO>", "<ADCO>041876543210</ADCO>"),
    ("c ea3 <ADCO>%s</ADCO>", "<ADCO>Pas Dispo</ADCO>"),
    ("c eo1 <OPTARIF>%s.</OPTARIF>", "<OPTARIF>BBR(.</OPTARIF>"),
    ("c eo2 %s.", "HC."),
    ("c eo3 %s.", "."),
    ("c eS1 %d", "45"),
    ("c eS3 %d", "0"),
    ("c ed1 %d", "3"),
    ("c ed3 %d", "12"),
    ("c eb2 %s", "Heures Creuses"),
    ("c en1 %s", "Linky & co"),
    ("c Tn1 <PTEC>%s</PTEC>", "<PTEC>H. Pleine BLANC</PTEC>"),
    ("c Tn2 %s", "H. Creuses"),
    ("c Tn3 %s", "TIC NDERR."),
    ("c ip1 %d", "1840"),
    ("c ij1 %d", "0"),
    ("c ij2 %d", "900"),
    ("c Te1 %d", "0"),
    ("c Tp2 %09u", "000000001"),
    ("c Tb11%09u", "000000000"),
    ("c Tj11%09u", "000000000"),
    ("c Tr13<BBRHCJW>%09u</BBRHCJW>", "<BBRHCJW>000003000</BBRHCJW>"),
    ("c Tr16%09u", "000006000"),
    ("c Tw2 %09u", "000000011"),
    ("c Tm21%09u", "000000021"),
    ("c Tm26%09u", "000000026"),
    ("c Ti12%09u", "000002000"),
    ("c TI22%09u", "000001000"),
    ("c TI23%09u", "000000000"),
    ("c ii10<IINST>%d</IINST>", "<IINST>8</IINST>"),
    ("c ii23%d", "7"),
    ("c iM10%d", "34"),
    ("c iM21%d", "20"),
    ("c iu11<TENSION1>%lu</TENSION1>", "<TENSION1>233</TENSION1>"),
    ("c iu23%lu", "233"),
    ("c iu31%lu", "0"),
    ("c jT1 %.03f", "12.500"),
    ("c mT1 %.03f", "200.250"),
    ("c jE1 %.02f", "2.50"),
    ("c mE1 %.02f", "40.00"),
    ("c aE1 %.02f", "600.00"),
]

V084_TIC = [
    ("c TD1 <DEMAIN>%s</DEMAIN>", "<DEMAIN>Jour ROUGE</DEMAIN>"),
    ("c TD2 %s", "----"),
    ("c TP2 <H_PLEINE>%09u</H_PLEINE>", "<H_PLEINE>000002000</H_PLEINE>"),
    ("c TC2 <H_CREUSE>%09u</H_CREUSE>", "<H_CREUSE>000001000</H_CREUSE>"),
    ("c Ts2 %09u", "000000012"),
    ("c ei2 <PRODUCTEUR>%09u</PRODUCTEUR>", "<PRODUCTEUR>000000001</PRODUCTEUR>"),
    ("c ei1 %09u", "000000000"),
    ("c TJ2 <INJECTION>%09u</INJECTION>", "<INJECTION>000000777</INJECTION>"),
    ("c aT1 %.03f", "3000.500"),
]

V08X_TIC = [
    ("c es1 <ADCO>%s</ADCO>", "<ADCO>041876543210</ADCO>"),
    ("c Td1 <DEMAIN>%s</DEMAIN>", "<DEMAIN>Jour ROUGE</DEMAIN>"),
    ("c Tc21<HCHP>%09u</HCHP>", "<HCHP>000002000</HCHP>"),
    ("c Tc22<HCHC>%09u</HCHC>", "<HCHC>000001000</HCHC>"),
    ("c Ta2 <INJECTION>%09u</INJECTION>", "<INJECTION>000000777</INJECTION>"),
    ("c aT1 %d", "3000"),
]

OLD_TIC = [
    ("c e a <ADCO>%s</ADCO>", "<ADCO>041876543210</ADCO>"),
    ("c e A <ADCO>%s</ADCO>", "<ADCO>021234567890</ADCO>"),
    ("c e c %d", "45"),
    ("c e C %d", "30"),
    ("c e d %d", "3"),
    ("c e B %s", "Heures Creuses"),
    ("c e n %s", "Linky & co"),
    ("c eo1 %s.", "BBR(."),
    ("c eo2 %s.", "HC."),
    ("c T n %s", "H. Pleine BLANC"),
    ("c T N %s", "H. Creuses"),
    ("c T p %s", "HPJW"),
    ("c T P %s", "HC.."),
    ("c i p <PAP>%d</PAP>", "<PAP>1840</PAP>"),
    ("c I p %d", "4200"),
    ("c i m %s", "mono"),
    ("c I M %d", "3"),
    ("c ii0 <IINST>%d</IINST>", "<IINST>8</IINST>"),
    ("c Ii3 %d", "7"),
    ("c im0 %d", "34"),
    ("c Im1 %d", "20"),
    ("c Te1 %d", "0"),
    ("c Td1 %s", "Jour ROUGE"),
    ("c Td2 %s", "----"),
    ("c Tb1 <BASE>%s</BASE>", "<BASE>0</BASE>"),
    ("c TC1 <HCHP>%s</HCHP>", "<HCHP>000002000</HCHP>"),
    ("c TC2 %s", "000001000"),
    ("c Tc1 %s", "0"),
    ("c Tr3 %s", "000003000"),
    ("c TJ1 %s", "0"),
    ("c Ti2 %s", "000002000"),
    ("c Ti6 %s", "000006000"),
    ("c TI2 %s", "000001000"),
    ("c TI3 %s", "0"),
    ("c m T %d", "200"),
    ("c a T %d", "3000"),
    ("c j E %.02f", "2.50"),
    ("c A E %.02f", "0.00"),
    ("c a 1 %d %.02f", "143 28.57"),
    ("c s 6 %d %.02f", "14 2.86"),
    ("c J 1 %d %.02f", "0 0.00"),
]

PULSES = [
    ("c pp1 <PULSE1>%d</PULSE1>", "<PULSE1>1353</PULSE1>"),
    ("c pd1 %.02f", "6.50"),
    ("c pu1 %d", "1000"),
    ("c GpU1%d", "2"),
    ("c pCj1%.02f", "338.25"),
    ("c pCh1%.02f", "463.75"),
    ("c pCm1%.02f", "1.98"),
    ("c pCa1%.02f", "98.43"),
    ("c pej1%.02f", "1.18"),
    ("c pem1%.02f", "6.93"),
    ("c pea1%.02f", "344.51"),
    ("c pn1 <NAME>%s</NAME>", "<NAME>Eau</NAME>"),
    ("c pU11%s", "1234567.000"),
    ("c pU12%s", "1234.567"),
    ("c pp6 %d", "0"),
    ("c p j %.02f", "338.25"),
    ("c p J %.02f", "0.00"),
    ("c p a %.02f", "98.43"),
    ("c p d %d", "1000"),
    ("c p n %s", "Eau"),
]

CLAMPS = [
    ("c P A1 <I1>%.02f</I1>", " <I1>10.00</I1>"),
    ("c P P1<PUISSANCE1>%d</PUISSANCE1>", "<PUISSANCE1>2300</PUISSANCE1>"),
    (
        "c PPT<W1>%d</W1><W2>%d</W2><W3>%d</W3><W4>%d</W4>",
        "<W1>2070</W1><W2>0</W2><W3>0</W3><W4>0</W4>",
    ),
    ("c PPU1%s", "2070 W cos phi 0.90"),
    ("c PCj1%.02f", "1.50"),
    ("c PCm1%.02f", "2.50"),
    ("c PCa1%.02f", "3.50"),
    ("c Pej1%.02f", "0.10"),
    ("c PIj1%.02f", "4.00"),
    ("c Pgm1%.02f", "0.50"),
    ("c PMj1%.02f", "20.00"),
    ("c PMa1%.02f", "30.00"),
    ("c Pij1%s", "29000000"),
    ("c Pa1 %d", "1"),
    ("c Pa2 %d", "0"),
    ("c Pn1 %s", "Général"),
]

CLAMPS_NUMERIC = [
    ("c P W1 <INDEX1>%d</INDEX1>", " <INDEX1>29386970</INDEX1>"),
    ("c P W1 <INDEX1>%.03f</INDEX1>", " <INDEX1>29386.970</INDEX1>"),
    ("c PPi1 <INJECT1>%d</INJECT1>", " <INJECT1>1500</INJECT1>"),
    ("c PPi1 <INJECT1>%.03f</INJECT1>", " <INJECT1>1.500</INJECT1>"),
    ("c PVV <V>%d</V>", " <V>230</V>"),
]

ONEWIRE = [
    ("c W Q%d", "1"),
    ("c W H%d", "1"),
    ("c W0T0 <SONDE1>%.01f</SONDE1>", " <SONDE1>21.4</SONDE1>"),
    ("c W0T1%.01f", "0.0"),
    ("c W1T2%.01f", "65.0"),
    ("c W0N0%s", "Séjour"),
    (f"c W0S0{ROM_FMT}", "28010203040506AB"),
    ("c W0t0%s", "Temperature"),
    ("c W1t2%s", "Humidite"),
    ("c W0t1%s", ""),
    ("c W0C0%s", "21.4 °C"),
    ("c W0C1%s", "---"),
    ("c W0D0%d", "1"),
    ("c W0D1%d", "0"),
    ("c W0G0%d", "1"),
    ("c W0j0%.02f", "18.00"),
    ("c W0J0%.02f", "22.00"),
    ("c W0m0%.02f", "15.00"),
    ("c W0M0%.02f", "24.00"),
    ("c W0a0%.02f", "5.00"),
    ("c W0A0%.02f", "30.00"),
    ("c W0a1%.02f", "0.00"),
    ("c WRn%d", "1"),
    ("c W Rn%d", "1"),
    (f"c WRS1{ROM_FMT}", "0000000000000000"),
    (f"c WRS0{ROM_FMT}", "0000000000000000"),
    ("c WRN1%s", "Arrosage"),
    ("c WRN0%s", ""),
    ("c WRT1%d", "3"),
    ("c WRT0%d", "0"),
    ("c WRD1%d", "1"),
    ("c WRD0%d", "0"),
    ("c WR12%s", "Relais 2"),
    ("c WR18%s", ""),
    ("c WR02%s", ""),
    (
        "c WRo",
        "<relais1W><RELAIS111>OFF</RELAIS111><RELAIS112>ON</RELAIS112>"
        "<RELAIS113>OFF</RELAIS113></relais1W>",
    ),
]

IO = [
    ("c o R1 <RELAIS1>%s</RELAIS1>", " <RELAIS1>ON</RELAIS1>"),
    ("c o R2 <RELAIS2>%s</RELAIS2>", " <RELAIS2>OFF</RELAIS2>"),
    ("c o E1%d", "1"),
    ("c o E2%d", "0"),
    ("c o r1%s", "checked"),
    ("c o r2%s|", "|"),
    ("c o n0%s", "Relais 1"),
    ("c o n1%s", "Pompe & filtre"),
    ("c l\tE2 <ENTREE2>%d</ENTREE2>", " <ENTREE2>1</ENTREE2>"),
    ("c l E1%d", "0"),
    ("c l e2%s", "ON"),
    ("c l n1%s", "Porte"),
    ("c l A4 <AD4>%d</AD4>", " <AD4>10</AD4>"),
    ("c l a3%s", "Niveau cuve"),
    ("c l\tV1 <SWITCH1>%d</SWITCH1>", " <SWITCH1>1</SWITCH1>"),
    ("c l V2%d", "0"),
    ("c l v1%s", "ON"),
    ("c l v2%s", "OFF"),
    ("c l N10%s", "Mode éco"),
    ("c l r24%s", "checked"),
    ("c Vv1 <VARIABLE1>%.02f</VARIABLE1>", " <VARIABLE1>19.50</VARIABLE1>"),
    ("c Vv8%.02f", "-2.25"),
]

IO_NUMERIC = [
    (
        "c la <AD1>%.02f</AD1><AD2>%.02f</AD2><AD3>%.02f</AD3><AD4>%.02f</AD4>",
        " <AD1>1.50</AD1><AD2>0.00</AD2><AD3>0.00</AD3><AD4>9.87</AD4>",
    ),
    ("c lSE1 <SWITCH1>%d</SWITCH1>", "<SWITCH1>1</SWITCH1>"),
    ("c lSE10 <SWITCH10>%d</SWITCH10>", "<SWITCH10>0</SWITCH10>"),
    ("c lSE24<SWITCH24>%d</SWITCH24>", "<SWITCH24>1</SWITCH24>"),
]

ALL_GENERATIONS = SYSTEM + PULSES + CLAMPS + ONEWIRE + IO
CASES = (
    [(g, line, out) for g in Generation for line, out in ALL_GENERATIONS]
    + [(g, line, out) for g in (V08X, V084) for line, out in NUMERIC_TIC]
    + [(g, line, out) for g in (V08X, V084) for line, out in CLAMPS_NUMERIC + IO_NUMERIC]
    + [(V084, line, out) for line, out in V084_TIC]
    + [(V084, "c pIU1<INDEX1>%d.%03.0f</INDEX1>", "<INDEX1>1234.567</INDEX1>")]
    + [(V084, "c PIt1%.03f", "1.500")]
    + [(V08X, line, out) for line, out in V08X_TIC]
    + [(g, "c pIU1<INDEX1>%.0f</INDEX1>", "<INDEX1>1235</INDEX1>") for g in (V08X, V061D)]
    + [(V061D, line, out) for line, out in OLD_TIC]
    + [(V061D, "c P W1 <INDEX1>%d</INDEX1>", " <INDEX1>29386970</INDEX1>")]
)


@pytest.mark.parametrize(("generation", "line", "expected"), CASES)
def test_code(generation, line, expected) -> None:
    result = render(line + "\r\n", known_device(), generation)
    assert result.unknown_codes == []
    assert result.mismatches == []
    assert result.text == expected


UNKNOWN = [
    (V084, "c es1 <ADCO>%s</ADCO>", "es1"),
    (V084, "c Tc11<HCHP>%09u</HCHP>", "Tc11"),
    (V084, "c Td1 %s", "Td1"),
    (V084, "c Ta1 %09u", "Ta1"),
    (V08X, "c TD1 %s", "TD1"),
    (V08X, "c TP1 %09u", "TP1"),
    (V08X, "c TC1 %09u", "TC1"),
    (V08X, "c Ts1 %09u", "Ts1"),
    (V08X, "c ei1 %09u", "ei1"),
    (V08X, "c TJ1 %09u", "TJ1"),
    (V08X, "c PIt1%.03f", "PIt1"),
    (V061D, "c ea1 <ADCO>%s</ADCO>", "ea1"),
    (V061D, "c lSE1 %d", "lSE1"),
    (V061D, "c la %.02f", "la"),
    (V061D, "c PVV %d", "PVV"),
    (V084, "c e a %s", "e a"),
    (V084, "c lSE25%d", "lSE25"),
    (V084, "c ea4 %s", "ea4"),
    (V084, "c zz9<X>%d</X>", "zz9"),
    (V084, "c l N99%s", "l N99"),
]


@pytest.mark.parametrize(("generation", "line", "code"), UNKNOWN)
def test_unknown_code_prints_nothing(generation, line, code) -> None:
    result = render(f"t <a>\r\n{line}\r\nt </a>\r\n", known_device(), generation)
    assert result.text == "<a></a>"
    assert result.unknown_codes == [code]


def test_wrong_type_breaks_the_xml() -> None:
    # %d where the firmware supplies a string: the WES prints garbage.
    result = render("t <a>\r\nc ea1 <ADCO>%d</ADCO>\r\nt </a>", known_device(), V084)
    assert result.text == f"<a><ADCO>{GARBAGE}</ADCO></a>"
    assert [m.code for m in result.mismatches] == ["ea1"]
    # The pre-0.84 pulse index format on a 0.84 firmware.
    result = render("c pIU1<INDEX1>%.0f</INDEX1>", known_device(), V084)
    assert result.text == f"<INDEX1>{GARBAGE}</INDEX1>"
    # The 0.84 format on an older firmware: the int slot gets a double, the double is missing.
    result = render("c pIU1<INDEX1>%d.%03.0f</INDEX1>", known_device(), V08X)
    assert result.text == f"<INDEX1>{GARBAGE}.{GARBAGE}</INDEX1>"
    assert len(result.mismatches) == 2
    # Old firmware supplies the clamp index as an int only.
    result = render("c P W1 %.03f", known_device(), V061D)
    assert result.text == f" {GARBAGE}"


def test_old_firmware_misreads_numeric_codes() -> None:
    # V0.61D reads "ii1" (TIC1 phase 1) and leaves "0" in the format; "Tr1" then "5%09u"
    # with a string value: garbage, as on a real device fed a newer template.
    device = known_device()
    device.tics[0].current[1] = 3
    assert render("c ii10<IINST>%d</IINST>", device, V061D).text == "0<IINST>3</IINST>"
    result = render("c Tr15%09u", device, V061D)
    assert result.text == f"5{GARBAGE}"
    assert result.mismatches[0].code == "Tr1"


def test_line_structure() -> None:
    template = (
        "# a comment\r\n"
        "t <a>\r\n"
        "\r\n"
        "x unknown prefix\r\n"
        "t\r\n"
        "i header.inc\r\n"
        "i missing.inc\r\n"
        "c v v%s\r\n"
        "t </a>\r\n"
        ".\r\n"
        "t after the end\r\n"
    )
    result = render(template, known_device(), V084, include={"header.inc": "<raw c v v>"}.get)
    assert result.text == "<a><raw c v v>V0.84A10</a>"
    # Without an include resolver, include lines print nothing.
    assert render("i x\nt y", known_device(), V084).text == "y"


def test_no_onewire_card_prints_nothing() -> None:
    device = Device()
    assert render("t <a>\nc WRo\nt </a>", device, V084).text == "<a></a>"


def test_absent_tic_values() -> None:
    device = Device()
    template = "c ea1 %s|\nc Tn1 %s|\nc eo1 %s.|\nc TD1 %s|\nc ip1 %d|\nc TP1 %09u|\nc ij1 %d"
    assert render(template, device, V084).text == "Pas Dispo|TIC NDERR.|.|----|0|000000000|0"
    old = "c e a %s|\nc T n %s|\nc Tb1 %s|\nc i m %s|\nc I M %d|\nc T p %s|\nc e b %s|\nc ii0 %d"
    assert render(old, device, V061D).text == "Pas Dispo|TIC NDERR.|0||0|||0"


def test_clamp_without_mains_voltage() -> None:
    device = known_device()
    device.mains_voltage = None
    text = render("c PPU1%s|\nc PPT%d|\nc P P1%d|\nc PVV %d", device, V084).text
    assert text == "2300 VA|0|2300| 0"


def test_tariff_words() -> None:
    device = known_device()
    tic = device.tics[0]
    expectations = {
        (Contract.TEMPO, True): ("H. Creuse BLANC", "HCJW"),
        (Contract.BASE, False): ("Toutes Heures", "TH.."),
        ("hc", False): ("H. Pleines", "HP.."),
        (Contract.EJP, False): ("H. Normales", "HN.."),
    }
    for (contract, off_peak), (words, raw) in expectations.items():
        tic.contract = contract
        tic.off_peak = off_peak
        assert render("c T n %s|\nc T p %s", device, V061D).text == f"{words}|{raw}"
    tic.ejp_peak = True
    assert render("c Tn1 %s", device, V084).text == "H. Pointe Mobile"
    assert tic.current_register == "ejphpm"


def test_renderer_accumulates_problems() -> None:
    renderer = CgxRenderer(known_device(), V084)
    assert renderer.render("c zz1%d\nc ea1 %d") == GARBAGE
    assert renderer.unknown_codes == ["zz1"]
    assert len(renderer.mismatches) == 1
    renderer.clear()
    assert renderer.unknown_codes == []
    assert renderer.mismatches == []


def test_period_values_without_meter() -> None:
    assert render("c A 1 %d %.02f", Device(), V061D).text == "0 0.00"
