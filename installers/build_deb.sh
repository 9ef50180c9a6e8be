#!/usr/bin/env bash
# Pack the PyInstaller bundle into a Debian package with dpkg-deb (xz -9; MD_DEB_XZ_LEVEL sets
# another level, 6 is dpkg's default: faster, about 1.5 MB larger):
#   /opt/missiondesk/            the bundle
#   /usr/bin/missiondesk         the launcher
#   /usr/share/applications/missiondesk.desktop, /usr/share/icons/hicolor/scalable/apps/missiondesk.svg
#   and PNGs in /usr/share/icons/hicolor/NNxNN/apps/ (16-512)
# Usage: installers/build_deb.sh [BUNDLE_DIR [VERSION]]   (defaults: dist/missiondesk, the package's)
# Normally run by installers/build_linux.sh after it built and self-tested the bundle.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf 'build_deb: %s\n' "$*" >&2; }
bundle=${1:-$root/dist/missiondesk}
version=${2:-$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$root/src/missiondesk/__init__.py")}
arch=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-MissionDesk maintainers <missiondesk@example.org>}
[ -x "$bundle/missiondesk" ] || { say "no bundle at $bundle: run installers/build_linux.sh"; exit 1; }
[ -n "$version" ] || { say "cannot read the version from src/missiondesk/__init__.py"; exit 1; }

# What the bundle does not carry and a bare Debian lacks: libGL and libEGL (PyInstaller leaves
# the GL drivers to the system), and fontconfig's configuration, which brings a font (the bundle
# carries libfontconfig itself, but without /etc/fonts every glyph draws as a box). The bundle
# carries xkbcommon, D-Bus, GLib, ICU and the xcb libraries of Qt's X11 platform; libxcb1 and
# libx11 come with any X desktop. installers/test_deb_in_debootstrap.sh checks this on bare Debian.
depends="libgl1, libegl1, libfontconfig1"

stage="$root/build/deb/missiondesk_${version}_$arch"
rm -rf "$stage"
install -d -m 0755 "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/icons/hicolor/scalable/apps" "$stage/usr/share/doc/missiondesk"
cp -a "$bundle" "$stage/opt/missiondesk"
chmod -R u=rwX,go=rX "$stage/opt/missiondesk"
install -m 0755 "$root/installers/linux/missiondesk.sh" "$stage/usr/bin/missiondesk"
install -m 0644 "$root/installers/linux/missiondesk.desktop" "$stage/usr/share/applications/"
install -m 0644 "$root/resources/icons/missiondesk.svg" "$stage/usr/share/icons/hicolor/scalable/apps/"
for size in 16 24 32 48 64 128 256 512; do  # for desktops that do not read SVG icons
  install -D -m 0644 "$root/installers/icons/missiondesk-$size.png" \
    "$stage/usr/share/icons/hicolor/${size}x${size}/apps/missiondesk.png"
done
install -m 0644 "$root/README.md" "$stage/usr/share/doc/missiondesk/README.md"

installed_kib=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat > "$stage/DEBIAN/control" <<CONTROL
Package: missiondesk
Version: $version
Section: net
Priority: optional
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_kib
Depends: $depends
Description: secure coordination for field missions
 MissionDesk keeps messages with precedence, incident logs, checklists and maps
 for officers on mission laptops in an encrypted vault that works for days
 without a connection, and syncs signed operations between laptops.
 .
 The application and its Python runtime live in /opt/missiondesk.
CONTROL
cat > "$stage/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t /usr/share/icons/hicolor || true
fi
exit 0
POSTINST
chmod 0755 "$stage/DEBIAN/postinst"

out="$root/dist/missiondesk_${version}_$arch.deb"
mkdir -p "$root/dist"
start=$(date +%s%N)
dpkg-deb --root-owner-group -Zxz "-z${MD_DEB_XZ_LEVEL:-9}" --build "$stage" "$out" >/dev/null
ms=$(( ($(date +%s%N) - start) / 1000000 ))
bytes=$(stat -c %s "$out")
say "$(basename "$out"): $bytes bytes ($(( (bytes * 10 + 524288) / 1048576 / 10 )).$(( (bytes * 10 + 524288) / 1048576 % 10 )) MiB, xz -${MD_DEB_XZ_LEVEL:-9}), installed $(( installed_kib / 1024 )) MiB, packed in $((ms / 1000)).$((ms % 1000 / 100)) s"
echo "$out"
