// The interactive planner's flow with scripted answers: what it offers, asks, shows and writes.
import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync, appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPlanner } from '../src/cli/planner/index.js';
import { PlannerAbort } from '../src/cli/planner/prompts.js';
import { showPaged } from '../src/cli/planner/pager.js';
import { PLAIN } from '../src/report/text.js';
import { EXIT } from '../src/cli/exit-codes.js';
import { repoRoot } from './helpers/corpus.js';
import { runCli } from './helpers/capture.js';
import { cleanupTemps, snapshotTree, tempCopy } from './helpers/homes.js';
import { scripted, type Script } from './helpers/scripted-prompts.js';

const example = join(repoRoot, 'examples', 'apim-2.6-home');
// The product's files, to compare two fixed homes; harden's own state (.harden/, if any) differs by run.
const productFiles = (dir: string) => new Map([...snapshotTree(dir)].filter(([path]) => !path.startsWith('.harden/')));
afterAll(cleanupTemps);

const SERVER_HEADER = 'tomcat-server-header:repository/conf/tomcat/catalina-server.xml';
const PORT_OFFSET = 'ports-offset:repository/conf/carbon.xml';
const allBut = (key: string) => (groups: { choices: { value: string }[] }[]) => groups.flatMap((g) => g.choices.map((c) => c.value)).filter((v) => v !== key);
const answer = (values: Record<string, string>) => (q: { message: string; default?: string }) => {
  const name = q.message.split(' ')[0]!;
  return values[name] ?? q.default ?? '';
};

async function plan(home: string, script: Script, set: string[] = []) {
  const session = scripted(script);
  const code = await runPlanner({ home, set }, session.out, PLAIN, session.deps);
  return { session, code };
}

