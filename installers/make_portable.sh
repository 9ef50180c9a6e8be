#!/usr/bin/env bash
# Make a portable MissionDesk folder (for a USB stick) from the built bundle:
#   DEST/MissionDesk/missiondesk               the app (dist/missiondesk/, copied)
#   DEST/MissionDesk/missiondesk-portable      the marker: the app runs in portable mode
#   DEST/MissionDesk/MissionDesk-data/         the vault, settings, logs, and what Qt and the
#                                              desktop libraries would write on the host
#   DEST/MissionDesk/README-portable.txt       how to use it
# Usage: installers/make_portable.sh DEST [BUNDLE_DIR]   (BUNDLE_DIR: dist/missiondesk)
# Run again over an existing portable folder to update the app: MissionDesk-data/ is kept.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf 'make_portable: %s\n' "$*" >&2; }
[ $# -ge 1 ] || { say "usage: installers/make_portable.sh DEST [BUNDLE_DIR]"; exit 2; }
dest=$1
bundle=${2:-$root/dist/missiondesk}
[ -x "$bundle/missiondesk" ] || { say "no bundle at $bundle: run installers/build_linux.sh --bundle-only"; exit 1; }
mkdir -p "$dest" || { say "cannot make $dest"; exit 1; }
app="$(cd "$dest" && pwd)/MissionDesk"
data="$app/MissionDesk-data"
if [ -e "$app" ] && [ ! -f "$app/missiondesk-portable" ]; then
  say "$app exists and is not a portable MissionDesk folder: not touched"; exit 1
fi

# The app's files are replaced; the data folder is never copied over nor removed.
mkdir -p "$app"
rm -rf "$app/_internal" "$app/missiondesk"
# A FAT32 stick holds no symbolic links (the bundle has some, to libraries it carries elsewhere
# in _internal/): there the linked files are copied instead, which costs about 100 MB.
probe="$app/.missiondesk-link-probe"
rm -f "$probe"
if ln -s missiondesk "$probe" 2>/dev/null; then
  rm -f "$probe"
  cp -R "$bundle/." "$app/"
else
  say "$dest has no symbolic links (FAT?): the bundle's $(find "$bundle" -type l | wc -l) linked libraries are copied"
  cp -RL "$bundle/." "$app/"
fi
mkdir -p "$data"
chmod 0700 "$data" 2>/dev/null || true  # a FAT or exFAT stick has no permissions: harmless
printf '%s\n' 'MissionDesk runs in portable mode when this file (or a MissionDesk-data folder) is' \
  'beside its executable: its data stays in MissionDesk-data/ next to it.' > "$app/missiondesk-portable"
version=$("$app/missiondesk" --version 2>/dev/null | sed 's/^MissionDesk //' || true)
cat > "$app/README-portable.txt" <<README
MissionDesk ${version:-} - portable

This folder is MissionDesk for a USB stick. It runs on a Linux laptop (x86-64, glibc 2.36 or
newer, an X11 or Wayland desktop with libGL, libEGL and fontconfig, as on any Debian 12 desktop)
without installing anything, and keeps everything it writes in MissionDesk-data/ beside it:

  MissionDesk-data/vault/          the encrypted vault
  MissionDesk-data/settings.json   settings; window.ini the window's size and place
  MissionDesk-data/logs/           the log (events and error types, never mission content)
  MissionDesk-data/host/           what Qt, fontconfig and the desktop libraries would otherwise
                                   write into the laptop's home folder (caches, file dialog
                                   history); MissionDesk-data/tmp/ the temporary folder

Start it in a terminal, in this folder:   ./missiondesk
(or open "missiondesk" from the file manager; some ask first whether to run it)
Check it works on this laptop:            ./missiondesk --self-test
The command line works the same way:      ./missiondesk status

Nothing is written into the laptop's home folder. Portable mode comes from the file
"missiondesk-portable" (or the folder MissionDesk-data) beside the executable;
"missiondesk --portable DIR" keeps the data in DIR instead.

The stick: exFAT (what larger sticks come formatted with) or ext4. On FAT32 the copy works but was not seen
to hold a vault (see docs/installers.md); if "./missiondesk" says "Permission denied", the
stick is mounted without permission to run programs.

Keep the stick safe: the vault is encrypted with your passphrase, but whoever holds the stick
holds the vault. Quit MissionDesk before you unplug the stick (what it wrote last may not have
reached the stick yet). Copy MissionDesk-data/ somewhere safe to back it up, with MissionDesk
closed.
README
say "portable MissionDesk in $app (data: $data)"
echo "$app"
