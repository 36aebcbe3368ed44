"""A simulated CartElectronic WES on loopback, for tests and manual checks.

It is an independent implementation of the protocol dossier: it never imports the
integration (``custom_components``) nor Home Assistant.
"""

from .cgx import CgxRenderer, CodeMismatch, RenderResult, render
from .device import (
    Analog,
    Clamp,
    Contract,
    Device,
    OneWireCard,
    PeriodTotals,
    Probe,
    PulseCounter,
    Switch,
    TempoColour,
    Tic,
)
from .faults import Fault, FaultKind, Faults
from .printf import GARBAGE
from .scenarios import SCENARIOS, Generation, build_device
from .server import WesSimulator
from .templates import data_template

__all__ = [
    "GARBAGE",
    "SCENARIOS",
    "Analog",
    "CgxRenderer",
    "Clamp",
    "CodeMismatch",
    "Contract",
    "Device",
    "Fault",
    "FaultKind",
    "Faults",
    "Generation",
    "OneWireCard",
    "PeriodTotals",
    "Probe",
    "PulseCounter",
    "RenderResult",
    "Switch",
    "TempoColour",
    "Tic",
    "WesSimulator",
    "build_device",
    "data_template",
    "render",
]
