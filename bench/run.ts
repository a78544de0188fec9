// `npm run bench`: wall time, CPU time and peak RSS of harden beside bare Node, per corpus home, over 100
// homes, and beside an Ansible play making the same fixes. Prints a Markdown report on stdout;
// `npm run bench -- --write` also replaces the generated part of docs/benchmarks.md, and
// `-- --quick` runs everything once (smoke test). Needs a build first: npx tsc -p tsconfig.json.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtMb, fmtMs, fmtX, measure, MEASURED_BY, median, runOnce, type Case, type Stats } from './measure.js';
import { summarizeProfile, type ProfileSummary } from './profile.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = resolve(process.env.HARDEN_BENCH_CORPUS ?? join(ROOT, '../shared/corpus'));
const BIN = join(ROOT, 'dist/src/cli/bin.js');
const PLAN_MANY = join(ROOT, 'dist/bench/plan-many.js');
const HOOKS = join(ROOT, 'dist/bench/module-hooks.js');
const PLAYBOOK = join(ROOT, 'bench/ansible/harden-apim-2.6.yml');
const DOC = join(ROOT, 'docs/benchmarks.md');
const REFERENCE = 'apim-2.6.0'; // the home used for startup, 100 copies and the Ansible comparison

const quick = process.argv.includes('--quick');
const REPS = { startup: quick ? 1 : 7, imports: quick ? 1 : 5, perHome: quick ? 1 : 3, many: quick ? 1 : 3, ansible: quick ? 1 : 5 };
const COPIES = quick ? 10 : 100;
const NODE = process.execPath;

const started = performance.now();
const log = (msg: string): void => void process.stderr.write(`bench [${((performance.now() - started) / 1000).toFixed(0)} s] ${msg}\n`);
const lines: string[] = [];
const say = (line = ''): void => void lines.push(line);
function table(head: string[], rows: (string | number)[][]): void {
  say(`| ${head.join(' | ')} |`);
  say(`|---|${'---:|'.repeat(head.length - 1)}`);
  for (const r of rows) say(`| ${r.join(' | ')} |`);
  say();
}
const harden = (name: string, ...args: string[]): Case => ({ name, cmd: NODE, args: [BIN, ...args], cwd: ROOT });
const nodeCase = (name: string, ...args: string[]): Case => ({ name, cmd: NODE, args, cwd: ROOT, expect: [0] });
const met = (ok: boolean): string => (ok ? '**met**' : '**not met**');
const readOr = (path: string, fallback: string): string => (existsSync(path) ? readFileSync(path, 'utf8') : fallback);
const scratch = mkdtempSync(join(os.tmpdir(), 'harden-bench-homes-'));

function machine(): void {
  const cpu = /^model name\s*:\s*(.*)$/m.exec(readOr('/proc/cpuinfo', ''))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const distro = /^PRETTY_NAME="?(.*?)"?$/m.exec(readOr('/etc/os-release', ''))?.[1] ?? os.type();
  say(`- CPU: ${cpu}, ${os.cpus().length} logical cores; memory ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`);
  say(`- OS: ${distro}, kernel ${os.release()} (${os.arch()}); Node ${process.version}`);
  say(`- load average (1 min) at start: ${os.loadavg()[0]!.toFixed(2)}`);
  say(`- measured by: ${MEASURED_BY}`);
  say(`- repetitions (median reported): startup ${REPS.startup}, imports ${REPS.imports}, per home ${REPS.perHome}, ${COPIES} homes ${REPS.many}, Ansible ${REPS.ansible}; cases are interleaved round-robin`);
  say();
}

/** A writable copy of the reference home (the corpus is read-only; an installed product is not). */
function copyHome(name: string): string {
  const dest = join(scratch, name);
  cpSync(join(CORPUS, REFERENCE), dest, { recursive: true });
  for (const e of readdirSync(dest, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath ?? e.path, e.name);
    chmodSync(p, statSync(p).mode | 0o200);
  }
  return dest;
}

