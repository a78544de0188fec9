// The interactive planner as an operator meets it: the built CLI in a pseudo-terminal, keys typed at it,
// files compared byte for byte with what the non-interactive CLI writes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { repoRoot } from './helpers/corpus.js';
import { runCli } from './helpers/capture.js';
import { ensureBuilt } from './helpers/built-cli.js';
import { cleanupTemps, snapshotTree, tempCopy } from './helpers/homes.js';
import { KEY, runInPty, type Step } from './helpers/pty.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');
// The product's files, to compare two fixed homes; harden's own state (.harden/, if any) differs by run.
const productFiles = (dir: string) => new Map([...snapshotTree(dir)].filter(([path]) => !path.startsWith('.harden/')));
beforeAll(ensureBuilt, 120_000);
afterAll(cleanupTemps);

const LIST = 'Fixes to apply';
// The last item of the list (Up wraps to it) is tomcat-server-header: highlight it, then uncheck it.
const deselectServerHeader: Step[] = [
  { wait: LIST, send: KEY.up },
  { wait: '❯◉ tomcat-server-header', send: KEY.space },
  { wait: '❯◯ tomcat-server-header', send: KEY.enter },
];
const answerParams = (offset: string): Step[] => [
  { wait: 'hsts-max-age for hsts-mgt-console', send: KEY.enter },
  { wait: 'port-offset for ports-offset', send: `${offset}${KEY.enter}` },
  { wait: 'dh-key-size for jvm-ephemeral-dh', send: KEY.enter },
  // An empty answer skips the fix: the host name stays open, as without --set hostname.
  { wait: 'hostname for hostname', send: KEY.enter },
];

describe('harden fix on a terminal (interactive planner)', () => {
  it('applies exactly the selected fixes with the given port offset, as fix --yes --skip --set would', async () => {
    const home = tempCopy(example);
    const run = runInPty(['fix', home], [...deselectServerHeader, ...answerParams('3'), { wait: String.raw`Apply \d+ changes to \d+ files\? \(y/N\)`, send: `y${KEY.enter}` }]);
    expect(run.error).toBeNull();
    expect(run.transcript).toMatch(/Wrote \d+ file\(s\)/);
    expect(run.transcript).toContain('Undo: `harden rollback');
    expect(run.code).toBe(1); // the deselected Server header fix is still open

    const expected = tempCopy(example);
    const yes = await runCli(['fix', expected, '--yes', '--set', 'port-offset=3', '--skip', 'tomcat-server-header']);
    expect(yes.code).toBe(1); // the host name and the shipped keystore stay open
    expect(productFiles(home)).toEqual(productFiles(expected));
  });

  it('writes nothing when the confirmation is answered with Enter (the default is No)', () => {
    const home = tempCopy(example);
    const before = snapshotTree(home);
    const run = runInPty(['fix', home], [...deselectServerHeader, ...answerParams('3'), { wait: String.raw`Apply \d+ changes`, send: KEY.enter }]);
    expect(run.error).toBeNull();
    expect(run.transcript).toContain('aborted, nothing written');
    expect(run.code).toBe(1);
    expect(snapshotTree(home)).toEqual(before);
  });

  it('exits 130 and writes nothing on Ctrl+C at the parameter prompt', () => {
    const home = tempCopy(example);
    const before = snapshotTree(home);
    const run = runInPty(['fix', home], [{ wait: LIST, send: KEY.enter }, { wait: 'server-header for', send: KEY.ctrlC }]);
    expect(run.error).toBeNull();
    expect(run.code).toBe(130);
    expect(run.transcript).toContain('aborted, nothing written');
    expect(snapshotTree(home)).toEqual(before);
  });

  it('exits 1 and writes nothing on Esc in the list', () => {
    const home = tempCopy(example);
    const before = snapshotTree(home);
    const run = runInPty(['fix', home], [{ wait: LIST, send: KEY.esc }]);
    expect(run.error).toBeNull();
    expect(run.code).toBe(1);
    expect(run.transcript).toContain('aborted, nothing written');
    expect(snapshotTree(home)).toEqual(before);
  });

  it('pages a diff longer than the terminal through $PAGER', () => {
    const home = tempCopy(example);
    const marker = 'PAGED-BY-TEST-PAGER';
    const run = runInPty(
      ['fix', home, '--only', 'tomcat-tls-ciphers'],
      [{ wait: LIST, send: KEY.enter }, { wait: 'Apply 1 change to 1 file', send: KEY.ctrlC }],
      { PAGER: `sed 's/^/${marker} /'` },
      12,
    );
    expect(run.code).toBe(130);
    expect(run.transcript).toContain(`${marker} --- a/repository/conf/tomcat/catalina-server.xml`);
  });
});
