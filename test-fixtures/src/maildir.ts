/**
 * Maildir helpers for backend tests: create a Maildir owned by a test user, deliver a message the way
 * an MTA does (write in tmp/, rename into new/), list what is left.
 */
import { chownSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Owner of created files; omitted: the current process. */
export interface MaildirOwner {
  readonly uid: number;
  readonly gid: number;
}

let counter = 0;

function own(path: string, owner?: MaildirOwner): void {
  if (owner && process.getuid?.() === 0) chownSync(path, owner.uid, owner.gid);
}

/** Creates `path` and its cur/new/tmp (mode 0700), owned by `owner`. Parents must exist. */
export function createMaildir(path: string, owner?: MaildirOwner): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  own(path, owner);
  for (const sub of ['cur', 'new', 'tmp']) {
    mkdirSync(join(path, sub), { recursive: true, mode: 0o700 });
    own(join(path, sub), owner);
  }
}

/** Delivers `message` into `maildir/new` (via tmp/, as Maildir requires); returns the file name. */
export function deliverMessage(maildir: string, message: string | Buffer, owner?: MaildirOwner): string {
  const name = `${Date.now()}.P${process.pid}Q${++counter}.${hostname().replace(/[/:]/g, '_')}`;
  const tmp = join(maildir, 'tmp', name);
  writeFileSync(tmp, message, { mode: 0o600 });
  own(tmp, owner);
  renameSync(tmp, join(maildir, 'new', name));
  return name;
}

/** File names of the messages still in the Maildir (new and cur). */
export function maildirMessages(maildir: string): string[] {
  return ['new', 'cur'].flatMap((sub) => readdirSync(join(maildir, sub)).map((f) => `${sub}/${f}`));
}

/** A small RFC 5322 message with LF line endings, as stored in a Maildir. */
export function sampleMessage(subject = 'pigeon test'): string {
  return [
    'From: Sender <sender@example.org>',
    'To: User <user@example.org>',
    `Subject: ${subject}`,
    'Date: Tue, 25 Nov 2025 12:00:00 +0000',
    'Message-ID: <pigeon-test@example.org>',
    '',
    'Hello from the backend tests.',
    'Second line.',
    '',
  ].join('\n');
}
