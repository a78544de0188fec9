// Carbon 4.4 XML (RULES §2.21): Secure Vault. For every configuration directory, each password the
// cipher tool is (or should be) told about is checked: the aliases cipher-tool.properties maps, plus the
// passwords harden knows the shape of (every master-datasources.xml datasource, the PassThrough https
// KeyStore/TrustStore blocks of axis2.xml). A password still in clear with no alias gets its
// alias/XPath line in cipher-tool.properties (a shipped commented-out line that points at it is
// uncommented) and its [plaintext] line in cipher-text.properties, which is the cipher tool's input
// format: the value is already in the XML in clear, ciphertool -Dconfigure encrypts it and replaces
// the XML value with the alias. harden never emulates the encryption.
import { attr, childrenNamed, findAll, localName, textOf, type XmlElement } from '../../src/formats/xml/locate.js';
import { locateProperties, type PropEntry, type PropsDoc } from '../../src/formats/properties/locate.js';
import { addAfter, escapeKey, escapeValue } from '../../src/formats/properties/edit.js';
import { detectEol, type TextEdit } from '../../src/formats/text.js';
import { looksSecret } from '../../src/engine/diff.js';
import { lineOf, report } from '../../src/kit/findings.js';
import { fieldKey, keystoreUses, shippedPasswordFields } from '../../src/kit/keystores-xml.js';
import { ADMIN_DEFAULT_PASSWORD, isReference } from '../../src/kit/secrets.js';
import {
  bracketed,
  cipherTextPath,
  cipherTool,
  cipherToolPath,
  homePath,
  profileRoot,
  targetsOf,
  toolLines,
  type ToolLine,
  type VaultTarget,
} from '../../src/kit/secure-vault.js';
import type { Finding, Intent, Transform, TransformContext } from '../../src/engine/types.js';

const CIPHERTOOL_XML = (confDir: string): string =>
  `run ${cipherTool(confDir)} -Dconfigure next (it asks for the primary keystore password, encrypts cipher-text.properties and replaces each XML value with its alias)`;

/** The XML files the cipher tool's aliases point at, per configuration directory. */
export const vaultXmlFiles = (dir: string): string[] => [
  `${dir}/carbon.xml`,
  `${dir}/user-mgt.xml`,
  `${dir}/datasources/master-datasources.xml`,
  `${dir}/tomcat/catalina-server.xml`,
  `${dir}/axis2/axis2.xml`,
  `${dir}/identity/identity.xml`,
  `${dir}/api-manager.xml`,
  `${dir}/broker.xml`,
];

interface Candidate {
  alias: string;
  /** The cipher-tool.properties value: "<file>//<xpath>,<flag>". */
  value: string;
  line: ToolLine | undefined;
  file: string;
  target: VaultTarget;
}

const isAdminPassword = (el: XmlElement): boolean =>
  localName(el) === 'Password' && el.parent !== undefined && localName(el.parent) === 'AdminUser';

