"""Bring a fresh Home Assistant to a ready-to-look-at WES demo, through its own APIs.

``scripts/develop`` runs this once Home Assistant is listening. It is idempotent:

1. onboarding (demo user, core config, analytics, integration step), skipped when done;
2. otherwise a login with the demo user through the login flow;
3. a WES config entry pointing at the simulator, created through the config flow by
   answering each form, then its instance parameters through the options flow, and the
   energy dashboard; skipped when an entry already exists.

It runs with the venv's Python: the standard library for HTTP, and aiohttp (shipped with
Home Assistant) for the one websocket call that fills the energy dashboard.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Callable

DOMAIN: Final = "wescontrol"
DEMO_NAME: Final = "WES demo"
DEMO_USERNAME: Final = "demo"
DEMO_PASSWORD: Final = "wesdemo2026"  # noqa: S105 (a public demo password, printed on start)
# The simulator's accounts (public factory defaults of the WES).
WES_USERNAME: Final = "admin"
WES_PASSWORD: Final = "wes"  # noqa: S105
WES_FTP_USERNAME: Final = "adminftp"
WES_FTP_PASSWORD: Final = "wesftp"  # noqa: S105
HTTP_TIMEOUT: Final = 30.0

# The demo's hardware (simulator scenario "a"): 1 Tempo TIC, a house clamp and a solar
# clamp, a water counter, 3 probes, both relays and inputs, 3 virtual switches. Per kind:
# instance numbers and their options (see wes/features.py); other kinds are left off.
DEMO_FEATURES: Final[dict[str, dict[str, dict[str, str]]]] = {
    "tic": {"1": {"tariff": "tempo", "measure": "consumption"}},
    "clamp": {
        "1": {"measure": "consumption", "clamp_type": "100a"},
        "2": {"measure": "production", "clamp_type": "20a"},
    },
    "pulse_counter": {"1": {"meter_type": "water", "measure": "consumption"}},
    "probe": {str(n): {"probe_kind": "temperature"} for n in (1, 2, 3)},
    "relay": {"1": {}, "2": {}},
    "input": {"1": {}, "2": {}},
    "virtual_switch": {"1": {}, "2": {}, "3": {}},
}
FEATURE_KINDS: Final = (
    "tic",
    "clamp",
    "pulse_counter",
    "probe",
    "relay",
    "onewire_card",
    "input",
    "analog_input",
    "virtual_switch",
    "variable",
)
# Onboarding sets these up; their requirements are not installed (scripts/develop runs
# Home Assistant with --skip-pip so nothing reaches the internet), so drop what failed.
ONBOARDING_EXTRAS: Final = ("google_translate", "met", "radio_browser")
MAX_FLOW_STEPS: Final = 40  # a flow that loops is a bug, not a reason to hang


class ProvisionError(RuntimeError):
    """Home Assistant answered something this script does not know how to go on from."""


@dataclass
class HomeAssistantApi:
    """A tiny JSON client for Home Assistant's REST and auth endpoints."""

    base_url: str
    token: str | None = None
    client_id: str = field(init=False)

    def __post_init__(self) -> None:
        """The OAuth client id is the frontend's own URL, as the browser would send it."""
        self.client_id = f"{self.base_url}/"

    def request(
        self,
        method: str,
        path: str,
        payload: dict[str, Any] | None = None,
        *,
        form: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        """Send one request; return the status and the decoded JSON body (or text)."""
        headers = {"Accept": "application/json"}
        body: bytes | None = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(  # noqa: S310 (the URL is ours: loopback HA)
            self.base_url + path, data=body, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        try:
            return status, json.loads(raw) if raw else None
        except json.JSONDecodeError:
            return status, raw.decode(errors="replace")

    def expect(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        """Like ``request`` but any status other than 200 is an error."""
        status, body = self.request(method, path, payload)
        if status != 200:  # noqa: PLR2004
            raise ProvisionError(f"{method} {path}: HTTP {status}: {body}")
        return body

    def exchange_code(self, code: str) -> None:
        """Trade an authorisation code for an access token."""
        status, body = self.request(
            "POST",
            "/auth/token",
            form={"grant_type": "authorization_code", "code": code, "client_id": self.client_id},
        )
        if status != 200 or not isinstance(body, dict):  # noqa: PLR2004
            raise ProvisionError(f"token exchange failed: HTTP {status}")
        self.token = body["access_token"]


def wait_until_up(api: HomeAssistantApi, deadline: float) -> list[dict[str, Any]] | None:
    """Wait for the HTTP server; return the onboarding steps, or None once onboarded.

    Home Assistant stops serving ``/api/onboarding`` (404) after onboarding.
    """
    while True:
        try:
            status, body = api.request("GET", "/api/onboarding")
        except OSError:
            status, body = 0, None
        if status == 200 and isinstance(body, list):  # noqa: PLR2004
            return body
        if status == 404:  # noqa: PLR2004
            return None
        if time.monotonic() > deadline:
            raise ProvisionError("Home Assistant did not answer in time")
        time.sleep(1)


def onboard(api: HomeAssistantApi, steps: list[dict[str, Any]] | None) -> bool:
    """Run every onboarding step not done yet; return False when the user step was done."""
    if steps is None:
        return False
    done = {step["step"] for step in steps if step.get("done")}
    if "user" in done:
        return False
    print(f"   onboarding: creating the demo user {DEMO_USERNAME!r}")
    created = api.expect(
        "POST",
        "/api/onboarding/users",
        {
            "client_id": api.client_id,
            "name": DEMO_NAME,
            "username": DEMO_USERNAME,
            "password": DEMO_PASSWORD,
            "language": "en",
        },
    )
    api.exchange_code(created["auth_code"])
    if "core_config" not in done:
        api.expect("POST", "/api/onboarding/core_config", {})
    if "analytics" not in done:
        api.expect("POST", "/api/onboarding/analytics", {})
    if "integration" not in done:
        api.expect(
            "POST",
            "/api/onboarding/integration",
            {"client_id": api.client_id, "redirect_uri": f"{api.base_url}/?auth_callback=1"},
        )
    return True


def log_in(api: HomeAssistantApi) -> None:
    """Log in with the demo user through the login flow, as the frontend does."""
    flow = api.expect(
        "POST",
        "/auth/login_flow",
        {
            "client_id": api.client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": f"{api.base_url}/?auth_callback=1",
        },
    )
    result = api.expect(
        "POST",
        f"/auth/login_flow/{flow['flow_id']}",
        {"client_id": api.client_id, "username": DEMO_USERNAME, "password": DEMO_PASSWORD},
    )
    if result.get("type") != "create_entry":
        raise ProvisionError("the demo user could not log in; delete config/ to start from scratch")
    api.exchange_code(result["result"])


def drop_failed_onboarding_extras(api: HomeAssistantApi) -> None:
    """Remove the entries onboarding created for integrations that cannot load here."""
    for domain in ONBOARDING_EXTRAS:
        for entry in api.expect("GET", f"/api/config/config_entries/entry?domain={domain}"):
            if entry["state"] != "loaded":
                api.expect("DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}")


def wait_until_running(api: HomeAssistantApi, deadline: float) -> None:
    """Wait until Home Assistant has finished starting (integrations loaded)."""
    while True:
        status, body = api.request("GET", "/api/config")
        if status == 200 and isinstance(body, dict) and body.get("state") == "RUNNING":  # noqa: PLR2004
            return
        if time.monotonic() > deadline:
            raise ProvisionError("Home Assistant did not finish starting in time")
        time.sleep(1)


@dataclass(frozen=True)
class Simulator:
    """Where the simulated WES listens."""

    host: str
    port: int
    ftp_port: int


def _selector_kind(field_schema: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    selector = field_schema.get("selector")
    if isinstance(selector, dict) and selector:
        kind = next(iter(selector))
        return kind, selector[kind] or {}
    return str(field_schema.get("type", "")), {}


def _feature_answer(name: str, field_schema: dict[str, Any]) -> Any:
    """Answer a feature field: the instances of a kind, or an option of the current one."""
    kind, config = _selector_kind(field_schema)
    if name in FEATURE_KINDS:
        numbers = sorted(DEMO_FEATURES.get(name, {}), key=int)
        if kind == "select" and config.get("multiple"):
            return numbers
        if kind in {"number", "integer"}:
            return len(numbers)
        if kind in {"boolean", "bool"}:
            return bool(numbers)
    return None


def answer_step(step: dict[str, Any], sim: Simulator) -> dict[str, Any]:
    """Fill one config-flow form from the field names it asks for."""
    known: dict[str, Any] = {
        "host": sim.host,
        "port": sim.port,
        "username": WES_USERNAME,
        "password": WES_PASSWORD,
        "use_ftp": True,
        "ftp_username": WES_FTP_USERNAME,
        "ftp_password": WES_FTP_PASSWORD,
        "ftp_port": sim.ftp_port,
        "manage_data_file": True,
        "auto_update": True,
        "screen": True,
        "mains_voltage": True,
        "scan_interval": 30,
    }
    return _answer_fields(step.get("data_schema") or [], known)


def _answer_fields(fields: list[dict[str, Any]], known: dict[str, Any]) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    for field_schema in fields:
        name = field_schema["name"]
        if field_schema.get("type") == "expandable":  # a form section: answer its fields
            answer[name] = _answer_fields(field_schema.get("schema") or [], known)
            continue
        value = known.get(name)
        if value is None:
            value = _feature_answer(name, field_schema)
        if value is None:
            continue  # the form's default stands
        answer[name] = value
    return answer


def _run_flow(api: HomeAssistantApi, base: str, step: dict[str, Any], answer: Any) -> Any:
    """Drive a flow to its end; ``answer(step)`` returns the payload for each step."""
    visited: list[str] = []
    for _ in range(MAX_FLOW_STEPS):
        kind = step.get("type")
        if kind in {"create_entry", "abort"}:
            print(f"   {base.rsplit('/', 2)[-2]} flow: {' -> '.join(visited)}")
            return step
        if kind == "form" and step.get("errors"):
            raise ProvisionError(f"step {step['step_id']}: {step['errors']}")
        if kind not in {"form", "menu"}:
            raise ProvisionError(f"unexpected flow result: {kind}")
        if step.get("step_id") not in {"init", "instance"}:  # the options menu's hubs
            visited.append(str(step.get("step_id")))
        step = api.expect("POST", f"{base}/{step['flow_id']}", answer(step))
    raise ProvisionError(f"the flow did not finish in {MAX_FLOW_STEPS} steps")


def add_wes_entry(api: HomeAssistantApi, sim: Simulator) -> dict[str, Any] | None:
    """Create the WES entry through the config flow; return it, or None if it existed."""
    if api.expect("GET", f"/api/config/config_entries/entry?domain={DOMAIN}"):
        return None
    base = "/api/config/config_entries/flow"
    first = api.expect("POST", base, {"handler": DOMAIN, "show_advanced_options": True})
    result = _run_flow(api, base, first, lambda step: answer_step(step, sim))
    if result.get("type") != "create_entry":
        raise ProvisionError(f"the config flow aborted: {result.get('reason')}")
    entry: dict[str, Any] = result["result"]
    return entry


def instance_options_answerer() -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Answers for the options flow that give each demo instance its parameters.

    The flow is a menu: pick a kind, pick the instance, fill its parameters, back to the
    menu; "save" at the end. Kinds the menu does not offer are skipped.
    """
    todo = [
        (kind, number, options)
        for kind, instances in DEMO_FEATURES.items()
        for number, options in instances.items()
        if options
    ]
    picked: list[tuple[str, str, dict[str, str]]] = []

    def answer(step: dict[str, Any]) -> dict[str, Any]:
        if step["type"] == "menu":
            menu = step.get("menu_options") or []
            while todo and todo[0][0] not in menu:
                todo.pop(0)
            if not todo:
                return {"next_step_id": "save" if "save" in menu else menu[-1]}
            picked.append(todo.pop(0))
            return {"next_step_id": picked[-1][0]}
        if step["step_id"] == picked[-1][0]:  # which instance of the kind
            return {"instance": picked[-1][1]}
        return dict(picked[-1][2])  # that instance's parameters

    return answer


def set_instance_options(api: HomeAssistantApi, entry_id: str) -> None:
    """Give each demo instance its parameters (tariff, measure, ...) through the options flow."""
    base = "/api/config/config_entries/options/flow"
    first = api.expect("POST", base, {"handler": entry_id, "show_advanced_options": True})
    result = _run_flow(api, base, first, instance_options_answerer())
    if result.get("type") != "create_entry":
        raise ProvisionError(f"the options flow aborted: {result.get('reason')}")


def energy_preferences(entities: list[dict[str, Any]]) -> dict[str, Any]:
    """The energy dashboard of the demo, from the WES entities' unique ids.

    Grid: one source per TIC register (the six Tempo indexes); solar: the injection index
    of clamp 2; water: counter 1; individual device: the house clamp.
    """
    by_suffix = {
        entity["unique_id"].split("_", 1)[1]: entity["entity_id"]
        for entity in entities
        if entity.get("platform") == DOMAIN and "_" in entity.get("unique_id", "")
    }
    registers = sorted(eid for suffix, eid in by_suffix.items() if suffix.startswith("tic1_index_"))
    no_price = {"stat_cost": None, "entity_energy_price": None, "number_energy_price": None}
    sources: list[dict[str, Any]] = []
    if registers:
        sources.append(
            {
                "type": "grid",
                "flow_from": [{"stat_energy_from": eid, **no_price} for eid in registers],
                "flow_to": [],
                "cost_adjustment_day": 0,
            }
        )
    if solar := by_suffix.get("clamp2_injection_index"):
        sources.append({"type": "solar", "stat_energy_from": solar})
    if water := by_suffix.get("pulse_counter1_index"):
        sources.append({"type": "water", "stat_energy_from": water, **no_price})
    devices = [
        {"stat_consumption": eid} for suffix in ("clamp1_index",) if (eid := by_suffix.get(suffix))
    ]
    return {"energy_sources": sources, "device_consumption": devices}


async def _configure_energy(base_url: str, token: str) -> bool:
    """Save the demo's energy preferences over the websocket API, unless some exist."""
    import aiohttp

    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(base_url.replace("http", "ws", 1) + "/api/websocket") as ws,
    ):
        await ws.receive_json()  # auth_required
        await ws.send_json({"type": "auth", "access_token": token})
        if (await ws.receive_json()).get("type") != "auth_ok":
            return False

        async def call(number: int, message: dict[str, Any]) -> Any:
            await ws.send_json({"id": number, **message})
            while True:
                reply = await ws.receive_json()
                if reply.get("id") != number:
                    continue
                if reply.get("success"):
                    return reply.get("result")
                if (reply.get("error") or {}).get("code") == "not_found":
                    return None  # energy/get_prefs before anything was saved
                raise ProvisionError(f"{message['type']}: {reply.get('error')}")

        current = await call(1, {"type": "energy/get_prefs"})
        if current and current.get("energy_sources"):
            return False
        entities = await call(2, {"type": "config/entity_registry/list"})
        await call(3, {"type": "energy/save_prefs", **energy_preferences(entities)})
        return True


def configure_energy(api: HomeAssistantApi) -> None:
    """Fill the energy dashboard once; a failure here only costs the dashboard."""
    try:
        if api.token and asyncio.run(_configure_energy(api.base_url, api.token)):
            print("   energy dashboard: Tempo registers, solar clamp, water counter")
    except (OSError, ProvisionError) as err:
        print(f"   energy dashboard left empty: {err}")


def wait_for_entry(api: HomeAssistantApi, deadline: float) -> list[dict[str, Any]]:
    """Wait until the WES entry has finished (re)loading; return the domain's entries."""
    while True:
        entries: list[dict[str, Any]] = api.expect(
            "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
        )
        if all(entry["state"] not in {"setup_in_progress", "not_loaded"} for entry in entries):
            return entries
        if time.monotonic() > deadline:
            return entries
        time.sleep(1)


def main(argv: list[str] | None = None) -> int:
    """Provision the running demo; print what a person needs to log in."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ha-url", default="http://127.0.0.1:8123")
    parser.add_argument("--wes-host", default="127.0.0.1")
    parser.add_argument("--wes-port", type=int, default=8080)
    parser.add_argument("--ftp-port", type=int, default=2121)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for HA")
    args = parser.parse_args(argv)

    api = HomeAssistantApi(args.ha_url.rstrip("/"))
    deadline = time.monotonic() + args.timeout
    try:
        steps = wait_until_up(api, deadline)
        if not onboard(api, steps):
            log_in(api)
        wait_until_running(api, deadline)
        created = add_wes_entry(api, Simulator(args.wes_host, args.wes_port, args.ftp_port))
        if created is not None:
            set_instance_options(api, created["entry_id"])
        entries = wait_for_entry(api, deadline)
        if created is not None:
            configure_energy(api)
        drop_failed_onboarding_extras(api)
    except ProvisionError as err:
        print(f"!! provisioning failed: {err}", file=sys.stderr)
        return 1
    for entry in entries:
        print(f"   WES entry {entry['title']!r}: {entry['state']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
