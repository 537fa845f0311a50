import { expect } from 'chai';
import { RejectReason } from '@pigeondeliver/core';
import { Admission } from '@pigeondeliver/forker-listen';

describe('forker-listen admission', () => {
  const none = { maxConnections: 0, maxConnectionsPerIp: 0, connectionRate: 0, connectionRatePerIp: 0 };

  it('limits pre-login connections per address and in total, and releases them', () => {
    const a = new Admission({ ...none, maxConnections: 3, maxConnectionsPerIp: 2 });
    expect(a.admit('192.0.2.1')).to.equal(undefined);
    expect(a.admit('192.0.2.1')).to.equal(undefined);
    expect(a.admit('192.0.2.1')).to.equal(RejectReason.TooManyFromAddress);
    expect(a.admit('192.0.2.2')).to.equal(undefined);
    expect(a.admit('192.0.2.3')).to.equal(RejectReason.TooManyConnections);
    a.release('192.0.2.1');
    expect(a.connections).to.equal(2);
    expect(a.admit('192.0.2.3')).to.equal(undefined);
    a.release('192.0.2.9');
    expect(a.connections).to.equal(3);
  });

  it('limits new connections per second, in total and per address', () => {
    let now = 10_000;
    const a = new Admission({ ...none, connectionRate: 3, connectionRatePerIp: 2 }, () => now);
    expect(a.admit('192.0.2.1')).to.equal(undefined);
    expect(a.admit('192.0.2.1')).to.equal(undefined);
    expect(a.admit('192.0.2.1')).to.equal(RejectReason.RateLimited);
    expect(a.admit('192.0.2.2')).to.equal(undefined);
    expect(a.admit('192.0.2.3')).to.equal(RejectReason.RateLimited);
    now += 1000;
    expect(a.admit('192.0.2.1')).to.equal(undefined);
  });

  it('takes new limits on update without losing counts', () => {
    const a = new Admission({ ...none, maxConnections: 1 });
    expect(a.admit('192.0.2.1')).to.equal(undefined);
    a.update({ ...none, maxConnections: 2 });
    expect(a.admit('192.0.2.1')).to.equal(undefined);
    expect(a.admit('192.0.2.1')).to.equal(RejectReason.TooManyConnections);
  });
});