/** Datasource passwords and the PassThrough https keystore blocks, as the shipped (commented) lines spell them. */
function knownShapes(ctx: TransformContext, dir: string, root: string): Omit<Candidate, 'line'>[] {
  const out: Omit<Candidate, 'line'>[] = [];
  const rel = (p: string): string => (root ? p.slice(root.length + 1) : p);
  const ds = `${dir}/datasources/master-datasources.xml`;
  if (ctx.files.get(ds)) {
    const doc = ctx.files.xml(ds);
    for (const d of findAll(doc, (e) => localName(e) === 'datasource' && e.parent !== undefined && localName(e.parent) === 'datasources')) {
      const name = childrenNamed(d, 'name')[0];
      const def = childrenNamed(d, 'definition')[0];
      const pw = def && childrenNamed(childrenNamed(def, 'configuration')[0] ?? def, 'password')[0];
      if (!name || !def || !pw || d.name !== 'datasource' || def.name !== 'definition') continue;
      const n = textOf(doc, name);
      const type = attr(def, 'type')?.value;
      if (!/^[\w.-]+$/.test(n) || (type !== undefined && !/^[\w.-]+$/.test(type))) continue;
      out.push({
        alias: `Datasources.${n}.Configuration.Password`,
        value: `${rel(ds)}//datasources-configuration/datasources/datasource[name='${n}']/definition${type ? `[@type='${type}']` : ''}/configuration/password,false`,
        file: ds,
        target: { el: pw, attr: undefined, encrypted: pw.attrs.some((a) => a.name.endsWith(':secretAlias')), value: textOf(doc, pw) },
      });
    }
  }
  const axis2 = `${dir}/axis2/axis2.xml`;
  if (ctx.files.get(axis2)) {
    const doc = ctx.files.xml(axis2);
    for (const [tag, side] of [['transportReceiver', 'Listener'], ['transportSender', 'Sender']] as const) {
      const https = doc.root.children.filter((e) => e.name === tag && attr(e, 'name')?.value === 'https');
      if (https.length !== 1 || doc.root.name !== 'axisconfig') continue;
      for (const [param, store] of [['keystore', 'KeyStore'], ['truststore', 'TrustStore']] as const) {
        const p = https[0]!.children.filter((e) => e.name === 'parameter' && attr(e, 'name')?.value === param);
        const block = p.length === 1 ? childrenNamed(p[0]!, store)[0] : undefined;
        for (const field of store === 'KeyStore' ? ['Password', 'KeyPassword'] : ['Password']) {
          const el = block && childrenNamed(block, field)[0];
          if (!el || el.name !== field) continue;
          out.push({
            alias: `Axis2.Https.${side}.${store}.${field}`,
            value: `${rel(axis2)}//axisconfig/${tag}[@name='https']/parameter[@name='${param}']/${store}/${field},false`,
            file: axis2,
            target: { el, attr: undefined, encrypted: el.attrs.some((a) => a.name.endsWith(':secretAlias')), value: textOf(doc, el) },
          });
        }
      }
    }
  }
  return out;
}

/** A new last line for a properties file with no entry to anchor on. */
function appendLine(text: string, key: string, value: string): TextEdit {
  const eol = detectEol(text);
  const line = `${escapeKey(key)}=${escapeValue(value, true)}`;
  if (text === '' || text.endsWith('\n') || text.endsWith('\r')) return { start: text.length, end: text.length, text: line + eol };
  return { start: text.length, end: text.length, text: eol + line };
}

function addLines(doc: PropsDoc, lines: [string, string][]): TextEdit[] {
  const anchor: PropEntry | undefined = doc.entries.at(-1);
  return lines.map(([k, v]) => (anchor ? addAfter(doc.text, anchor, k, v) : appendLine(doc.text, k, v)));
}

export function xmlFindings(t: Transform, ctx: TransformContext): Finding[] {
  const findings: Finding[] = [];
  for (const dir of ctx.product.confDirs) findings.push(...directory(t, ctx, dir));
  if (findings.length === 0) return [report(t, 'not-applicable', `no Secure Vault files or password-bearing XML in ${ctx.product.confDirs.join(', ')}`)];
  return findings;
}

