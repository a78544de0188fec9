// --quiet: nothing but what was asked for on stdout, and errors; the exit code is unchanged.
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { repoRoot } from './helpers/corpus.js';
import { cleanupTemps, snapshotTree, tempCopy } from './helpers/homes.js';
import { runCli } from './helpers/capture.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');
afterAll(cleanupTemps);

describe('--quiet', () => {
  it('check prints nothing and still exits 1 on findings', async () => {
    const loud = await runCli(['check', example]);
    const quiet = await runCli(['check', example, '--quiet']);
    expect(loud.code).toBe(1);
    expect(loud.stdout.length).toBeGreaterThan(0);
    expect(quiet).toMatchObject({ code: 1, stdout: '', stderr: '' });
  });

  it('fix --dry-run keeps the diff on stdout byte for byte and drops the commentary', async () => {
    const loud = await runCli(['fix', example, '--dry-run']);
    const quiet = await runCli(['fix', example, '--dry-run', '-q']);
    expect(loud.stderr.length).toBeGreaterThan(0);
    expect(quiet.code).toBe(loud.code);
    expect(quiet.stdoutBytes.equals(loud.stdoutBytes)).toBe(true);
    expect(quiet.stderr).toBe('');
  });

  it('fix --yes writes the same bytes and says nothing', async () => {
    const a = tempCopy(example);
    const b = tempCopy(example);
    const loud = await runCli(['fix', a, '--yes', '--no-backup']);
    const quiet = await runCli(['fix', b, '--yes', '--no-backup', '--quiet']);
    expect(quiet).toMatchObject({ code: loud.code, stdout: '', stderr: '' });
    expect(snapshotTree(b)).toEqual(snapshotTree(a));
  });

  it('a --format report still goes to stdout', async () => {
    const loud = await runCli(['check', example, '--format', 'json']);
    const quiet = await runCli(['check', example, '--format', 'json', '--quiet']);
    expect(quiet.stdout).toBe(loud.stdout);
  });

  it('errors are still printed', async () => {
    const missing = await runCli(['check', join(repoRoot, 'no-such-home'), '--quiet']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-home/);
    // fix without a terminal and without --dry-run/--yes explains itself even when quiet.
    const noTty = await runCli(['fix', example, '--quiet']);
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/--dry-run/);
  });

  it('cannot be combined with --verbose', async () => {
    const r = await runCli(['check', example, '--quiet', '--verbose']);
    expect(r.code).toBe(2);
  });
});
