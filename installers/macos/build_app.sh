#!/usr/bin/env bash
# macOS: dist/MissionDesk.app from the PyInstaller spec, its self-test, and dist/MissionDesk-VERSION.dmg.
# Usage (on a Mac, in this checkout): installers/macos/build_app.sh
# Python: $PYTHON, else .venv/bin/python (with MissionDesk's dependencies installed).
# Signing: MD_CODESIGN_IDENTITY ("Developer ID Application: ..."), else PyInstaller's ad-hoc
# signature, which Gatekeeper refuses on other Macs unless the officer opens it with
# right-click > Open; notarization (xcrun notarytool) is not done here.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
say() { printf 'build_app: %s\n' "$*" >&2; }
[ "$(uname -s)" = Darwin ] || { say "this builds the macOS app and runs only on macOS"; exit 1; }
python=${PYTHON:-$root/.venv/bin/python}
[ -x "$python" ] || { say "no Python at $python: set PYTHON"; exit 1; }
"$python" -c 'import PyInstaller' 2>/dev/null || "$python" -m pip install --quiet 'pyinstaller>=6.10'
version=$(PYTHONPATH="$root/src" "$python" -c 'import missiondesk; print(missiondesk.__version__)')

SECONDS=0
rm -rf "$root/dist/MissionDesk.app"
"$python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$root/dist" --workpath "$root/build/pyinstaller" "$root/installers/missiondesk.spec"
app="$root/dist/MissionDesk.app"
[ -d "$app" ] || { say "PyInstaller made no $app"; exit 1; }
say "MissionDesk $version: app built in ${SECONDS} s, $(du -sm "$app" | cut -f1) MB"

# PyInstaller signs every binary ad hoc; a Developer ID replaces that with the hardened runtime
# (which an ad-hoc signature must not ask for: library validation would refuse the bundle's own).
if [ -n "${MD_CODESIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp --sign "$MD_CODESIGN_IDENTITY" "$app"
fi
codesign --verify --deep --strict "$app"

SECONDS=0
env -u PYTHONPATH -u QT_QPA_PLATFORM "$app/Contents/MacOS/missiondesk" --self-test
say "self-test from the app took ${SECONDS} s"

stage="$root/build/dmg"
rm -rf "$stage"; mkdir -p "$stage"
cp -R "$app" "$stage/"
ln -s /Applications "$stage/Applications"
dmg="$root/dist/MissionDesk-$version.dmg"
rm -f "$dmg"
hdiutil create -volname "MissionDesk $version" -srcfolder "$stage" -ov -format UDZO "$dmg" >/dev/null
say "$(basename "$dmg"): $(( $(stat -f %z "$dmg") / 1024 / 1024 )) MB"
echo "$dmg"
