import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { PasswordsApopVerifier, apopDigest, apopTimestamp } from '@pigeondeliver/login-pop3';

describe('APOP', () => {
  // RFC 1939 §7 example.
  const ts = '<1896.697170952@dbc.mtview.ca.us>';
  const rfcDigest = Buffer.from('c4c9334bac560ecc979e58001b3e22fb', 'hex');

  it('apopDigest reproduces the RFC 1939 §7 example', () => {
    expect(apopDigest(ts, Buffer.from('tanstaaf'))).to.deep.equal(rfcDigest);
  });

  it('apopTimestamp is <pid.random@host>, unique, with a safe host part', () => {
    const a = apopTimestamp('mail.example.org');
    expect(a).to.match(new RegExp(`^<${process.pid}\\.[0-9a-f]{24}@mail\\.example\\.org>$`));
    expect(apopTimestamp('mail.example.org')).to.not.equal(a);
    expect(apopTimestamp('bad>host name')).to.match(/@badhostname>$/);
    expect(apopTimestamp('>>>')).to.match(/@localhost>$/);
  });

  it('checks digests against reversible stored passwords with the real passwords package', async () => {
    const v = new PasswordsApopVerifier('CRYPT');
    expect(await v.check('{PLAIN}tanstaaf', 'mrose', ts, rfcDigest)).to.equal(true);
    expect(await v.check('{CLEAR}tanstaaf', 'mrose', ts, rfcDigest)).to.equal(true);
    expect(await v.check(`{PLAIN.B64}${Buffer.from('tanstaaf').toString('base64')}`, 'mrose', ts, rfcDigest)).to.equal(true);
    expect(await v.check('{PLAIN}other', 'mrose', ts, rfcDigest)).to.equal(false);
    expect(await v.check('{PLAIN}tanstaaf', 'mrose', ts, rfcDigest.subarray(0, 8))).to.equal(false);
  });

  it('one-way hashes cannot serve APOP (false); unusable values reject (a temporary failure upstream)', async () => {
    const v = new PasswordsApopVerifier('CRYPT');
    const sha = `{SHA256}${createHash('sha256').update('tanstaaf').digest('base64')}`;
    expect(await v.check(sha, 'mrose', ts, rfcDigest)).to.equal(false);
    expect(await v.check('$6$salt$abc', 'mrose', ts, rfcDigest)).to.equal(false);
    let failed = false;
    await v.check('{NO-SUCH-SCHEME}x', 'mrose', ts, rfcDigest).catch(() => (failed = true));
    expect(failed).to.equal(true);
  });

  it('uses the default scheme for values without {SCHEME}', async () => {
    expect(await new PasswordsApopVerifier('PLAIN').check('tanstaaf', 'mrose', ts, rfcDigest)).to.equal(true);
    expect(await new PasswordsApopVerifier('CRYPT').check('tanstaaf', 'mrose', ts, rfcDigest)).to.equal(false);
  });
});
