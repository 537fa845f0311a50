import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { MD5_INITIAL_STATE, md5Compress, md5Finish, md5StateBytes, md5StateFrom } from '../../../dist/algorithms/md5-state.js';

describe('passwords algorithms/md5-state', () => {
  it('equals node:crypto MD5 for every padding case', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000]) {
      const data = Buffer.alloc(length, length % 251);
      expect(md5Finish(MD5_INITIAL_STATE, 0, data).toString('hex'), `length ${length}`).to.equal(
        createHash('md5').update(data).digest('hex'),
      );
    }
  });

  it('continues from a state after whole blocks', () => {
    const first = Buffer.alloc(64, 0x41);
    const rest = Buffer.from('and then some more bytes');
    const state = md5Compress(MD5_INITIAL_STATE, first);
    expect(md5Finish(state, 64, rest)).to.deep.equal(createHash('md5').update(first).update(rest).digest());
  });

  it('round-trips states as bytes and rejects wrong sizes', () => {
    expect(md5StateFrom(md5StateBytes(MD5_INITIAL_STATE))).to.deep.equal(MD5_INITIAL_STATE);
    expect(() => md5Compress(MD5_INITIAL_STATE, Buffer.alloc(10))).to.throw(RangeError);
    expect(() => md5StateFrom(Buffer.alloc(15))).to.throw(RangeError);
    expect(() => md5Finish(MD5_INITIAL_STATE, 10, Buffer.alloc(0))).to.throw(RangeError);
  });
});
