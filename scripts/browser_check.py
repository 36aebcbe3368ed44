"""Look at the running demo the way a person would, and keep screenshots of it.

Start ``scripts/develop`` first, then run ``python3 scripts/browser_check.py``. It logs in
with the demo user in headless Chromium (the Debian ``chromium`` package, driven by
Playwright), opens the WES device page and one teleinfo device page, checks that entities
with real values are on screen, and saves ``docs/screenshot-*.png``.

Playwright lives in its own virtual environment (``.develop/browser-venv``), created on
first use; the test environment ``.venv`` is never touched, and Playwright's own browser
download is never used.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from playwright.sync_api import Page  # type: ignore[import-not-found, unused-ignore]

ROOT: Final = Path(__file__).resolve().parent.parent
BROWSER_VENV: Final = ROOT / ".develop" / "browser-venv"
CHROMIUM: Final = "/usr/bin/chromium"
CHROMIUM_FLAGS: Final = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_USERNAME: Final = "demo"
DEMO_PASSWORD: Final = "wesdemo2026"  # noqa: S105 (the public demo password of scripts/develop)
DOMAIN: Final = "wescontrol"
UNUSABLE_STATES: Final = {"unknown", "unavailable", ""}
MIN_VALUES_SHOWN: Final = 3
TIMEOUT_MS: Final = 60_000


class CheckError(RuntimeError):
    """What a person would have noticed on screen."""


def ensure_playwright() -> None:
    """Re-run this script inside a venv that has Playwright, creating it the first time."""
    if importlib.util.find_spec("playwright") is not None:
        return
    python = BROWSER_VENV / "bin" / "python"
    if not python.exists():
        print("== creating .develop/browser-venv with Playwright (once)")
        subprocess.run([sys.executable, "-m", "venv", str(BROWSER_VENV)], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "playwright",
            ],
            check=True,
        )
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])  # noqa: S606


def _ws(page: Page, message: dict[str, Any]) -> Any:
    """One websocket command through the frontend's own authenticated connection."""
    return page.evaluate(
        "(msg) => document.querySelector('home-assistant').hass.callWS(msg)", message
    )


def log_in(page: Page, base_url: str) -> None:
    """Fill the login form like a person and wait for the frontend to connect."""
    page.goto(base_url + "/", wait_until="domcontentloaded")
    page.locator("input[name='username']").fill(DEMO_USERNAME)
    page.locator("input[name='password']").fill(DEMO_PASSWORD)
    page.locator("input[name='password']").press("Enter")
    page.wait_for_url(lambda url: "auth_callback" not in url and "/auth/" not in url)
    page.wait_for_function(
        "() => { const el = document.querySelector('home-assistant');"
        " return el && el.hass && el.hass.connected && el.hass.states; }",
        timeout=TIMEOUT_MS,
    )


def wes_devices(page: Page) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """The WES device, its first teleinfo device, and all entity registry entries."""
    entries = _ws(page, {"type": "config_entries/get", "domain": DOMAIN})
    if not entries:
        raise CheckError("no WES config entry: did scripts/develop provision the demo?")
    entry_ids = {entry["entry_id"] for entry in entries}
    devices = [
        device
        for device in _ws(page, {"type": "config/device_registry/list"})
        if entry_ids & set(device.get("config_entries", []))
    ]
    entities = [
        entity
        for entity in _ws(page, {"type": "config/entity_registry/list"})
        if entity.get("platform") == DOMAIN
    ]
    ids = {device["id"] for device in devices}
    roots = [device for device in devices if device.get("via_device_id") not in ids]
    if not roots:
        raise CheckError("no WES device in the device registry")
    root = roots[0]
    children = [device for device in devices if device is not root]
    teleinfo = next(
        (
            device
            for device in children
            if any(
                identifier[1].endswith(("_tic1", "_tic2", "_tic3"))
                or "tic" in identifier[1].rsplit("_", 1)[-1]
                for identifier in device.get("identifiers", [])
            )
            or "teleinfo" in (device.get("model") or "").lower()
            or "tic" in (device.get("name") or "").lower()
        ),
        None,
    )
    if teleinfo is None:
        raise CheckError(f"no teleinfo device among {[d.get('name') for d in children]}")
    return root, teleinfo, entities


