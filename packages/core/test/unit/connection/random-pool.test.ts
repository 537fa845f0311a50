import { expect } from 'chai';
import { newSessionId, pooledRandomBytes } from '@pigeondeliver/core';

describe('pooledRandomBytes and session ids', () => {
  it('hands out slices that never change or repeat, across pool refills', () => {
    const taken = Array.from({ length: 600 }, () => pooledRandomBytes(16)); // 9,600 bytes: two refills
    const copies = taken.map((b) => Buffer.from(b));
    pooledRandomBytes(4000); // larger than a slice of the pool: straight from the CSPRNG
    expect(taken.every((b, i) => b.equals(copies[i]!))).to.equal(true);
    expect(new Set(copies.map((b) => b.toString('hex'))).size).to.equal(600);
    expect(pooledRandomBytes(1000)).to.have.length(1000);
  });

  it('gives 12-character URL-safe session ids', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newSessionId()));
    expect(ids.size).to.equal(2000);
    for (const id of ids) expect(id).to.match(/^[A-Za-z0-9_-]{12}$/);
  });
});
