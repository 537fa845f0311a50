import { expect } from 'chai';
import { equalBytes, equalStrings } from '../../dist/constant-time.js';

describe('passwords constant-time', () => {
  it('compares equal, different and different-length inputs', () => {
    expect(equalBytes(Buffer.from('abc'), Buffer.from('abc'))).to.equal(true);
    expect(equalBytes(Buffer.from('abc'), Buffer.from('abd'))).to.equal(false);
    expect(equalBytes(Buffer.from('abc'), Buffer.from('abcd'))).to.equal(false);
    expect(equalBytes(Buffer.alloc(0), Buffer.alloc(0))).to.equal(true);
    expect(equalStrings('ä', 'ä')).to.equal(true);
    expect(equalStrings('ä', 'a')).to.equal(false);
  });
});