describe('interactive planner', () => {
  it('offers every fix, and the port offset that needs input, pre-selected and grouped by severity', async () => {
    const { session } = await plan(tempCopy(example), { confirm: () => false });
    expect(session.groups.map((g) => g.title)).toEqual(['high severity', 'medium severity', 'low severity']);
    const choices = session.groups.flatMap((g) => g.choices);
    expect(choices).toHaveLength(15);
    expect(choices.every((c) => c.checked)).toBe(true);
    const offset = choices.find((c) => c.value === PORT_OFFSET)!;
    expect(offset.name).toContain('(needs port-offset)');
    expect(offset.description).toContain('Scanners and worms probe');
    const header = choices.find((c) => c.value === SERVER_HEADER)!;
    expect(header.name).toMatch(/^tomcat-server-header {2}Tomcat connectors .* {2}repository\/conf\/tomcat\/catalina-server\.xml$/);
    expect(session.stdout()).toMatch(/WSO2 API Manager 2\.6\.0\nkernel 4\.4\.35, xml configuration model .*\nfindings: \d+ high, \d+ medium, \d+ low/);
  });

  it('applies the picked fixes with the answered port offset, byte for byte what fix --yes writes', async () => {
    const home = tempCopy(example);
    const { session, code } = await plan(home, { pick: allBut(SERVER_HEADER), text: answer({ 'port-offset': '3' }), confirm: () => true });
    expect(session.questions.map((q) => q.message.split(' ')[0])).toEqual(['hsts-max-age', 'port-offset', 'dh-key-size', 'hostname']);
    expect(code).toBe(EXIT.findings);
    expect(session.stdout()).toContain('Not selected, so not changed');
    expect(session.closed).toBe(true);

    const expected = tempCopy(example);
    await runCli(['fix', expected, '--yes', '--set', 'port-offset=3', '--skip', 'tomcat-server-header']);
    expect(productFiles(home)).toEqual(productFiles(expected));
    // N counts the picked rule × file items, M the files they change.
    const original = productFiles(example);
    const files = [...productFiles(expected)].filter(([p, b]) => !b.equals(original.get(p)!)).length;
    // Every item but the deselected Server header and the host name left unanswered.
    const items = session.groups.flatMap((g) => g.choices).length - 2;
    expect(session.confirms).toEqual([{ message: `Apply ${items} changes to ${files} files?`, defaultAnswer: false }]);

    // The undo advice is true: the rollback it names gives back the original bytes.
    expect(session.stdout()).toContain(`\`harden rollback ${home}\` puts back the original bytes`);
    const undo = await runCli(['rollback', home]);
    expect(undo.code).toBe(0);
    expect(productFiles(home)).toEqual(original);
  });

  it('does not ask for a value that harden.toml already gives', async () => {
    const home = tempCopy(example);
    writeFileSync(join(home, 'harden.toml'), '[params]\nport-offset = 3\n');
    const { session } = await plan(home, { confirm: () => false });
    expect(session.questions.map((q) => q.message.split(' ')[0])).not.toContain('port-offset');
  });

  it('validates parameters with the rule and lets the operator skip a fix instead', async () => {
    const home = tempCopy(example);
    const { session, code } = await plan(home, { text: answer({ 'port-offset': '-' }), confirm: () => true });
    const offset = session.questions.find((q) => q.message.startsWith('port-offset'))!;
    expect(offset.validate('60000')).toMatch(/whole number from 0 to/);
    expect(offset.validate('two')).toMatch(/whole number/);
    expect(offset.validate('7')).toBe(true);
    expect(offset.validate('-')).toBe(true);
    expect(offset.validate('')).toBe(true);
    expect(code).toBe(EXIT.findings);
    expect(session.stdout()).toMatch(/Still needs your input or manual work:\n[\s\S]*ports-offset/);

    const expected = tempCopy(example);
    await runCli(['fix', expected, '--yes']);
    expect(productFiles(home)).toEqual(productFiles(expected));
  });

  it('shows the diff of exactly the selection before asking', async () => {
    const { session } = await plan(tempCopy(example), { pick: () => [SERVER_HEADER] });
    const dry = await runCli(['fix', example, '--dry-run', '--only', 'tomcat-server-header']);
    const paged = session.events.find((e) => e.startsWith('page:'))!;
    expect(paged).toContain(dry.stdout);
    expect(paged.match(/^--- a\//gm)).toHaveLength(1);
    expect(session.events.indexOf(paged)).toBeLessThan(session.events.findIndex((e) => e.startsWith('ask:Apply 1 change to 1 file?')));
  });

  it('does not ask for parameters given with --set', async () => {
    const { session } = await plan(tempCopy(example), {}, ['port-offset=5', 'server-header=edge']);
    expect(session.questions.map((q) => q.message.split(' ')[0])).toEqual(['hsts-max-age', 'dh-key-size', 'hostname']);
    expect(session.groups.flatMap((g) => g.choices).find((c) => c.value === PORT_OFFSET)!.name).not.toContain('needs');
  });

  it.each([
    ['the list', { pick: () => { throw new PlannerAbort('interrupt'); } }],
    ['a parameter', { text: () => { throw new PlannerAbort('interrupt'); } }],
    ['the confirmation', { confirm: () => { throw new PlannerAbort('interrupt'); } }],
  ] as [string, Script][])('Ctrl+C at %s exits 130 and writes nothing', async (_at, script) => {
    const home = tempCopy(example);
    const before = snapshotTree(home);
    const { session, code } = await plan(home, script);
    expect(code).toBe(EXIT.interrupted);
    expect(session.stderr()).toBe('aborted, nothing written\n');
    expect(session.closed).toBe(true);
    expect(snapshotTree(home)).toEqual(before);
  });

  it.each([
    ['declining (the default)', {}],
    ['Esc', { confirm: () => { throw new PlannerAbort('cancel'); } }],
    ['selecting nothing', { pick: () => [] }],
  ] as [string, Script][])('%s exits 1 and writes nothing', async (_how, script) => {
    const home = tempCopy(example);
    const before = snapshotTree(home);
    const { session, code } = await plan(home, script);
    expect(code).toBe(EXIT.findings);
    expect(session.stderr()).toMatch(/aborted, nothing written\n$/);
    expect(snapshotTree(home)).toEqual(before);
  });

  it('lists what it cannot apply after the selection', async () => {
    const home = tempCopy(example);
    const carbon = join(home, 'repository/conf/carbon.xml');
    writeFileSync(carbon, readFileSync(carbon, 'utf8').replace('<Offset>0</Offset>', '<Offset>${portOffset}</Offset>'));
    const { session } = await plan(home, {});
    expect(session.groups.flatMap((g) => g.choices).map((c) => c.value)).not.toContain(PORT_OFFSET);
    const listed = session.events.findIndex((e) => e.includes('harden cannot apply these'));
    expect(listed).toBeGreaterThan(session.events.findIndex((e) => e.startsWith('ask:Fixes to apply')));
    expect(session.events[listed]).toMatch(/MANUAL.*ports-offset[\s\S]*cannot evaluate/);
  });

  it('writes nothing when a file changed while the operator was deciding', async () => {
    const home = tempCopy(example);
    const web = join(home, 'repository/conf/tomcat/carbon/WEB-INF/web.xml');
    const { session, code } = await plan(home, {
      confirm: () => {
        appendFileSync(web, '<!-- edited meanwhile -->\n');
        return true;
      },
    });
    const edited = productFiles(home);
    expect(code).toBe(EXIT.error);
    expect(session.stderr()).toContain('changed while you were deciding; nothing written');
    const original = productFiles(example);
    for (const [path, bytes] of edited) if (!path.endsWith('web.xml')) expect(bytes).toEqual(original.get(path));
  });
});

describe('pager', () => {
  const captured = () => {
    let text = '';
    return { out: { isTTY: true, stdout: (t: string | Uint8Array) => void (text += String(t)), stderr: () => undefined }, text: () => text };
  };

  it('prints text that fits the terminal', () => {
    const c = captured();
    showPaged('a\nb\n', c.out, { rows: 24, pager: 'false' });
    expect(c.text()).toBe('a\nb\n');
  });

  it('pipes longer text through $PAGER', () => {
    const c = captured();
    const file = join(mkdtempSync(join(tmpdir(), 'harden-pager-')), 'paged.txt');
    const text = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    showPaged(text, c.out, { rows: 10, pager: `cat > '${file}'` });
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(c.text()).toBe('');
  });

  it('prints when no pager can run', () => {
    const c = captured();
    // 127 is what sh returns for a command it cannot find.
    showPaged('x\n'.repeat(30), c.out, { rows: 10, pager: 'exit 127' });
    expect(c.text()).toBe('x\n'.repeat(30));
  });
});
