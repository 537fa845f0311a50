import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { cramMd5Digest, cramMd5Secret, PasswordSchemeError, verifyCramMd5 } from '@pigeondeliver/passwords';
import { DOVECOT_PASSWORD } from '../../dovecot-vectors.js';

// RFC 2195 section 2 example.
const challenge = '<1896.697170952@postoffice.reston.mci.net>';
const answer = 'b913a602c7eda7a495b4e6e7334d3890';

describe('passwords sasl/cram-md5-secret', () => {
  it('reads the stored CRAM-MD5 / HMAC-MD5 context as is', () => {
    const context = cramMd5Secret('{CRAM-MD5}62082e647aefa437a957ba00beddb9b78bdeb4bc9195232bf650faef600f9166');
    expect(context?.toString('hex')).to.equal('62082e647aefa437a957ba00beddb9b78bdeb4bc9195232bf650faef600f9166');
    expect(cramMd5Digest(context!, challenge)).to.deep.equal(createHmac('md5', DOVECOT_PASSWORD).update(challenge).digest());
    expect(cramMd5Secret('{HMAC-MD5}YgguZHrvpDepV7oAvt25t4vetLyRlSMr9lD672APkWY=')).to.deep.equal(context);
  });

  it('derives the context from a plaintext and checks RFC 2195 answers', () => {
    const context = cramMd5Secret('{PLAIN}tanstaaftanstaaf')!;
    expect(verifyCramMd5(context, challenge, answer)).to.equal(true);
    expect(verifyCramMd5(context, Buffer.from(challenge), answer.toUpperCase())).to.equal(true);
    expect(verifyCramMd5(context, challenge, answer.replace('b9', 'b8'))).to.equal(false);
    expect(verifyCramMd5(context, `${challenge} `, answer)).to.equal(false);
    expect(verifyCramMd5(context, challenge, answer.slice(2))).to.equal(false);
    expect(verifyCramMd5(context, challenge, `${answer.slice(0, 30)}zz`)).to.equal(false);
  });

  it('returns null for one-way schemes and throws on a broken context', () => {
    expect(cramMd5Secret('{SSHA}z88Ih5kKRI0x4pM4nGXyo7/QcOEQQVOO')).to.equal(null);
    expect(cramMd5Secret('{SCRAM-SHA-1}4096,a,b,c')).to.equal(null);
    expect(() => cramMd5Secret('{CRAM-MD5}abcd')).to.throw(PasswordSchemeError, /CRAM-MD5/);
  });
});
