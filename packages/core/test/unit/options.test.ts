import { expect } from 'chai';
import {
  boolOption,
  ConfigError,
  didYouMean,
  durationOption,
  enumOption,
  formatOptionHelp,
  intOption,
  listOption,
  parseDuration,
  requiredStringOption,
  sizeOption,
  splitList,
  stringOption,
  validateOptions,
  type OptionSpec,
  type RawOption,
} from '@pigeondeliver/core';

const fromFile = (key: string, value: string, line = 1): RawOption => ({ key, value, source: `/etc/pd.cf:${line}` });
const fromCli = (key: string, value: string): RawOption => ({ key, value, source: 'command line' });

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('options', () => {
  it('--help lines keep a space between a key as long as the column and its text', () => {
    const text = formatOptionHelp([intOption('short', 'a short one', 2), intOption('dovecot_handoff_process_min_avail', 'a long one', 2)]);
    expect(text.split('\n')).to.deep.equal([`  ${'short'.padEnd(32)}a short one [default: 2]`, '  dovecot_handoff_process_min_avail a long one [default: 2]']);
  });

  describe('stringOption / requiredStringOption', () => {
    it('returns the raw text unchanged, empty included', () => {
      const spec = stringOption('s', 'd', 'x');
      expect(spec.parse('  a b ')).to.equal('  a b ');
      expect(spec.parse('')).to.equal('');
      expect(spec.defaultValue).to.equal('x');
    });
    it('required: refuses an empty value and has no default', () => {
      const spec = requiredStringOption('r', 'd');
      expect(spec.required).to.equal(true);
      expect(spec.defaultValue).to.equal(undefined);
      expect(spec.parse('v')).to.equal('v');
      expect(() => spec.parse('')).to.throw(/a value is required/);
    });
  });

  describe('intOption', () => {
    const spec = intOption('n', 'd', 5, { min: 1, max: 10 });
    it('parses integers, trimming blanks, and keeps the default as text', () => {
      expect(spec.parse(' 7 ')).to.equal(7);
      expect(spec.defaultValue).to.equal('5');
      expect(intOption('n', 'd', undefined).defaultValue).to.equal(undefined);
      expect(intOption('n', 'd', -3).parse('-3')).to.equal(-3);
    });
    it('refuses non-integers and says what it got', () => {
      for (const bad of ['1.5', 'ten', '', '0x10', '1e3']) expect(() => spec.parse(bad)).to.throw(/expected an integer/);
    });
    it('enforces the bounds', () => {
      expect(() => spec.parse('0')).to.throw('must be at least 1, got 0');
      expect(() => spec.parse('11')).to.throw('must be at most 10, got 11');
      expect(spec.parse('1')).to.equal(1);
      expect(spec.parse('10')).to.equal(10);
    });
  });

  describe('boolOption', () => {
    const spec = boolOption('b', 'd', true);
    it('accepts Postfix words and their usual synonyms, any case', () => {
      for (const t of ['yes', 'YES', 'true', 'on', '1', ' Yes ']) expect(spec.parse(t)).to.equal(true);
      for (const f of ['no', 'False', 'off', '0']) expect(spec.parse(f)).to.equal(false);
    });
    it('writes the default the Postfix way', () => {
      expect(spec.defaultValue).to.equal('yes');
      expect(boolOption('b', 'd', false).defaultValue).to.equal('no');
    });
    it('refuses anything else', () => {
      expect(() => spec.parse('maybe')).to.throw('expected yes or no, got "maybe"');
      expect(() => spec.parse('')).to.throw(/expected yes or no/);
    });
  });

  describe('parseDuration / durationOption', () => {
    it('converts every unit to milliseconds', () => {
      expect(parseDuration('250ms')).to.equal(250);
      expect(parseDuration('10s')).to.equal(10_000);
      expect(parseDuration('5m')).to.equal(300_000);
      expect(parseDuration('1h')).to.equal(3_600_000);
      expect(parseDuration('2d')).to.equal(172_800_000);
      expect(parseDuration('1w')).to.equal(604_800_000);
      expect(parseDuration('1.5s')).to.equal(1500);
      expect(parseDuration(' 3 s ')).to.equal(3000);
    });
    it('reads a bare number in the default unit (seconds unless told)', () => {
      expect(parseDuration('30')).to.equal(30_000);
      expect(parseDuration('30', 'ms')).to.equal(30);
    });
    it('refuses negative, unitless garbage and unknown units', () => {
      for (const bad of ['-1s', 'soon', '', '5 minutes', '1y', 's']) expect(() => parseDuration(bad)).to.throw(/expected a time such as 30s/);
    });
    it('durationOption parses to milliseconds', () => {
      const spec = durationOption('t', 'd', '1m');
      expect(spec.parse(spec.defaultValue!)).to.equal(60_000);
    });
  });

  describe('sizeOption', () => {
    const spec = sizeOption('z', 'd', '8k', { min: 512 });
    it('reads bytes and binary multiples, any case, with optional i/b', () => {
      expect(spec.parse('8192')).to.equal(8192);
      expect(spec.parse('64k')).to.equal(65_536);
      expect(spec.parse('64K')).to.equal(65_536);
      expect(spec.parse('10M')).to.equal(10 * 1024 ** 2);
      expect(spec.parse('1g')).to.equal(1024 ** 3);
      expect(spec.parse('2KiB')).to.equal(2048);
      expect(spec.parse('2kb')).to.equal(2048);
    });
    it('refuses garbage and values under the minimum', () => {
      expect(() => spec.parse('big')).to.throw(/expected a size such as 8192/);
      expect(() => spec.parse('1.5k')).to.throw(/expected a size/);
      expect(() => spec.parse('-1')).to.throw(/expected a size/);
      expect(() => spec.parse('100')).to.throw('must be at least 512 bytes');
    });
  });

  describe('splitList / listOption', () => {
    it('splits on commas and whitespace, dropping empties', () => {
      expect(splitList('a, b  c,,d\n\te')).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
      expect(splitList('')).to.deep.equal([]);
      expect(splitList(' , ')).to.deep.equal([]);
      expect(listOption('l', 'd').defaultValue).to.equal('');
      expect(listOption('l', 'd', 'x y').parse('x y')).to.deep.equal(['x', 'y']);
    });
  });

  describe('enumOption', () => {
    const spec = enumOption('log_level', 'level', ['info', 'debug', 'warn'] as const, 'info');
    it('accepts the choices and lists them in its description', () => {
      expect(spec.parse(' debug ')).to.equal('debug');
      expect(spec.description).to.equal('level (info, debug, warn)');
    });
    it('refuses others with the list and a "did you mean" when one is close', () => {
      expect(() => spec.parse('debgu')).to.throw('expected one of info, debug, warn, got "debgu" (did you mean "debug"?)');
      expect(() => spec.parse('verbose')).to.throw(/^expected one of info, debug, warn, got "verbose"$/);
    });
  });

  describe('didYouMean', () => {
    it('suggests a close candidate only', () => {
      expect(didYouMean('dscm_servce', ['dscm_service', 'backend'])).to.equal(' (did you mean "dscm_service"?)');
      expect(didYouMean('zzzz', ['dscm_service', 'backend'])).to.equal('');
      expect(didYouMean('x', [])).to.equal('');
    });
  });

  describe('validateOptions', () => {
    const service = stringOption('dscm_service', 'service', '');
    const port = intOption('listen_port', 'port', 143, { min: 1, max: 65535 });
    const token = requiredStringOption('api_token', 'the token');
    const specs: OptionSpec<unknown>[] = [service, port];

    it('gives defaults for keys not given and parsed values for given ones', () => {
      const o = validateOptions([fromFile('listen_port', '993')], specs);
      expect(o.get(port)).to.equal(993);
      expect(o.get(service)).to.equal('');
      expect(o.rawValue('listen_port')).to.equal('993');
      expect(o.rawValue('dscm_service')).to.equal(undefined);
    });

    it('refuses an unknown key, naming it, where it came from and the close known key', () => {
      const e = configError(() => validateOptions([fromFile('listen_prot', '993', 7)], specs));
      expect(e.message).to.equal('unknown option listen_prot (from /etc/pd.cf:7) (did you mean "listen_port"?)');
      expect(e.key).to.equal('listen_prot');
    });

    it('does not suggest when nothing is close', () => {
      const e = configError(() => validateOptions([fromCli('completely_else', 'x')], specs));
      expect(e.message).to.equal('unknown option completely_else (from command line)');
    });

    it('refuses a bad value, naming the key, its source and what is expected', () => {
      const e = configError(() => validateOptions([fromFile('listen_port', 'http', 3)], specs));
      expect(e.message).to.equal('bad value for listen_port (from /etc/pd.cf:3): expected an integer, got "http"');
      expect(e.key).to.equal('listen_port');
      const cli = configError(() => validateOptions([fromCli('listen_port', '70000')], specs));
      expect(cli.message).to.equal('bad value for listen_port (from command line): must be at most 65535, got 70000');
    });

    it('reports a broken default as such', () => {
      const broken = intOption('broken', 'd', undefined);
      const withBadDefault: OptionSpec<number> = { ...broken, defaultValue: 'nope' };
      const e = configError(() => validateOptions([], [withBadDefault]));
      expect(e.message).to.match(/^bad value for broken \(default\): expected an integer/);
    });

    it('refuses a missing required option with its description', () => {
      const e = configError(() => validateOptions([], [token]));
      expect(e.message).to.equal('option api_token is required: the token');
      expect(e.key).to.equal('api_token');
      expect(validateOptions([fromCli('api_token', 't')], [token]).get(token)).to.equal('t');
    });

    it('lets the command line override the file (later entries win)', () => {
      const o = validateOptions([fromFile('listen_port', '110'), fromCli('listen_port', '995')], specs);
      expect(o.get(port)).to.equal(995);
      expect(o.rawEntries()).to.deep.equal([fromCli('listen_port', '995')]);
      // and the overridden bad file value is not even parsed
      expect(validateOptions([fromFile('listen_port', 'bad'), fromCli('listen_port', '1')], specs).get(port)).to.equal(1);
    });

    it('allows keys of foreign plugins from the file, never from the command line', () => {
      const o = validateOptions([fromFile('pop3_greeting', 'hi')], specs, ['pop3_', 'imap_']);
      expect(o.rawValue('pop3_greeting')).to.equal('hi');
      const e = configError(() => validateOptions([fromCli('pop3_greeting', 'hi')], specs, ['pop3_']));
      expect(e.message).to.equal('unknown option pop3_greeting (from command line)');
      // a file line overridden on the command line is a command-line key
      expect(() => validateOptions([fromFile('pop3_x', '1'), fromCli('pop3_x', '2')], specs, ['pop3_'])).to.throw(ConfigError, /pop3_x \(from command line\)/);
    });

    it('counts the bare key of a foreign prefix as foreign (listen for listen_)', () => {
      const o = validateOptions([fromFile('listen', 'imap=127.0.0.1:143')], specs, ['listen_']);
      expect(o.rawValue('listen')).to.equal('imap=127.0.0.1:143');
      expect(() => validateOptions([fromFile('listener', 'x')], specs, ['listen_'])).to.throw(ConfigError, /unknown option listener/);
    });

    it('reports every problem at once, one per line', () => {
      const e = configError(() => validateOptions([fromFile('nope', '1', 1), fromFile('other_nope', '2', 2)], specs));
      expect(e.message.split('\n')).to.have.length(2);
      expect(e.key).to.equal('nope');
      const values = configError(() => validateOptions([fromFile('listen_port', 'x')], [...specs, token]));
      expect(values.message.split('\n')).to.deep.equal([
        'bad value for listen_port (from /etc/pd.cf:1): expected an integer, got "x"',
        'option api_token is required: the token',
      ]);
    });

    it('parses each key once even when declared twice', () => {
      let calls = 0;
      const counted: OptionSpec<string> = { key: 'k', description: 'd', parse: (raw) => (calls++, raw) };
      validateOptions([fromCli('k', 'v')], [counted, counted]);
      expect(calls).to.equal(1);
    });

    it('get() throws for an unset key without default; maybe() returns undefined', () => {
      const optional = stringOption('opt', 'optional');
      const o = validateOptions([], [optional]);
      expect(o.maybe(optional)).to.equal(undefined);
      const e = configError(() => o.get(optional));
      expect(e.message).to.equal('option opt is not set');
      expect(validateOptions([fromCli('opt', 'v')], [optional]).maybe(optional)).to.equal('v');
    });

    it('get() of an undeclared spec parses its raw value or default on demand', () => {
      const o = validateOptions([], specs);
      expect(o.get(intOption('late', 'd', 4))).to.equal(4);
    });
  });
});
