// The meaning of a Dockerfile for verification: its parser directives, the ARGs before the first FROM,
// and per stage the list of instructions in a normal form (keyword upper-cased, continuations joined,
// comment lines dropped, exec form as canonical JSON, here-document bodies kept). Layout is not meaning;
// the order and text of instructions is.
import { isDeepStrictEqual } from 'node:util';
import { execForm, parseDockerfile, type Instruction } from './parse.js';

/** What an edit of a Dockerfile means, in terms of the original file's stages and instruction indexes. */
export type DockerfileIntent =
  /** A new instruction (in normal form) before instruction `before` of stage `stage` (its length: at the end). */
  | { kind: 'dockerfile-insert'; stage: number; before: number; instruction: string }
  /** Instruction `index` of stage `stage` becomes `instruction` (in normal form). */
  | { kind: 'dockerfile-replace'; stage: number; index: number; instruction: string };

export interface DockerfileMeaning {
  directives: string[];
  preamble: string[];
  stages: string[][];
}

/** An instruction in normal form: `KEYWORD args`, the exec form as canonical JSON, here-document bodies after. */
export function normalInstruction(ins: Pick<Instruction, 'keyword' | 'args' | 'heredocs'>): string {
  const exec = execForm(ins.args);
  const args = exec ? JSON.stringify(exec.values) : ins.args;
  const docs = ins.heredocs.map((h) => `\n<<${h.delimiter}\n${h.body}\n${h.delimiter}`).join('');
  return `${ins.keyword}${args ? ` ${args}` : ''}${docs}`;
}

export function dockerfileMeaning(text: string): DockerfileMeaning {
  const parsed = parseDockerfile(text);
  if (!parsed.ok) throw new Error(`the Dockerfile does not parse: line ${parsed.line}: ${parsed.reason}`);
  const f = parsed.file;
  return {
    directives: f.directives.map((d) => `${d.name}=${d.value}`),
    preamble: f.preamble.map(normalInstruction),
    stages: f.stages.map((s) => s.instructions.map(normalInstruction)),
  };
}

/** Undefined when `after` means `before` plus exactly the intents; else what differs. */
export function verifyDockerfile(before: string, after: string, intents: readonly DockerfileIntent[]): string | undefined {
  const was = dockerfileMeaning(before);
  const now = dockerfileMeaning(after);
  const expected: DockerfileMeaning = { directives: was.directives, preamble: was.preamble, stages: was.stages.map((s) => [...s]) };
  for (const i of intents) {
    if (i.kind !== 'dockerfile-replace') continue;
    const stage = expected.stages[i.stage];
    if (!stage || i.index < 0 || i.index >= stage.length) return `the intended change names instruction ${i.index} of stage ${i.stage}, which does not exist`;
    stage[i.index] = i.instruction;
  }
  // Insertions by the original indexes: from the back, so earlier indexes stay valid; equal indexes keep their order.
  const inserts = intents
    .map((i, order) => ({ i, order }))
    .filter((x): x is { i: Extract<DockerfileIntent, { kind: 'dockerfile-insert' }>; order: number } => x.i.kind === 'dockerfile-insert')
    .sort((a, b) => b.i.stage - a.i.stage || b.i.before - a.i.before || b.order - a.order);
  for (const { i } of inserts) {
    const stage = expected.stages[i.stage];
    if (!stage || i.before < 1 || i.before > was.stages[i.stage]!.length) return `the intended insertion names position ${i.before} of stage ${i.stage}, which does not exist`;
    stage.splice(i.before, 0, i.instruction);
  }
  if (isDeepStrictEqual(expected, now)) return undefined;
  if (!isDeepStrictEqual(expected.directives, now.directives)) return 'the parser directives changed';
  if (!isDeepStrictEqual(expected.preamble, now.preamble)) return 'the ARGs before the first FROM changed';
  if (expected.stages.length !== now.stages.length) return `the Dockerfile should have ${expected.stages.length} stage(s), it has ${now.stages.length}`;
  for (let s = 0; s < expected.stages.length; s++) {
    const e = expected.stages[s]!;
    const n = now.stages[s]!;
    const k = e.findIndex((ins, j) => ins !== n[j]);
    if (k >= 0 || e.length !== n.length) {
      const at = k >= 0 ? k : Math.min(e.length, n.length);
      return `stage ${s}, instruction ${at}: expected ${JSON.stringify(e[at] ?? '(none)')}, found ${JSON.stringify(n[at] ?? '(none)')}`;
    }
  }
  return 'the Dockerfile changed in a way the intents do not describe';
}
