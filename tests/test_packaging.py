"""Stand-ins for hassfest and the HACS action, which cannot run here (no GitHub, no registry).

They read the repository as files: manifest, hacs.json, brand images, translations and
icons, and the Python sources (parsed with ``ast``, and imported where a description's
platform or an enum's options are only known at run time). No network. The last test runs
the config and options flows with the answers ``scripts/develop`` gives, against the
simulator on loopback, so the demo cannot drift from the flows.
"""

from __future__ import annotations

import ast
import importlib
import importlib.metadata
import importlib.util
import json
import os
import re
import struct
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "wescontrol"
INTEGRATION = ROOT / "custom_components" / DOMAIN
PACKAGE = f"custom_components.{DOMAIN}"
TRANSLATIONS = INTEGRATION / "translations"

# hassfest's custom-integration manifest schema (current HA): any other key fails.
MANIFEST_ALLOWED_KEYS = frozenset(
    {
        "after_dependencies",
        "bluetooth",
        "codeowners",
        "config_flow",
        "dependencies",
        "dhcp",
        "disabled",
        "documentation",
        "domain",
        "homekit",
        "import_executor",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "loggers",
        "mqtt",
        "name",
        "quality_scale",
        "requirements",
        "single_config_entry",
        "ssdp",
        "usb",
        "version",
        "zeroconf",
    }
)
# What HA (custom integrations), hassfest and HACS together require.
MANIFEST_REQUIRED_KEYS = frozenset(
    {
        "codeowners",
        "config_flow",
        "documentation",
        "domain",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "name",
        "requirements",
        "version",
    }
)
INTEGRATION_TYPES = frozenset(
    {"device", "entity", "hardware", "helper", "hub", "service", "system", "virtual"}
)
VERSION_STRATEGIES = (
    AwesomeVersionStrategy.CALVER,
    AwesomeVersionStrategy.SEMVER,
    AwesomeVersionStrategy.SIMPLEVER,
    AwesomeVersionStrategy.BUILDVER,
    AwesomeVersionStrategy.PEP440,
)
# HACS_MANIFEST_JSON_SCHEMA (extra keys are refused).
HACS_ALLOWED_KEYS = frozenset(
    {
        "content_in_root",
        "country",
        "filename",
        "hacs",
        "hide_default_branch",
        "homeassistant",
        "name",
        "persistent_directory",
        "render_readme",
        "zip_release",
    }
)
# Entity platforms whose description classes we map back to a translation section.
ENTITY_PLATFORMS = (
    "binary_sensor",
    "button",
    "event",
    "number",
    "select",
    "sensor",
    "switch",
    "text",
    "update",
)
TRANSLATION_KEY_RE = re.compile(r"^[a-z0-9_-]+$")
PLACEHOLDER_RE = re.compile(r"\{([^{}]+)\}")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- helpers ---------------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing")
    return json.loads(path.read_text(encoding="utf-8"))


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from the PNG header (signature, then the IHDR chunk)."""
    if not path.is_file():
        pytest.fail(f"{path.relative_to(ROOT)} is missing")
    header = path.read_bytes()[:24]
    assert header[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG file"
    assert header[12:16] == b"IHDR", f"{path.name} has no IHDR chunk first"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _leaf_paths(tree: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for key, value in tree.items():
        if isinstance(value, Mapping):
            yield from _leaf_paths(value, (*prefix, key))
        else:
            yield (*prefix, key)


def _all_key_paths(
    tree: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    for key, value in tree.items():
        yield (*prefix, key)
        if isinstance(value, Mapping):
            yield from _all_key_paths(value, (*prefix, key))


def _lookup(tree: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path``; a ``*`` part matches any key (the first that leads somewhere)."""
    node: Any = tree
    for index, part in enumerate(path):
        if not isinstance(node, Mapping):
            return None
        if part == "*":
            found = (_lookup(child, path[index + 1 :]) for child in node.values())
            return next((value for value in found if value is not None), None)
        if part not in node:
            return None
        node = node[part]
    return node


def _integration_sources() -> list[Path]:
    """Home Assistant side of the integration (the ``wes`` package has no HA strings)."""
    return sorted(
        path
        for path in INTEGRATION.rglob("*.py")
        if "wes" not in path.relative_to(INTEGRATION).parts[:-1]
    )


def _module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _keyword(node: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in node.keywords if kw.arg == name), None)


