// The java command of each start-up script (RULES.md §2.14): find it in every <binDir>/*.sh and *.bat, and build
// findings that make one -D flag hold exactly once. Shared by jvm-ephemeral-dh, jvm-reject-client-renegotiation
// and jvm-hostname-verification.
import { parseShJava, setShFlag } from '../formats/script/java-sh.js';
import { parseBatJava, setBatFlag } from '../formats/script/java-bat.js';
import type { JavaFlag } from '../formats/script/java-arg.js';
import { LineIndex } from '../formats/script/line-index.js';
import type { TextEdit } from '../formats/text.js';
import type { ConfigModel, Finding, Intent, ProductInfo, TransformContext, TransformMeta } from '../engine/types.js';
import { fix, report } from './findings.js';

/** Start-up scripts are never templated, so deployment.toml products and MI have theirs edited directly too. */
export const JVM_FLAG_MODELS: ConfigModel[] = ['xml', 'toml', 'mi'];

export function startScripts(product: ProductInfo): string[] {
  return product.binDirs.flatMap((d) => [`${d}/*.sh`, `${d}/*.bat`]);
}

/** One script's java command running a `…Bootstrap` main class. */
export interface JavaCommand {
  file: string;
  /** The -D flags java receives, in order (duplicates included: the JVM keeps the last). */
  flags: JavaFlag[];
  /** Where a new flag goes: the main-class line (.sh) or the `:runJava` line (.bat). */
  line: number;
  /** Edits that make `-Dname=value` appear exactly once: in place, or inserted before the main class. */
  set(name: string, value: string): TextEdit[];
}

/** A script that runs the server but whose java command cannot be edited safely. */
export interface UneditableScript {
  file: string;
  line: number;
  reason: string;
}

export interface ScriptScan {
  commands: JavaCommand[];
  uneditable: UneditableScript[];
}

// The .bat that starts the server passes %CMD_LINE_ARGS% to java with a Bootstrap main class (not in a `rem`).
const BAT_RUNS_BOOTSTRAP = /^(?![ \t]*@?(?:rem\b|::)).*%CMD_LINE_ARGS%[ \t]+[\w.]+\.Bootstrap\b/im;

/** Every start-up script of the home that runs the server, sorted by path. */
export function scanStartScripts(ctx: TransformContext): ScriptScan {
  const out: ScriptScan = { commands: [], uneditable: [] };
  const files = startScripts(ctx.product).flatMap((g) => ctx.files.glob(g));
  for (const { path: file, text } of [...new Map(files.map((f) => [f.path, f])).values()].sort((a, b) => a.path.localeCompare(b.path))) {
    if (file.endsWith('.sh')) scanSh(file, text, out);
    else scanBat(file, text, out);
  }
  return out;
}

function scanSh(file: string, text: string, out: ScriptScan): void {
  const parsed = parseShJava(text);
  if (!parsed.ok) {
    out.uneditable.push({ file, line: parsed.line, reason: parsed.reason });
    return;
  }
  const [block, ...more] = parsed.blocks;
  if (block === undefined) return; // ciphertool.sh, chpasswd.sh…: no server java command
  if (more.length > 0) {
    const lines = parsed.blocks.map((b) => b.firstLine).join(', ');
    out.uneditable.push({ file, line: block.firstLine, reason: `the script runs the server's java command ${parsed.blocks.length} times (lines ${lines}); harden edits scripts with one` });
    return;
  }
  out.commands.push({ file, flags: block.flags, line: block.mainLine, set: (name, value) => setShFlag(text, block, name, value) });
}

function scanBat(file: string, text: string, out: ScriptScan): void {
  if (!BAT_RUNS_BOOTSTRAP.test(text)) return;
  const parsed = parseBatJava(text);
  if (!parsed.ok) {
    out.uneditable.push({ file, line: parsed.line, reason: parsed.reason });
    return;
  }
  const java = parsed.java;
  if (java === undefined) return;
  const lines = new LineIndex(text);
  const last = java.lines[java.lines.length - 1]!;
  const line = java.runJavaLineStart === undefined ? last.line : lines.lineOf(java.runJavaLineStart);
  out.commands.push({ file, flags: java.flags, line, set: (name, value) => setBatFlag(text, java, name, value) });
}

