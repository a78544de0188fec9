// `harden check` and `fix --dry-run` must not pay for inquirer: only the interactive planner loads it.
// The built CLI runs under a resolve hook that logs every module URL it loads.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './helpers/corpus.js';
import { builtBin, ensureBuilt } from './helpers/built-cli.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');
const dir = mkdtempSync(join(tmpdir(), 'harden-loads-'));
beforeAll(ensureBuilt, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOOK = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(process.env.HARDEN_LOAD_LOG, resolved.url + '\\n');
  return resolved;
}`;

/** The URLs of every module loaded while node runs `args`. */
function modulesLoaded(label: string, args: string[]): string[] {
  const hook = join(dir, 'log-hook.mjs');
  const register = join(dir, 'register.mjs');
  writeFileSync(hook, HOOK);
  writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);
  const log = join(dir, `${label}.log`);
  writeFileSync(log, '');
  const ran = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, ...args], {
    cwd: repoRoot,
    env: { ...process.env, NODE_OPTIONS: '', HARDEN_LOAD_LOG: log },
    encoding: 'utf8',
  });
  expect(ran.stderr).not.toMatch(/Error \[|TypeError|SyntaxError/);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const isInquirer = (url: string): boolean => /\/node_modules\/(@inquirer\/|inquirer\/)/.test(url);

describe('inquirer is loaded lazily', () => {
  it.each([
    ['check', ['check', example]],
    ['dry-run', ['fix', example, '--dry-run']],
  ])('%s loads the CLI and its commands but not inquirer', (label, args) => {
    const urls = modulesLoaded(label, [builtBin, ...args]);
    expect(urls.some((u) => u.endsWith('/dist/src/cli/main.js'))).toBe(true);
    expect(urls.some((u) => /\/dist\/src\/cli\/commands\/(check|fix)\.js$/.test(u))).toBe(true);
    expect(urls.filter(isInquirer)).toEqual([]);
  });

  it('sees inquirer when the planner opens its prompts (so the check above can fail)', () => {
    const prompts = pathToFileURL(join(repoRoot, 'dist', 'src', 'cli', 'planner', 'terminal-prompts.js')).href;
    const urls = modulesLoaded('planner', ['--input-type=module', '-e', `const m = await import(${JSON.stringify(prompts)}); (await m.openTerminalPrompts()).close();`]);
    expect(urls.some(isInquirer)).toBe(true);
  });
});
