"""Render CGX templates the way the WES does: line by line, no newlines, nothing escaped."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from .codes import parse_code_line
from .printf import Mismatch, c_format

if TYPE_CHECKING:
    from .device import Device
    from .scenarios import Generation

Includer = Callable[[str], str | None]

_UNKNOWN_CODE_RE: Final = re.compile(r"[^<%]{1,5}")


@dataclass(frozen=True, slots=True)
class CodeMismatch:
    """A code whose format did not match the values the firmware supplies."""

    code: str
    fmt: str
    mismatch: Mismatch


@dataclass
class RenderResult:
    """Output of one rendering plus what went wrong in it."""

    text: str
    unknown_codes: list[str] = field(default_factory=list)
    mismatches: list[CodeMismatch] = field(default_factory=list)


def render(
    template: str,
    device: Device,
    generation: Generation,
    include: Includer | None = None,
) -> RenderResult:
    """Render a template for a device and firmware generation.

    ``include`` resolves ``i <name>`` lines to raw text (``None`` when the file is missing).
    """
    out: list[str] = []
    result = RenderResult("")
    for raw_line in template.split("\n"):
        line = raw_line.removesuffix("\r")
        prefix = line[:1]
        if prefix == ".":
            break
        if prefix == "t":
            out.append(line[2:])
        elif prefix == "c":
            out.append(_render_code(line[2:], device, generation, result))
        elif prefix == "i" and include is not None:
            out.append(include(line[2:].strip()) or "")
    result.text = "".join(out)
    return result


def _render_code(text: str, device: Device, generation: Generation, result: RenderResult) -> str:
    parsed = parse_code_line(text, device, generation)
    if parsed is None:
        match = _UNKNOWN_CODE_RE.match(text)
        result.unknown_codes.append(match.group(0).rstrip() if match else text)
        return ""
    prefix = ""
    supplied = parsed.supplied
    if isinstance(supplied, str):
        prefix, supplied = supplied, ()
    rendered, mismatches = c_format(parsed.fmt, supplied)
    result.mismatches.extend(CodeMismatch(parsed.code, parsed.fmt, m) for m in mismatches)
    return prefix + rendered


class CgxRenderer:
    """Renders templates for one device and keeps every problem for tests to inspect."""

    def __init__(self, device: Device, generation: Generation) -> None:
        """Bind the renderer to a device (replaceable later) and a generation."""
        self.device = device
        self.generation = generation
        self.unknown_codes: list[str] = []
        self.mismatches: list[CodeMismatch] = []

    def render(self, template: str, include: Includer | None = None) -> str:
        """Render and remember unknown codes and type mismatches."""
        result = render(template, self.device, self.generation, include)
        self.unknown_codes.extend(result.unknown_codes)
        self.mismatches.extend(result.mismatches)
        return result.text

    def clear(self) -> None:
        """Forget the recorded problems."""
        self.unknown_codes.clear()
        self.mismatches.clear()
