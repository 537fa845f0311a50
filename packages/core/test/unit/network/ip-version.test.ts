import { expect } from 'chai';
import { isIP } from 'node:net';
import { ipVersion } from '@pigeondeliver/core';

describe('ipVersion (net.isIP without its start-up cost)', () => {
  it('answers as net.isIP for IPv4, IPv6, mapped, zoned and malformed text', () => {
    const cases = [
      '127.0.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '1.2.3', '01.2.3.4', '1.2.3.04', '1.2.3.4 ', '',
      '::', '::1', '::ffff:1.2.3.4', '::ffff:256.1.1.1', '2001:db8::1', 'FE80::ABCD', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7::',
      '1:2:3:4:5:6:1.2.3.4', '::1.2.3.4', 'fe80::1%eth0', 'fe80::1%25eth0', 'fe80::1%',
      '2001:db8::1::2', '1::2::3', '12345::1', ':::', ':', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:1.2.3.4', '1.2.3.4::', 'abc', '[::1]', '::1/128', 'g::1',
    ];
    for (const c of cases) expect(ipVersion(c), JSON.stringify(c)).to.equal(isIP(c));
  });
});
