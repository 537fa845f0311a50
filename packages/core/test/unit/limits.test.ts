import { expect } from 'chai';
import {
  ConfigError,
  CORE_OPTION_SPECS,
  DEFAULT_LIMITS,
  LIMIT_OPTIONS,
  limitsFromOptions,
  validateOptions,
  type Limits,
} from '@pigeondeliver/core';

describe('limits', () => {
  it('has the documented defaults', () => {
    const expected: Limits = {
      maxLineLength: 8192,
      maxLiteralSize: 8192,
      maxBadCommands: 10,
      maxAuthAttempts: 3,
      maxCommands: 50,
      loginTimeout: 180_000,
      idleTimeout: 60_000,
      authTimeout: 30_000,
      backendTimeout: 15_000,
      penaltyInitial: 2_000,
      penaltyMax: 15_000,
      penaltyMemory: 900_000,
      databaseTimeout: 5_000,
    };
    expect(DEFAULT_LIMITS).to.deep.equal(expected);
  });

  it('reads every limit from options, defaults for those not given', () => {
    const options = validateOptions(
      [
        { key: 'login_max_line_length', value: '16k', source: 'command line' },
        { key: 'login_timeout', value: '90s', source: 'pd.cf:1' },
        { key: 'auth_penalty_max', value: '1m', source: 'pd.cf:2' },
      ],
      CORE_OPTION_SPECS,
    );
    const limits = limitsFromOptions(options);
    expect(limits).to.deep.equal({ ...DEFAULT_LIMITS, maxLineLength: 16_384, loginTimeout: 90_000, penaltyMax: 60_000 });
  });

  it('has one option per field, with distinct keys that core declares', () => {
    const keys = Object.values(LIMIT_OPTIONS).map((s) => s.key);
    expect(new Set(keys).size).to.equal(keys.length);
    expect(Object.keys(LIMIT_OPTIONS).sort()).to.deep.equal(Object.keys(DEFAULT_LIMITS).sort());
    const declared = new Set(CORE_OPTION_SPECS.map((s) => s.key));
    for (const k of keys) expect(declared.has(k), k).to.equal(true);
    for (const s of Object.values(LIMIT_OPTIONS)) expect(s.description, s.key).to.not.equal('');
  });

  it('refuses values below the safe minimums, naming the key', () => {
    const bad = (key: string, value: string) => () => validateOptions([{ key, value, source: 'command line' }], CORE_OPTION_SPECS);
    expect(bad('login_max_line_length', '100')).to.throw(ConfigError, 'bad value for login_max_line_length (from command line): must be at least 512 bytes');
    expect(bad('login_max_bad_commands', '0')).to.throw(ConfigError, /login_max_bad_commands .*must be at least 1/);
    expect(bad('login_max_commands', '4')).to.throw(ConfigError, /must be at least 5/);
    expect(bad('auth_timeout', 'forever')).to.throw(ConfigError, /auth_timeout .*expected a time/);
  });
});
