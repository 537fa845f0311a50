import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { BackendError } from '@pigeondeliver/core';
import { parseCourierVariables, readCourierVariables } from '@pigeondeliver/backend-courier';

describe('Courier variable files', function () {
  it('parses assignments, quotes, $VAR expansion, comments and continuations', function () {
    const vars = parseCourierVariables(
      [
        '##NAME: ADDRESS:0',
        '# comment',
        'ADDRESS=0',
        'IMAP_CAPABILITY="IMAP4rev1 UIDPLUS IDLE"',
        'IMAP_CAPABILITY_TLS="$IMAP_CAPABILITY AUTH=PLAIN"',
        "LIT='$not expanded'",
        'BRACED=${ADDRESS}x',
        'ESC="a\\"b\\\\c"',
        'LONG="one \\',
        'two"',
        'EMPTY=',
        'MAILDIRPATH=Maildir',
      ].join('\n'),
    );
    expect(vars).to.deep.equal({
      ADDRESS: '0',
      IMAP_CAPABILITY: 'IMAP4rev1 UIDPLUS IDLE',
      IMAP_CAPABILITY_TLS: 'IMAP4rev1 UIDPLUS IDLE AUTH=PLAIN',
      LIT: '$not expanded',
      BRACED: '0x',
      ESC: 'a"b\\c',
      LONG: 'one two',
      EMPTY: '',
      MAILDIRPATH: 'Maildir',
    });
  });

  it('refuses commands and command substitution with the line number', function () {
    expect(() => parseCourierVariables('A=1\nrm -rf /\n', 'f')).to.throw(BackendError, /f:2: expected NAME=value/);
    expect(() => parseCourierVariables('A=`id`', 'f')).to.throw(BackendError, /command substitution/);
    expect(() => parseCourierVariables('A="open', 'f')).to.throw(BackendError, /unterminated/);
  });

  it('reads the unpacked imapd file (when Courier is installed)', function () {
    const path = '/opt/pigeondeliver/courier/etc/courier/imapd';
    if (!existsSync(path)) this.skip();
    const vars = readCourierVariables(path);
    expect(vars.MAILDIRPATH).to.equal('Maildir');
    expect(vars.IMAP_CAPABILITY_TLS).to.equal(`${vars.IMAP_CAPABILITY} AUTH=PLAIN`);
    expect(() => readCourierVariables('/nonexistent/imapd')).to.throw(BackendError, /cannot read/);
  });
});
