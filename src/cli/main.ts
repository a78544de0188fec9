// harden's command line: parses argv, runs one command, maps errors to exit codes. Commands are
// loaded only when chosen, so --help stays fast.
import yargs from 'yargs';
import { EXIT, PLAN_DETAILED } from './exit-codes.js';
import { withArchiveOptions, withCommonOptions, type CommonArgs } from './options.js';
import { processOutput, quieted, type Output } from './output.js';
import type { FixArgs } from './commands/fix.js';
import type { RollbackArgs } from './commands/rollback.js';
import type { HistoryArgs } from './commands/history.js';
import type { PlanArgs } from './commands/plan.js';
import type { ApplyArgs } from './commands/apply.js';
import type { ShowArgs } from './commands/show.js';
import type { RulesArgs } from './commands/rules.js';
import type { ExplainArgs } from './commands/explain.js';

const EPILOG = `Exit codes:
  0  nothing left to fix (check), or every fix applied (fix)
  1  findings remain, or check / fix --dry-run would change files
  2  usage error or bad input; nothing was written
  3  a waiver in harden.toml has expired (check, fix); it is also reported as a finding
  130  interrupted (Ctrl+C) in the interactive planner; nothing was written
  plan: 0 when the plan was saved (with or without changes), 2 on error.
  plan --detailed-exitcode (Terraform's convention, which reuses 2 for a different meaning):
     0 saved, no changes; 2 saved, changes pending; 1 error, no plan saved
  apply: as fix --yes; 2 when the plan no longer matches HOME (nothing was written)`;

/** `plan --detailed-exitcode` reports errors as 1 (its 2 means "changes pending"). */
const detailedPlan = (argv: string[]): boolean =>
  argv.find((a) => !a.startsWith('-')) === 'plan' && argv.some((a) => a === '--detailed-exitcode' || a === '--detailed-exitcode=true');

async function styleFor(args: CommonArgs, out: Output) {
  const { COLOR, PLAIN } = await import('../report/text.js');
  const wanted = args.color ?? (out.isTTY && !process.env.NO_COLOR);
  return wanted ? COLOR : PLAIN;
}

/**
 * --quiet keeps stdout only where it is the product (the dry-run diff, a --format report); the
 * interactive planner (fix on a terminal without --dry-run or --yes) must still be able to ask.
 */
function quietFor(args: FixArgs, out: Output, failed: (release: () => void) => void): Output {
  if (!args.quiet) return out;
  const planner = out.isTTY && !args.dryRun && !args.yes && (args.format ?? 'text') === 'text';
  if (planner) return out;
  const q = quieted(out, Boolean(args.dryRun) || (args.format ?? 'text') !== 'text');
  failed(q.release);
  return q.out;
}

