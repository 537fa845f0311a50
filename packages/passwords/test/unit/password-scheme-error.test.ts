import { expect } from 'chai';
import { InvalidDataError } from '@pigeondeliver/core';
import { PasswordSchemeError } from '@pigeondeliver/passwords';

describe('passwords password-scheme-error', () => {
  it('names the scheme, the reason and the user', () => {
    const error = new PasswordSchemeError('SSHA', 'value is too short', 'dave');
    expect(error).to.be.instanceOf(InvalidDataError);
    expect(error.name).to.equal('PasswordSchemeError');
    expect(error.code).to.equal('EINVALDATA');
    expect(error.message).to.equal('password scheme SSHA: value is too short (user dave)');
    expect(new PasswordSchemeError('', 'x').message).to.equal('password scheme (empty): x');
  });
});
