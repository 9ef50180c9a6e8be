#!/usr/bin/env bash
# Build the Linux installers from this checkout: the PyInstaller one-folder bundle
# (dist/missiondesk/) with the debug info of its libraries removed, its self-test, and the Debian
# package (dist/missiondesk_VERSION_ARCH.deb).
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

if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
if ! command -v objdump >/dev/null 2>&1 || ! command -v strip >/dev/null 2>&1; then
  say "installing binutils (PyInstaller reads libraries with objdump; strip removes debug info)"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends binutils >/dev/null
fi
if ! command -v file >/dev/null 2>&1; then
  say "installing file (it tells which libraries carry debug info)"
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends file >/dev/null
fi
if ! "$python" -c 'import PyInstaller' 2>/dev/null; then
  say "installing PyInstaller into $("$python" -c 'import sys; print(sys.prefix)')"
  "$python" -m pip install --quiet --disable-pip-version-check 'pyinstaller>=6.10'
fi

version=$(PYTHONPATH="$root/src" "$python" -c 'import missiondesk; print(missiondesk.__version__)')
say "MissionDesk $version: building the bundle"
start=$(now_ms)
# The Python modules are stored uncompressed in the executable (PyInstaller zlib-compresses them
# by default): the .deb's xz then packs them to 6.6 MB instead of keeping zlib's 10.7 MB.
PYINSTALLER_ZLIB_COMPRESSION_LEVEL=${PYINSTALLER_ZLIB_COMPRESSION_LEVEL:-0} \
"$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$root/dist" --workpath "$root/build/pyinstaller" "$root/installers/missiondesk.spec"
bundle="$root/dist/missiondesk"
say "bundle built in $(seconds_since "$start") s: $(du -sm "$bundle" | cut -f1) MB in $bundle"

# Debug info: some libraries arrive with full DWARF sections (libpython of a pyenv build, the
# sqlcipher3 extension). Only those files lose them, and only the debug sections
# (--strip-debug keeps the symbol tables); numpy.libs/ is never touched: stripping numpy's
# bundled OpenBLAS breaks it. The self-test below runs on the stripped bundle.
start=$(now_ms)
mapfile -t with_debug < <(find "$bundle" -type f -not -path '*/numpy.libs/*' -print0 \
  | xargs -0 file -F '|' | grep 'with debug_info' | cut -d'|' -f1)
if [ "${#with_debug[@]}" -gt 0 ]; then
  before=$(du -cb "${with_debug[@]}" | tail -1 | cut -f1)
  strip --strip-debug "${with_debug[@]}"
  after=$(du -cb "${with_debug[@]}" | tail -1 | cut -f1)
  say "debug info removed from ${#with_debug[@]} files ($((before / 1048576)) MiB -> $((after / 1048576)) MiB) in $(seconds_since "$start") s: $(du -sm "$bundle" | cut -f1) MB"
fi

# Every library of the bundle finds the libraries it needs, in the bundle or on any desktop
# (the spec leaves some out): only GL/EGL/Vulkan (the system's drivers) and Wayland's client
# libraries (present wherever a Wayland session runs) may be missing here.
missing=$(find "$bundle" -type f \( -name '*.so' -o -name '*.so.*' \) -print0 \
  | LD_LIBRARY_PATH="$bundle/_internal:$bundle/_internal/PySide6/Qt/lib" xargs -0 -n1 ldd 2>/dev/null \
  | awk '/not found/ {print $1}' | sort -u \
  | grep -Ev '^lib(GL|EGL|OpenGL|GLX|vulkan|wayland-[a-z]+)\.so' || true)
if [ -n "$missing" ]; then
  say "libraries of the bundle need what it does not carry: $(echo $missing)"; exit 1
fi

# The self-test from the bundle, with nothing of this checkout or the venv on the path.
start=$(now_ms)
env -u PYTHONPATH -u PYTHONHOME -u QT_QPA_PLATFORM -u MISSIONDESK_RESOURCES "$bundle/missiondesk" --self-test
say "bundle self-test took $(seconds_since "$start") s (with the process start)"

if [ "${1:-}" != "--bundle-only" ]; then
  "$root/installers/build_deb.sh" "$bundle" "$version"
fi
