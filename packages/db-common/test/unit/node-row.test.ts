import { InvalidDataError } from '@pigeondeliver/core';
import { InvalidInputError } from '@pigeondeliver/db-common';
import { expect } from 'chai';
import { nodeToColumns, rowToNode } from '../../dist/node-row.js';

const key = Buffer.alloc(32, 1).toString('base64');

describe('node-row', () => {
  it('maps a peer to columns and back', () => {
    const cols = nodeToColumns({ name: 'n1', address: '192.0.2.1', imapPort: 143, pop3Port: 110, handoffPort: 9143, publicKey: key });
    expect(cols).to.deep.equal({ name: 'n1', address: '192.0.2.1', imap_port: 143, pop3_port: 110, handoff_port: 9143, public_key: key });
    expect(rowToNode({ ...cols, version: 2 })).to.deep.equal({ name: 'n1', address: '192.0.2.1', imapPort: 143, pop3Port: 110, handoffPort: 9143, publicKey: key, version: 2 });
  });

  it('refuses bad input and reports bad rows with the node and column', () => {
    const good = { name: 'n1', address: 'a', imapPort: 1, pop3Port: 1, handoffPort: 1, publicKey: null };
    expect(() => nodeToColumns({ ...good, address: '' })).to.throw(InvalidInputError, /address/);
    expect(() => nodeToColumns({ ...good, handoffPort: -1 })).to.throw(InvalidInputError, /handoffPort/);
    expect(() => rowToNode({ name: 'n1', address: 'a', imap_port: 99999, pop3_port: 1, handoff_port: 1, public_key: null, version: 1 })).to.throw(
      InvalidDataError,
      /node "n1": column imap_port/,
    );
  });
});
