// A container whose final stage runs as root gives whoever breaks into the server root inside the
// container. When the image already creates a non-root user (WSO2's images make wso2carbon), one USER
// line before the ENTRYPOINT/CMD is all it takes; otherwise the operator has to create one.
import type { ConfigModel, Finding, Transform } from '../../src/engine/types.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import {
  createdUsers,
  dockerfileGlobs,
  dockerfiles,
  DROPS_PRIVILEGES,
  effectiveUser,
  insertionBefore,
  WSO2_IMAGE,
  WSO2_IMAGE_USER,
} from '../../src/kit/dockerfiles.js';
import { parentStage } from '../../src/kit/dockerfiles.js';
import { expand, scopeAt, type Dockerfile, type Stage } from '../../src/formats/dockerfile/parse.js';
import { normalInstruction } from '../../src/formats/dockerfile/semantic.js';
import { detectEol } from '../../src/formats/text.js';

const MODELS: ConfigModel[] = ['xml', 'toml', 'mi', 'ballerina', 'container'];

/** The WSO2 image a stage (or a stage it builds on) starts from, if any. */
function wso2Base(file: Dockerfile, stage: Stage): string | undefined {
  for (let s: Stage | undefined = stage; s; s = parentStage(file, s)) {
    if (!parentStage(file, s) && WSO2_IMAGE.test(s.image)) return s.image;
  }
  return undefined;
}

export const containerNonRoot: Transform = {
  id: 'container-non-root',
  title: 'Containers run the server as a non-root user',
  rationale:
    'A Dockerfile whose final stage sets no USER (or sets root) runs the server as uid 0 inside the container: a flaw in the server then gives an attacker root in the container, write access to every file of the image and a much shorter way out through a kernel or runtime bug. WSO2 asks to run the product as a dedicated non-root user.',
  severity: 'high',
  fixClass: 'AUTO-GUARDED',
  sources: [
    { title: 'WSO2 Integrator: BI runtime security (run as a non-root user)', url: 'https://bi.docs.wso2.com/deploy/deployment-best-practices/runtime-security/' },
    { title: 'WSO2 Docker resources: docker-apim (images run as wso2carbon)', url: 'https://github.com/wso2/docker-apim' },
    { title: 'Dockerfile reference: USER', url: 'https://docs.docker.com/reference/dockerfile/#user' },
    { title: 'Docker build best practices: USER', url: 'https://docs.docker.com/build/building/best-practices/#user' },
  ],
  appliesTo: { models: MODELS },
  files: dockerfileGlobs,
  params: [],
  plan(ctx) {
    const found = dockerfiles(ctx);
    if (found.length === 0) return [report(this, 'not-applicable', 'no Dockerfile in this home')];
    const findings: Finding[] = [];
    for (const d of found) {
      if ('error' in d) {
        findings.push(report(this, 'manual', `the Dockerfile does not parse (${d.error.reason}), so who its container runs as is unchecked; repair it and run harden again`, d.path, d.error.line));
        continue;
      }
      const { file } = d;
      const stage = file.stages[file.stages.length - 1]!;
      const from = stage.instructions[0]!;
      const who = effectiveUser(file, stage);
      if (who.root === false) {
        const how = who.setting ? `USER ${who.setting.raw}${who.setting.user !== who.setting.raw ? ` (${who.setting.user})` : ''}` : `the user of its base image ${who.base}`;
        findings.push(report(this, 'compliant', `the final stage runs as ${how}`, d.path, who.at ? who.at.stage.instructions[who.at.index]!.line : from.line));
        continue;
      }
      if (who.root === undefined) {
        const at = who.at!.stage.instructions[who.at!.index]!;
        findings.push(report(this, 'manual', `the final stage runs as USER ${who.setting!.raw}, which depends on a build argument without a default; make sure the build never passes root or 0`, d.path, at.line));
        continue;
      }
      const why = who.at ? `its last USER is ${who.setting!.raw}` : `it sets no USER and ${who.base} runs as root`;
      const start = stage.instructions.find((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD');
      const startText = stage.instructions.filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD').map((i) => i.args).join(' ');
      if (DROPS_PRIVILEGES.test(startText)) {
        findings.push(report(this, 'manual', `the final stage runs as root (${why}), and its ${start!.keyword} switches user itself (gosu, su-exec…), which needs root to start: check that the server process runs as a non-root user`, d.path, start!.line));
        continue;
      }
      const user = createdUsers(file, stage)[0];
      const base = wso2Base(file, stage);
      if (!user && !base) {
        findings.push(
          report(
            this,
            'manual',
            `the final stage runs as root (${why}) and the image creates no other user; create one and switch to it before the ENTRYPOINT/CMD, e.g. RUN groupadd --system app && useradd --system --gid app --uid 10001 app, then USER 10001 (files the server writes must belong to it)`,
            d.path,
            (who.at ? who.at.stage.instructions[who.at.index]! : from).line,
          ),
        );
        continue;
      }
      // After the last RUN and USER of the stage (those still run as before), before its ENTRYPOINT/CMD.
      const last = Math.max(...stage.instructions.map((ins, k) => (ins.keyword === 'RUN' || ins.keyword === 'USER' ? k : 0)));
      const before = stage.instructions.findIndex((ins, k) => k > last && (ins.keyword === 'ENTRYPOINT' || ins.keyword === 'CMD'));
      const index = before > 0 ? before : stage.instructions.length;
      // The user as its RUN names it (so ${USER_ID} keeps following --build-arg), unless it means something
      // else where USER goes (an ARG of another stage is not in scope here): then its value.
      const ref = user ? (expand(user.ref, scopeAt(file, stage, index)) === user.value ? user.ref : user.value) : WSO2_IMAGE_USER;
      const eol = detectEol(d.text);
      const instruction = `USER ${ref}`;
      let edit;
      if (before > 0) {
        const at = insertionBefore(d.text, stage.instructions[before]!);
        edit = { start: at, end: at, text: `${instruction}${eol}` };
      } else {
        const end = stage.instructions[stage.instructions.length - 1]!.end;
        edit = { start: end, end, text: `${eol}${instruction}` };
      }
      const whose = user ? `the image creates ${user.name}${user.uid ? ` (uid ${user.uid})` : ''} on line ${user.stage.instructions[user.index]!.line}` : `its base image ${base} runs the server as ${WSO2_IMAGE_USER}`;
      findings.push(
        fix(this, d.path, lineOf(d.text, edit.start), `the final stage runs as root (${why}); ${whose}: add ${instruction} before the container starts`, [edit], [
          { kind: 'dockerfile-insert', stage: stage.index, before: index, instruction: normalInstruction({ keyword: 'USER', args: ref, heredocs: [] }) },
        ]),
      );
    }
    return findings;
  },
};
