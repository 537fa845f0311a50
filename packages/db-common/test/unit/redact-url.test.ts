import { redactUrl } from '@pigeondeliver/db-common';
import { expect } from 'chai';

describe('redact-url', () => {
  it('hides the password of a connection URL', () => {
    expect(redactUrl('postgres://pd:s3cret@db:5432/mail')).to.equal('postgres://pd:***@db:5432/mail');
    expect(redactUrl('mysql://root@db/test')).to.equal('mysql://root@db/test');
    expect(redactUrl('not a url //user:pw@host')).to.not.contain('pw');
  });
});
