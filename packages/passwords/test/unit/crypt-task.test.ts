import { expect } from 'chai';
import { runCryptTask } from '../../dist/crypt-task.js';

const password = Buffer.from('08/15!test~4711');

describe('passwords crypt-task', () => {
  it("computes each family like Dovecot's self-test samples", () => {
    expect(runCryptTask({ algorithm: 'bcrypt', password, setting: '$2a$04$0123456789abcdefABCDEF' })).to.equal(
      '$2a$04$0123456789abcdefABCDE.N.drYX5yIAL1LkTaaZotW3yI0hQhZru',
    );
    expect(runCryptTask({ algorithm: 'sha-crypt', password, setting: '$5$rounds=1000$0123456789abcdef' })).to.equal(
      '$5$rounds=1000$0123456789abcdef$K/DksR0DT01hGc8g/kt9McEgrbFMKi9qrb1jehe7hn4',
    );
    expect(runCryptTask({ algorithm: 'md5-crypt', password: Buffer.from('password'), setting: '$1$saltsalt' })).to.equal(
      '$1$saltsalt$qjXMvbEw8oaL.CzflDtaK/',
    );
  });

  it('treats $2y$ like $2a$ (same algorithm, different letter)', () => {
    const a = runCryptTask({ algorithm: 'bcrypt', password, setting: '$2a$04$0123456789abcdefABCDEF' });
    const y = runCryptTask({ algorithm: 'bcrypt', password, setting: '$2y$04$0123456789abcdefABCDEF' });
    expect(y).to.equal(a.replace('$2a$', '$2y$'));
  });
});
