import { expect } from 'chai';
import { isUtf8RoundTrip } from '../../../dist/schemes/crypt-family.js';

describe('passwords schemes/crypt-family', () => {
  it('tells UTF-8 bytes from bytes bcryptjs could not hash as given', () => {
    expect(isUtf8RoundTrip(Buffer.from('pässwörd ✓'))).to.equal(true);
    expect(isUtf8RoundTrip(Buffer.alloc(0))).to.equal(true);
    expect(isUtf8RoundTrip(Buffer.from([0xff]))).to.equal(false);
    expect(isUtf8RoundTrip(Buffer.from([0xc3, 0x28]))).to.equal(false);
  });
});
