// Proves an edited file means what the transforms said it would: it still parses, and its meaning
// equals the original's plus the declared intents, nothing more.
import { isDeepStrictEqual } from 'node:util';
import { verifyXml, type XmlIntent } from '../formats/xml/semantic.js';
import { javaArgsBat, javaArgsSh } from '../formats/script/semantic.js';
import { verifyToml } from '../formats/toml/semantic.js';
import { verifyJson } from '../formats/json/semantic.js';
import { verifyProperties } from '../formats/properties/semantic.js';
import { verifyDockerfile } from '../formats/dockerfile/semantic.js';
import { javaJarArgsSh } from '../formats/script/java-jar.js';
import type { Intent } from './types.js';

type Verifier = (before: string, after: string, intents: Intent[]) => string | undefined;

function onlyKinds<K extends Intent['kind']>(intents: Intent[], kinds: K[]): Extract<Intent, { kind: K }>[] | string {
  const other = intents.find((i) => !(kinds as string[]).includes(i.kind));
  return other ? `a ${other.kind} change cannot be made in this kind of file` : (intents as Extract<Intent, { kind: K }>[]);
}

const xmlVerifier: Verifier = (before, after, intents) => {
  const xml = onlyKinds(intents, ['xml-attr', 'xml-text', 'xml-insert', 'xml-uncomment', 'xml-comment-out']);
  return typeof xml === 'string' ? xml : verifyXml(before, after, xml as XmlIntent[]);
};

/** The java command keeps every other argument, and each flag appears exactly once with its value. */
function jvmFlagVerifier(argsOf: (text: string) => string[] | undefined): Verifier {
  return (before, after, intents) => {
    const flags = onlyKinds(intents, ['jvm-flag']);
    if (typeof flags === 'string') return flags;
    const was = argsOf(before);
    const now = argsOf(after);
    if (!was || !now) return 'the java command could not be read before or after the edit';
    const isTarget = (arg: string): boolean => flags.some((f) => arg === `-D${f.name}` || arg.startsWith(`-D${f.name}=`));
    if (!isDeepStrictEqual(was.filter((a) => !isTarget(a)), now.filter((a) => !isTarget(a)))) {
      return 'arguments of the java command other than the intended flags changed';
    }
    for (const f of flags) {
      const hits = now.filter((a) => a === `-D${f.name}` || a.startsWith(`-D${f.name}=`));
      if (hits.length !== 1 || hits[0] !== `-D${f.name}=${f.value}`) {
        return `-D${f.name} should appear once as ${f.value}, found ${hits.length === 0 ? 'none' : hits.join(' ')}`;
      }
    }
    return undefined;
  };
}

const tomlVerifier: Verifier = (before, after, intents) => {
  const toml = onlyKinds(intents, ['toml-set', 'toml-append', 'toml-delete']);
  return typeof toml === 'string' ? toml : verifyToml(before, after, toml);
};

const propertiesVerifier: Verifier = (before, after, intents) => {
  const props = onlyKinds(intents, ['properties-set']);
  return typeof props === 'string' ? props : verifyProperties(before, after, props);
};

const jsonVerifier: Verifier = (before, after, intents) => {
  const json = onlyKinds(intents, ['json-set', 'json-append']);
  return typeof json === 'string' ? json : verifyJson(before, after, json);
};

const dockerfileVerifier: Verifier = (before, after, intents) => {
  const docker = onlyKinds(intents, ['dockerfile-insert', 'dockerfile-replace']);
  return typeof docker === 'string' ? docker : verifyDockerfile(before, after, docker);
};

const VERIFIERS: [RegExp, Verifier][] = [
  [/\.xml$/i, xmlVerifier],
  [/\.toml$/i, tomlVerifier],
  // Jaggery's jaggery.conf is JSON under another name.
  [/\.json$|(^|\/)jaggery\.conf$/i, jsonVerifier],
  [/\.properties$/i, propertiesVerifier],
  // A Carbon start script's `…Bootstrap` command; else a script's one `java … -jar` command.
  [/\.sh$/i, jvmFlagVerifier((text) => javaArgsSh(text) ?? javaJarArgsSh(text))],
  [/\.bat$/i, jvmFlagVerifier(javaArgsBat)],
  [/(?:^|\/)(?:Dockerfile(?:\.[^/]*)?|[^/]+\.Dockerfile)$/i, dockerfileVerifier],
];

/** Undefined when the edit of `path` is exactly what its intents say; else the reason it is not. */
export function verifyFile(path: string, before: string, after: string, intents: Intent[]): string | undefined {
  const hit = VERIFIERS.find(([re]) => re.test(path));
  if (!hit) return `harden cannot verify edits to ${path}`;
  if (intents.length === 0) return 'the edit declares no intended change';
  try {
    return hit[1](before, after, intents);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}
