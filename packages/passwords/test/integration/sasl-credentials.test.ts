/**
 * SCRAM stored values against GNU SASL's `gsasl --mkpasswd`, which writes them in Dovecot's format
 * (`{SCRAM-SHA-256}count,salt,StoredKey,ServerKey`). Needs /usr/bin/gsasl; skipped with a message when
 * it is missing, except under CI=true where that is a failure.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { closePasswordWorkers, hashPassword, scramCredentials, verifyPassword } from '@pigeondeliver/passwords';

const run = promisify(execFile);
const GSASL = '/usr/bin/gsasl';

describe('passwords SCRAM values against GNU SASL (gsasl --mkpasswd) @integration', function () {
  before(function () {
    if (existsSync(GSASL)) return;
    const message = `${GSASL} not found (apt-get install gsasl)`;
    if (process.env.CI === 'true') throw new Error(message);
    console.log(`      skipped: ${message}`);
    this.skip();
  });

  after(async () => {
    await closePasswordWorkers();
  });

  async function mkpasswd(mechanism: string, password: string, salt: string, iterations: number): Promise<string> {
    const { stdout } = await run(GSASL, [
      '--mkpasswd', '--mechanism', mechanism, '--password', password, '--salt', salt, '--iteration-count', String(iterations),
    ]);
    return stdout.trim();
  }

  for (const mechanism of ['SCRAM-SHA-1', 'SCRAM-SHA-256'] as const) {
    const hash = mechanism === 'SCRAM-SHA-1' ? 'SHA-1' : 'SHA-256';

    it(`${mechanism}: gsasl's values verify, and match the credentials derived here`, async () => {
      for (const password of ['pencil', 'pässwörd ✓']) {
        const salt = randomBytes(12).toString('base64');
        const stored = await mkpasswd(mechanism, password, salt, 4096);
        expect(stored.startsWith(`{${mechanism}}4096,${salt},`), stored).to.equal(true);
        expect(await verifyPassword(stored, password)).to.equal(true);
        expect(await verifyPassword(stored, `${password}x`)).to.equal(false);

        const derived = await scramCredentials(`{PLAIN}${password}`, hash, { iterations: 5000 });
        const reference = await mkpasswd(mechanism, password, derived!.salt.toString('base64'), derived!.iterations);
        const [, , storedKey, serverKey] = reference.slice(mechanism.length + 2).split(',');
        expect(derived!.iterations).to.equal(5000);
        expect(derived!.storedKey.toString('base64')).to.equal(storedKey);
        expect(derived!.serverKey.toString('base64')).to.equal(serverKey);
      }
    });

    it(`${mechanism}: hashPassword's values match gsasl for the same salt and count`, async () => {
      const stored = await hashPassword(mechanism, 'pencil', { rounds: 4500 });
      const [iterations, salt, storedKey, serverKey] = stored.slice(mechanism.length + 2).split(',');
      expect(iterations).to.equal('4500');
      expect(await mkpasswd(mechanism, 'pencil', salt!, 4500)).to.equal(`{${mechanism}}4500,${salt},${storedKey},${serverKey}`);
    });
  }
});