/** Runs harden with the given argv; returns the exit code instead of exiting. */
export async function main(argv: string[], out: Output = processOutput): Promise<number> {
  let code: number = EXIT.clean;
  // yargs reports a bad value (e.g. --jdk 9) through fail() and then still runs the command: it must not.
  let usageFailed = false;
  // --quiet holds stderr back; a run that ends in an error lets it out.
  let release: (() => void) | undefined;
  const onError = (r: () => void): void => void (release = r);
  const guard = async (fn: () => Promise<number>): Promise<void> => {
    if (usageFailed) return;
    try {
      code = await fn();
      if (code === (detailedPlan(argv) ? PLAN_DETAILED.error : EXIT.error)) release?.();
    } catch (e) {
      release?.();
      code = detailedPlan(argv) ? PLAN_DETAILED.error : EXIT.error;
      out.stderr(`harden: ${await describeError(e)}\n`);
    }
  };
  const cli = yargs()
    .scriptName('harden')
    .usage('$0 <command> [HOME] [options]\n\nHardens a WSO2 product home by rewriting weak settings, byte-minimally.')
    .command(
      'check [home..]',
      'Report weak settings and what fix would change; writes nothing. Several homes, or a folder of homes, give one report',
      (y) => withCommonOptions(y),
      (args) => guard(async () => (await import('./commands/check.js')).runCheck(args as CommonArgs, quietFor(args as FixArgs, out, onError), await styleFor(args as CommonArgs, out))),
    )
    .command(
      'fix [home..]',
      'Fix weak settings: --dry-run prints a unified diff (patch -p1 inside HOME applies it), --yes writes; on a terminal without either, an interactive planner asks first',
      (y) =>
        withArchiveOptions(withCommonOptions(y))
          .option('dry-run', { type: 'boolean', describe: 'Print the diff to stdout, write nothing' })
          .option('yes', { type: 'boolean', alias: 'y', describe: 'Apply every verified fix without asking' })
          .option('backup', { type: 'boolean', default: true, describe: 'Keep the original files in HOME/.harden/backups for harden rollback (--no-backup for image builds)' })
          .conflicts('dry-run', 'yes'),
      (args) => guard(async () => (await import('./commands/fix.js')).runFix(args as FixArgs, quietFor(args as FixArgs, out, onError), await styleFor(args as CommonArgs, out))),
    )
    .command(
      'rollback [home]',
      "Put back the original bytes, mode and owner of every file a harden fix wrote; refuses files edited since, unless --force",
      (y) =>
        y
          .positional('home', { type: 'string', default: '.', describe: 'Product home' })
          .option('run', { type: 'string', describe: 'The run to undo (harden history lists them); default: the latest fix' })
          .option('force', { type: 'boolean', describe: 'Also restore files edited since harden wrote them (the edited versions are kept as a backup)' }),
      (args) => guard(async () => (await import('./commands/rollback.js')).runRollback(args as unknown as RollbackArgs, out)),
    )
    .command(
      'history [home]',
      'List the runs harden recorded in HOME/.harden, newest first',
      (y) => y.positional('home', { type: 'string', default: '.', describe: 'Product home' }),
      (args) => guard(async () => (await import('./commands/history.js')).runHistoryCommand(args as unknown as HistoryArgs, out)),
    )
    .command(
      'plan [home]',
      'Save what fix would change to a plan file (--out) for review; writes nothing to HOME',
      (y) =>
        withCommonOptions(y)
          .option('out', { type: 'string', demandOption: true, describe: 'The plan file to write (JSON; holds no secret in clear)' })
          .option('detailed-exitcode', { type: 'boolean', describe: 'Exit 0 no changes, 2 changes pending, 1 error (Terraform\'s convention)' }),
      (args) => guard(async () => (await import('./commands/plan.js')).runPlan(args as unknown as PlanArgs, quietFor(args as FixArgs, out, onError), await styleFor(args as CommonArgs, out))),
    )
    .command(
      'show <plan>',
      'Print a saved plan as the unified diff fix --dry-run prints (stdout), with a one-line summary (stderr)',
      (y) =>
        y
          .positional('plan', { type: 'string', demandOption: true, describe: 'A plan file written by harden plan --out' })
          .option('format', { type: 'string', choices: ['text', 'html'], default: 'text', describe: 'text (the diff), or html: one self-contained page' }),
      (args) => guard(async () => (await import('./commands/show.js')).runShow(args as unknown as ShowArgs, out)),
    )
    .command(
      'apply <plan>',
      'Write exactly a saved plan; refuses (exit 2, writes nothing) if HOME or any file it read changed since',
      (y) =>
        y
          .positional('plan', { type: 'string', demandOption: true, describe: 'A plan file written by harden plan --out' })
          .option('home', { type: 'string', describe: 'Apply to this home instead of the recorded one (its product and files must match)' })
          .option('backup', { type: 'boolean', default: true, describe: 'Keep the original files in HOME/.harden/backups for harden rollback' }),
      (args) => guard(async () => (await import('./commands/apply.js')).runApply(args as unknown as ApplyArgs, out)),
    )
    .command(
      'rules [home]',
      'List every rule: id, severity, fix class, product generations; with HOME, whether each applies to it',
      (y) =>
        y
          .positional('home', { type: 'string', describe: 'Product home to check applicability against' })
          .option('format', { type: 'string', choices: ['text', 'json'], default: 'text', describe: 'text, or json on stdout' }),
      (args) => guard(async () => (await import('./commands/rules.js')).runRules(args as unknown as RulesArgs, out)),
    )
    .command(
      'explain <id>',
      "Print a rule's page: why, what it changes, parameters, when not to apply, references",
      (y) => y.positional('id', { type: 'string', demandOption: true, describe: 'A rule id (harden rules lists them)' }),
      (args) => guard(async () => (await import('./commands/explain.js')).runExplain(args as unknown as ExplainArgs, out)),
    )
    .demandCommand(1, 'Name a command: check, fix, plan, show, apply, rollback, history, rules or explain')
    .strict()
    .epilog(EPILOG)
    .exitProcess(false)
    .fail((msg, err) => {
      usageFailed = true;
      code = detailedPlan(argv) ? PLAN_DETAILED.error : EXIT.error;
      out.stderr(`harden: ${msg ?? err?.message}\nRun harden --help for usage.\n`);
    })
    .help()
    .version();
  // yargs hands --help, --version and its messages to this callback instead of printing them.
  await cli.parseAsync(argv, {}, (_err, _args, output) => {
    if (output) out.stdout(`${output}\n`);
  });
  return code;
}

async function describeError(e: unknown): Promise<string> {
  const { InputError } = await import('../engine/source-files.js');
  if (e instanceof InputError) return `${e.message}\nnothing was written`;
  if (e instanceof Error) return e.message;
  return String(e);
}
