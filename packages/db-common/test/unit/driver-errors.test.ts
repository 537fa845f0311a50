import { expect } from 'chai';
import { driverMessage, isMigrationRace, isUniqueViolation } from '../../dist/driver-errors.js';

describe('driver-errors', () => {
  it('recognizes the unique violation of each driver', () => {
    for (const err of [{ code: 'SQLITE_CONSTRAINT_UNIQUE' }, { code: '23505' }, { code: 'ER_DUP_ENTRY' }, { errno: 1062 }]) {
      expect(isUniqueViolation(err), JSON.stringify(err)).to.equal(true);
    }
    expect(isUniqueViolation({ code: 'ECONNREFUSED' })).to.equal(false);
    expect(isUniqueViolation(undefined)).to.equal(false);
  });

  it('recognizes a lost migration race, and keeps messages to one line', () => {
    expect(isMigrationRace(Object.assign(new Error('Migration table is already locked'), { name: 'MigrationLocked' }))).to.equal(true);
    expect(isMigrationRace(new Error('relation "x" already exists'))).to.equal(true);
    expect(isMigrationRace(new Error('connect ECONNREFUSED'))).to.equal(false);
    expect(driverMessage(new Error('first\nsecond'))).to.equal('first');
  });
});
