# Shared by the scripts: find Python 3.13+, build .venv with the pinned test stack when the
# requirements changed since the last install. Sourced, not run.
VENV="${VENV:-.venv}"
HA_VERSION="2025.4.4"

find_python() {
  local cand
  for cand in python3.13 python3.14 python3; do
    if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
      command -v "$cand"; return 0
    fi
  done
  local root
  for root in "$(pyenv root 2>/dev/null || true)" "$HOME/.pyenv"; do
    [ -n "$root" ] || continue
    for cand in "$root"/versions/3.13.*/bin/python3.13; do
      [ -x "$cand" ] && { echo "$cand"; return 0; }
    done
  done
  echo "No Python >= 3.13 found (looked for python3.13 on PATH and pyenv 3.13.x)." >&2
  return 1
}

ensure_venv() {
  local stamp="$VENV/.requirements.sha256" want
  want="$(cat requirements_test.txt scripts/_env.sh | sha256sum | cut -d' ' -f1)"
  if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  local py; py="$(find_python)"
  echo "== installing the test environment with $py ($("$py" --version))"
  rm -rf "$VENV"
  "$py" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check uv
  local work; work="$(mktemp -d)"
  # Home Assistant's own constraints keep the resolver from drifting (and pycares 5 breaks aiodns 3.2).
  "$VENV/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps -d "$work" "homeassistant==$HA_VERSION"
  "$VENV/bin/python" - "$work" <<'PY'
import pathlib, sys, zipfile
work = pathlib.Path(sys.argv[1])
wheel = next(work.glob("homeassistant-*.whl"))
with zipfile.ZipFile(wheel) as zf:
    (work / "constraints.txt").write_bytes(zf.read("homeassistant/package_constraints.txt"))
PY
  echo 'pycares<5' >> "$work/constraints.txt"
  UV_PYTHON_DOWNLOADS=never "$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" \
    -c "$work/constraints.txt" -r requirements_test.txt
  rm -rf "$work"
  echo "$want" > "$stamp"
}
