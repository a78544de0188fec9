// Writing a large hardened archive draws an [n/total] counter on a terminal's stderr, and nothing
// when stderr is not a terminal; the archive written is the same either way.
import { afterAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { repoRoot } from '../helpers/corpus.js';
import { cleanupScratch, stageHome, zipTree } from './zips.js';

afterAll(cleanupScratch);

async function run(args: string[], stderrIsTTY: boolean): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const out: Output = { stdout: () => undefined, stderr: (t) => void (stderr += t), isTTY: false, stderrIsTTY };
  const code = await main(args, out);
  return { code, stderr };
}

describe('progress while writing a large archive', () => {
  it('counts 8 MiB steps on a terminal only', async () => {
    const { parent, home } = stageHome(join(repoRoot, 'examples', 'apim-2.6-home'), 'wso2am-2.6.0', { extras: false, links: false });
    // 20 MiB that deflate cannot shrink, where no rule looks (a plugin jar).
    mkdirSync(join(home, 'repository', 'components', 'plugins'), { recursive: true });
    writeFileSync(join(home, 'repository', 'components', 'plugins', 'big_1.0.0.jar'), randomBytes(20 * 1024 * 1024));
    const pack = zipTree(parent, 'pack.zip', 'wso2am-2.6.0', ['-0']);
    process.env.HARDEN_PROGRESS_DELAY_MS = '0';
    try {
      const tty = await run(['fix', pack, '--yes', '--out', join(parent, 'a.zip')], true);
      const pipe = await run(['fix', pack, '--yes', '--out', join(parent, 'b.zip')], false);
      expect(tty.code).toBe(pipe.code);
      expect(tty.stderr).toMatch(/\r\x1b\[K\[1\/3\] writing .*a\.zip \(8 MiB\)/);
      expect(tty.stderr).toMatch(/\r\x1b\[K\[2\/3\] writing .*\(16 MiB\)\r\x1b\[K/);
      expect(pipe.stderr).not.toContain('\x1b[K');
      expect(readFileSync(join(parent, 'a.zip')).equals(readFileSync(join(parent, 'b.zip')))).toBe(true);
    } finally {
      delete process.env.HARDEN_PROGRESS_DELAY_MS;
    }
  });
});