def _literal_str(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _description_platforms() -> dict[type, str]:
    """HA's ``<Platform>EntityDescription`` classes, each with its platform."""
    from homeassistant.helpers.entity import EntityDescription

    found: dict[type, str] = {}
    for platform in ENTITY_PLATFORMS:
        module = importlib.import_module(f"homeassistant.components.{platform}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, EntityDescription)
                and value is not EntityDescription
                and value.__module__.startswith(f"homeassistant.components.{platform}")
            ):
                found[value] = platform
    return found


def _platform_of(cls: type, platforms: Mapping[type, str]) -> str | None:
    return next((platforms[base] for base in cls.__mro__ if base in platforms), None)


def _walk_values(value: object, depth: int = 0) -> Iterator[object]:
    """Every object reachable from a module global through plain containers."""
    yield value
    if depth > 4:
        return
    if isinstance(value, Mapping):
        for item in value.values():
            yield from _walk_values(item, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _walk_values(item, depth + 1)


@dataclass(frozen=True)
class Use:
    """One place where the code relies on a translation."""

    path: tuple[str, ...]  # the key path in en.json that must exist
    where: str  # file:line, for the failure message


def _string_options(node: ast.expr | None, module: object) -> list[str] | None:
    """Options written as a literal list, or as a module constant we can read."""
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        strings = [_literal_str(element) for element in node.elts]
        return [s for s in strings if s is not None]
    if isinstance(node, ast.Name):
        value = getattr(module, node.id, None)
        if isinstance(value, list | tuple | set | frozenset) and all(
            isinstance(item, str) for item in value
        ):
            return [str(item) for item in value]
    return None


def _literal_returns(tree: ast.Module) -> dict[str, list[str]]:
    """Module-level functions that return string literals (key helpers), with those strings."""
    found: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            strings = [
                value
                for child in ast.walk(node)
                if isinstance(child, ast.Return)
                and (value := _literal_str(child.value)) is not None
            ]
            if strings:
                found[node.name] = strings
    return found


class _SourceScan(ast.NodeVisitor):
    """Collect the translation keys a source file relies on."""

    ERROR_CALL_SUFFIXES = ("Error", "Failed", "Exception", "NotReady")

    def __init__(self, path: Path, platforms: Mapping[type, str]) -> None:
        self.path = path
        self.rel = path.relative_to(ROOT)
        self.module = importlib.import_module(_module_name(path))
        self.platforms = platforms
        self.stem_platform = path.stem if path.stem in ENTITY_PLATFORMS else None
        self.uses: list[Use] = []
        self.loose_entity_keys: list[Use] = []  # entity keys whose platform we cannot tell
        # Where a flow's texts live: config, options, or a repair issue's fix flow.
        self.flow_section: tuple[str, ...] | None = None
        self.function: str = ""
        self.returns: dict[str, list[str]] = {}
        self.reason_params: dict[str, int] = {}
        self.function_node: ast.FunctionDef | ast.AsyncFunctionDef | None = None

    def scan(self, tree: ast.Module) -> None:
        """Visit a parsed file, knowing its key helpers first."""
        self.returns = _literal_returns(tree)
        # Helpers taking an abort ``reason`` argument: its position, ``self`` left out.
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [arg.arg for arg in node.args.args if arg.arg != "self"]
                if "reason" in names:
                    self.reason_params[node.name] = names.index("reason")
        self.visit(tree)

    def _strings(self, node: ast.expr | None) -> list[str]:
        """A literal string, or every literal a helper called here can return."""
        literal = _literal_str(node)
        if literal is not None:
            return [literal]
        if isinstance(node, ast.IfExp):
            return self._strings(node.body) + self._strings(node.orelse)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return self.returns.get(node.func.id, [])
        if isinstance(node, ast.Name) and isinstance(getattr(self.module, node.id, None), str):
            return [getattr(self.module, node.id)]  # a module constant
        if isinstance(node, ast.Name) and self.function_node is not None:
            return [  # a local variable: every string assigned to it in this function
                value
                for child in ast.walk(self.function_node)
                if isinstance(child, ast.Assign)
                and any(isinstance(t, ast.Name) and t.id == node.id for t in child.targets)
                for value in self._strings(child.value)
            ]
        return []

    def _where(self, node: ast.AST) -> str:
        return f"{self.rel}:{getattr(node, 'lineno', '?')}"

    def _add(self, node: ast.AST, *path: str) -> None:
        self.uses.append(Use(path, self._where(node)))

    # Flow context: which section (config or options) a class's strings belong to.
    def visit_ClassDef(self, node: ast.ClassDef) -> None:  # noqa: N802 (ast API)
        bases = " ".join(ast.unparse(base) for base in node.bases)
        previous = self.flow_section
        if "OptionsFlow" in bases:
            self.flow_section = ("options",)
        elif "ConfigFlow" in bases:
            self.flow_section = ("config",)
        elif "RepairsFlow" in bases:
            self.flow_section = ("issues", "*", "fix_flow")
        self._entity_attr_class(node)
        self.generic_visit(node)
        self.flow_section = previous

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:  # noqa: N802
        self._visit_function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:  # noqa: N802
        self._visit_function(node)

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        previous = self.function, self.function_node
        self.function, self.function_node = node.name, node
        self.generic_visit(node)
        self.function, self.function_node = previous

    def _entity_attr_class(self, node: ast.ClassDef) -> None:
        """``_attr_translation_key = "x"`` in a class body or in ``__init__``."""
        for child in ast.walk(node):
            if not isinstance(child, ast.Assign | ast.AnnAssign):
                continue
            targets = child.targets if isinstance(child, ast.Assign) else [child.target]
            for target in targets:
                name = (
                    target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                )
                key = _literal_str(child.value)
                if name == "_attr_translation_key" and key is not None:
                    self._entity_key(child, key, self._class_platform(node.name))

    def _class_platform(self, class_name: str) -> str | None:
        cls = getattr(self.module, class_name, None)
        if isinstance(cls, type):
            for base in cls.__mro__:
                parts = base.__module__.split(".")
                if parts[:2] == ["homeassistant", "components"] and parts[2] in ENTITY_PLATFORMS:
                    return parts[2]
        return self.stem_platform

    def _entity_key(self, node: ast.AST, key: str, platform: str | None) -> None:
        if platform is None:
            self.loose_entity_keys.append(Use(("entity", "*", key), self._where(node)))
        else:
            self._add(node, "entity", platform, key)

    def visit_Assign(self, node: ast.Assign) -> None:  # noqa: N802
        # An error reason stored in a flow's errors dict, by any key.
        for target in node.targets:
            if isinstance(target, ast.Subscript) and "errors" in ast.unparse(target.value):
                for reason in self._strings(node.value):
                    self._add(node, *(self.flow_section or ("config",)), "error", reason)
        self.generic_visit(node)

    def visit_Dict(self, node: ast.Dict) -> None:  # noqa: N802
        keys = [_literal_str(key) if key is not None else None for key in node.keys]
        if "base" in keys and self.path.name == "config_flow.py":
            for key, value in zip(keys, node.values, strict=True):
                if key is not None and (reason := _literal_str(value)) is not None:
                    self._add(node, *(self.flow_section or ("config",)), "error", reason)
        if "translation_key" in keys:  # SelectSelector({... "translation_key": "x"})
            values = dict(zip(keys, node.values, strict=True))
            if (key := _literal_str(values["translation_key"])) is not None:
                self._selector(node, key, values.get("options"))
        self.generic_visit(node)

    def _selector(self, node: ast.AST, key: str, options: ast.expr | None) -> None:
        self._add(node, "selector", key)
        for option in _string_options(options, self.module) or []:
            self._add(node, "selector", key, "options", option)

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        name = _call_name(node)
        self._flow_call(node, name)
        for key in self._strings(_keyword(node, "translation_key")):
            self._translation_key_call(node, name, key)
        self.generic_visit(node)

    def _flow_call(self, node: ast.Call, name: str) -> None:
        if self.flow_section is None and self.path.name != "config_flow.py":
            return
        section = self.flow_section or ("config",)
        for reason in self._strings(_keyword(node, "reason")):
            self._add(node, *section, "abort", reason)
        position = self.reason_params.get(name)
        if position is not None and position < len(node.args):
            for reason in self._strings(node.args[position]):
                self._add(node, *section, "abort", reason)
        if name in {"_abort_if_unique_id_configured", "_async_abort_entries_match"}:
            self._add(node, *section, "abort", "already_configured")
        if name == "_abort_if_unique_id_mismatch" and _keyword(node, "reason") is None:
            self._add(node, *section, "abort", "unique_id_mismatch")
        if name == "async_update_reload_and_abort" and _keyword(node, "reason") is None:
            for source in ("reauth", "reconfigure"):
                if source in self.function:
                    self._add(node, *section, "abort", f"{source}_successful")
        if name in {"async_show_form", "async_show_menu"}:
            for step in self._strings(_keyword(node, "step_id")):
                self._add(node, *section, "step", step)
                for option in self._menu_options(_keyword(node, "menu_options")):
                    self._add(node, *section, "step", step, "menu_options", option)
            errors = _keyword(node, "errors")
            if isinstance(errors, ast.Dict):
                for value in errors.values:
                    if (reason := _literal_str(value)) is not None:
                        self._add(node, *section, "error", reason)

    def _menu_options(self, node: ast.expr | None) -> list[str]:
        """Literal menu entries, also through a local list variable (``*spread`` skipped)."""
        if isinstance(node, ast.Name) and self.function_node is not None:
            for child in ast.walk(self.function_node):
                if isinstance(child, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == node.id for t in child.targets
                ):
                    return self._menu_options(child.value)
        return _string_options(node, self.module) or []

    def _translation_key_call(self, node: ast.Call, name: str, key: str) -> None:
        if _keyword(node, "translation_domain") is not None or name.endswith(
            self.ERROR_CALL_SUFFIXES
        ):
            self._add(node, "exceptions", key)
        elif name.endswith("async_create_issue"):
            self._add(node, "issues", key)
        elif name.endswith("SelectorConfig"):
            self._selector(node, key, _keyword(node, "options"))
        elif name.endswith("EntityDescription"):
            cls = getattr(self.module, name, None)
            platform = (
                _platform_of(cls, self.platforms) if isinstance(cls, type) else None
            ) or self.stem_platform
            self._entity_key(node, key, platform)
            self._enum_options(node, key, platform)
        else:
            self._entity_key(node, key, self.stem_platform)

    def _enum_options(self, node: ast.Call, key: str, platform: str | None) -> None:
        device_class = _keyword(node, "device_class")
        if platform != "sensor" or device_class is None or "ENUM" not in ast.unparse(device_class):
            return
        for option in _string_options(_keyword(node, "options"), self.module) or []:
            self._add(node, "entity", "sensor", key, "state", option)


def _scan_sources() -> tuple[list[Use], list[Use]]:
    platforms = _description_platforms()
    uses: list[Use] = []
    loose: list[Use] = []
    for path in _integration_sources():
        scan = _SourceScan(path, platforms)
        scan.scan(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        uses += scan.uses
        loose += scan.loose_entity_keys
    return uses, loose


def _runtime_descriptions() -> Iterator[tuple[str, Any, str]]:
    """(platform, description, module) for every description reachable from a module global."""
    from homeassistant.helpers.entity import EntityDescription

    platforms = _description_platforms()
    seen: set[int] = set()
    for path in _integration_sources():
        module = importlib.import_module(_module_name(path))
        for value in list(vars(module).values()):
            for item in _walk_values(value):
                if isinstance(item, EntityDescription) and id(item) not in seen:
                    seen.add(id(item))
                    platform = _platform_of(type(item), platforms)
                    if platform is not None:
                        yield platform, item, module.__name__


@pytest.fixture(scope="module")
def en() -> dict[str, Any]:
    return _load_json(TRANSLATIONS / "en.json")


@pytest.fixture(scope="module")
def fr() -> dict[str, Any]:
    return _load_json(TRANSLATIONS / "fr.json")


# --- manifest.json (hassfest, HA loader, HACS) ------------------------------------------


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return _load_json(INTEGRATION / "manifest.json")


def test_manifest_key_order(manifest: dict[str, Any]) -> None:
    """hassfest: "domain", "name", then every other key alphabetically."""
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_manifest_keys_known_and_complete(manifest: dict[str, Any]) -> None:
    assert set(manifest) <= MANIFEST_ALLOWED_KEYS, set(manifest) - MANIFEST_ALLOWED_KEYS
    assert set(manifest) >= MANIFEST_REQUIRED_KEYS, MANIFEST_REQUIRED_KEYS - set(manifest)


def test_manifest_values(manifest: dict[str, Any]) -> None:
    assert manifest["domain"] == DOMAIN == INTEGRATION.name
    assert isinstance(manifest["name"], str)
    assert manifest["name"]
    assert manifest["config_flow"] is True
    assert (INTEGRATION / "config_flow.py").is_file()
    assert manifest["iot_class"] == "local_polling"
    assert manifest["integration_type"] in INTEGRATION_TYPES
    assert manifest["codeowners"]
    assert all(re.fullmatch(r"@[\w-]+(/[\w-]+)?", owner) for owner in manifest["codeowners"])
    for key in ("documentation", "issue_tracker"):
        assert manifest[key].startswith("https://"), key
    assert not manifest["documentation"].startswith("https://www.home-assistant.io")
    for logger in manifest.get("loggers", []):
        assert logger.startswith(PACKAGE)


def test_manifest_version_is_awesomeversion(manifest: dict[str, Any]) -> None:
    """The HA loader refuses a custom integration whose version no strategy can read."""
    version = AwesomeVersion(manifest["version"])
    assert version.strategy in VERSION_STRATEGIES
    assert (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").count(f"[{manifest['version']}]")


def test_manifest_requirements(manifest: dict[str, Any]) -> None:
    """Lower bounds only (core pins its own versions), nothing HA already ships."""
    assert isinstance(manifest["requirements"], list)
    for line in manifest["requirements"]:
        requirement = Requirement(line)
        assert requirement.name.lower() not in {"voluptuous", "aiohttp", "homeassistant"}, line
        operators = {spec.operator for spec in requirement.specifier}
        assert "==" not in operators, f"{line}: pin with a lower bound, not =="
        assert "===" not in operators, line
        assert ">=" in operators, f"{line}: give a lower bound"
        installed = importlib.metadata.version(requirement.name)
        assert requirement.specifier.contains(installed, prereleases=True), (line, installed)


def test_every_third_party_import_is_a_requirement(manifest: dict[str, Any]) -> None:
    """A module the integration imports must come with HA or be listed in requirements."""
    required = {Requirement(line).name.lower() for line in manifest["requirements"]}
    ha_requires = importlib.metadata.requires("homeassistant") or []
    shipped = {Requirement(line).name.lower() for line in ha_requires} | {"homeassistant"}
    distributions = importlib.metadata.packages_distributions()
    for path in sorted(INTEGRATION.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in {"custom_components", "__future__"}:
                    continue
                dists = {dist.lower() for dist in distributions.get(top, [top])}
                assert dists & (required | shipped), f"{path.relative_to(ROOT)} imports {top}"


# --- hacs.json, licence, readme ---------------------------------------------------------


def test_hacs_json() -> None:
    hacs = _load_json(ROOT / "hacs.json")
    assert set(hacs) <= HACS_ALLOWED_KEYS, set(hacs) - HACS_ALLOWED_KEYS
    assert isinstance(hacs["name"], str)
    assert hacs["name"]
    assert hacs["country"] == "FR"
    assert hacs["homeassistant"] == "2025.4.0"
    assert AwesomeVersion(hacs["homeassistant"]).strategy == AwesomeVersionStrategy.CALVER
    for flag in ("content_in_root", "zip_release", "hide_default_branch", "render_readme"):
        assert isinstance(hacs.get(flag, False), bool), flag
    if hacs.get("zip_release"):
        assert hacs.get("filename")
    assert not hacs.get("content_in_root", False)


def test_single_integration_in_repository() -> None:
    """HACS installs ``custom_components/<the only folder>``."""
    folders = [p.name for p in (ROOT / "custom_components").iterdir() if p.is_dir()]
    assert [f for f in folders if f != "__pycache__"] == [DOMAIN]


def test_licence_and_readme() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "wescontrol contributors" in licence
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "scripts/develop" in head
    assert "scripts/test" in head
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme):
        if not image.startswith("http"):
            assert (ROOT / image).is_file(), f"README shows a missing image: {image}"


@pytest.mark.parametrize("script", ["develop", "test"])
def test_readme_commands_are_runnable_bash(script: str) -> None:
    """The two commands at the top of the README: executable, and valid bash."""
    path = ROOT / "scripts" / script
    assert os.access(path, os.X_OK), f"scripts/{script} is not executable"
    assert path.read_text(encoding="utf-8").startswith("#!/usr/bin/env bash")
    checked = subprocess.run(  # noqa: S603 (a fixed command on our own file)
        ["bash", "-n", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


# --- brand images (HA 2026.3+ serves them; HACS requires icon.png) --------------------


def test_brand_icon() -> None:
    assert _png_size(INTEGRATION / "brand" / "icon.png") == (256, 256)
    hidpi = INTEGRATION / "brand" / "icon@2x.png"
    if hidpi.exists():
        assert _png_size(hidpi) == (512, 512)


def test_brand_logo() -> None:
    width, height = _png_size(INTEGRATION / "brand" / "logo.png")
    assert 128 <= min(width, height) <= 256


def test_brand_images_are_what_pillow_reads() -> None:
    """The header check above is not fooled by a truncated file."""
    from PIL import Image

    for path in (INTEGRATION / "brand").glob("*.png"):
        with Image.open(path) as image:
            image.verify()
            assert image.format == "PNG"


# --- translations -----------------------------------------------------------------------


def test_translation_files_have_the_same_keys(en: dict[str, Any], fr: dict[str, Any]) -> None:
    en_keys = set(_leaf_paths(en))
    fr_keys = set(_leaf_paths(fr))
    assert en_keys - fr_keys == set(), "missing in fr.json"
    assert fr_keys - en_keys == set(), "missing in en.json"


def test_translation_values_and_placeholders(en: dict[str, Any], fr: dict[str, Any]) -> None:
    """Non-empty strings; the French text uses the same ``{placeholders}`` as the English."""
    for path in _leaf_paths(en):
        english, french = _lookup(en, path), _lookup(fr, path)
        assert isinstance(english, str), path
        assert english.strip(), path
        assert isinstance(french, str), path
        assert french.strip(), path
        assert set(PLACEHOLDER_RE.findall(english)) == set(PLACEHOLDER_RE.findall(french)), path
    assert any(_lookup(en, p) != _lookup(fr, p) for p in _leaf_paths(en)), "fr.json is not French"


def test_translation_keys_are_slugs(en: dict[str, Any]) -> None:
    """hassfest accepts lower-case keys made of letters, digits, ``_`` and ``-`` only."""
    for path in _all_key_paths(en):
        assert TRANSLATION_KEY_RE.match(path[-1]), ".".join(path)


def test_every_translation_key_used_in_code_has_english_text(en: dict[str, Any]) -> None:
    uses, loose = _scan_sources()
    missing = [
        f"{use.where}: {'.'.join(use.path)}" for use in uses if _lookup(en, use.path) is None
    ]
    entity_keys = {
        key for platform_keys in (en.get("entity") or {}).values() for key in platform_keys
    }
    missing += [
        f"{use.where}: entity.<platform>.{use.path[-1]}"
        for use in loose
        if use.path[-1] not in entity_keys
    ]
    assert missing == []


def test_code_uses_translations_at_all() -> None:
    """Guard the scanner itself: an integration with entities names them by key."""
    uses, _ = _scan_sources()
    sections = {use.path[0] for use in uses}
    assert {"config", "entity"} <= sections or not (INTEGRATION / "sensor.py").exists()


def test_entity_descriptions_have_text(en: dict[str, Any]) -> None:
    """Descriptions built at import time, with their platform from the class hierarchy."""
    missing = []
    for platform, description, module in _runtime_descriptions():
        key = description.translation_key
        if key is None:
            continue
        entry = _lookup(en, ("entity", platform, key))
        if entry is None:
            missing.append(f"{module}: entity.{platform}.{key}")
            continue
        if platform == "sensor" and str(getattr(description, "device_class", "")) == "enum":
            states = entry.get("state", {}) if isinstance(entry, Mapping) else {}
            missing += [
                f"{module}: entity.sensor.{key}.state.{option}"
                for option in getattr(description, "options", None) or []
                if option not in states
            ]
    assert missing == []


def test_enum_sensor_entries_translate_their_states(en: dict[str, Any]) -> None:
    """An entity entry with a ``state`` block must translate something."""
    for key, entry in (en.get("entity", {}).get("sensor") or {}).items():
        if isinstance(entry, Mapping) and "state" in entry:
            assert entry["state"], key


# --- icons.json -------------------------------------------------------------------------


def test_icons_match_entity_translation_keys(en: dict[str, Any]) -> None:
    path = INTEGRATION / "icons.json"
    if not path.exists():
        pytest.skip("no icons.json: entities use their device-class icons")
    icons = _load_json(path)
    assert set(icons) <= {"entity", "services"}, set(icons)
    for platform, keys in icons.get("entity", {}).items():
        assert platform in ENTITY_PLATFORMS, platform
        for key, icon in keys.items():
            assert _lookup(en, ("entity", platform, key)) is not None, f"entity.{platform}.{key}"
            assert icon.get("default", "").startswith("mdi:"), f"{platform}.{key}"
            for state_icon in (icon.get("state") or {}).values():
                assert state_icon.startswith("mdi:"), f"{platform}.{key}"


# --- hassfest's config schema rule ---------------------------------------------------


def test_async_setup_comes_with_a_config_schema() -> None:
    """hassfest: an integration defining ``async_setup`` must declare ``CONFIG_SCHEMA``."""
    tree = ast.parse((INTEGRATION / "__init__.py").read_text(encoding="utf-8"))
    functions = {node.name for node in tree.body if isinstance(node, ast.AsyncFunctionDef)}
    assigned = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    if "async_setup" in functions:
        assert "CONFIG_SCHEMA" in assigned


# --- the feature catalogue drives forms whose keys are not literals in the code ---------


def test_catalogue_forms_have_text(en: dict[str, Any]) -> None:
    """Kinds, per-instance options and their choices are labelled in both flows."""
    catalog = importlib.import_module(f"{PACKAGE}.catalog")
    missing: list[str] = []

    def need(*path: str) -> None:
        if _lookup(en, path) is None:
            missing.append(".".join(path))

    for kind, spec in catalog.CATALOG.items():
        need("config", "step", "features", "data", kind.value)
        need("options", "step", "features", "data", kind.value)
        for option in spec.options:
            for choice in option.choices:
                need("selector", option.key, "options", choice)
            need("options", "step", "instance", "data", option.key)
    for kind in catalog.KINDS_WITH_OPTIONS:
        need("options", "step", kind.value)
        need("options", "step", "init", "menu_options", kind.value)
    assert missing == []


# --- scripts/develop: the demo's answers still fit the real flows -----------------------


def _provision_module() -> Any:
    """``scripts/develop_provision.py``, imported from its path (scripts/ is no package)."""
    path = ROOT / "scripts" / "develop_provision.py"
    spec = importlib.util.spec_from_file_location("develop_provision", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses resolve annotations through it
    spec.loader.exec_module(module)
    return module


def _as_http_json(result: Mapping[str, Any]) -> dict[str, Any]:
    """A flow step as the HTTP API sends it (the schema serialised like HA's flow view)."""
    import voluptuous_serialize
    from homeassistant.helpers import config_validation as cv

    step: dict[str, Any] = {
        "type": str(result["type"]),
        "step_id": result.get("step_id"),
        "flow_id": result["flow_id"],
        "errors": result.get("errors"),
        "menu_options": list(result.get("menu_options") or []),
    }
    if result.get("data_schema") is not None:
        step["data_schema"] = voluptuous_serialize.convert(
            result["data_schema"], custom_serializer=cv.custom_serializer
        )
    return step


async def test_develop_provisioning_fits_the_config_and_options_flows(
    hass: Any, enable_custom_integrations: None, wes_simulator: Any
) -> None:
    """What ``scripts/develop`` answers creates the demo entry, with every demo option."""
    from homeassistant.data_entry_flow import FlowResultType

    provision = _provision_module()
    sim = provision.Simulator("127.0.0.1", wes_simulator.http_port, wes_simulator.ftp_port)

    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": "user"})
    steps = []
    while result["type"] is FlowResultType.FORM:
        assert not result.get("errors"), (result["step_id"], result["errors"])
        steps.append(result["step_id"])
        answer = provision.answer_step(_as_http_json(result), sim)
        result = await hass.config_entries.flow.async_configure(result["flow_id"], answer)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    assert steps == ["user", "ftp", "features"]
    entry = result["result"]
    await hass.async_block_till_done()

    answer_options = provision.instance_options_answerer()
    result = await hass.config_entries.options.async_init(entry.entry_id)
    while result["type"] in {FlowResultType.FORM, FlowResultType.MENU}:
        assert not result.get("errors"), (result["step_id"], result["errors"])
        payload = answer_options(_as_http_json(result))
        result = await hass.config_entries.options.async_configure(result["flow_id"], payload)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()

    assert entry.options["features"] == provision.DEMO_FEATURES
    assert entry.data["manage_data_file"] is True
    assert entry.data["ftp_port"] == wes_simulator.ftp_port
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
