import { InvalidDataError } from '@pigeondeliver/core';
import { InvalidInputError } from '@pigeondeliver/db-common';
import { expect } from 'chai';
import { changesToColumns, newUserToColumns, rowToUser } from '../../dist/user-row.js';

const row = {
  id: 3, login: 'Eve', password: '{PLAIN}p', uid: 1000, gid: 1000, home: '/home/eve', mail: null, host: '', backend: null,
  quota_bytes: '1099511627776', enabled: 1, allow_imap: 0, allow_pop3: true, version: 4,
  created_at: 1_700_000_000_000, updated_at: new Date(1_700_000_000_500), last_login_at: null, last_login_ip: null,
};

describe('user-row', () => {
  it('decodes a row of any driver into a UserRecord', () => {
    const u = rowToUser(row);
    expect(u).to.include({ id: 3, login: 'Eve', quotaBytes: 1_099_511_627_776, enabled: true, allowImap: false, allowPop3: true, host: '', version: 4 });
    expect(u.createdAt.getTime()).to.equal(1_700_000_000_000);
  });

  it('names the user and the column of a bad value', () => {
    expect(() => rowToUser({ ...row, gid: -1 })).to.throw(InvalidDataError, /user "Eve": column gid/);
    expect(() => rowToUser({ ...row, home: 'eve' })).to.throw(InvalidDataError, /column home/);
    expect(() => rowToUser({ ...row, version: 0 })).to.throw(InvalidDataError, /column version/);
    expect(() => rowToUser({ ...row, password: 7 })).to.throw(InvalidDataError, /column password holds a value/);
  });

  it('maps changes to columns and refuses unknown fields and bad values', () => {
    expect(changesToColumns({ quotaBytes: 5, allowPop3: false, host: null })).to.deep.equal({ quota_bytes: 5, allow_pop3: false, host: null });
    expect(newUserToColumns({ login: 'x' })).to.deep.equal({ enabled: true, allow_imap: true, allow_pop3: true });
    expect(() => changesToColumns({ nickname: 'x' } as never)).to.throw(InvalidInputError, /unknown user field "nickname"/);
    expect(() => changesToColumns({ enabled: 'yes' } as never)).to.throw(InvalidInputError, /enabled/);
    expect(() => changesToColumns({ gid: 2 ** 31 })).to.throw(InvalidInputError, /gid/);
    expect(() => changesToColumns({ password: 42 } as never)).to.throw(InvalidInputError, /^password must be null or a string$/);
  });
});
