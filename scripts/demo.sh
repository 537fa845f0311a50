#!/usr/bin/env bash
# The README's main command: sets up the machine (Debian packages, npm packages, build), creates the
# embedded SQLite user database under ./demo with a demo user (random password, printed once) and a
# welcome message, then runs pd-forker-listen in the foreground with backend-dovecot:
# IMAP on 127.0.0.1:1143, POP3 on 127.0.0.1:1110. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
bash scripts/setup.sh >&2

DEMO=${PD_DEMO_DIR:-$ROOT/demo}
IMAP_PORT=${PD_DEMO_IMAP_PORT:-1143}
POP3_PORT=${PD_DEMO_POP3_PORT:-1110}
mkdir -p "$DEMO/db" "$DEMO/home"
chmod 755 "$DEMO" "$DEMO/home"

if [ "$(id -u)" = 0 ]; then
  # The mailbox belongs to a system user of its own; the workers that talk to clients run as another.
  id pdmail >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin pdmail
  id pdlogin >/dev/null 2>&1 || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin pdlogin
  MAIL_UID=$(id -u pdmail); MAIL_GID=$(id -g pdmail)
  WORKER_USER=pdlogin
else
  MAIL_UID=$(id -u); MAIL_GID=$(id -g)
  WORKER_USER=$(id -un)
fi

CONF=$DEMO/pigeondeliver.cf
cat > "$CONF" <<CONF
# Written by scripts/demo.sh. Every PigeonDeliver program reads this file with -c.
database = db-sqlite
database_url = $DEMO/db/users.sqlite
backend = backend-dovecot
home_roots = $DEMO/home
first_valid_uid = $(( MAIL_UID < 500 ? MAIL_UID : 500 ))
dscm_service = login-imap
listen = imap=127.0.0.1:$IMAP_PORT, pop3=127.0.0.1:$POP3_PORT/service=login-pop3
listen_user = $WORKER_USER
listen_workers = 2
# Loopback clients are trusted (secured), so plaintext LOGIN works without TLS for the demo.
trusted_networks = 127.0.0.0/8 ::1/128
CONF

ADMIN=(node "$ROOT/packages/admin/dist/bin/pd-admin.js" -c "$CONF")
"${ADMIN[@]}" db migrate >/dev/null
PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
if "${ADMIN[@]}" user show demo >/dev/null 2>&1; then
  printf '%s\n' "$PASSWORD" | "${ADMIN[@]}" user passwd demo >/dev/null
else
  printf '%s\n' "$PASSWORD" | "${ADMIN[@]}" user add demo --uid "$MAIL_UID" --gid "$MAIL_GID" --home "$DEMO/home/demo" >/dev/null
fi
if [ "$(id -u)" = 0 ]; then
  chown -R "$WORKER_USER" "$DEMO/db"
fi
chmod 700 "$DEMO/db"

# A welcome message, so there is something to read (the home is created by the first login otherwise).
HOME_DIR=$DEMO/home/demo
if [ ! -d "$HOME_DIR/Maildir/new" ]; then
  install -d -m 700 "$HOME_DIR" "$HOME_DIR/Maildir" "$HOME_DIR/Maildir/cur" "$HOME_DIR/Maildir/new" "$HOME_DIR/Maildir/tmp"
  cat > "$HOME_DIR/Maildir/new/1000000000.demo.pigeondeliver" <<MSG
From: PigeonDeliver <postmaster@localhost>
To: demo@localhost
Subject: Welcome to PigeonDeliver
Date: $(date -R)
Message-ID: <welcome.$$@localhost>

You are reading this through Dovecot, started by PigeonDeliver already
authenticated as you, on your own connection.
MSG
  if [ "$(id -u)" = 0 ]; then chown -R "$MAIL_UID:$MAIL_GID" "$HOME_DIR"; fi
fi

cat <<INFO

PigeonDeliver demo: pd-forker-listen with the embedded SQLite database ($DEMO/db/users.sqlite) and Dovecot.
IMAP on 127.0.0.1:$IMAP_PORT, POP3 on 127.0.0.1:$POP3_PORT. Stop it with Ctrl-C.

user: demo
password: $PASSWORD

Connect with a real client, for example:
  curl --user 'demo:$PASSWORD' 'imap://127.0.0.1:$IMAP_PORT/INBOX;UID=1'
  curl --user 'demo:$PASSWORD' 'pop3://127.0.0.1:$POP3_PORT/1'
  python3 -c "import imaplib; c=imaplib.IMAP4('127.0.0.1',$IMAP_PORT); c.login('demo','$PASSWORD'); print(c.select('INBOX')); print(c.fetch('1','(BODY[HEADER.FIELDS (SUBJECT)])'))"
Manage users with: node packages/admin/dist/bin/pd-admin.js -c $CONF --help

INFO
exec node "$ROOT/packages/forker-listen/dist/bin.js" -c "$CONF"
