// A Ballerina / WSO2 Integrator: BI program runs in production as `java … -jar app.jar`, from a Dockerfile
// ENTRYPOINT/CMD or a start script. Its JVM gets the two TLS flags WSO2 recommends for every server JVM, added
// before `-jar`; a JDWP debug port (BAL_JAVA_DEBUG), the deprecated security manager, and `bal run <package>`
// (whose flags never reach the program's JVM) are reported.
import type { ConfigModel, Finding, Transform, TransformMeta } from '../../src/engine/types.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { dockerfileGlobs, dockerfiles, stageEnv } from '../../src/kit/dockerfiles.js';
import { execForm, rawSpan, splitWords, type Dockerfile, type Instruction, type Stage } from '../../src/formats/dockerfile/parse.js';
import { normalInstruction } from '../../src/formats/dockerfile/semantic.js';
import { javaJarArgsSh, parseShJar, type JarCommand } from '../../src/formats/script/java-jar.js';
import { applyEdits, type TextEdit } from '../../src/formats/text.js';
import { SOURCES } from '../../src/kit/sources.js';

const MODELS: ConfigModel[] = ['xml', 'toml', 'mi', 'ballerina', 'container'];

interface Flag {
  name: string;
  value: string;
  complies: (value: string | undefined) => boolean;
  why: string;
}

/** In the order they are written. */
const FLAGS: Flag[] = [
  {
    name: 'jdk.tls.rejectClientInitiatedRenegotiation',
    value: 'true',
    complies: (v) => v === 'true',
    why: 'a client could otherwise start TLS renegotiations, a cheap way to load the server',
  },
  {
    name: 'jdk.tls.ephemeralDHKeySize',
    value: '2048',
    complies: (v) => v !== undefined && /^\d+$/.test(v) && Number(v) >= 2048 && Number(v) <= 8192 && Number(v) % 64 === 0,
    why: 'JDK 8 uses 1024-bit ephemeral DH keys, within reach of Logjam',
  },
];

