// HOME given as a product archive (.zip): check and fix --dry-run read it in place; fix --yes --out
// writes the hardened copy to a NEW archive. The checks of --out/--force, and the write.
import { UsageError } from '../errors.js';
import type { HomePlan } from '../run.js';
import { encodeFile } from '../engine/encoding.js';
import { ArchiveHome, isArchivePath } from '../io/read-archive.js';
import { checkOutPath, writeHardenedArchive } from '../io/write-archive.js';
import { detectionText, findingsText, openFindings, summaryText, type Style } from '../report/text.js';
import type { Format } from '../report/common.js';
import { EXIT, withExpiredWaivers } from './exit-codes.js';
import type { ArchiveArgs } from './options.js';
import type { Output } from './output.js';
import { progress } from './progress.js';

interface Wants extends ArchiveArgs {
  home: string;
  dryRun?: boolean;
  yes?: boolean;
  format?: Format;
}

/**
 * The archive HOME names, opened (its directory read and every entry checked), or undefined for a
 * directory. For fix, first refuses what --out and --force cannot mean: an archive is never rewritten
 * in place, so --yes needs --out; --out needs --yes and an archive. With text output, says on stderr
 * which folder of the archive is the home.
 */
export function openArchiveFor(args: Wants, command: 'check' | 'fix', out?: Output): ArchiveHome | undefined {
  const archive = isArchivePath(args.home);
  if (command === 'fix') {
    if (args.force && args.out === undefined) throw new UsageError('--force goes with --out (it lets --out replace an existing file)');
    if (args.out !== undefined) {
      if (!archive) throw new UsageError(`--out is for a HOME that is a product archive (.zip); ${args.home} is fixed in place`);
      if (!args.yes) throw new UsageError('--out goes with --yes (fix --dry-run writes nothing)');
      if (args.out === '') throw new UsageError('--out needs a file name');
    }
    if (archive && !args.dryRun && !args.yes) {
      throw new UsageError(`${args.home} is an archive: use fix --dry-run to see the diff, or fix --yes --out NEW.zip to write a hardened copy (the interactive planner works on an unpacked home)`);
    }
    if (archive && args.yes && args.out === undefined) {
      throw new UsageError(`${args.home} is an archive, and harden never rewrites an archive in place: add --out NEW.zip to write the hardened copy`);
    }
    if (archive && args.out !== undefined) checkOutPath(args.home, args.out, Boolean(args.force));
  }
  if (!archive) return undefined;
  const home = ArchiveHome.open(args.home);
  if ((args.format ?? 'text') === 'text') {
    out?.stderr(`harden: ${args.home}: reading the home ${home.root ? `in its folder ${home.root}` : 'at its root'} in place (nothing is extracted)\n`);
  }
  return home;
}

/** fix --yes --out: writes the new archive and reports as fix --yes does. */
export async function writeArchiveFix(
  args: Wants & { format?: Format },
  plan: HomePlan,
  archive: ArchiveHome,
  out: Output,
  style: Style,
): Promise<number> {
  const writes = plan.changes.map((c) => {
    // A file harden knows only the mode of (a keystore), or whose text is unchanged, keeps its bytes.
    const file = plan.files.get(c.path);
    const content = file && c.before !== c.after ? { bytes: encodeFile(file, c.after), expected: encodeFile(file, c.before) } : {};
    return { path: c.path, ...content, ...(c.mode ? { mode: c.mode } : {}) };
  });
  // A large pack takes seconds to copy: a terminal gets a counter of 8 MiB steps (nothing elsewhere).
  const STEP = 8 * 1024 * 1024;
  const bar = progress(out, Math.ceil(archive.stamp.size / STEP));
  let shown = 0;
  const onBytes = (written: number): void => {
    while (shown < Math.floor(written / STEP)) bar.step(`writing ${args.out!} (${++shown * 8} MiB)`);
  };
  let result;
  try {
    result = writeHardenedArchive(archive, writes, args.out!, { force: Boolean(args.force), onBytes });
  } finally {
    bar.done();
  }
  const remaining = openFindings(plan.findings).filter((f) => f.status !== 'fixable');
  const code = withExpiredWaivers(plan.findings, remaining.length ? EXIT.findings : EXIT.clean);
  const format = args.format ?? 'text';
  if (format !== 'text') {
    out.stdout(await (await import('./machine-report.js')).machineReport(format, plan, 'apply', result.written));
    return code;
  }
  out.stderr(`${detectionText(plan, style)}\n\n`);
  for (const path of result.written) out.stderr(`wrote ${path}\n`);
  out.stderr(
    `wrote ${result.out}: ${result.written.length} entr${result.written.length === 1 ? 'y' : 'ies'} changed, ${result.copied} copied byte for byte from ${archive.path} (which is left as it was)\n`,
  );
  if (remaining.length) out.stderr(`\n${findingsText(remaining, style)}\n\n`);
  out.stderr(`${summaryText(plan.findings)}\n`);
  out.stderr(`${result.written.length ? `applied fixes to ${result.written.length} file(s)` : 'nothing to change'}; ${remaining.length} finding(s) still need attention\n`);
  return code;
}
