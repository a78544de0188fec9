// harden's command line: parses argv, runs one command, maps errors to exit codes. Commands are
// loaded only when chosen, so --help stays fast.
import yargs from 'yargs';
import { EXIT } from './exit-codes.js';
import { withCommonOptions, type CommonArgs } from './options.js';
import { processOutput, type Output } from './output.js';
import type { FixArgs } from './commands/fix.js';
import type { RollbackArgs } from './commands/rollback.js';
import type { HistoryArgs } from './commands/history.js';

const EPILOG = `Exit codes:
  0  nothing left to fix (check), or every fix applied (fix)
  1  findings remain, or check / fix --dry-run would change files
  2  usage error or bad input; nothing was written
  130  interrupted (Ctrl+C) in the interactive planner; nothing was written`;

async function styleFor(args: CommonArgs, out: Output) {
  const { COLOR, PLAIN } = await import('../report/text.js');
  const wanted = args.color ?? (out.isTTY && !process.env.NO_COLOR);
  return wanted ? COLOR : PLAIN;
}

/** Runs harden with the given argv; returns the exit code instead of exiting. */
export async function main(argv: string[], out: Output = processOutput): Promise<number> {
  let code: number = EXIT.clean;
  // yargs reports a bad value (e.g. --jdk 9) through fail() and then still runs the command: it must not.
  let usageFailed = false;
  const guard = async (fn: () => Promise<number>): Promise<void> => {
    if (usageFailed) return;
    try {
      code = await fn();
    } catch (e) {
      code = EXIT.error;
      out.stderr(`harden: ${await describeError(e)}\n`);
    }
  };
  const cli = yargs()
    .scriptName('harden')
    .usage('$0 <command> [HOME] [options]\n\nHardens a WSO2 product home by rewriting weak settings, byte-minimally.')
    .command(
      'check [home]',
      'Report weak settings and what fix would change; writes nothing',
      (y) => withCommonOptions(y),
      (args) => guard(async () => (await import('./commands/check.js')).runCheck(args as CommonArgs, out, await styleFor(args as CommonArgs, out))),
    )
    .command(
      'fix [home]',
      'Fix weak settings: --dry-run prints a unified diff (patch -p1 inside HOME applies it), --yes writes; on a terminal without either, an interactive planner asks first',
      (y) =>
        withCommonOptions(y)
          .option('dry-run', { type: 'boolean', describe: 'Print the diff to stdout, write nothing' })
          .option('yes', { type: 'boolean', alias: 'y', describe: 'Apply every verified fix without asking' })
          .option('backup', { type: 'boolean', default: true, describe: 'Keep the original files in HOME/.harden/backups for harden rollback (--no-backup for image builds)' })
          .conflicts('dry-run', 'yes'),
      (args) => guard(async () => (await import('./commands/fix.js')).runFix(args as FixArgs, out, await styleFor(args as CommonArgs, out))),
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
    .demandCommand(1, 'Name a command: check, fix, rollback or history')
    .strict()
    .epilog(EPILOG)
    .exitProcess(false)
    .fail((msg, err) => {
      usageFailed = true;
      code = EXIT.error;
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
