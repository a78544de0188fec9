// deployment.toml / Micro Integrator (RULES §1.4, §1.8, §2.21): every password written in clear (that no
// other credential rule owns) moves into [secrets] as alias = "[value]" and its key becomes
// "$secret{alias}"; bin/ciphertool.sh -Dconfigure then encrypts [secrets] in place. The value was already
// in the file in clear: it is moved, not copied, so the file holds no more plaintext than before, and
// every [secrets] line is masked in diffs and reports. [secrets] is created at the end of the file (or
// appended to), so it stays the last table.
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { tomlConfig, type TomlConfig } from '../../src/kit/deployment-toml.js';
import {
  aliasFor,
  isBracketed,
  ownerOf,
  ownerReason,
  plaintextPasswords,
  runtimeSecrets,
  secretRef,
  secretsTable,
  type CredentialRule,
  type TomlSecret,
} from '../../src/kit/secrets.js';
import { writeSettings, type BatchStep } from '../../src/kit/toml-batch.js';
import type { Finding, Transform, TransformContext } from '../../src/engine/types.js';
import { looksSecret } from '../../src/engine/diff.js';

export const CIPHERTOOL =
  'run bin/ciphertool.sh -Dconfigure next (it asks for the primary keystore password and encrypts [secrets] in place): ' +
  'until then the server refuses to start ("Secret references can\'t be plain text")';

const keyOf = (s: TomlSecret): string => `[${s.entry.table.path.join('.') || '(top level)'}] ${s.entry.keyRaw}`;

export function tomlFindings(t: Transform, ctx: TransformContext): Finding[] {
  const config = tomlConfig(ctx);
  if (!config) return [report(t, 'not-applicable', 'no deployment.toml')];
  const file = config.path;
  const { doc } = config;
  const findings: Finding[] = [];

  const plain = plaintextPasswords(doc);
  const byOwner = new Map<CredentialRule, TomlSecret[]>();
  for (const s of plain) {
    const owner = ownerOf(ctx, config, s.key, s.value);
    byOwner.set(owner, [...(byOwner.get(owner) ?? []), s]);
  }
  for (const [owner, list] of byOwner) {
    if (owner === 'secrets-encryption') continue;
    findings.push(report(t, 'advisory', `${list.map(keyOf).join(', ')}: left alone here because ${ownerReason(owner)}`, file, lineOf(doc.text, list[0]!.entry.keyStart)));
  }

  const mine = byOwner.get('secrets-encryption') ?? [];
  // CipherTool reads "[…]" up to the first ']': a password holding a bracket would be cut short.
  // Reports mask a [secrets] line by its key's name when they have no file context (SARIF): every alias
  // harden makes ends in the password's own key name, which they recognise.
  const unsafe = mine.filter((s) => /[[\]]/.test(s.value) || !looksSecret(`${aliasFor(s.entry.path, new Set())} = "[x]"`));
  for (const s of unsafe) {
    findings.push(
      report(
        t,
        'manual',
        /[[\]]/.test(s.value)
          ? `${keyOf(s)} is written in clear, but its password holds a square bracket, which the cipher tool's [plaintext] form cannot carry: encrypt it with bin/ciphertool.sh and write the ciphertext into [secrets] by hand`
          : `${keyOf(s)} is written in clear, but its name does not say it is a password, so reports could not hide it in [secrets]: move it into [secrets] by hand`,
        file,
        lineOf(doc.text, s.entry.keyStart),
      ),
    );
  }
  const movable = mine.filter((s) => !unsafe.includes(s));
  const table = secretsTable(doc);
  const pending = [...(table?.entries ?? [])].filter(([, e]) => isBracketed(e.value)).map(([alias]) => alias);

  if (movable.length) {
    const taken = new Set(table?.entries.keys() ?? []);
    const steps: BatchStep[] = [];
    const moved: string[] = [];
    for (const s of movable) {
      const alias = aliasFor(s.entry.path, taken);
      taken.add(alias);
      steps.push({ path: s.entry.path, value: secretRef(alias) }, { path: ['secrets', alias], value: `[${s.value}]` });
      moved.push(`${keyOf(s)} → $secret{${alias}}`);
    }
    let w;
    try {
      w = writeSettings(config, steps);
    } catch (e) {
      return [...findings, report(t, 'manual', `${movable.map(keyOf).join(', ')} hold passwords in clear; harden cannot move them into [secrets] here (${(e as Error).message})`, file)];
    }
    const notLast = table && !table.last ? ` [secrets] (line ${table.headerLine}) is not the last table, as WSO2 documents it: move it to the end of the file.` : '';
    const also = pending.length ? ` [secrets] already waits for the cipher tool with ${pending.join(', ')}.` : '';
    findings.push(
      fix(
        t,
        file,
        lineOf(doc.text, movable[0]!.entry.keyStart),
        `${movable.length} password${movable.length === 1 ? '' : 's'} written in clear: move ${movable.length === 1 ? 'it' : 'them'} into [secrets] (the value moves, it is not copied; diffs show it as ********): ${moved.join(', ')}.${also}${notLast} Then ${CIPHERTOOL}.`,
        w.edits,
        w.intents,
      ),
    );
    return findings;
  }

  if (pending.length) {
    findings.push(report(t, 'manual', `[secrets] holds ${pending.join(', ')} in [plaintext] form: ${CIPHERTOOL}`, file, table?.headerLine));
    return findings;
  }
  const dangling = danglingReferences(config);
  if (dangling.length) {
    findings.push(
      report(
        t,
        'manual',
        `${dangling.join(', ')} ${dangling.length === 1 ? 'is' : 'are'} referenced but [secrets] has no such alias and [runtime_secrets] is not enabled: the server cannot resolve ${dangling.length === 1 ? 'it' : 'them'} ("Secret references can't be resolved"); add each as alias = "[<password>]" at the end of [secrets] and run bin/ciphertool.sh -Dconfigure`,
        file,
      ),
    );
    return findings;
  }
  if (unsafe.length === 0) {
    const refs = runtimeSecrets(config) ? ' ($secret{} references are resolved at run time: [runtime_secrets] is enabled)' : '';
    findings.push(report(t, 'compliant', `no password is written in clear in deployment.toml outside what other rules own${refs}`, file));
  }
  return findings;
}

/** $secret{alias} references with no [secrets] entry, when the config mapper must resolve them at start-up. */
function danglingReferences(config: TomlConfig): string[] {
  if (runtimeSecrets(config)) return [];
  const known = new Set(secretsTable(config.doc)?.entries.keys() ?? []);
  const out = new Set<string>();
  for (const e of config.doc.entries) {
    if (typeof e.value !== 'string') continue;
    for (const m of e.value.matchAll(/\$secret\{([^}]*)\}/g)) if (!known.has(m[1]!)) out.add(`$secret{${m[1]}}`);
  }
  return [...out];
}