/** Bare Node against harden's start-up: the 1.5× target. */
function startup(home: string): [number, number] {
  say('### 1. Start-up: harden beside bare Node');
  say();
  const cases = [
    nodeCase('`node -e 0`', '-e', '0'),
    harden('`harden --help`', '--help'),
    harden(`\`harden check ${REFERENCE}\``, 'check', home),
    nodeCase(`in-process \`planHome\` of ${REFERENCE} (bench/plan-many.js, no CLI)`, PLAN_MANY, home),
  ];
  log('start-up');
  const s = measure(cases, REPS.startup, log);
  const base = s.get(cases[0]!.name)!;
  table(
    ['command', 'wall', '× bare Node', 'CPU', '× bare Node', 'peak RSS', 'exit'],
    cases.map((c) => {
      const r = s.get(c.name)!;
      return [c.name, fmtMs(r.ms), fmtX(r.ms / base.ms), fmtMs(r.cpuMs), fmtX(r.cpuMs / base.cpuMs), fmtMb(r.rssMb), r.codes];
    }),
  );
  const check = s.get(cases[2]!.name)!;
  return [check.ms / base.ms, check.cpuMs / base.cpuMs];
}

/** What loading each dependency costs on its own, and how many modules a command loads. */
function imports(home: string): void {
  say('### 2. What start-up is spent on');
  say();
  const specs = ['yargs', 'xml-js', 'diff', 'smol-toml', 'toml-eslint-parser', './dist/src/cli/main.js', './dist/src/run.js'];
  // Timed inside a fresh process, so the figure is the import alone, without Node's own start.
  const timed = (m: string): string => `const t = performance.now(); await import(${JSON.stringify(m)}); process.stdout.write(String(performance.now() - t));`;
  const cases = specs.map((m) => nodeCase(m, '--input-type=module', '-e', timed(m)));
  log('imports');
  const s = measure(cases, REPS.imports, log);
  say('Loading one module, cold, in a fresh process (`await import(M)` timed inside `node --input-type=module -e`):');
  say();
  table(
    ['module', 'median import time'],
    specs.map((m) => [m.startsWith('./') ? `${m.slice(2)} (and all it imports)` : m, fmtMs(median(s.get(m)!.runs.filter((r) => r.code === 0).map((r) => Number(r.stdout))))]),
  );
  const rows: string[][] = [];
  for (const [name, args] of [
    ['harden --help', ['--help']],
    [`harden check ${REFERENCE}`, ['check', home]],
  ] as const) {
    const logFile = join(scratch, 'modules.log');
    rmSync(logFile, { force: true });
    spawnSync(NODE, ['--no-warnings', '--experimental-loader', HOOKS, BIN, ...args], { env: { ...process.env, BENCH_MODULE_LOG: logFile }, cwd: ROOT });
    const urls = [...new Set(readOr(logFile, '').split('\n').filter((u) => u.startsWith('file:')))];
    const own = urls.filter((u) => !u.includes('/node_modules/')).length;
    const pkgs = new Map<string, number>();
    for (const u of urls) {
      const p = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)?.[1];
      if (p) pkgs.set(p, (pkgs.get(p) ?? 0) + 1);
    }
    rows.push([name, String(own), String(urls.length - own), [...pkgs].map(([p, n]) => `${p} (${n})`).join(', ')]);
  }
  say('ES modules resolved per command (a resolve hook; CommonJS `require`s inside packages, e.g. xml-js → sax, are not counted):');
  say();
  table(['command', 'harden files', 'package files', 'packages (files)'], rows);
}

interface PlanStats {
  readyMs: number;
  firstPlanMs: number;
  laterPlanMeanMs: number;
  homes: number | { home: string; files?: number; bytes?: number; xmlParses?: number; xmlParsedBytes?: number; error?: string }[];
}

const planStats = (stdout: string): PlanStats => JSON.parse(stdout.trim().split('\n').pop()!) as PlanStats;

function diskSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += statSync(join(e.parentPath ?? e.path, e.name)).size;
  }
  return { files, bytes };
}

