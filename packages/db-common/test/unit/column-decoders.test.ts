import { InvalidDataError } from '@pigeondeliver/core';
import { expect } from 'chai';
import { decodeBoolean, decodeDate, decodeInteger, decodeString } from '../../dist/column-decoders.js';

describe('column-decoders', () => {
  it('decodes integers from numbers, bigints and digit strings, within bounds', () => {
    expect(decodeInteger('user "a"', 'uid', 5, 0, 10, false)).to.equal(5);
    expect(decodeInteger('user "a"', 'uid', '7', 0, 10, false)).to.equal(7);
    expect(decodeInteger('user "a"', 'uid', 9n, 0, 10, false)).to.equal(9);
    expect(decodeInteger('user "a"', 'uid', null, 0, 10, true)).to.equal(null);
    for (const bad of [-1, 11, 1.5, 'x', '1e3', null, true]) {
      expect(() => decodeInteger('user "a"', 'uid', bad, 0, 10, false), String(bad)).to.throw(InvalidDataError, /user "a": column uid/);
    }
  });

  it('decodes booleans stored natively or as 0/1', () => {
    expect([true, 1, '1'].map((v) => decodeBoolean('r', 'enabled', v))).to.deep.equal([true, true, true]);
    expect([false, 0, '0'].map((v) => decodeBoolean('r', 'enabled', v))).to.deep.equal([false, false, false]);
    expect(() => decodeBoolean('r', 'enabled', 2)).to.throw(InvalidDataError, /enabled/);
  });

  it('decodes timestamps from Date, milliseconds and text (UTC when no zone)', () => {
    const t = Date.UTC(2024, 4, 6, 7, 8, 9, 123);
    expect(decodeDate('r', 'c', new Date(t), false).getTime()).to.equal(t);
    expect(decodeDate('r', 'c', t, false).getTime()).to.equal(t);
    expect(decodeDate('r', 'c', '2024-05-06 07:08:09.123', false).getTime()).to.equal(t);
    expect(decodeDate('r', 'c', '2024-05-06T09:08:09.123+02:00', false).getTime()).to.equal(t);
    expect(decodeDate('r', 'c', null, true)).to.equal(null);
    expect(() => decodeDate('r', 'c', 'soon', false)).to.throw(InvalidDataError, /column c/);
  });

  it('never echoes a secret column', () => {
    expect(() => decodeString('user "a"', 'password', 12345, true, true)).to.throw(InvalidDataError, /^(?!.*12345)/);
  });
});
