import { expect } from 'chai';
import { ConfigError } from '@pigeondeliver/core';
import { encodeStatus, MasterAvailability, MasterStatusChannel, parseGeneration } from '@pigeondeliver/forker-postfix';
import { socketPair } from '../support/socket-pair.js';

describe('master status channel', () => {
  it('parses GENERATION as octal (master formats it with %o)', () => {
    expect(parseGeneration('10')).to.equal(8);
    expect(parseGeneration('3')).to.equal(3);
    expect(() => parseGeneration(undefined)).to.throw(ConfigError, /not set.*Postfix master/);
    expect(() => parseGeneration('9')).to.throw(ConfigError, /not an octal number/);
  });

  it('encodes struct master_status as forker-protocols.md §1.6 recorded it (pid 15297, gen 4)', () => {
    expect(encodeStatus(15297, 4, MasterAvailability.Taken, 'LE').toString('hex')).to.equal('c13b0000' + '04000000' + '00000000');
    expect(encodeStatus(15297, 4, MasterAvailability.Avail, 'LE').toString('hex')).to.equal('c13b0000' + '04000000' + '01000000');
    expect(encodeStatus(15297, 4, MasterAvailability.Avail, 'BE').toString('hex')).to.equal('00003bc1' + '00000004' + '00000001');
  });

  it('writes 12-byte messages and reports EOF of the channel without shutting it down', async () => {
    const pair = await socketPair();
    try {
      const channel = new MasterStatusChannel(8, pair.childFd, 4242);
      const received: Buffer[] = [];
      pair.master.on('data', (d: Buffer) => received.push(d));
      expect(channel.send(MasterAvailability.Taken)).to.equal(true);
      expect(channel.send(MasterAvailability.Avail)).to.equal(true);
      const ended = new Promise<string>((resolve) => channel.watchEnd(resolve));
      while (Buffer.concat(received).length < 24) await new Promise((r) => setTimeout(r, 5));
      const all = Buffer.concat(received);
      expect(all.readInt32LE(0)).to.equal(4242);
      expect(all.readUInt32LE(4)).to.equal(8);
      expect(all.readInt32LE(8)).to.equal(0);
      expect(all.readInt32LE(20)).to.equal(1);
      // Master's side never sees an EOF from us: only its own close ends the channel.
      let masterSawEnd = false;
      pair.master.on('end', () => (masterSawEnd = true));
      pair.master.end();
      expect(await ended).to.match(/closed the status channel/);
      await new Promise((r) => setTimeout(r, 50));
      expect(masterSawEnd).to.equal(false);
      expect(channel.send(MasterAvailability.Avail)).to.be.a('boolean');
    } finally {
      pair.close();
    }
  });
});
