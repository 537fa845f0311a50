import { expect } from 'chai';
import { assertLoopback } from '../../dist/system/loopback-guard.js';

describe('assertLoopback', () => {
  it('accepts 127.0.0.0/8 and ::1', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1']) expect(() => assertLoopback(host)).not.to.throw();
  });
  it('refuses other addresses and names', () => {
    for (const host of ['0.0.0.0', '192.0.2.1', '::', 'localhost', '10.0.0.1', '128.0.0.1']) expect(() => assertLoopback(host), host).to.throw(/loopback only/);
  });
});