const JAVA = /(?:^|\/)java$/;
const PROGRAM = /^(?:-jar|-cp|-classpath|--class-path)$/;
const DEBUG_AGENT = /-agentlib:jdwp|-Xrunjdwp|-Xdebug\b/;
const SECURITY_MANAGER = /-Djava\.security\.manager(?:=|\s|"|'|$)/;

/** `-Dname[=value]` words for a flag, and whether the JVM options variable already carries it. */
function flagWords(words: string[], flag: Flag): number[] {
  return words.flatMap((w, k) => (w === `-D${flag.name}` || w.startsWith(`-D${flag.name}=`) ? [k] : []));
}
const valueOf = (word: string): string | undefined => (word.includes('=') ? word.slice(word.indexOf('=') + 1) : undefined);

function toolOptionsFlag(env: string | undefined, flag: Flag): string | undefined {
  if (!env) return undefined;
  const m = new RegExp(`(?:^|\\s)-D${flag.name.replace(/\./g, '\\.')}(?:=(\\S*))?`).exec(env);
  return m ? (m[1] ?? '') : undefined;
}

/** Which flags a java command lacks or has wrong, given its words between java and -jar. */
interface Verdict {
  missing: Flag[];
  /** Flags passed with a value that does not comply: where (in the words judged) and what. */
  wrong: { flag: Flag; index: number; value: string | undefined }[];
  ok: string[];
}

function judge(words: string[], toolOptions: string | undefined): Verdict {
  const out: Verdict = { missing: [], wrong: [], ok: [] };
  for (const flag of FLAGS) {
    const hits = flagWords(words, flag);
    if (hits.length === 0) {
      const env = toolOptionsFlag(toolOptions, flag);
      if (env !== undefined && flag.complies(env)) out.ok.push(`-D${flag.name}=${env} (JAVA_TOOL_OPTIONS)`);
      else out.missing.push(flag);
      continue;
    }
    const bad = hits.filter((k) => !flag.complies(valueOf(words[k]!)));
    if (bad.length === 0) out.ok.push(words[hits[0]!]!);
    else for (const index of bad) out.wrong.push({ flag, index, value: valueOf(words[index]!) });
  }
  return out;
}

const describeNeeds = (j: Verdict): string =>
  [
    ...j.missing.map((f) => `-D${f.name}=${f.value} is missing (${f.why})`),
    ...j.wrong.map((w) => `-D${w.flag.name} is ${w.value === undefined ? 'given without a value' : w.value}, not ${w.flag.value} (${w.flag.why})`),
  ].join('; ');

/** The effective ENTRYPOINT and CMD of a stage: the last of each. */
function startInstructions(stage: Stage): { ins: Instruction; index: number }[] {
  const out: { ins: Instruction; index: number }[] = [];
  for (const kw of ['ENTRYPOINT', 'CMD']) {
    const index = stage.instructions.map((i) => i.keyword).lastIndexOf(kw);
    if (index > 0) out.push({ ins: stage.instructions[index]!, index });
  }
  return out;
}

function planDockerfile(t: TransformMeta, path: string, text: string, file: Dockerfile, findings: Finding[]): void {
  const stage = file.stages[file.stages.length - 1]!;
  const env = stageEnv(file, stage);
  const toolOptions = env.get('JAVA_TOOL_OPTIONS')?.value;
  const debug = env.get('BAL_JAVA_DEBUG');
  if (debug) findings.push(report(t, 'manual', `BAL_JAVA_DEBUG=${debug.value} opens a JDWP debug port in the program's JVM (anyone who reaches it runs code in the server); remove it from the image`, path, debug.ins.line));
  for (const name of ['JAVA_TOOL_OPTIONS', 'JAVA_OPTS']) {
    const v = env.get(name);
    if (v && DEBUG_AGENT.test(v.value)) findings.push(report(t, 'manual', `${name} enables a JDWP debug agent; remove it from the image`, path, v.ins.line));
    if (v && SECURITY_MANAGER.test(v.value)) findings.push(report(t, 'manual', `${name} sets -Djava.security.manager: deprecated for removal (JEP 411) and refused by JDK 24+ (JEP 486), so the program stops starting on a newer JDK; remove it`, path, v.ins.line));
  }
  for (const { ins, index } of startInstructions(stage)) {
    const exec = execForm(ins.args);
    const words = exec ? exec.values : splitWords(ins.args, file.escape).map((w) => w.text);
    const balRun = words.findIndex((w, k) => /(?:^|\/)bal$/.test(w) && words[k + 1] === 'run');
    if (balRun >= 0) {
      const target = words.slice(balRun + 2).find((w) => !w.startsWith('-'));
      if (!target?.endsWith('.jar')) {
        findings.push(report(t, 'advisory', `${ins.keyword} runs \`bal run${target ? ` ${target}` : ''}\`: JVM options do not reach the program's JVM that way (ballerina-lang#44127); build the jar (bal build) and run java ${FLAGS.map((f) => `-D${f.name}=${f.value}`).join(' ')} -jar target/bin/<app>.jar`, path, ins.line));
      }
    }
    const javaIndex = words.findIndex((w) => JAVA.test(w));
    if (javaIndex < 0) continue;
    // Flags go before the program: its -jar, or the class path of a main class (bal build --cloud=docker writes -cp).
    const jarIndex = words.findIndex((w, k) => k > javaIndex && PROGRAM.test(w));
    const between = words.slice(javaIndex + 1, jarIndex < 0 ? undefined : jarIndex);
    if (between.some((w) => DEBUG_AGENT.test(w))) findings.push(report(t, 'manual', `the java command enables a JDWP debug agent; remove it from the ${ins.keyword}`, path, ins.line));
    if (between.some((w) => SECURITY_MANAGER.test(w))) findings.push(report(t, 'manual', `the java command passes -Djava.security.manager: deprecated for removal (JEP 411) and refused by JDK 24+ (JEP 486); remove it`, path, ins.line));
    if (jarIndex < 0) {
      findings.push(report(t, 'manual', `the ${ins.keyword} runs java without -jar or -cp in the same instruction (the program is named elsewhere); add ${FLAGS.map((f) => `-D${f.name}=${f.value}`).join(' ')} before the program by hand`, path, ins.line));
      continue;
    }
    const verdict = judge(between, toolOptions);
    if (verdict.missing.length === 0 && verdict.wrong.length === 0) {
      findings.push(report(t, 'compliant', `the ${ins.keyword} passes ${verdict.ok.join(' and ')}`, path, ins.line));
      continue;
    }
    // Edits in the instruction's argument text (the same offsets map to the file), then the new instruction.
    const spans = exec ? exec.spans : splitWords(ins.args, file.escape);
    const quote = (s: string): string => (exec ? JSON.stringify(s) : s);
    const argEdits: TextEdit[] = verdict.wrong.map((w) => ({ ...spanOf(spans[javaIndex + 1 + w.index]!), text: quote(`-D${w.flag.name}=${w.flag.value}`) }));
    const jarAt = spans[jarIndex]!.start;
    if (verdict.missing.length) argEdits.push({ start: jarAt, end: jarAt, text: verdict.missing.map((f) => `${quote(`-D${f.name}=${f.value}`)}${exec ? ', ' : ' '}`).join('') });
    const newArgs = applyEdits(ins.args, argEdits);
    const edits = argEdits.map((e) => ({ ...(e.start === e.end ? { start: ins.argOffsets[e.start]!, end: ins.argOffsets[e.start]! } : rawSpan(ins, e.start, e.end)), text: e.text }));
    findings.push(
      fix(t, path, lineOf(text, edits[0]!.start), `the ${ins.keyword}'s java command: ${describeNeeds(verdict)}; add them before ${words[jarIndex]}`, edits, [
        { kind: 'dockerfile-replace', stage: stage.index, index, instruction: normalInstruction({ keyword: ins.keyword, args: newArgs, heredocs: ins.heredocs }) },
      ]),
    );
  }
}

const spanOf = (s: { start: number; end: number }): { start: number; end: number } => ({ start: s.start, end: s.end });

function planScript(t: TransformMeta, path: string, text: string, findings: Finding[]): void {
  const live = text.split('\n').map((l, k) => ({ l, line: k + 1 })).filter((x) => !/^\s*#/.test(x.l));
  for (const { l, line } of live) {
    if (/^\s*(?:export\s+)?BAL_JAVA_DEBUG=\S/.test(l) || /(?:^|\s)BAL_JAVA_DEBUG=\S+\s+\S/.test(l)) {
      findings.push(report(t, 'manual', 'the script sets BAL_JAVA_DEBUG, which opens a JDWP debug port in the program\'s JVM; remove it', path, line));
    }
    const bal = /(?:^|[\s;&|(])(?:\S*\/)?bal\s+run\b(?:\s+(?:-\S+\s+)*(\S+))?/.exec(l);
    if (bal && !bal[1]?.replace(/["']/g, '').endsWith('.jar')) {
      findings.push(report(t, 'advisory', `the script runs \`bal run${bal[1] ? ` ${bal[1]}` : ''}\`: JVM options do not reach the program's JVM that way (ballerina-lang#44127); build the jar and run it with java -jar`, path, line));
    }
  }
  const commands = parseShJar(text);
  if (commands.length === 0) return;
  const editable = javaJarArgsSh(text) !== undefined;
  for (const cmd of commands) {
    const words = cmd.args.map((a) => a.text.replace(/^["']|["']$/g, ''));
    const jarIndex = words.indexOf('-jar');
    const between = words.slice(1, jarIndex);
    if (between.some((w) => DEBUG_AGENT.test(w))) findings.push(report(t, 'manual', 'the java command enables a JDWP debug agent; remove it', path, cmd.line));
    if (between.some((w) => SECURITY_MANAGER.test(w))) findings.push(report(t, 'manual', 'the java command passes -Djava.security.manager: deprecated for removal (JEP 411) and refused by JDK 24+ (JEP 486); remove it', path, cmd.line));
    const verdict = judgeScript(cmd);
    if (verdict.missing.length === 0 && verdict.wrong.length === 0) {
      findings.push(report(t, 'compliant', `the java command passes ${verdict.ok.join(' and ')}`, path, cmd.line));
      continue;
    }
    if (!editable) {
      findings.push(report(t, 'manual', `${describeNeeds(verdict)}; the script has several java commands (or a Carbon one), so harden leaves it to you: add them before -jar`, path, cmd.line));
      continue;
    }
    const needs = [...verdict.missing, ...verdict.wrong.map((w) => w.flag)];
    const ordered = FLAGS.filter((f) => needs.includes(f));
    const edits = ordered.flatMap((f) => cmd.set(f.name, f.value));
    findings.push(
      fix(t, path, cmd.jar.line, `the java command: ${describeNeeds(verdict)}; add them before -jar`, edits, ordered.map((f) => ({ kind: 'jvm-flag' as const, name: f.name, value: f.value }))),
    );
  }
}

function judgeScript(cmd: JarCommand): Verdict {
  const out: Verdict = { missing: [], wrong: [], ok: [] };
  for (const flag of FLAGS) {
    const hits = cmd.flags.filter((f) => f.name === flag.name);
    if (hits.length === 0) out.missing.push(flag);
    else if (hits.length === 1 && flag.complies(hits[0]!.value)) out.ok.push(`-D${flag.name}=${hits[0]!.value}`);
    else out.wrong.push({ flag, index: 0, value: hits.find((h) => !flag.complies(h.value))?.value ?? hits[0]!.value });
  }
  return out;
}

export const biJvmFlags: Transform = {
  id: 'bi-jvm-flags',
  title: 'A Ballerina program\'s java -jar command carries the TLS flags, and no debug port',
  rationale:
    'A Ballerina / WSO2 Integrator: BI program runs in production as java -jar target/bin/<app>.jar. Its JVM should reject client-initiated TLS renegotiation and use 2048-bit ephemeral DH keys, as every WSO2 server JVM should. BAL_JAVA_DEBUG and -agentlib:jdwp open a debug port through which anyone who reaches it runs code; -Djava.security.manager stops the program from starting on JDK 24+; and `bal run <package>` does not pass JVM options to the program at all.',
  severity: 'medium',
  fixClass: 'AUTO',
  sources: [
    { title: 'WSO2 Integrator: BI runtime security (JVM parameters)', url: 'https://bi.docs.wso2.com/deploy/deployment-best-practices/runtime-security/' },
    SOURCES.jsseGuide,
    { title: 'ballerina-lang#44127: JAVA_OPTS do not reach the program of bal run', url: 'https://github.com/ballerina-platform/ballerina-lang/issues/44127' },
    { title: 'JEP 486: Permanently disable the Security Manager', url: 'https://openjdk.org/jeps/486' },
  ],
  appliesTo: { models: MODELS },
  // Carbon products start through bin/*.sh (the jvm-* rules); their Dockerfiles are read here. Ballerina
  // projects and folders of container builds also have scripts that run java -jar.
  files: (product) => [...dockerfileGlobs(product), ...(product.model === 'ballerina' || product.model === 'container' ? ['**/*.sh'] : [])],
  params: [],
  plan(ctx) {
    const findings: Finding[] = [];
    for (const d of dockerfiles(ctx)) {
      if ('error' in d) findings.push(report(this, 'manual', `the Dockerfile does not parse (${d.error.reason}), so its java command is unchecked`, d.path, d.error.line));
      else planDockerfile(this, d.path, d.text, d.file, findings);
    }
    if (ctx.product.model === 'ballerina' || ctx.product.model === 'container') {
      for (const f of ctx.files.glob('**/*.sh')) planScript(this, f.path, f.text, findings);
    }
    if (findings.length) return findings;
    if (ctx.product.model === 'ballerina') {
      return [
        report(
          this,
          'advisory',
          `no Dockerfile or script here runs the program; wherever it runs, use java ${FLAGS.map((f) => `-D${f.name}=${f.value}`).join(' ')} -jar target/bin/<app>.jar (not bal run), and never set BAL_JAVA_DEBUG in production`,
        ),
      ];
    }
    return [report(this, 'not-applicable', 'no Dockerfile or script in this home runs java -jar')];
  },
};
