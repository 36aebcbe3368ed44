"""Draw the integration's brand images (our own artwork, not the vendor's).

Home Assistant 2026.3+ serves ``custom_components/wescontrol/brand/*.png`` directly, and
HACS requires ``brand/icon.png``. Run ``.venv/bin/python scripts/make_brand.py`` to
regenerate them; the output is deterministic.

The motif: a meter dial (the WES reads meters) with a lightning bolt, on a blue-to-teal
rounded square.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND_DIR = Path(__file__).resolve().parent.parent / "custom_components" / "wescontrol" / "brand"
SUPERSAMPLE = 4  # draw large, then shrink: cheap anti-aliasing
TOP_COLOUR = (13, 84, 140)
BOTTOM_COLOUR = (16, 150, 128)
DIAL_COLOUR = (255, 255, 255)
BOLT_COLOUR = (255, 196, 37)
WORDMARK_COLOUR = (22, 110, 160)
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
)


def _gradient(size: int) -> Image.Image:
    """A vertical blue-to-teal gradient square."""
    column = Image.new("RGB", (1, size))
    for y in range(size):
        mix = y / (size - 1)
        column.putpixel(
            (0, y),
            tuple(
                round(top + (bottom - top) * mix)
                for top, bottom in zip(TOP_COLOUR, BOTTOM_COLOUR, strict=True)
            ),
        )
    return column.resize((size, size))


def _draw_icon(size: int) -> Image.Image:
    """The square icon at ``size`` pixels."""
    big = size * SUPERSAMPLE
    mask = Image.new("L", (big, big), 0)
    corner = big * 22 // 100
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, big - 1, big - 1), radius=corner, fill=255)
    icon = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    icon.paste(_gradient(big), (0, 0), mask)

    draw = ImageDraw.Draw(icon)
    centre = big / 2
    radius = big * 0.34
    width = round(big * 0.055)
    box = (centre - radius, centre - radius, centre + radius, centre + radius)
    # A 270-degree dial open at the bottom, with ticks inside it.
    draw.arc(box, start=135, end=405, fill=DIAL_COLOUR, width=width)
    for step in range(7):
        angle = math.radians(135 + step * 45)
        inner, outer = radius * 0.70, radius * 0.84
        draw.line(
            (
                centre + inner * math.cos(angle),
                centre + inner * math.sin(angle),
                centre + outer * math.cos(angle),
                centre + outer * math.sin(angle),
            ),
            fill=DIAL_COLOUR,
            width=round(width * 0.55),
        )
    # The bolt, centred on the dial.
    unit = big * 0.026
    bolt = [(2.0, -9.0), (-5.0, 1.5), (-0.5, 1.5), (-2.0, 9.0), (5.0, -1.5), (0.5, -1.5)]
    draw.polygon(
        [(centre + x * unit, centre + y * unit) for x, y in bolt],
        fill=BOLT_COLOUR,
    )
    return icon.resize((size, size), Image.Resampling.LANCZOS)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """A bold sans font when the system has one, else Pillow's built-in font."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


def _draw_logo(height: int) -> Image.Image:
    """The icon followed by the "WES Control" wordmark, ``height`` pixels tall."""
    big = height * SUPERSAMPLE
    font = _font(round(big * 0.42))
    text = "WES Control"
    left, top, right, bottom = (round(edge) for edge in font.getbbox(text))
    gap = big // 6
    width = big + gap + (right - left) + gap // 2
    logo = Image.new("RGBA", (width, big), (0, 0, 0, 0))
    logo.paste(_draw_icon(big), (0, 0))
    draw = ImageDraw.Draw(logo)
    draw.text(
        (big + gap - left, (big - (bottom - top)) / 2 - top),
        text,
        font=font,
        fill=WORDMARK_COLOUR,
    )
    return logo.resize((width // SUPERSAMPLE, height), Image.Resampling.LANCZOS)


def main() -> None:
    """Write icon.png (256), icon@2x.png (512) and logo.png (128 tall)."""
    BRAND_DIR.mkdir(parents=True, exist_ok=True)
    _draw_icon(256).save(BRAND_DIR / "icon.png", optimize=True)
    _draw_icon(512).save(BRAND_DIR / "icon@2x.png", optimize=True)
    _draw_logo(128).save(BRAND_DIR / "logo.png", optimize=True)
    print(f"brand images written to {BRAND_DIR}")


if __name__ == "__main__":
    main()
