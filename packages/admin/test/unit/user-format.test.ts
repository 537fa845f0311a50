import { expect } from 'chai';
import type { UserRecord } from '@pigeondeliver/core';
import { formatUser, formatUserTable, passwordScheme, userToJson } from '@pigeondeliver/admin';

const user: UserRecord = {
  id: 1,
  login: 'alice',
  password: '{SHA512-CRYPT}$6$salt$hash',
  uid: 5000,
  gid: 5000,
  home: '/var/mail/alice',
  mail: null,
  host: null,
  backend: 'backend-courier',
  quotaBytes: null,
  enabled: true,
  allowImap: true,
  allowPop3: false,
  version: 3,
  createdAt: new Date('2026-01-01T00:00:00Z'),
  updatedAt: new Date('2026-01-02T00:00:00Z'),
  lastLoginAt: null,
  lastLoginIp: null,
};

describe('admin user output', () => {
  it('never prints the password hash, only its scheme', () => {
    const text = formatUser(user) + JSON.stringify(userToJson(user)) + formatUserTable([user]);
    expect(text).not.to.contain('$6$salt$hash');
    expect(formatUser(user)).to.contain('password_scheme: SHA512-CRYPT');
  });

  it('names the scheme of bare and missing passwords', () => {
    expect(passwordScheme(null)).to.equal('(none)');
    expect(passwordScheme('$6$abc$def')).to.equal('(default scheme)');
  });

  it('lists users in aligned columns', () => {
    const lines = formatUserTable([user, { ...user, login: 'bob', enabled: false, backend: null }]).split('\n');
    expect(lines[0]).to.match(/^LOGIN\s+UID:GID\s+HOST\s+BACKEND\s+FLAGS$/);
    expect(lines[1]).to.match(/^alice\s+5000:5000\s+-\s+backend-courier\s+enabled,imap$/);
    expect(lines[2]).to.match(/^bob\s+5000:5000\s+-\s+-\s+disabled,imap$/);
  });
});
