import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { hmacMd5Context, hmacMd5FromContext } from '../../../dist/algorithms/hmac-md5-context.js';

describe('passwords algorithms/hmac-md5-context', () => {
  it("matches Dovecot's stored CRAM-MD5 context", () => {
    // doveadm pw -s CRAM-MD5 -p 'pässword'
    expect(hmacMd5Context(Buffer.from('pässword')).toString('hex')).to.equal(
      '7dead29c194d4ac3cf5f337b23fa3b9b32c9f4b1d7d7b1fa2539d66ce368e997',
    );
  });

  it('computes the same digest as HMAC-MD5 with the key, for short and long keys', () => {
    const challenge = Buffer.from('<1896.697170952@postoffice.reston.mci.net>');
    for (const key of [Buffer.alloc(0), Buffer.from('tanstaaftanstaaf'), Buffer.alloc(64, 7), Buffer.alloc(100, 9)]) {
      expect(hmacMd5FromContext(hmacMd5Context(key), challenge)).to.deep.equal(
        createHmac('md5', key).update(challenge).digest(),
      );
    }
  });

  it('gives the RFC 2195 section 2 example answer', () => {
    const digest = hmacMd5FromContext(
      hmacMd5Context(Buffer.from('tanstaaftanstaaf')),
      Buffer.from('<1896.697170952@postoffice.reston.mci.net>'),
    );
    expect(digest.toString('hex')).to.equal('b913a602c7eda7a495b4e6e7334d3890');
  });

  it('rejects a context of the wrong size', () => {
    expect(() => hmacMd5FromContext(Buffer.alloc(16), Buffer.alloc(0))).to.throw(RangeError, /32 bytes/);
  });
});
