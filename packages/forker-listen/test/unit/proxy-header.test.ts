import { expect } from 'chai';
import { Command, IPv4Address, IPv4ProxyAddress, IPv6Address, IPv6ProxyAddress, TransportProtocol, V2ProxyProtocol } from 'proxy-protocol-js';
import { decodeProxyHeader, ProxyHeaderError, ProxyHeaderFailure, type DecodeResult } from '@pigeondeliver/forker-listen';

function failure(data: Buffer): ProxyHeaderFailure {
  try {
    decodeProxyHeader(data);
  } catch (e) {
    expect(e).to.be.instanceOf(ProxyHeaderError);
    return (e as ProxyHeaderError).failure;
  }
  throw new Error('expected a ProxyHeaderError');
}

function header(r: DecodeResult) {
  if (!('header' in r)) throw new Error('expected a complete header');
  return r.header;
}

/** A v2 PROXY header (TCP over IPv4) from 192.0.2.10:4321 to 198.51.100.1:143. */
export function v2Header(command: Command = Command.PROXY): Buffer {
  return Buffer.from(
    new V2ProxyProtocol(
      command,
      TransportProtocol.STREAM,
      new IPv4ProxyAddress(IPv4Address.createFrom([192, 0, 2, 10]), 4321, IPv4Address.createFrom([198, 51, 100, 1]), 143),
    ).build(),
  );
}

describe('forker-listen proxy-header', () => {
  it('decodes v1 TCP4 and TCP6 and keeps the bytes after the header', () => {
    const h = header(decodeProxyHeader(Buffer.from('PROXY TCP4 192.0.2.1 198.51.100.2 5555 143\r\na NOOP\r\n')));
    expect(h).to.deep.include({ version: 1, remote: { address: '192.0.2.1', port: 5555 }, local: { address: '198.51.100.2', port: 143 } });
    expect(h.rest.toString()).to.equal('a NOOP\r\n');
    const h6 = header(decodeProxyHeader(Buffer.from('PROXY TCP6 2001:DB8::1 2001:db8::2 1 2\r\n')));
    expect(h6.remote).to.deep.equal({ address: '2001:db8::1', port: 1 });
  });

  it('keeps the socket addresses for v1 UNKNOWN and v2 LOCAL', () => {
    expect(header(decodeProxyHeader(Buffer.from('PROXY UNKNOWN\r\n'))).remote).to.equal(undefined);
    expect(header(decodeProxyHeader(v2Header(Command.LOCAL))).remote).to.equal(undefined);
  });

  it('decodes v2 IPv4 and IPv6', () => {
    const h = header(decodeProxyHeader(Buffer.concat([v2Header(), Buffer.from('x')])));
    expect(h).to.deep.include({ version: 2, remote: { address: '192.0.2.10', port: 4321 }, local: { address: '198.51.100.1', port: 143 } });
    expect(h.rest.toString()).to.equal('x');
    const src = [0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1];
    const v6 = Buffer.from(
      new V2ProxyProtocol(Command.PROXY, TransportProtocol.STREAM, new IPv6ProxyAddress(IPv6Address.createFrom(src), 7, IPv6Address.createFrom(src), 8)).build(),
    );
    expect(header(decodeProxyHeader(v6)).remote).to.deep.equal({ address: '2001:db8::1', port: 7 });
  });

  it('asks for more bytes while a header is incomplete', () => {
    expect(decodeProxyHeader(Buffer.from('PROX'))).to.deep.equal({ needMore: true });
    expect(decodeProxyHeader(Buffer.from('PROXY TCP4 1.2.3.4'))).to.deep.equal({ needMore: true });
    expect(decodeProxyHeader(v2Header().subarray(0, 20))).to.deep.equal({ needMore: true });
  });

  it('refuses a missing, malformed or oversized header', () => {
    expect(failure(Buffer.from('a LOGIN x y\r\n'))).to.equal(ProxyHeaderFailure.Missing);
    expect(failure(Buffer.from('PROXY TCP4 999.1.1.1 1.1.1.1 1 2\r\n'))).to.equal(ProxyHeaderFailure.Malformed);
    expect(failure(Buffer.from('PROXY TCP4 1.1.1.1 1.1.1.1 1 99999\r\n'))).to.equal(ProxyHeaderFailure.Malformed);
    expect(failure(Buffer.from('PROXY TCP9 a b c d\r\n'))).to.equal(ProxyHeaderFailure.Malformed);
    expect(failure(Buffer.from(`PROXY TCP4 ${'1'.repeat(120)}`))).to.equal(ProxyHeaderFailure.Oversized);
    const big = v2Header();
    big.writeUInt16BE(600, 14);
    expect(failure(big)).to.equal(ProxyHeaderFailure.Oversized);
    const badVersion = v2Header();
    badVersion[12] = 0x31;
    expect(failure(badVersion)).to.equal(ProxyHeaderFailure.Malformed);
  });
});
