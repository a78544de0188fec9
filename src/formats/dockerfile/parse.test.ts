// The Dockerfile adapter on hand-written edge cases and on every Dockerfile of the shared corpus: logical
// instructions with exact offsets, continuations, comments inside them, directives, here-documents, stages,
// exec and shell forms, ENV/ARG, and a verifier that accepts exactly the declared insertions/replacements.
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { applyEdits } from '../text.js';
import { execForm, expand, keyValues, parseDockerfile, scopeAt, splitWords, type Dockerfile } from './parse.js';
import { dockerfileMeaning, normalInstruction, verifyDockerfile } from './semantic.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/docker', import.meta.url));

function parsed(text: string): Dockerfile {
  const p = parseDockerfile(text);
  if (!p.ok) throw new Error(`line ${p.line}: ${p.reason}`);
  return p.file;
}

describe('parseDockerfile', () => {
  it('joins continuation lines, drops comment and blank lines inside them, and keeps offsets', () => {
    const text = 'FROM ubuntu:24.04\nRUN apt-get update \\\n    # a comment inside\n\n    && apt-get install -y curl \\  \n    && rm -rf /var/lib/apt/lists/*\nUSER 10001\n';
    const f = parsed(text);
    const run = f.stages[0]!.instructions[1]!;
    expect(run.keyword).toBe('RUN');
    expect(run.args).toBe('apt-get update     && apt-get install -y curl     && rm -rf /var/lib/apt/lists/*');
    expect([run.line, run.endLine]).toEqual([2, 6]);
    expect(text.slice(run.start, run.end)).toMatch(/^RUN apt-get[\s\S]*lists\/\*$/);
    // Every character of the logical text comes from the file at the recorded offset.
    expect(run.argOffsets.map((o) => text[o]).join('')).toBe(run.args);
    expect(f.stages[0]!.instructions[2]!.args).toBe('10001');
  });

  it('reads parser directives only at the top, and the backtick escape', () => {
    const text = '# syntax=docker/dockerfile:1\n# escape=`\n\nFROM mcr.microsoft.com/windows/servercore\nRUN dir c:\\ `\n    && echo done\n# escape=\\\n';
    const f = parsed(text);
    expect(f.directives.map((d) => `${d.name}=${d.value}`)).toEqual(['syntax=docker/dockerfile:1', 'escape=`']);
    expect(f.escape).toBe('`');
    expect(f.stages[0]!.instructions[1]!.args).toBe('dir c:\\     && echo done');
    // A directive-looking comment after the first instruction is a comment.
    expect(parsed('FROM a\n# escape=`\nRUN x \\\n y\n').stages[0]!.instructions[1]!.args).toBe('x  y');
  });

  it('takes simple here-documents into RUN and COPY', () => {
    const text = 'FROM alpine\nRUN <<EOF\nset -e\n# not a comment here\necho hi \\\nEOF\nCOPY <<-"CONF" /etc/app.conf\n\tkey=value\n\tCONF\nUSER app\n';
    const f = parsed(text);
    const [, run, copy, user] = f.stages[0]!.instructions;
    expect(run!.heredocs).toEqual([{ delimiter: 'EOF', stripTabs: false, body: 'set -e\n# not a comment here\necho hi \\' }]);
    expect(copy!.heredocs[0]!.body).toBe('key=value');
    expect(user!.line).toBe(10);
    expect(parseDockerfile('FROM a\nRUN <<EOF\necho\n')).toMatchObject({ ok: false, line: 2 });
  });

  it('splits stages and knows their names and images', () => {
    const f = parsed('ARG BASE=eclipse-temurin:21\nFROM maven:3 AS Build\nRUN mvn package\nFROM ${BASE}\nCOPY --from=build /app.jar /app.jar\n');
    expect(f.preamble.map((i) => i.keyword)).toEqual(['ARG']);
    expect(f.stages.map((s) => [s.name, s.image])).toEqual([['build', 'maven:3'], [undefined, '${BASE}']]);
    expect(parseDockerfile('RUN x\nFROM a\n')).toMatchObject({ ok: false, line: 1 });
    expect(parseDockerfile('# nothing\n')).toMatchObject({ ok: false });
  });

  it('reads the exec form with element spans, and falls back to the shell form', () => {
    const args = '["java", "-Xmx1g",\t"-jar", "/app/a b.jar"]';
    const e = execForm(args)!;
    expect(e.values).toEqual(['java', '-Xmx1g', '-jar', '/app/a b.jar']);
    expect(e.spans.map((s) => args.slice(s.start, s.end))).toEqual(['"java"', '"-Xmx1g"', '"-jar"', '"/app/a b.jar"']);
    expect(execForm("['java']")).toBeUndefined();
    expect(execForm('java -jar app.jar')).toBeUndefined();
    expect(splitWords('java "-Dx=a b" -jar \'app.jar\'').map((w) => w.text)).toEqual(['java', '-Dx=a b', '-jar', 'app.jar']);
  });

  it('reads ENV and ARG pairs and expands build variables in scope', () => {
    const f = parsed('ARG G=global\nFROM x\nARG USER=wso2carbon\nARG USER_HOME=/home/${USER}\nENV A=1 B="two words" \\\n    C=${USER_HOME}/c\nENV LEGACY value with spaces\nARG G\n');
    const st = f.stages[0]!;
    expect(keyValues(st.instructions[3]!)).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: 'two words' }, { name: 'C', value: '${USER_HOME}/c' }]);
    expect(keyValues(st.instructions[4]!)).toEqual([{ name: 'LEGACY', value: 'value with spaces' }]);
    const scope = scopeAt(f, st, st.instructions.length);
    expect(scope.get('C')).toBe('/home/wso2carbon/c');
    expect(scope.get('G')).toBe('global');
    expect(expand('${MISSING:-dflt}', scope)).toBe('dflt');
    expect(expand('$MISSING', scope)).toBeUndefined();
  });
});