/** The same 'manual' finding from every JVM-flag rule for a script it cannot edit. */
export function uneditableFinding(t: TransformMeta, s: UneditableScript): Finding {
  return report(t, 'manual', `${s.reason}; harden leaves this script alone, so its JVM flags stay unchecked. Repair it by hand, then run harden again`, s.file, s.line);
}

/** A JVM-flag rule's findings: `perCommand` for each editable server command, the shared ones for the rest. */
export function planStartScripts(t: TransformMeta, ctx: TransformContext, perCommand: (cmd: JavaCommand) => Finding[]): Finding[] {
  const scan = scanStartScripts(ctx);
  if (scan.commands.length === 0 && scan.uneditable.length === 0) {
    const where = startScripts(ctx.product).join(', ');
    return [report(t, 'not-applicable', `no start-up script runs the server's java command (looked in ${where})`)];
  }
  return [...scan.uneditable.map((s) => uneditableFinding(t, s)), ...scan.commands.flatMap(perCommand)];
}

export function flagsNamed(cmd: JavaCommand, name: string): JavaFlag[] {
  return cmd.flags.filter((f) => f.name === name);
}

/** `-Dname=value` as the script shows it after unquoting. */
export function showFlag(flag: JavaFlag): string {
  return flag.value === undefined ? `-D${flag.name}` : `-D${flag.name}=${flag.value}`;
}

/** A value the script computes ($VAR, %VAR%, `…`): harden cannot tell what java receives. */
export function isComputed(value: string | undefined): boolean {
  return value !== undefined && /[$%`]/.test(value);
}

export interface FlagChange {
  name: string;
  value: string;
}

/** One fixable finding that sets several flags in one script (each declared as its own intent). */
export function setFlags(t: TransformMeta, cmd: JavaCommand, line: number, message: string, changes: FlagChange[]): Finding {
  const edits = changes.flatMap((c) => cmd.set(c.name, c.value));
  const intents: Intent[] = changes.map((c) => ({ kind: 'jvm-flag', name: c.name, value: c.value }));
  return fix(t, cmd.file, line, message, edits, intents);
}

/**
 * The finding for one flag that must be passed once with a value meeting `complies`: compliant when it is,
 * manual when the value is computed by the script, else a fix that writes `wanted` (in place, else inserted).
 */
export function requireFlag(t: TransformMeta, cmd: JavaCommand, name: string, wanted: string, complies: (value: string | undefined) => boolean, why: string): Finding {
  const hits = flagsNamed(cmd, name);
  const first = hits[0];
  if (first === undefined) {
    return setFlags(t, cmd, cmd.line, `the java command does not pass -D${name} (${why}); add -D${name}=${wanted}`, [{ name, value: wanted }]);
  }
  const computed = hits.find((h) => isComputed(h.value));
  if (computed) {
    return report(t, 'manual', `${showFlag(computed)} is computed by the script; make sure it resolves to ${wanted} or stronger (${why})`, cmd.file, computed.arg.line);
  }
  if (hits.length === 1 && complies(first.value)) {
    return report(t, 'compliant', `the java command passes ${showFlag(first)}`, cmd.file, first.arg.line);
  }
  const shown = hits.map(showFlag).join(', ');
  const message =
    hits.length > 1
      ? `the java command passes -D${name} ${hits.length} times (${shown}; the JVM keeps the last); keep one, -D${name}=${wanted}`
      : `the java command passes ${shown} (${why}); set -D${name}=${wanted}`;
  return setFlags(t, cmd, first.arg.line, message, [{ name, value: wanted }]);
}
