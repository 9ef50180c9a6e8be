#!/usr/bin/env bash
# Build the Linux installers from this checkout: the PyInstaller one-folder bundle
# (dist/missiondesk/), its self-test, and the Debian package (dist/missiondesk_VERSION_ARCH.deb).
# Usage: installers/build_linux.sh [--bundle-only]
# The Python used is $PYTHON, else .venv/bin/python of this checkout (./scripts/start.sh makes it).
# PyInstaller is installed into that environment when missing; binutils (objdump) with apt-get.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
say() { printf 'build_linux: %s\n' "$*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
seconds_since() { local ms=$(( $(now_ms) - $1 )); printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100)); }
python=${PYTHON:-$root/.venv/bin/python}
if [ ! -x "$python" ]; then
  say "no Python environment at $python: run ./scripts/start.sh once, or set PYTHON"; exit 1
fi

if ! command -v objdump >/dev/null 2>&1; then
  say "installing binutils (PyInstaller reads libraries with objdump)"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends binutils >/dev/null
fi
if ! "$python" -c 'import PyInstaller' 2>/dev/null; then
  say "installing PyInstaller into $("$python" -c 'import sys; print(sys.prefix)')"
  "$python" -m pip install --quiet --disable-pip-version-check 'pyinstaller>=6.10'
fi

version=$(PYTHONPATH="$root/src" "$python" -c 'import missiondesk; print(missiondesk.__version__)')
say "MissionDesk $version: building the bundle"
start=$(now_ms)
"$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$root/dist" --workpath "$root/build/pyinstaller" "$root/installers/missiondesk.spec"
bundle="$root/dist/missiondesk"
say "bundle built in $(seconds_since "$start") s: $(du -sm "$bundle" | cut -f1) MB in $bundle"

# The self-test from the bundle, with nothing of this checkout or the venv on the path.
start=$(now_ms)
env -u PYTHONPATH -u PYTHONHOME -u QT_QPA_PLATFORM -u MISSIONDESK_RESOURCES "$bundle/missiondesk" --self-test
say "bundle self-test took $(seconds_since "$start") s (with the process start)"

if [ "${1:-}" != "--bundle-only" ]; then
  "$root/installers/build_deb.sh" "$bundle" "$version"
fi