describe('verifyDockerfile', () => {
  const before = 'FROM ubuntu\n# make the user\nRUN useradd -u 802 app \\\n  && true\nENTRYPOINT ["java", "-jar", "/app.jar"]\n';

  it('accepts exactly the declared insertion and replacement', () => {
    const f = parsed(before);
    const entry = f.stages[0]!.instructions[2]!;
    const jar = execForm(entry.args)!.spans[1]!;
    const at = entry.argOffsets[jar.start]!;
    const after = applyEdits(before, [
      { start: entry.lineStart, end: entry.lineStart, text: 'USER 802\n' },
      { start: at, end: at, text: '"-Djdk.tls.ephemeralDHKeySize=2048", ' },
    ]);
    expect(
      verifyDockerfile(before, after, [
        { kind: 'dockerfile-insert', stage: 0, before: 2, instruction: 'USER 802' },
        { kind: 'dockerfile-replace', stage: 0, index: 2, instruction: 'ENTRYPOINT ["java","-Djdk.tls.ephemeralDHKeySize=2048","-jar","/app.jar"]' },
      ]),
    ).toBeUndefined();
    // Layout is not meaning: reflowing a continuation changes nothing.
    expect(dockerfileMeaning(before.replace('app \\\n  && true', 'app \\\n\n# c\n  && true'))).toEqual(dockerfileMeaning(before));
  });

  it('refuses an undeclared change, a wrong position, or a dropped instruction', () => {
    const after = before.replace('ENTRYPOINT', 'USER 802\nENTRYPOINT');
    expect(verifyDockerfile(before, after, [{ kind: 'dockerfile-insert', stage: 0, before: 1, instruction: 'USER 802' }])).toMatch(/stage 0, instruction 1/);
    expect(verifyDockerfile(before, after.replace('useradd -u 802', 'useradd -u 0'), [{ kind: 'dockerfile-insert', stage: 0, before: 2, instruction: 'USER 802' }])).toMatch(/useradd/);
    expect(verifyDockerfile(before, before.replace(/ENTRYPOINT.*\n/, ''), [{ kind: 'dockerfile-insert', stage: 0, before: 2, instruction: 'USER 802' }])).toBeDefined();
    expect(() => verifyDockerfile(before, 'RUN x\n', [{ kind: 'dockerfile-insert', stage: 0, before: 2, instruction: 'USER 802' }])).toThrow(/does not parse/);
  });
});

const corpusFiles = existsSync(CORPUS)
  ? readdirSync(CORPUS, { recursive: true, encoding: 'utf8' })
      .filter((p) => /(^|\/)Dockerfile$/.test(p))
      .sort()
  : [];

(corpusFiles.length ? describe : describe.skip)('every Dockerfile of the corpus', () => {
  it('finds all 15', () => expect(corpusFiles.length).toBe(15));

  it.each(corpusFiles)('%s', (rel) => {
    const text = readFileSync(`${CORPUS}/${rel}`, 'utf8');
    const f = parsed(text);
    // Instructions cover every non-comment, non-blank line exactly once, in order, without overlap.
    let last = -1;
    for (const ins of f.instructions) {
      expect(ins.start).toBeGreaterThan(last);
      expect(text.slice(ins.start, ins.start + ins.keyword.length).toUpperCase()).toBe(ins.keyword);
      expect(ins.argOffsets.map((o) => text[o]).join('')).toBe(ins.args);
      last = ins.end;
    }
    const covered = new Set(f.instructions.flatMap((i) => Array.from({ length: i.endLine - i.line + 1 }, (_, k) => i.line + k)));
    text.split('\n').forEach((line, k) => {
      if (!covered.has(k + 1)) expect({ line: k + 1, text: line }).toEqual({ line: k + 1, text: expect.stringMatching(/^\s*(#.*)?$/) });
    });
    expect(f.stages.length).toBe(1);
    // Its meaning is stable, and it verifies against itself with no intent.
    expect(dockerfileMeaning(text).stages[0]![0]).toBe(normalInstruction(f.stages[0]!.instructions[0]!));
    expect(verifyDockerfile(text, text, [])).toBeUndefined();
  });
});
