import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@pigeondeliver/core';
import { installWrapper, parseInstallArgv, wrapperText } from '@pigeondeliver/forker-postfix';

describe('--install', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'pd-install-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an executable wrapper with an absolute node shebang that runs pd-forker-postfix without PATH', () => {
    const settings = parseInstallArgv(['--daemon-directory', dir, '--config=/etc/pd/pd.cf']);
    const path = installWrapper(settings);
    expect(path).to.equal(join(dir, 'pd-forker-postfix'));
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n')[0]).to.equal(`#!${process.execPath}`);
    expect(text).to.include('PIGEONDELIVER_CONFIG = "/etc/pd/pd.cf"');
    expect(statSync(path).mode & 0o777).to.equal(0o755);
    // Run it the way master does: no PATH, no GENERATION: it must start and refuse clearly.
    let out = '';
    try {
      execFileSync(path, ['-n', 'imap', '-t', 'inet', '-o', 'postfix_postlog='], { env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { status: number; stderr: Buffer };
      expect(err.status).to.equal(78);
      out = err.stderr.toString();
    }
    expect(out).to.match(/GENERATION is not set/);
  });

  it('refuses bad arguments', () => {
    expect(() => parseInstallArgv(['--daemon-directory', 'relative'])).to.throw(ConfigError, /absolute path/);
    expect(() => parseInstallArgv(['--name', '../x'])).to.throw(ConfigError, /plain file name/);
    expect(() => parseInstallArgv(['--what'])).to.throw(ConfigError, /unknown argument/);
    expect(() => installWrapper({ ...parseInstallArgv([]), daemonDirectory: join(dir, 'missing') })).to.throw(ConfigError, /not a directory/);
  });

  it('leaves out the config line without --config', () => {
    expect(wrapperText({ node: '/usr/bin/node', entry: '/x/bin.js' })).not.to.include('PIGEONDELIVER_CONFIG');
  });
});
