// `java … -jar app.jar` commands in shell scripts (how a Ballerina / WSO2 Integrator: BI program runs in
// production): locate them with the java-sh word scanner, read the -D flags before `-jar`, and splice
// flag edits in with the same editor as the Carbon start scripts (the `-jar` word plays the main class).
import { parseShJava, scanCommand, setShFlag, unquoteSh, type ShJavaBlock } from './java-sh.js';
import { normalizeArg, toFlag, type JavaArg, type JavaFlag } from './java-arg.js';
import { indentationOf, LineIndex } from './line-index.js';
import { detectEol, type TextEdit } from '../text.js';
import { memoByText } from '../../engine/memo.js';

export interface JarCommand {
  /** The command's words, from the java binary to the last argument. */
  args: JavaArg[];
  /** -D flags before `-jar` (after it they are program arguments). */
  flags: JavaFlag[];
  /** The `-jar` word. */
  jar: JavaArg;
  /** The java word's line. */
  line: number;
  /** Edits that make `-Dname=value` hold exactly once, before `-jar`. */
  set(name: string, value: string): TextEdit[];
}

/** Words that may come before the java binary on its command line. */
const PREFIX = /^(?:exec|nohup|env|command|[A-Za-z_][A-Za-z0-9_]*=.*)$/;
const JAVA = /(?:^|\/)java$/;

const unq = (w: JavaArg): string => unquoteSh(w.text).chars;

/** Every `java … -jar …` command of a shell script, in order. */
export const parseShJar = memoByText((text: string): JarCommand[] => {
  const lines = new LineIndex(text);
  const out: JarCommand[] = [];
  for (let line = 1; line <= lines.count; line++) {
    const content = lines.content(line);
    if (!/(?:^|[\s/"'])java\b/.test(content) || /^[ \t]*#/.test(content)) continue;
    const command = scanCommand(text, lines.start(line), lines);
    const javaIndex = command.words.findIndex((w, k) => JAVA.test(unq(w)) && command.words.slice(0, k).every((p) => PREFIX.test(unq(p))));
    const jarIndex = command.words.findIndex((w, k) => k > javaIndex && unq(w) === '-jar');
    if (javaIndex >= 0 && jarIndex > javaIndex) {
      const words = command.words.slice(javaIndex);
      const jar = command.words[jarIndex]!;
      const flags = command.words
        .slice(javaIndex + 1, jarIndex)
        .map((w) => toFlag(w, unquoteSh(w.text)))
        .filter((f): f is JavaFlag => f !== undefined);
      const first = words[0]!;
      const block: ShJavaBlock = {
        start: first.start,
        end: words[words.length - 1]!.end,
        firstLine: first.line,
        mainLine: jar.line,
        mainLineStart: lines.start(jar.line),
        indent: indentationOf(lines.content(jar.line > first.line ? jar.line - 1 : jar.line)),
        eol: lines.eol(first.line) || detectEol(text),
        args: words,
        flags,
        mainClass: jar.text,
      };
      out.push({ args: words, flags, jar, line: first.line, set: (name, value) => setShFlag(text, block, name, value) });
    }
    line = Math.max(line, command.endLine);
  }
  return out;
});

/**
 * The normalised words of a script's one `java -jar` command, for verification; undefined unless the
 * script has exactly one and no Carbon `…Bootstrap` command (those scripts are verified by javaArgsSh).
 */
export function javaJarArgsSh(text: string): string[] | undefined {
  const carbon = parseShJava(text);
  if (!carbon.ok || carbon.blocks.length > 0) return undefined;
  const commands = parseShJar(text);
  if (commands.length !== 1) return undefined;
  const cmd = commands[0]!;
  const flags = new Map(cmd.flags.map((f) => [f.arg.start, f]));
  return cmd.args.map((a) => normalizeArg(a, flags.get(a.start)));
}
