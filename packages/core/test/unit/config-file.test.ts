import { expect } from 'chai';
import { chmodSync } from 'node:fs';
import { ConfigError, CONFIG_ENV, DEFAULT_CONFIG_PATH, parseConfigText, readConfigFile } from '@pigeondeliver/core';
import { createTempDir } from '@pigeondeliver/test-fixtures/temp-dir';
import { captureError } from '../capture-error.js';

describe('config-file', () => {
  describe('parseConfigText', () => {
    it('reads key = value lines with their file:line source, trimming blanks', () => {
      const raw = parseConfigText('a = 1\nb=two words \n  \nc =\n', 'pd.cf');
      expect(raw).to.deep.equal([
        { key: 'a', value: '1', source: 'pd.cf:1' },
        { key: 'b', value: 'two words', source: 'pd.cf:2' },
        { key: 'c', value: '', source: 'pd.cf:4' },
      ]);
    });

    it('skips comments and blank lines, also with CRLF line ends', () => {
      const raw = parseConfigText('# comment\r\n   # indented comment\r\n\r\nkey = v # not a comment\r\n', 'f');
      expect(raw).to.deep.equal([{ key: 'key', value: 'v # not a comment', source: 'f:4' }]);
    });

    it('keeps everything after the first "=" in the value', () => {
      expect(parseConfigText('database_url = postgres://u:p@h/db?ssl=true', 'f')[0]!.value).to.equal('postgres://u:p@h/db?ssl=true');
    });

    it('joins continuation lines (leading whitespace) with one space, across comments and blank lines', () => {
      const text = 'home_roots = /a\n    /b\n# between\n\n\t/c\nnext = x\n';
      const raw = parseConfigText(text, 'f');
      expect(raw).to.deep.equal([
        { key: 'home_roots', value: '/a /b /c', source: 'f:1' },
        { key: 'next', value: 'x', source: 'f:6' },
      ]);
      expect(parseConfigText('k =\n  v\n', 'f')[0]!.value).to.equal('v');
    });

    it('refuses a continuation line with no setting before it, naming file:line', () => {
      expect(() => parseConfigText('# c\n  orphan\n', 'pd.cf')).to.throw(ConfigError, 'pd.cf:2: continuation line with no setting before it');
    });

    it('refuses a line without "=" and a bad key, naming file:line', () => {
      expect(() => parseConfigText('ok = 1\njust words\n', 'pd.cf')).to.throw(ConfigError, 'pd.cf:2: expected "key = value", got "just words"');
      expect(() => parseConfigText('bad-key = 1', 'pd.cf')).to.throw(ConfigError, 'pd.cf:1: "bad-key" is not a valid option name');
      expect(() => parseConfigText(' = 1', 'pd.cf')).to.throw(ConfigError, /pd.cf:1: continuation/);
      expect(() => parseConfigText('= 1', 'pd.cf')).to.throw(ConfigError, 'pd.cf:1: "" is not a valid option name');
      expect(() => parseConfigText(`${'x'.repeat(100)}`, 'pd.cf')).to.throw(ConfigError, /got "x{60}"$/);
    });

    it('expands $name and ${name} from the file, in any order, and $$ to a dollar', () => {
      const raw = parseConfigText('dir = ${base}/mail\nbase = /srv\nurl = $base/db.sqlite\ncost = $$5 ${base}x\n', 'f');
      expect(raw.map((r) => r.value)).to.deep.equal(['/srv/mail', '/srv', '/srv/db.sqlite', '$5 /srvx']);
    });

    it('expands nested references and leaves non-names alone', () => {
      const raw = parseConfigText('a = 1\nb = $a$a\nc = [$b] $1 $\n', 'f');
      expect(raw.map((r) => r.value)).to.deep.equal(['1', '11', '[11] $1 $']);
    });

    it('uses the last value of a key given twice for expansion', () => {
      const raw = parseConfigText('a = 1\na = 2\nb = $a\n', 'f');
      expect(raw.at(-1)!.value).to.equal('2');
    });

    it('refuses an unknown reference and a loop, naming file:line', () => {
      const unknown = (() => {
        try {
          parseConfigText('a = 1\nb = $nothere\n', 'pd.cf');
        } catch (e) {
          return e as ConfigError;
        }
        throw new Error('no error');
      })();
      expect(unknown).to.be.instanceOf(ConfigError);
      expect(unknown.message).to.equal('pd.cf:2: $nothere refers to a setting that is not in the file');
      expect(unknown.key).to.equal('nothere');
      expect(() => parseConfigText('a = $b\nb = $a\n', 'pd.cf')).to.throw(ConfigError, 'pd.cf:1: parameter expansion nests too deep (a loop?)');
    });
  });

  describe('readConfigFile', () => {
    it('reads a file with its path as the source', () => {
      const dir = createTempDir();
      const file = dir.write('pd.cf', 'dscm_service = login-imap\n');
      expect(readConfigFile(file, true)).to.deep.equal([{ key: 'dscm_service', value: 'login-imap', source: `${file}:1` }]);
      dir.remove();
    });

    it('treats a missing optional file as empty and a missing required one as an error', async () => {
      const dir = createTempDir();
      const missing = dir.join('absent.cf');
      expect(readConfigFile(missing, false)).to.deep.equal([]);
      const e = await captureError(() => readConfigFile(missing, true));
      expect(e).to.be.instanceOf(ConfigError);
      expect(e.message).to.equal(`cannot read config file ${missing}: no such file`);
      dir.remove();
    });

    it('reports an unreadable file even when optional', async function () {
      if (process.getuid?.() === 0) this.skip(); // root reads mode-000 files anyway
      const dir = createTempDir();
      const file = dir.write('locked.cf', 'a = 1\n');
      chmodSync(file, 0);
      const e = await captureError(() => readConfigFile(file, false));
      expect(e.message).to.match(/^cannot read config file .*locked\.cf: .*permission denied/i);
      dir.remove();
    });

    it('reports a directory given as the file', async () => {
      const dir = createTempDir();
      const e = await captureError(() => readConfigFile(dir.path, true));
      expect(e).to.be.instanceOf(ConfigError);
      expect(e.message).to.match(/^cannot read config file .*: EISDIR/);
      dir.remove();
    });

    it('names the environment variable and the default path', () => {
      expect(CONFIG_ENV).to.equal('PIGEONDELIVER_CONFIG');
      expect(DEFAULT_CONFIG_PATH).to.equal('/etc/pigeondeliver/pigeondeliver.cf');
    });
  });
});
