"""Shared helpers of the protocol tests: fixture files and small document builders."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
# The observed capture is not shipped with the project: read it from the knowledge base.
SHARED_FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "docs" / "fixtures"
OBSERVED_V061D = SHARED_FIXTURES / "data_default_v061d_observed_2017-04-22_prettyprinted.xml"

SYNTH_DATA_FILES = (
    "data_default_2017template_synth.xml",
    "data_default_fw08x_2019template_synth.xml",
    "data_jeedom_master_cgx102_synth.xml",
    "data_jeedom_beta_cgx105_synth.xml",
    "homeassistant_cgx_synth.xml",
)


def fixture_bytes(name: str) -> bytes:
    """The bytes of a synthesized fixture from ``tests/fixtures``."""
    return (FIXTURES / name).read_bytes()


def data_doc(body: str, *, declaration: bool = True, encoding: str = "utf-8") -> bytes:
    """A ``<data>`` document around ``body``, encoded as asked."""
    head = '<?xml version="1.0" encoding="utf-8"?>' if declaration else ""
    return f"{head}<data>{body}</data>".encode(encoding)


def tic_doc(fields: str, *, adco: str = "021528603314", number: int = 1) -> bytes:
    """A document with one TIC section holding ``fields`` after its ADCO."""
    return data_doc(f"<tic{number}><ADCO>{adco}</ADCO>{fields}</tic{number}>")
