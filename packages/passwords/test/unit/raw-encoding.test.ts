import { expect } from 'chai';
import { decodeBase64, decodeHex, encodeRaw } from '../../dist/raw-encoding.js';

describe('passwords raw-encoding', () => {
  it('decodes hex strictly', () => {
    expect(decodeHex('00fF')).to.deep.equal(Buffer.from([0, 255]));
    expect(decodeHex('')).to.deep.equal(Buffer.alloc(0));
    expect(decodeHex('abc')).to.equal(undefined);
    expect(decodeHex('zz')).to.equal(undefined);
  });

  it('decodes base64 with or without padding, rejecting junk', () => {
    expect(decodeBase64('aGk=')).to.deep.equal(Buffer.from('hi'));
    expect(decodeBase64('aGk')).to.deep.equal(Buffer.from('hi'));
    expect(decodeBase64('a')).to.equal(undefined);
    expect(decodeBase64('aG=k')).to.equal(undefined);
    expect(decodeBase64('aGk==')).to.equal(undefined);
    expect(decodeBase64('a-_b')).to.equal(undefined);
    expect(decodeBase64('aGk=\n')).to.equal(undefined);
  });

  it('encodes raw bytes', () => {
    const raw = Buffer.from('hi');
    expect(encodeRaw(raw, 'hex')).to.equal('6869');
    expect(encodeRaw(raw, 'base64')).to.equal('aGk=');
    expect(encodeRaw(raw, 'none')).to.equal('hi');
  });
});
