// harden's command line: parses argv, runs one command, maps errors to exit codes. Commands are
// loaded only when chosen, so --help stays fast.
import yargs from 'yargs';
import { EXIT } from './exit-codes.js';
import { withCommonOptions, type CommonArgs } from './options.js';
import { processOutput, type Output } from './output.js';
import type { FixArgs } from './commands/fix.js';

const EPILOG = `Exit codes:
  0  nothing left to fix (check), or every fix applied (fix)
  1  findings remain, or check / fix --dry-run would change files
  2  usage error or bad input; nothing was written`;

async function styleFor(args: CommonArgs, out: Output) {
  const { COLOR, PLAIN } = await import('../report/text.js');
  const wanted = args.color ?? (out.isTTY && !process.env.NO_COLOR);
  return wanted ? COLOR : PLAIN;
}

/** Runs harden with the given argv; returns the exit code instead of exiting. */
export async function main(argv: string[], out: Output = processOutput): Promise<number> {
  let code: number = EXIT.clean;
  const guard = async (fn: () => Promise<number>): Promise<void> => {
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
      'Fix weak settings: --dry-run prints a unified diff (patch -p1 inside HOME applies it), --yes writes',
      (y) =>
        withCommonOptions(y)
          .option('dry-run', { type: 'boolean', describe: 'Print the diff to stdout, write nothing' })
          .option('yes', { type: 'boolean', alias: 'y', describe: 'Apply every verified fix without asking' })
          .conflicts('dry-run', 'yes'),
      (args) => guard(async () => (await import('./commands/fix.js')).runFix(args as FixArgs, out, await styleFor(args as CommonArgs, out))),
    )
    .demandCommand(1, 'Name a command: check or fix')
    .strict()
    .epilog(EPILOG)
    .exitProcess(false)
    .fail((msg, err) => {
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
