import { expect } from 'chai';
import { BackendError } from '@pigeondeliver/core';
import { DovecotEnvironment, parseEnvOutput } from '@pigeondeliver/backend-dovecot';
import { FAKE_EXIT_AT_ONCE } from '@pigeondeliver/test-fixtures/fake-binaries';

describe('DovecotEnvironment', function () {
  it('parses env output, keeping "=" inside values', function () {
    expect(parseEnvOutput('DOVECONF_ENV=1\nNAMESPACE/INBOX/NAME=inbox\nX=a=b\nnoise\n')).to.deep.equal({
      DOVECONF_ENV: '1', 'NAMESPACE/INBOX/NAME': 'inbox', X: 'a=b',
    });
  });

  it('reports a failing doveconf as a BackendError and does not cache the failure', async function () {
    const env = new DovecotEnvironment(FAKE_EXIT_AT_ONCE, '/nonexistent.conf');
    const err = await env.get('imap').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BackendError);
    expect((err as Error).message).to.match(/mail storage unusable/);
    expect(await env.get('imap').catch((e: unknown) => e)).to.not.equal(err);
  });

  it('refuses output without DOVECONF_ENV=1', async function () {
    const env = new DovecotEnvironment('/bin/echo', '/x');
    const err = await env.get('pop3').catch((e: unknown) => e);
    expect(err).to.be.instanceOf(BackendError);
    expect((err as Error).message).to.match(/DOVECONF_ENV=1/);
  });
});
