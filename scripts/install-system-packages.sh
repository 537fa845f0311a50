#!/usr/bin/env bash
# Installs the Debian packages the tests and the main job need, on a bare Debian 12 machine, as root.
# Idempotent: apt-get skips what is installed. Courier is unpacked privately by install-courier.sh
# because Debian's courier-imap conflicts with dovecot-imapd.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then echo "install-system-packages.sh: run as root" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
PACKAGES=(
  # Dovecot: doveadm for password test vectors, imap/pop3 for the backend
  dovecot-core dovecot-imapd dovecot-pop3d
  # Real clients used by the tests
  gsasl curl openssl python3 ca-certificates
  # Courier's runtime libraries (Courier itself is unpacked by install-courier.sh)
  libcourier-unicode4 libidn12 libgamin0 libgdbm6 courier-authlib
  # Launchers (postfix: the Postfix master for pd-forker-postfix tests; preseeded below, no site config)
  openbsd-inetd postfix
  # systemd-socket-activate (pd-forker-listen socket-activation test); systemd is not started
  systemd
  # Tools used by tests
  procps iproute2
  # Native addons built by npm ci (pd_fdpass, pd_crypt): C toolchain (node-gyp links with g++), and crypt.h for crypt(3) (libxcrypt)
  make gcc g++ libc6-dev libcrypt-dev
)
# Postfix asks for a mailer type on install: answer "No configuration" (the tests use private configs).
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" >/dev/null
# Debian starts dovecot on install where it can; our tests start their own instances.
# Courier-IMAP unpacked into a private prefix (conflicts with dovecot-imapd as a Debian package).
"$(dirname "$0")/install-courier.sh"
