import { expect } from 'chai';
import { parseShaCryptSetting, shaCrypt } from '../../../dist/algorithms/sha-crypt.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('passwords algorithms/sha-crypt', () => {
  // Test vectors from Drepper's "Unix crypt using SHA-256 and SHA-512" specification.
  const specVectors: [string, string, string][] = [
    ['$5$saltstring', 'Hello world!', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'],
    [
      '$5$rounds=10000$saltstringsaltstring',
      'Hello world!',
      '$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA',
    ],
    ['$5$rounds=5000$toolongsaltstring', 'This is just a test', '$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5'],
    [
      '$5$rounds=10$roundstoolow',
      'the minimum number is still observed',
      '$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC',
    ],
    [
      '$6$saltstring',
      'Hello world!',
      '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1',
    ],
    [
      '$6$rounds=10000$saltstringsaltstring',
      'Hello world!',
      '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.',
    ],
    [
      '$6$rounds=5000$toolongsaltstring',
      'This is just a test',
      '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0',
    ],
    [
      '$6$rounds=10$roundstoolow',
      'the minimum number is still observed',
      '$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.',
    ],
  ];
  for (const [setting, password, expected] of specVectors) {
    it(`matches the specification for ${setting}`, () => {
      expect(shaCrypt(utf8(password), setting)).to.equal(expected);
    });
  }

  it("matches Dovecot's self-test samples (password-scheme-crypt.c)", () => {
    expect(shaCrypt(utf8('08/15!test~4711'), '$5$rounds=1000$0123456789abcdef')).to.equal(
      '$5$rounds=1000$0123456789abcdef$K/DksR0DT01hGc8g/kt9McEgrbFMKi9qrb1jehe7hn4',
    );
    expect(shaCrypt(utf8('08/15!test~4711'), '$6$rounds=1000$0123456789abcdef')).to.equal(
      '$6$rounds=1000$0123456789abcdef$ZIAd5WqfyLkpvsVCVUU1GrvqaZTqvhJoouxdSqJO71l9Ld3tVrfOatEjarhghvEYADkq//LpDnTeO90tcbtHR1',
    );
  });

  it('reads the setting out of a full stored hash and handles empty and long passwords', () => {
    const stored = shaCrypt(utf8(''), '$6$abc');
    expect(shaCrypt(utf8(''), stored)).to.equal(stored);
    const long = Buffer.alloc(200, 0x61);
    const hashed = shaCrypt(long, '$5$rounds=1000$xyz');
    expect(shaCrypt(long, hashed)).to.equal(hashed);
    expect(shaCrypt(long.subarray(1), hashed)).to.not.equal(hashed);
  });

  it('parses settings and rejects malformed ones', () => {
    expect(parseShaCryptSetting('$6$rounds=999999999999$s$h')).to.deep.equal({
      variant: 'sha512',
      rounds: 999_999_999,
      roundsCustom: true,
      salt: 's',
    });
    expect(parseShaCryptSetting('$5$salt')).to.deep.include({ variant: 'sha256', rounds: 5000, roundsCustom: false });
    expect(parseShaCryptSetting('$1$salt$x')).to.equal(undefined);
    expect(parseShaCryptSetting('$6$rounds=$salt$x')).to.equal(undefined);
    expect(parseShaCryptSetting('$6$rounds=12x$salt$x')).to.equal(undefined);
    expect(parseShaCryptSetting('$6$sa:lt$x')).to.equal(undefined);
    expect(() => shaCrypt(utf8('x'), '$7$salt')).to.throw(/malformed SHA-crypt setting/);
  });
});
