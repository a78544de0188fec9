// Options shared by check and fix, and their translation into a RunRequest.
import type { Argv } from 'yargs';
import { JDKS, PROFILES, type Jdk, type ProfileName } from '../engine/tls-profiles.js';
import { UsageError } from '../errors.js';
import type { RunRequest } from '../run.js';
import { FORMATS, type Format } from '../report/common.js';
import { CONFIG_FILE_NAME, parseConfig } from '../config.js';
import { readConfigFile } from '../io/config-file.js';
import type { ArchiveHome } from '../io/read-archive.js';

export interface CommonArgs {
  /** One home; check and fix take several (`[home..]`) and resolve them first (src/cli/many.ts). */
  home: string;
  only?: string[];
  skip?: string[];
  set?: string[];
  profile?: string;
  jdk?: number;
  color?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  format?: Format;
  config?: string;
}

export function withCommonOptions<T>(y: Argv<T>): Argv<T & CommonArgs> {
  return y
    .positional('home', { type: 'string', default: '.', describe: 'Product home (the folder with bin/ and repository/ or conf/), or its .zip' })
    .option('only', { type: 'string', array: true, describe: 'Run only these rule ids (comma or space separated)' })
    .option('skip', { type: 'string', array: true, describe: 'Skip these rule ids' })
    .option('set', { type: 'string', array: true, describe: 'Give a parameter: --set port-offset=1 --set server-header=edge' })
    .option('profile', { type: 'string', choices: PROFILES as string[], describe: 'TLS profile (Mozilla guidelines)', default: undefined })
    .option('jdk', { type: 'number', choices: JDKS as number[], describe: 'JDK line the server runs on; filters protocols and suites it lacks (default: 8 before kernel 4.8, else 11)' })
    .option('config', { type: 'string', describe: 'Settings and waivers from this harden.toml (default: HOME/harden.toml when present); flags override it' })
    .option('color', { type: 'boolean', describe: 'Colour output (default: only on a terminal)' })
    .option('verbose', { type: 'boolean', alias: 'v', describe: 'Also list compliant and not-applicable rules' })
    .option('quiet', { type: 'boolean', alias: 'q', describe: 'Print only errors, and what was asked for on stdout (the --dry-run diff, a --format report); the exit code tells the rest' })
    .conflicts('quiet', 'verbose')
    .option('format', { type: 'string', choices: FORMATS as unknown as string[], default: 'text', describe: 'Output: text for people; json, sarif (2.1.0), junit (XML) or html (one self-contained page) on stdout alone' }) as Argv<T & CommonArgs>;
}

/**
 * The machine format asked for, or undefined for text. Checked here as well as by yargs' choices, which
 * reports a bad value but may still run the command: an unknown format must never fall through to one.
 */
export function machineFormat(args: Pick<CommonArgs, 'format'>): Exclude<Format, 'text'> | undefined {
  const f = args.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format takes ${FORMATS.join(', ')}, got "${f}"`);
  return f === 'text' ? undefined : (f as Exclude<Format, 'text'>);
}

const splitIds = (values: string[] | undefined): string[] => (values ?? []).flatMap((v) => v.split(/[\s,]+/)).filter(Boolean);

/** fix on a product archive: where the hardened copy goes (src/cli/archive.ts). */
export interface ArchiveArgs {
  out?: string;
  force?: boolean;
}

export function withArchiveOptions<T>(y: Argv<T>): Argv<T & ArchiveArgs> {
  return y
    .option('out', { type: 'string', describe: 'HOME is a product .zip: with --yes, write the hardened copy to this NEW archive (the input is never changed)' })
    .option('force', { type: 'boolean', describe: 'With --out: replace that file if it exists' }) as Argv<T & ArchiveArgs>;
}

/**
 * The run the flags ask for, over the settings of harden.toml (--config, else HOME/harden.toml; for a
 * product archive, the harden.toml inside its home). `archive`: read HOME from it (src/cli/archive.ts).
 */
export function toRequest(args: CommonArgs, archive?: ArchiveHome): RunRequest {
  const file = archive && args.config === undefined ? archive.configFile(CONFIG_FILE_NAME) : readConfigFile(args.home, args.config);
  const config = file ? parseConfig(file.text, file.path) : undefined;
  const params: Record<string, string> = {};
  for (const pair of args.set ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set takes name=value, got "${pair}"`);
    params[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return {
    home: args.home,
    only: args.only !== undefined ? splitIds(args.only) : config?.only ?? [],
    skip: args.skip !== undefined ? splitIds(args.skip) : config?.skip ?? [],
    // harden.toml's [params] are checked and merged under these in planHome (--set wins).
    params,
    profile: (args.profile as ProfileName | undefined) ?? config?.profile,
    jdk: (args.jdk as Jdk | undefined) ?? config?.jdk,
    ...(config ? { config } : {}),
    ...(archive ? { archive } : {}),
  };
}
