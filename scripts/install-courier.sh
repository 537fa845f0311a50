#!/usr/bin/env bash
# Unpacks Courier-IMAP (imapd, courierpop3d) into a private prefix, as root, idempotently.
#
# Why not apt-get install: Debian's courier-imap and dovecot-imapd conflict (both provide imap-server),
# and the backend tests need both. The runtime libraries come from Debian packages that do not conflict
# (libcourier-unicode4 libidn12 libgamin0 courier-authlib libgdbm6, installed by install-system-packages.sh);
# Courier's own packages are only downloaded and extracted with dpkg -x, so their maintainer scripts
# never run and nothing is registered with dpkg.
#
# Usage: scripts/install-courier.sh [prefix]     (default /opt/pigeondeliver/courier, or $COURIER_PREFIX)
# Result: <prefix>/usr/bin/imapd, <prefix>/usr/lib/courier/courier/courierpop3d and the
# variable file <prefix>/etc/courier/imapd, which backend-courier reads (option courier_prefix).
set -euo pipefail
PREFIX="${1:-${COURIER_PREFIX:-/opt/pigeondeliver/courier}}"
PACKAGES=(courier-base courier-imap courier-pop)
IMAPD="$PREFIX/usr/bin/imapd"
POP3D="$PREFIX/usr/lib/courier/courier/courierpop3d"

if [ "$(id -u)" != 0 ]; then echo "install-courier.sh: run as root" >&2; exit 1; fi

check() {
  # imapd without AUTHENTICATED refuses to run; any answer from the dynamic loader means a missing library.
  local out
  if out=$(ldd "$IMAPD" "$POP3D" 2>&1) && ! grep -q 'not found' <<<"$out"; then return 0; fi
  echo "$out" >&2
  return 1
}

if [ -x "$IMAPD" ] && [ -x "$POP3D" ] && [ -f "$PREFIX/etc/courier/imapd" ] && check; then
  echo "install-courier.sh: Courier already unpacked in $PREFIX"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# Runtime libraries (also in install-system-packages.sh; repeated so this script works alone).
apt-get install -y -qq --no-install-recommends libcourier-unicode4 libidn12 libgamin0 libgdbm6 courier-authlib >/dev/null

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"
if id _apt >/dev/null 2>&1; then chown _apt "$WORK"; fi
# apt-get download writes into the current directory and runs as the _apt user when it can.
( cd "$WORK" && apt-get download -qq "${PACKAGES[@]}" )
mkdir -p "$PREFIX"
for deb in "$WORK"/*.deb; do
  dpkg -x "$deb" "$PREFIX"
done
chmod 755 "$PREFIX"

if ! check; then
  echo "install-courier.sh: unpacked Courier in $PREFIX but its libraries are missing (see above)" >&2
  exit 1
fi
echo "install-courier.sh: Courier unpacked in $PREFIX ($(ls "$WORK"/*.deb | xargs -n1 basename | tr '\n' ' '))"
