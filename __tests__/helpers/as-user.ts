// A corpus home tried as a new user would: dry run on one copy, fix --yes on another, the dry-run
// patch applied to the first. Masked diffs (a changed line carries a secret) are for reading only.
import { expect } from '@jest/globals';
import { join } from 'node:path';
import { corpusRoot } from './corpus.js';
import { runCli, type Ran } from './capture.js';
import { applyPatch, snapshotTree, tempCopy } from './homes.js';

export interface UserRun {
  original: Map<string, Buffer>;
  applied: string;
  preview: Ran;
  fixed: Ran;
  /** Paths the dry run changes. */
  changed: string[];
}

export async function tryAsUser(label: string, extra: string[] = []): Promise<UserRun> {
  const dry = tempCopy(join(corpusRoot, label));
  const applied = tempCopy(join(corpusRoot, label));
  const original = snapshotTree(dry);

  const preview = await runCli(['fix', dry, '--dry-run', ...extra]);
  expect(preview.stderr).not.toMatch(/refused|internal error/);
  expect([0, 1]).toContain(preview.code);
  expect(snapshotTree(dry)).toEqual(original);

  const fixed = await runCli(['fix', applied, '--yes', ...extra]);
  expect([0, 1]).toContain(fixed.code);

  const masked = [...preview.stderr.matchAll(/^masked: (\S+)/gm)].map((m) => m[1]!);
  const sections = fileSections(preview.stdoutBytes.toString('latin1'));
  const changed = sections.map((s) => /^(?:--- a\/|diff --git a\/)(\S+)/.exec(s)![1]!);
  const patchable = sections.filter((sec) => !masked.some((p) => sec.startsWith(`--- a/${p}\n`) || sec.startsWith(`diff --git a/${p} `)));
  for (const sec of sections.filter((x) => !patchable.includes(x))) {
    expect(sec).toContain('********');
    expect(sec).not.toMatch(/(keystorePass|truststorePass|password)="(?!\*)/i);
  }
  if (patchable.length) applyPatch(dry, Buffer.from(patchable.join(''), 'latin1'));
  const want = snapshotTree(applied);
  for (const p of masked) want.set(p, original.get(p)!);
  expect(snapshotTree(dry)).toEqual(want);
  return { original, applied, preview, fixed, changed };
}

/**
 * A dry run's diff cut into one section per file. A `--- a/` line starts one, except right after the git
 * header (`diff --git`, `old mode`, `new mode`) that a permission change puts before the same file's hunks.
 */
export function fileSections(diff: string): string[] {
  const out: string[] = [];
  let gitHeaderOf: string | undefined;
  for (const line of diff.split(/(?<=\n)/)) {
    const git = /^diff --git a\/(\S+) /.exec(line);
    const plain = /^--- a\/(\S+)/.exec(line);
    if (git || (plain && plain[1] !== gitHeaderOf) || out.length === 0) out.push('');
    gitHeaderOf = git ? git[1] : /^(?:old|new) mode /.test(line) ? gitHeaderOf : undefined;
    out[out.length - 1] += line;
  }
  return out.filter(Boolean);
}

/** Lines the dry run adds or removes (not the file headers). */
export function changedLines(diff: string): string[] {
  return diff.split('\n').filter((l) => /^[-+]/.test(l) && !/^(---|\+\+\+) [ab]\//.test(l));
}