function directory(t: Transform, ctx: TransformContext, dir: string): Finding[] {
  const root = profileRoot(dir);
  const toolFile = cipherToolPath(dir);
  const textFile = cipherTextPath(dir);
  const tool = ctx.files.get(toolFile);
  const text = ctx.files.get(textFile);
  const owned = shippedPasswordFields(keystoreUses(ctx, dir));
  const ownerOf = (c: { file: string; target: VaultTarget }): string | undefined => {
    if (owned.has(fieldKey(c.file, c.target.el, c.target.attr))) return 'default-keystore';
    if (isAdminPassword(c.target.el) && c.target.value === ADMIN_DEFAULT_PASSWORD) return 'default-admin-credentials';
    return undefined;
  };
  const inClear = (tg: VaultTarget): boolean => !tg.encrypted && tg.value.trim() !== '' && tg.value !== 'password' && !isReference(tg.value);

  // Aliases the cipher tool already knows, and what they point at.
  const lines = tool ? toolLines(tool.text) : [];
  const active = lines.filter((l) => l.entry);
  const candidates: Candidate[] = [];
  const broken: string[] = [];
  for (const l of active) {
    const hit = targetsOf(ctx, root, l);
    if (!hit) continue; // a file harden does not read, or an XPath it cannot evaluate
    if (hit.targets.length === 0) {
      if (ctx.files.get(homePath(root, l.file))) broken.push(`${l.alias} (its XPath finds nothing in ${homePath(root, l.file)})`);
      continue;
    }
    for (const target of hit.targets) candidates.push({ alias: l.alias, value: l.value, line: l, file: hit.path, target });
  }
  const mapped = new Set(candidates.map((c) => fieldKey(c.file, c.target.el, c.target.attr)));
  // Passwords no active alias points at: reuse a commented-out shipped line that does, else a new one.
  const extras: Candidate[] = [];
  for (const k of knownShapes(ctx, dir, root)) {
    if (mapped.has(fieldKey(k.file, k.target.el, k.target.attr)) || !inClear(k.target)) continue;
    const commented = lines.find((l) => !l.entry && targetsOf(ctx, root, l)?.targets.some((x) => x.el === k.target.el && x.attr === k.target.attr));
    extras.push({ ...k, alias: commented?.alias ?? k.alias, value: commented?.value ?? k.value, line: commented });
  }

  const findings: Finding[] = [];
  if (!tool && !text) {
    const clear = extras.filter((c) => !ownerOf(c));
    if (clear.length === 0) return [];
    return [report(t, 'manual', `${clear.map((c) => `${c.alias} (${c.file})`).join(', ')} hold passwords in clear, and this home has neither ${toolFile} nor ${textFile}: restore them from the product distribution, then run harden again`, clear[0]!.file)];
  }
  if (!tool || !text) {
    return [report(t, 'manual', `${tool ? textFile : toolFile} is missing (the other Secure Vault file is there): restore it from the product distribution, then run harden again`, tool ? toolFile : textFile)];
  }
  const cipher = locateProperties(text.text);
  const cipherValue = (alias: string): string | undefined => cipher.entries.filter((e) => e.key === alias).at(-1)?.value;
  const toolDoc = locateProperties(tool.text);

  const left: string[] = [];
  const added: Candidate[] = [];
  const waiting: string[] = [];
  const mismatched: string[] = [];
  const addTool: Candidate[] = [];
  const addText: [string, string][] = [];
  const takenAliases = new Set(active.map((l) => l.alias));
  for (const c of [...candidates, ...extras]) {
    if (!inClear(c.target)) continue;
    const owner = ownerOf(c);
    if (owner) {
      left.push(`${c.alias} (${owner})`);
      continue;
    }
    const isNew = !c.line?.entry;
    if (isNew && takenAliases.has(c.alias)) {
      mismatched.push(`${c.alias} (the alias already points elsewhere in cipher-tool.properties)`);
      continue;
    }
    const stored = cipherValue(c.alias);
    const plain = stored === undefined ? undefined : bracketed(stored);
    if (stored === undefined) {
      if (/[[\]]/.test(c.target.value)) {
        mismatched.push(`${c.alias} (its password holds a square bracket, which the [plaintext] form cannot carry)`);
        continue;
      }
      // Reports mask a line by its key's name (SARIF has no file context): write only lines they hide.
      if (!looksSecret(`${c.alias}=[x]`)) {
        mismatched.push(`${c.alias} (the alias does not name a password, so reports could not hide its value: add it by hand)`);
        continue;
      }
      addText.push([c.alias, `[${c.target.value}]`]);
      if (isNew) addTool.push(c);
      added.push(c);
    } else if (plain === undefined) {
      mismatched.push(`${c.alias} (cipher-text.properties holds an encrypted value, but ${c.file} still has the password in clear)`);
    } else if (plain !== c.target.value) {
      mismatched.push(`${c.alias} (its [value] in cipher-text.properties differs from the password in ${c.file})`);
    } else if (isNew) {
      addTool.push(c);
      added.push(c);
    } else waiting.push(c.alias);
    takenAliases.add(c.alias);
  }

  if (left.length) findings.push(report(t, 'advisory', `${left.join(', ')}: shipped defaults, left to the rule named, which replaces them first`, textFile));
  if (broken.length) {
    findings.push(report(t, 'manual', `the cipher tool stops at ${broken.join(', ')} ("can not be found ... or You have entered invalid Xpath value"): fix or comment out ${broken.length === 1 ? 'that line' : 'those lines'} in ${toolFile}`, toolFile));
  }
  if (mismatched.length) {
    findings.push(
      report(t, 'manual', `${mismatched.join('; ')}: running the cipher tool now would put the wrong password in place; make ${textFile} and the XML agree (values are not shown), then run ${cipherTool(dir)} -Dconfigure`, textFile),
    );
  }

  const edits: { file: string; edit: TextEdit }[] = [];
  const intents: { file: string; intent: Intent }[] = [];
  const toolNew: [string, string][] = [];
  for (const c of addTool) {
    if (c.line?.commentHash !== undefined) {
      // Uncomment the shipped line: drop its '#' (and blanks right after it).
      const after = /^#[ \t]*/.exec(tool.text.slice(c.line.commentHash))![0].length;
      edits.push({ file: toolFile, edit: { start: c.line.commentHash, end: c.line.commentHash + after, text: '' } });
    } else toolNew.push([c.alias, c.value]);
    intents.push({ file: toolFile, intent: { kind: 'properties-set', key: c.alias, value: c.value } });
  }
  for (const e of addLines(toolDoc, toolNew)) edits.push({ file: toolFile, edit: e });
  for (const e of addLines(cipher, addText)) edits.push({ file: textFile, edit: e });
  for (const [k, v] of addText) intents.push({ file: textFile, intent: { kind: 'properties-set', key: k, value: v } });

  if (edits.length) {
    const wrote = [
      addTool.length ? `${addTool.length} alias/XPath line${addTool.length === 1 ? '' : 's'} to cipher-tool.properties (${addTool.map((c) => c.alias).join(', ')})` : '',
      addText.length ? `${addText.length} [value] line${addText.length === 1 ? '' : 's'} to cipher-text.properties, copied from the XML (shown as ********)` : '',
    ].filter(Boolean);
    const where = [...new Set(added.map((c) => `${c.file}:${lineOf(ctx.files.get(c.file)!.text, (c.target.attr ?? c.target.el).start)}`))];
    const also = waiting.length ? ` ${waiting.join(', ')} already ${waiting.length === 1 ? 'waits' : 'wait'} in cipher-text.properties.` : '';
    findings.push({
      ruleId: t.id,
      severity: t.severity,
      status: 'fixable',
      message: `${added.length} password${added.length === 1 ? '' : 's'} in clear (${where.join(', ')}) not yet under Secure Vault: add ${wrote.join(' and ')}.${also} Then ${CIPHERTOOL_XML(dir)}.`,
      file: textFile,
      line: undefined,
      edits: edits.map((e) => ({ ...e.edit, file: e.file })),
      intents,
    });
  } else if (waiting.length) {
    findings.push(report(t, 'manual', `${waiting.join(', ')} ${waiting.length === 1 ? 'is' : 'are'} mapped and waiting in cipher-text.properties while the XML still holds the password in clear: ${CIPHERTOOL_XML(dir)}`, textFile));
  } else if (!broken.length && !mismatched.length) {
    findings.push(report(t, 'compliant', `every password harden can locate in ${dir} is under Secure Vault or left to the default-credential rules`, textFile));
  }
  return findings;
}
