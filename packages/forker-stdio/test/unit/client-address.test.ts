import { expect } from 'chai';
import { addressesFromEnvironment } from '@pigeondeliver/forker-stdio';

describe('forker-stdio client-address', () => {
  it('reads ucspi-tcp / GNU inetd variables first', () => {
    expect(addressesFromEnvironment({ TCPREMOTEIP: '192.0.2.1', TCPREMOTEPORT: '4000', TCPLOCALIP: '198.51.100.1', TCPLOCALPORT: '143', REMOTE_ADDR: '203.0.113.1' })).to.deep.equal({
      remote: { address: '192.0.2.1', port: 4000 },
      local: { address: '198.51.100.1', port: 143 },
      source: 'TCPREMOTEIP',
    });
  });

  it('reads systemd Accept=yes, socat and SSH_CLIENT', () => {
    expect(addressesFromEnvironment({ REMOTE_ADDR: '::ffff:192.0.2.2', REMOTE_PORT: '5' }).remote).to.deep.equal({ address: '192.0.2.2', port: 5 });
    expect(addressesFromEnvironment({ SOCAT_PEERADDR: '2001:DB8::7', SOCAT_PEERPORT: '6' }).remote).to.deep.equal({ address: '2001:db8::7', port: 6 });
    expect(addressesFromEnvironment({ SSH_CLIENT: '192.0.2.3 50000 22' })).to.deep.include({ remote: { address: '192.0.2.3', port: 50000 }, source: 'SSH_CLIENT' });
  });

  it('ignores values that are not addresses and says nothing is known', () => {
    expect(addressesFromEnvironment({ TCPREMOTEIP: 'evil.example', TCPREMOTEPORT: 'x' })).to.deep.equal({ remote: { address: '', port: 0 }, local: { address: '', port: 0 } });
    expect(addressesFromEnvironment({ REMOTE_ADDR: '192.0.2.4', REMOTE_PORT: '99999' }).remote).to.deep.equal({ address: '192.0.2.4', port: 0 });
  });
});
