import { checkLogin, InvalidInputError, loginKey, loginProblem } from '@pigeondeliver/db-common';
import { expect } from 'chai';

describe('login-key', () => {
  it('lower-cases the key only when logins are case-insensitive', () => {
    expect(loginKey('Alice@Example.COM', true)).to.equal('alice@example.com');
    expect(loginKey('Alice@Example.COM', false)).to.equal('Alice@Example.COM');
    expect(loginKey('ÄRGER', true)).to.equal('ärger');
  });

  it('says what is wrong with an unusable login', () => {
    expect(loginProblem('bob')).to.equal(undefined);
    expect(loginProblem('')).to.match(/empty/);
    expect(loginProblem('x'.repeat(256))).to.match(/255/);
    expect(loginProblem('a\tb')).to.match(/control/);
    expect(loginProblem('bob ')).to.match(/whitespace/);
    expect(loginProblem(42)).to.match(/string/);
    expect(() => checkLogin('a\u0000b')).to.throw(InvalidInputError, /control/);
  });
});
