import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../dist/handoff/config-bin.js', import.meta.url));

describe('pd-dovecot-config', () => {
  it('--help names the options the printed services are made from', () => {
    const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
    expect(r.status).to.equal(0);
    for (const key of ['dovecot_handoff_pool_shards', 'dovecot_handoff_uids', 'dovecot_handoff_process_min_avail', 'dovecot_handoff_login_group']) expect(r.stdout).to.include(key);
  });

  it('prints one service per shard from the options, and refuses a shard count out of range', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pd-dovecot-config-'));
    try {
      const cf = join(dir, 'pd.cf');
      writeFileSync(cf, 'mail_uid = 5000\ndovecot_handoff_pool_shards = 3\n');
      const r = spawnSync(process.execPath, [BIN, '-c', cf], { encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout.match(/^service (imap|pop3)-uid5000-s[123] \{$/gm)).to.have.length(6);
      const bad = spawnSync(process.execPath, [BIN, '-c', cf, '-o', 'dovecot_handoff_pool_shards=0'], { encoding: 'utf8' });
      expect(bad.status).to.equal(1);
      expect(bad.stderr).to.match(/^pd-dovecot-config: .*dovecot_handoff_pool_shards/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
