#!/usr/bin/env bash
# Shared set-up for scripts/start.sh and scripts/test.sh: system libraries Qt needs, a Python
# venv in .venv, and the project installed into it. Safe to run again; it only does what is missing.
# Usage: source scripts/setup.sh [run|test]
set -euo pipefail

md_purpose=${1:-run}
md_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
md_venv="$md_root/.venv"

md_say() { printf 'missiondesk setup: %s\n' "$*" >&2; }

# Debian/Ubuntu packages: Python with venv, and the libraries PySide6's wheels link against.
md_packages=(python3 python3-venv libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0)
if [ "$md_purpose" = test ]; then
  md_packages+=(rsync)  # bench/sync_deltas.py compares sync with rsync of the vault file
fi
if [ "$md_purpose" = run ]; then
  # Qt's X11 platform plugin (a real desktop); the offscreen platform needs none of these.
  md_packages+=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
                libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xfixes0)
fi

md_missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${md_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || md_missing+=("$pkg")
  done
fi
if [ ${#md_missing[@]} -gt 0 ]; then
  md_say "installing system packages: ${md_missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then md_sudo=(); elif command -v sudo >/dev/null 2>&1; then md_sudo=(sudo); else
    md_say "please run as root: apt-get install -y ${md_missing[*]}"; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  "${md_sudo[@]}" apt-get update -qq
  "${md_sudo[@]}" apt-get install -y -qq --no-install-recommends "${md_missing[@]}" >/dev/null
fi

md_python=${PYTHON:-python3}
if ! "$md_python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  md_say "MissionDesk needs Python 3.11 or newer (Debian 12, Ubuntu 23.04 or later); found: $("$md_python" --version 2>&1)"
  exit 1
fi

if [ ! -x "$md_venv/bin/python" ]; then
  md_say "creating a virtual environment in .venv"
  "$md_python" -m venv "$md_venv"
fi

# Reinstall only when the project's requirements changed since the last install.
md_extra=$([ "$md_purpose" = test ] && echo "[dev]" || echo "")
md_stamp="$md_venv/.missiondesk-installed$md_extra"
md_hash=$(sha256sum "$md_root/pyproject.toml" | cut -d' ' -f1)
md_current() { [ -f "$1" ] && [ "$(cat "$1")" = "$md_hash" ]; }
# An install with the test extras also serves the app.
if ! md_current "$md_stamp" && ! md_current "$md_venv/.missiondesk-installed[dev]"; then
  md_say "installing MissionDesk and its dependencies into .venv (about a minute the first time)"
  "$md_venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$md_venv/bin/python" -m pip install --quiet --disable-pip-version-check -e "$md_root$md_extra"
  echo "$md_hash" > "$md_stamp"
fi
export PATH="$md_venv/bin:$PATH"
