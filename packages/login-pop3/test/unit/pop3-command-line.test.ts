import { expect } from 'chai';
import { Pop3LineProblem, parsePop3Line, type Pop3CommandLine } from '@pigeondeliver/login-pop3';

function parse(text: string): Pop3CommandLine | Pop3LineProblem {
  return parsePop3Line(Buffer.from(text, 'latin1'));
}

describe('parsePop3Line', () => {
  it('upper-cases the keyword and splits arguments on single spaces', () => {
    const c = parse('apop alice 0123') as Pop3CommandLine;
    expect(c.verb).to.equal('APOP');
    expect(c.args).to.deep.equal(['alice', '0123']);
    expect(c.rest.toString()).to.equal('alice 0123');
  });

  it('keeps the raw rest of the line (passwords with spaces, 8-bit bytes)', () => {
    const c = parse('PASS  two  spaces \xe9') as Pop3CommandLine;
    expect(c.rest).to.deep.equal(Buffer.from(' two  spaces \xe9', 'latin1'));
    expect(c.args).to.deep.equal(['', 'two', '', 'spaces', '\xe9']);
  });

  it('a keyword alone, or followed by one space only, has no arguments (some clients send "CAPA ")', () => {
    expect((parse('CAPA') as Pop3CommandLine).args).to.deep.equal([]);
    expect((parse('CAPA ') as Pop3CommandLine).args).to.deep.equal([]);
    expect((parse('PASS ') as Pop3CommandLine).rest.length).to.equal(0);
  });

  it('refuses NUL bytes anywhere and keywords that are not ASCII letters', () => {
    expect(parse('USER a\0b')).to.equal(Pop3LineProblem.Nul);
    expect(parse('')).to.equal(Pop3LineProblem.BadKeyword);
    expect(parse(' USER a')).to.equal(Pop3LineProblem.BadKeyword);
    expect(parse('US3R a')).to.equal(Pop3LineProblem.BadKeyword);
    expect(parse('US\xffR a')).to.equal(Pop3LineProblem.BadKeyword);
    expect(parse('A'.repeat(17))).to.equal(Pop3LineProblem.BadKeyword);
    expect((parse('XCLIENT ADDR=1.2.3.4') as Pop3CommandLine).verb).to.equal('XCLIENT');
  });
});