def check_device_page(
    page: Page, base_url: str, device: dict[str, Any], entities: list[dict[str, Any]], shot: Path
) -> list[str]:
    """Open a device page, check real values are shown, save a screenshot."""
    mine = [e for e in entities if e.get("device_id") == device["id"] and not e.get("disabled_by")]
    states = page.evaluate("() => document.querySelector('home-assistant').hass.states")
    with_values = [
        e for e in mine if states.get(e["entity_id"], {}).get("state", "") not in UNUSABLE_STATES
    ]
    if len(with_values) < MIN_VALUES_SHOWN:
        raise CheckError(
            f"{device.get('name')}: only {len(with_values)} of {len(mine)} entities have a value"
        )
    page.goto(f"{base_url}/config/devices/device/{device['id']}", wait_until="domcontentloaded")
    name = device.get("name_by_user") or device.get("name") or ""
    page.get_by_text(name, exact=False).first.wait_for(timeout=TIMEOUT_MS)
    seen: list[str] = []
    # Main entities first: diagnostic ones sit in a block further down the page.
    with_values.sort(key=lambda e: e.get("entity_category") is not None)
    for entity in with_values:
        friendly = str(states[entity["entity_id"]]["attributes"].get("friendly_name", ""))
        label = friendly.removeprefix(name).strip() or friendly
        locator = page.get_by_text(label, exact=False)
        if label and locator.count() > 0:
            seen.append(f"{label} = {states[entity['entity_id']]['state']}")
        if len(seen) >= MIN_VALUES_SHOWN:
            break
    if len(seen) < MIN_VALUES_SHOWN:
        raise CheckError(f"{name}: entity rows not on screen (found {seen})")
    units = {
        str(unit)
        for e in with_values
        if (unit := states[e["entity_id"]]["attributes"].get("unit_of_measurement"))
    }
    shown = [
        unit
        for unit in sorted(units)
        if page.get_by_text(re.compile(rf"\d[\s\u202f]?{re.escape(unit)}(?:\s|$)")).count()
    ]
    if units and not shown:
        raise CheckError(f"{name}: no value with a unit on screen (expected one of {units})")
    page.wait_for_timeout(1500)  # let cards and icons settle before the picture
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    print(f"   {name}: {len(with_values)} entities with values; on screen: {'; '.join(seen)}")
    print(f"   values shown with units: {', '.join(shown)}")
    print(f"   saved {shot.relative_to(ROOT)}")
    return seen


def demo_is_up(base_url: str) -> bool:
    """Whether Home Assistant answers at all (a clearer error than a browser timeout)."""
    try:
        with urllib.request.urlopen(base_url + "/manifest.json", timeout=10) as response:  # noqa: S310
            json.loads(response.read())
    except (OSError, ValueError):
        return False
    return True


def main() -> int:
    """Run the check; exit 1 with the reason when something is not on screen."""
    ensure_playwright()
    from playwright.sync_api import (  # type: ignore[import-not-found, unused-ignore]
        Error,
        sync_playwright,
    )

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ha-url", default="http://127.0.0.1:8123")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    base_url = args.ha_url.rstrip("/")
    if urllib.parse.urlparse(base_url).scheme not in {"http", "https"}:
        parser.error("--ha-url must be an http(s) URL")
    if not demo_is_up(base_url):
        print(f"!! nothing answers at {base_url}: start scripts/develop first", file=sys.stderr)
        return 1

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="en-GB")
            page.set_default_timeout(TIMEOUT_MS)
            log_in(page, base_url)
            print("   logged in as the demo user")
            root, teleinfo, entities = wes_devices(page)
            check_device_page(page, base_url, root, entities, args.out / "screenshot-wes.png")
            check_device_page(
                page, base_url, teleinfo, entities, args.out / "screenshot-teleinfo.png"
            )
        except (CheckError, Error) as err:
            print(f"!! browser check failed: {err}", file=sys.stderr)
            return 1
        finally:
            browser.close()
    print("== browser check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
