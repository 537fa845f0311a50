import { expect } from 'chai';
import { CheckedHomes } from '@pigeondeliver/backend-dovecot';

describe('CheckedHomes (hand-off home checks, remembered briefly)', () => {
  it('checks a home once per TTL and owner, again after it, and remembers no failure', () => {
    let now = 0;
    const homes = new CheckedHomes(1000, () => now);
    let checks = 0;
    const ok = () => void checks++;
    homes.ensure('/h/a', 'Maildir', 10, 10, ok);
    homes.ensure('/h/a', 'Maildir', 10, 10, ok);
    expect(checks).to.equal(1);
    homes.ensure('/h/a', 'Maildir', 11, 10, ok); // another owner: checked
    expect(checks).to.equal(2);
    now = 1000;
    homes.ensure('/h/a', 'Maildir', 10, 10, ok);
    expect(checks).to.equal(3);
    const failing = () => {
      checks++;
      throw new Error('symlink');
    };
    expect(() => homes.ensure('/h/b', undefined, 10, 10, failing)).to.throw('symlink');
    expect(() => homes.ensure('/h/b', undefined, 10, 10, failing)).to.throw('symlink');
    expect(checks).to.equal(5);
  });
});
