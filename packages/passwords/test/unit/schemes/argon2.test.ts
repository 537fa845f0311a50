import { expect } from 'chai';
import { argon2Cost, libsodiumOrder } from '../../../dist/schemes/argon2.js';

describe('passwords schemes/argon2', () => {
  it('maps rounds to the costs Dovecot 2.3 uses', () => {
    expect(argon2Cost('argon2i', {})).to.deep.equal({ timeCost: 4, memoryCost: 32768 });
    expect(argon2Cost('argon2i', { rounds: 6 })).to.deep.equal({ timeCost: 6, memoryCost: 131072 });
    expect(argon2Cost('argon2i', { rounds: 8 })).to.deep.equal({ timeCost: 8, memoryCost: 524288 });
    expect(() => argon2Cost('argon2i', { rounds: 2 })).to.throw(/at least 3/);
    expect(argon2Cost('argon2id', {})).to.deep.equal({ timeCost: 3, memoryCost: 65536 });
    expect(argon2Cost('argon2id', { rounds: 1 })).to.deep.equal({ timeCost: 3, memoryCost: 65536 });
    expect(argon2Cost('argon2id', { rounds: 3 })).to.deep.equal({ timeCost: 3, memoryCost: 262144 });
    expect(argon2Cost('argon2id', { rounds: 4 })).to.deep.equal({ timeCost: 4, memoryCost: 1048576 });
  });

  it('rewrites PHC parameters into libsodium order', () => {
    expect(libsodiumOrder('$argon2id$v=19$m=65536,p=1,t=3$c2FsdA$aGFzaA')).to.equal('$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA');
    expect(libsodiumOrder('$argon2i$v=19$m=1,t=2,p=3$s$h')).to.equal('$argon2i$v=19$m=1,t=2,p=3$s$h');
  });
});