function perHome(): void {
  say('### 3. Each corpus home');
  say();
  const labels = readdirSync(CORPUS, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const homes = labels.map((l) => join(CORPUS, l));
  const read = planStats(runOnce(nodeCase('stats', PLAN_MANY, '--stats', ...homes)).stdout);
  const byHome = new Map((read.homes as Exclude<PlanStats['homes'], number>).map((h) => [h.home, h]));
  const kb = (b: number | undefined): string => (b === undefined ? '–' : (b / 1024).toFixed(0));
  const rows: string[][] = [];
  const checks: number[] = [];
  for (const [i, label] of labels.entries()) {
    log(`home ${i + 1}/${labels.length}: ${label}`);
    const home = homes[i]!;
    const s: Map<string, Stats> = measure([harden('check', 'check', home), harden('fix', 'fix', home, '--dry-run')], REPS.perHome, log);
    const c = s.get('check')!;
    const f = s.get('fix')!;
    checks.push(c.ms);
    const disk = diskSize(home);
    const r = byHome.get(home);
    rows.push([
      label,
      `${disk.files} / ${kb(disk.bytes)}`,
      r?.error ? 'error' : `${r?.files} / ${kb(r?.bytes)}`,
      r?.error ? '–' : `${r?.xmlParses} / ${kb(r?.xmlParsedBytes)}`,
      fmtMs(c.ms),
      fmtMs(c.cpuMs),
      fmtMb(c.rssMb),
      fmtMs(f.ms),
      fmtMb(f.rssMb),
      `${c.codes} / ${f.codes}`,
    ]);
  }
  say('Sizes are files / KB. "read" is what harden loads (detection plus the globs of the applicable rules); "xml-js" counts');
  say('the documents xml-js parsed during planning (verification) and their KB. Exit codes: check / fix --dry-run.');
  say();
  table(['home', 'on disk', 'read by harden', 'xml-js parses', 'check wall', 'CPU', 'RSS', 'fix --dry-run wall', 'RSS', 'exit'], rows);
  say(`Median of \`harden check\` over the ${labels.length} homes: ${fmtMs(median(checks))}.`);
  say();
}

/** One home against COPIES homes: separate invocations, and one process calling planHome per home. */
function manyHomes(): [number, number] {
  say(`### 4. ${COPIES} homes (copies of ${REFERENCE})`);
  say();
  log(`copying ${REFERENCE} ${COPIES} times`);
  const homes = Array.from({ length: COPIES }, (_, i) => copyHome(`h${String(i + 1).padStart(3, '0')}`));
  const loop = (name: string, hs: string[]): Case => ({
    name,
    cmd: 'bash',
    args: ['-c', 'n=$1 b=$2; shift 2; for h in "$@"; do "$n" "$b" check "$h" >/dev/null 2>&1; done', 'bench-loop', NODE, BIN, ...hs],
  });
  const cases = [loop('loop1', homes.slice(0, 1)), loop('loopN', homes), nodeCase('proc1', PLAN_MANY, homes[0]!), nodeCase('procN', PLAN_MANY, ...homes)];
  log(`${COPIES} homes`);
  const s = measure(cases.filter((c) => c.name !== 'loopN'), REPS.many, log);
  // The loop is itself COPIES invocations; it runs once, to keep the bench within a few minutes.
  log(`${COPIES} separate invocations in a shell loop`);
  s.set('loopN', measure([cases[1]!], 1, log).get('loopN')!);
  const row = (what: string, one: Stats, all: Stats): (string | number)[] => [
    what,
    fmtMs(one.ms),
    fmtMs(all.ms),
    fmtMs(all.ms / COPIES),
    fmtMs((all.ms - one.ms) / (COPIES - 1)),
    fmtX(all.ms / one.ms),
    `${fmtMs(one.cpuMs)} / ${fmtMs(all.cpuMs)} (${fmtX(all.cpuMs / one.cpuMs)})`,
    `${fmtMb(one.rssMb)} / ${fmtMb(all.rssMb)}`,
  ];
  table(
    ['path', '1 home', `${COPIES} homes`, 'per home', 'each extra home', `${COPIES} / 1`, `CPU 1 / ${COPIES} (ratio)`, `peak RSS 1 / ${COPIES}`],
    [
      row('(a) shell loop: one `harden check` per home', s.get('loop1')!, s.get('loopN')!),
      row('(b) one process: `planHome` per home (bench/plan-many.js)', s.get('proc1')!, s.get('procN')!),
    ],
  );
  const inner = (k: string): PlanStats[] => s.get(k)!.runs.filter((r) => r.code === 0).map((r) => planStats(r.stdout));
  const one = inner('proc1');
  const all = inner('procN');
  say(
    `Inside (b), medians: Node start plus loading harden's modules ${fmtMs(median(one.map((p) => p.readyMs)))}; ` +
      `first \`planHome\` ${fmtMs(median(one.map((p) => p.firstPlanMs)))}; each later \`planHome\` ${fmtMs(median(all.map((p) => p.laterPlanMeanMs)))} (mean over homes 2…${COPIES}).`,
  );
  say();
  return [s.get('procN')!.ms / s.get('proc1')!.ms, s.get('procN')!.cpuMs / s.get('proc1')!.cpuMs];
}

function profileTable(title: string, p: ProfileSummary): void {
  say(`${title} — ${fmtMs(p.totalMs)} sampled (idle excluded):`);
  say();
  const pct = (ms: number): string => `${((100 * ms) / p.totalMs).toFixed(0)} %`;
  table(['self time by package / harden folder', 'ms', 'share'], p.groups.map(([g, ms]) => [g, ms.toFixed(0), pct(ms)]));
  table(['top functions by self time', 'ms', 'share'], p.functions.map(([f, ms]) => [`\`${f}\``, ms.toFixed(0), pct(ms)]));
}

function profiles(home: string): void {
  say('### 5. CPU profiles (`node --cpu-prof --cpu-prof-interval 100`)');
  say();
  const run = (name: string, args: string[]): ProfileSummary => {
    const dir = join(scratch, `prof-${name}`);
    spawnSync(NODE, ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, ...args], { cwd: ROOT });
    return summarizeProfile(join(dir, readdirSync(dir)[0]!), ROOT);
  };
  log('profiles');
  profileTable(`One \`harden check ${REFERENCE}\``, run('check', [BIN, 'check', home]));
  const many = Array.from({ length: 20 }, () => home);
  profileTable('Twenty `planHome` calls in one process (bench/plan-many.js): the cost of each further home', run('many', [PLAN_MANY, ...many]));
}

