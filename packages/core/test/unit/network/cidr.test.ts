import { expect } from 'chai';
import { canonicalAddress, NetworkSet, parseCidr } from '@pigeondeliver/core';

describe('core network/cidr', () => {
  it('unwraps IPv4-mapped IPv6 and lower-cases IPv6', () => {
    expect(canonicalAddress('::ffff:192.0.2.7')).to.equal('192.0.2.7');
    expect(canonicalAddress('2001:DB8::1')).to.equal('2001:db8::1');
    expect(canonicalAddress('')).to.equal('');
  });

  it('parses networks and bare addresses', () => {
    expect(parseCidr('10.0.0.0/8')).to.deep.equal({ family: 'ipv4', address: '10.0.0.0', prefix: 8 });
    expect(parseCidr('::1')).to.deep.equal({ family: 'ipv6', address: '::1', prefix: 128 });
    expect(() => parseCidr('10.0.0.0/33')).to.throw(/prefix length must be 0..32/);
    expect(() => parseCidr('example.org/8')).to.throw(/not an IP network/);
  });

  it('matches IPv4, IPv6 and mapped addresses', () => {
    const set = new NetworkSet(['127.0.0.0/8', '2001:db8::/32', '192.0.2.5']);
    expect(set.contains('127.1.2.3')).to.equal(true);
    expect(set.contains('::ffff:127.0.0.1')).to.equal(true);
    expect(set.contains('2001:db8:1::9')).to.equal(true);
    expect(set.contains('192.0.2.5')).to.equal(true);
    expect(set.contains('192.0.2.6')).to.equal(false);
    expect(set.contains('::1')).to.equal(false);
    expect(set.contains('not an address')).to.equal(false);
    expect(new NetworkSet([]).contains('127.0.0.1')).to.equal(false);
  });
});
