// Reads harden.toml: the file --config names, else HOME/harden.toml when there is one. Only reads; the
// text is parsed and checked by src/config.ts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { CONFIG_FILE_NAME } from '../config.js';

export interface ConfigText {
  path: string;
  text: string;
}

/** The config file's text, or undefined when none was given and HOME has none. */
export function readConfigFile(home: string, given?: string): ConfigText | undefined {
  if (given !== undefined) {
    if (!existsSync(given)) throw new UsageError(`--config ${given}: no such file`);
    if (!statSync(given).isFile()) throw new UsageError(`--config ${given}: not a file`);
    return { path: given, text: readFileSync(given, 'utf8') };
  }
  const path = join(home, CONFIG_FILE_NAME);
  if (!existsSync(path) || !statSync(path).isFile()) return undefined;
  return { path, text: readFileSync(path, 'utf8') };
}
