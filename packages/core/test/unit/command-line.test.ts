import { expect } from 'chai';
import { ConfigError, parseCommandLine } from '@pigeondeliver/core';

const cli = (key: string, value: string) => ({ key, value, source: 'command line' });

describe('command-line', () => {
  it('reads "-o key=value" and "-okey=value" (as the Postfix master passes them), in order', () => {
    const c = parseCommandLine(['-o', 'dscm_service=login-imap', '-odatabase=db-sqlite', '-o', 'a = b=c ']);
    expect(c.overrides).to.deep.equal([cli('dscm_service', 'login-imap'), cli('database', 'db-sqlite'), cli('a', 'b=c')]);
    expect(c.configFile).to.equal(undefined);
    expect(c.rest).to.deep.equal([]);
  });

  it('accepts an empty value', () => {
    expect(parseCommandLine(['-o', 'backends=']).overrides).to.deep.equal([cli('backends', '')]);
  });

  it('reads "-c FILE" and "-cFILE"; the last one wins', () => {
    expect(parseCommandLine(['-c', '/etc/a.cf']).configFile).to.equal('/etc/a.cf');
    expect(parseCommandLine(['-c/etc/b.cf']).configFile).to.equal('/etc/b.cf');
    expect(parseCommandLine(['-c', '/a', '-c/b']).configFile).to.equal('/b');
  });

  it('returns everything else untouched, in order, for the forker', () => {
    const c = parseCommandLine(['-n', 'imap', '-o', 'k=v', 'unix', '--verbose', '-t', 'inet', '-S']);
    expect(c.rest).to.deep.equal(['-n', 'imap', 'unix', '--verbose', '-t', 'inet', '-S']);
    expect(c.overrides).to.deep.equal([cli('k', 'v')]);
  });

  it('stops at "--": what follows (with the "--") goes to rest, even -o', () => {
    const c = parseCommandLine(['-o', 'a=1', '--', '-o', 'b=2', 'x']);
    expect(c.overrides).to.deep.equal([cli('a', '1')]);
    expect(c.rest).to.deep.equal(['--', '-o', 'b=2', 'x']);
  });

  it('refuses -o and -c without an argument', () => {
    expect(() => parseCommandLine(['-o'])).to.throw(ConfigError, '-o needs an argument');
    expect(() => parseCommandLine(['x', '-c'])).to.throw(ConfigError, '-c needs an argument');
  });

  it('refuses an assignment without "=" or without a key', () => {
    expect(() => parseCommandLine(['-o', 'novalue'])).to.throw(ConfigError, '-o expects key=value, got "novalue"');
    expect(() => parseCommandLine(['-o=1'])).to.throw(ConfigError, '-o expects key=value, got "=1"');
    expect(() => parseCommandLine(['-o', '=1'])).to.throw(ConfigError, /-o expects key=value/);
  });

  it('refuses a key that is not an option name', () => {
    expect(() => parseCommandLine(['-o', 'bad-key=1'])).to.throw(ConfigError, '-o: "bad-key" is not a valid option name');
    expect(() => parseCommandLine(['-o', '1st=1'])).to.throw(ConfigError, /"1st" is not a valid option name/);
  });

  it('returns an empty result for no arguments', () => {
    expect(parseCommandLine([])).to.deep.equal({ overrides: [], configFile: undefined, rest: [] });
  });
});
