import { expect } from 'chai';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createTempDir } from '@pigeondeliver/test-fixtures/temp-dir';

describe('test-fixtures temp-dir', () => {
  it('creates a fresh folder under the OS temp dir, writes files with parents and modes, removes it', () => {
    const dir = createTempDir('pd-x-');
    expect(dir.path.startsWith(`${tmpdir()}/pd-x-`)).to.equal(true);
    const file = dir.write('a/b/c.txt', 'hi', 0o600);
    expect(readFileSync(file, 'utf8')).to.equal('hi');
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(statSync(dir.mkdir('d/e', 0o700)).mode & 0o777).to.equal(0o700);
    expect(dir.join('x', 'y')).to.equal(`${dir.path}/x/y`);
    dir.remove();
    dir.remove();
    expect(existsSync(dir.path)).to.equal(false);
  });

  it('refuses a prefix with a slash', () => {
    expect(() => createTempDir('../x')).to.throw('createTempDir: prefix must not contain "/", got "../x"');
  });
});
