#!/usr/bin/env bash
# Install the .deb into a bare Debian bookworm root (debootstrap --variant=minbase) with
# `apt-get install ./missiondesk_*.deb`, so its Depends resolve from the mirror, and run
# `missiondesk --self-test` there with no display. Prints how long each part took.
# Usage (as root): installers/test_deb_in_debootstrap.sh [PACKAGE.deb]
# The bare root is made once and kept as a tar in build/debootstrap/ (MD_DEBROOT_TAR chooses
# another); every run starts from a fresh copy of it, so nothing a run installed survives.
set -euo pipefail

root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf 'test_deb: %s\n' "$*" >&2; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
took() { local ms=$(( $(now_ms) - $1 )); printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); }
[ "$(id -u)" -eq 0 ] || { say "run as root (debootstrap, chroot and mounts need it)"; exit 1; }
deb=${1:-$(ls -t "$root_dir"/dist/missiondesk_*.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { say "no .deb: run installers/build_linux.sh first"; exit 1; }
work="$root_dir/build/debootstrap"
pristine=${MD_DEBROOT_TAR:-$work/bookworm-minbase.tar}
chroot_dir="$work/root"
mkdir -p "$work"
# The Debian mirror: MD_DEBIAN_MIRROR, else the one apt already uses when it is Debian's (not on
# an Ubuntu CI runner), else deb.debian.org.
host_mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 || true)
case "$host_mirror" in *debian*) ;; *) host_mirror="" ;; esac
mirror=${MD_DEBIAN_MIRROR:-${host_mirror:-http://deb.debian.org/debian}}

unmount() { for m in proc sys dev; do umount -l "$chroot_dir/$m" 2>/dev/null || true; done; }
trap unmount EXIT
unmount

if [ ! -f "$pristine" ]; then
  command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap debian-archive-keyring >/dev/null; }
  say "debootstrap --variant=minbase bookworm from $mirror (once)"
  start=$(now_ms)
  rm -rf "$chroot_dir"
  if ! debootstrap --variant=minbase bookworm "$chroot_dir" "$mirror" >"$work/debootstrap.log" 2>&1; then
    say "debootstrap failed (log: $work/debootstrap.log):"; tail -5 "$work/debootstrap.log" >&2; exit 1
  fi
  if [ -n "$host_mirror" ]; then  # a Debian host: its updates and security suites too
    cp /etc/apt/sources.list.d/*.sources "$chroot_dir/etc/apt/sources.list.d/" 2>/dev/null || true
  fi
  tar -C "$chroot_dir" -cf "$pristine" .
  say "bare root made in $(took "$start")"
fi
start=$(now_ms)
rm -rf "$chroot_dir"; mkdir -p "$chroot_dir"; tar -C "$chroot_dir" -xf "$pristine"
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf" 2>/dev/null || true
# This workplace reaches the mirror through a TLS proxy: the root gets the same CA bundle.
ca_env=()
if [ -n "${SSL_CERT_FILE:-}" ] && [ -f "$SSL_CERT_FILE" ]; then
  mkdir -p "$chroot_dir/etc/ssl"; cp "$SSL_CERT_FILE" "$chroot_dir/etc/ssl/registry-ca.pem"
  ca_env=(SSL_CERT_FILE=/etc/ssl/registry-ca.pem)
fi
mount -t proc proc "$chroot_dir/proc"; mount --bind /dev "$chroot_dir/dev"; mount --bind /sys "$chroot_dir/sys"
cp "$deb" "$chroot_dir/tmp/missiondesk.deb"
say "fresh copy of the bare root in $(took "$start")"
inside() { env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
           LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "${ca_env[@]}" chroot "$chroot_dir" sh -c "$1"; }

start=$(now_ms)
inside "apt-get update -qq && apt-get install -y -qq --no-install-recommends /tmp/missiondesk.deb" \
  >"$work/apt.log" 2>&1 || { say "apt-get install failed (log: $work/apt.log):"; tail -8 "$work/apt.log" >&2; exit 1; }
say "apt-get install ./$(basename "$deb") (with its Depends) in $(took "$start")"
inside "test -x /usr/bin/missiondesk && test -f /usr/share/applications/missiondesk.desktop && test -f /usr/share/icons/hicolor/scalable/apps/missiondesk.svg" \
  || { say "the package's files are not where they belong"; exit 1; }

start=$(now_ms)
set +e
line=$(inside "cd /tmp && missiondesk --self-test" 2>&1); code=$?
set -e
echo "$line"
say "missiondesk --self-test in the bare root: exit $code in $(took "$start") (with the process start)"
exit "$code"