function ansible(): [number, number] | undefined {
  say(`### 6. Beside Ansible: the same fixes on ${REFERENCE}`);
  say();
  const which = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0) {
    say('Skipped: `ansible-playbook` is not installed (Debian: `apt-get install -y ansible python3-lxml`).');
    say();
    log('ansible-playbook not found: Ansible comparison skipped');
    return undefined;
  }
  const general = /community\.general\s+(\S+)/.exec(execFileSync('ansible-galaxy', ['collection', 'list', 'community.general'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[1];
  const env = { ...process.env, ANSIBLE_PYTHON_INTERPRETER: 'auto_silent', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: 'false' };
  const play = (name: string, home: string, ...extra: string[]): Case => ({
    name,
    cmd: 'ansible-playbook',
    args: ['-i', 'localhost,', '-c', 'local', ...extra, '-e', `home=${home}`, PLAYBOOK],
    cwd: ROOT,
    env,
  });
  const home = copyHome('ansible-check');
  const cases = [harden('fix', 'fix', home, '--dry-run'), harden('check', 'check', home), play('ansible', home, '--check', '--diff')];
  log('ansible');
  const s = measure(cases, REPS.ansible, log);
  const a = s.get('ansible')!;
  const recap = /ok=\d+\s+changed=\d+\s+unreachable=\d+\s+failed=\d+/.exec(a.runs[0]!.stdout)?.[0] ?? 'no recap';
  say(`${which.stdout.split('\n')[0]}, community.general ${general ?? '?'}; play: \`bench/ansible/harden-apim-2.6.yml\` (7 tasks, 12 changes, \`gather_facts: false\`), \`--check --diff\`, connection local; recap: \`${recap}\`.`);
  say();
  const row = (what: string, r: Stats): string[] => [what, fmtMs(r.ms), fmtMs(r.cpuMs), fmtMb(r.rssMb), r.codes, r === a ? '–' : `${fmtX(a.ms / r.ms)} / ${fmtX(a.cpuMs / r.cpuMs)}`];
  table(
    ['command', 'wall', 'CPU', 'peak RSS', 'exit', 'Ansible ÷ this (wall / CPU)'],
    [row(`\`harden fix ${REFERENCE} --dry-run\``, s.get('fix')!), row(`\`harden check ${REFERENCE}\``, s.get('check')!), row('`ansible-playbook --check --diff`', a)],
  );
  // Not timed: what each one writes when applied, against the untouched home.
  const hardenHome = copyHome('apply-harden');
  const ansibleHome = copyHome('apply-ansible');
  const changed = (dir: string, code: number | null): string => {
    const d = spawnSync('diff', ['-r', join(CORPUS, REFERENCE), dir], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    const count = (re: RegExp): number => (d.match(re) ?? []).length;
    const added = [...d.matchAll(/^Only in [^:]*: (.*)$/gm)].map((m) => `\`${m[1]}\``);
    return `exit ${code}, ${count(/^diff -r /gm)} files changed (${count(/^< /gm)} lines removed, ${count(/^> /gm)} added)${added.length ? `, new: ${added.join(', ')}` : ''}`;
  };
  const hardenApply = changed(hardenHome, runOnce(harden('apply', 'fix', hardenHome, '--yes')).code);
  const ansibleApply = changed(ansibleHome, runOnce(play('apply', ansibleHome)).code);
  say(`Applied for real (once, not timed), \`diff -r\` against the original: harden \`fix --yes\` — ${hardenApply}; the Ansible play — ${ansibleApply}.`);
  say();
  return [a.ms / s.get('fix')!.ms, a.cpuMs / s.get('fix')!.cpuMs];
}

function main(): void {
  if (!existsSync(BIN) || !existsSync(PLAN_MANY)) throw new Error('build first: npx tsc -p tsconfig.json');
  if (!existsSync(join(CORPUS, REFERENCE))) throw new Error(`corpus home ${join(CORPUS, REFERENCE)} not found (set HARDEN_BENCH_CORPUS)`);
  say(`Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${quick ? ' (--quick: one repetition, smoke test only)' : ''}.`);
  say();
  machine();
  const home = join(CORPUS, REFERENCE);
  const [startRatio, startCpu] = startup(home);
  imports(home);
  perHome();
  const [manyRatio, manyCpu] = manyHomes();
  profiles(home);
  const ansibleRatio = ansible();
  say('### Targets');
  say();
  table(
    ['target (issue 8)', 'wall', 'CPU', 'verdict (wall)'],
    [
      [`\`harden check ${REFERENCE}\` within 1.5× of bare Node start`, fmtX(startRatio), fmtX(startCpu), met(startRatio <= 1.5)],
      [`${COPIES} homes in one run within 5× of one home (in-process path)`, fmtX(manyRatio), fmtX(manyCpu), met(manyRatio <= 5)],
      ...(ansibleRatio === undefined ? [] : [['Ansible `--check --diff` ÷ `harden fix --dry-run` (for information)', fmtX(ansibleRatio[0]), fmtX(ansibleRatio[1]), '–']]),
    ],
  );
  say(`Load average (1 min) at the end: ${os.loadavg()[0]!.toFixed(2)}; the whole bench took ${fmtMs(performance.now() - started)}.`);
}

try {
  main();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
const report = lines.join('\n');
process.stdout.write(`${report}\n`);
if (process.argv.includes('--write')) {
  const doc = readFileSync(DOC, 'utf8');
  const begin = '<!-- bench:begin -->';
  const end = '<!-- bench:end -->';
  if (!doc.includes(begin) || !doc.includes(end)) throw new Error(`${DOC} lacks the ${begin} … ${end} markers`);
  writeFileSync(DOC, `${doc.slice(0, doc.indexOf(begin) + begin.length)}\n${report}\n${doc.slice(doc.indexOf(end))}`);
  log(`wrote ${DOC}`);
}
