import { expect } from 'chai';
import { silentLogger, type ISessionLauncher } from '@pigeondeliver/core';
import { launchAllowList } from '@pigeondeliver/forker-listen';

const launcher: ISessionLauncher = {
  launch: () => Promise.reject(new Error('not used')),
};

describe('the primary\'s launch allow-list (the programs the configured backends start)', () => {
  it('holds exactly the backends\' launch commands, from the same options the workers get', async () => {
    const allowed = await launchAllowList(
      [
        '-o', 'backend=backend-dovecot',
        '-o', 'backends=backend-courier',
        '-o', 'dovecot_imap_path=/opt/dovecot/imap',
        '-o', 'dovecot_pop3_path=/opt/dovecot/pop3',
        '-o', 'courier_prefix=/opt/courier',
        '-o', 'database_url=/nonexistent/never-opened.sqlite',
      ],
      silentLogger(),
      launcher,
      undefined,
    );
    expect(allowed.undeclared).to.deep.equal([]);
    expect([...(allowed.commands ?? [])].sort()).to.deep.equal([
      '/opt/courier/usr/bin/imapd',
      '/opt/courier/usr/lib/courier/courier/courierpop3d',
      '/opt/dovecot/imap',
      '/opt/dovecot/pop3',
    ]);
  });

  it('doveconf mode starts doveconf only', async () => {
    const allowed = await launchAllowList(['-o', 'backend=backend-dovecot', '-o', 'dovecot_mode=doveconf', '-o', 'dovecot_doveconf_path=/usr/bin/doveconf'], silentLogger(), launcher, undefined);
    expect([...(allowed.commands ?? [])]).to.deep.equal(['/usr/bin/doveconf']);
  });
});
