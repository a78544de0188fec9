// Session cookies carry the Secure and HttpOnly flags (guideline 8, RULES §2.16): the management console's
// <cookie-config><secure>true</secure>, useHttpOnly on the <Context> of the console and of web applications,
// and on deployment.toml products [tomcat.session_config.cookie_config] secure where the template reads it.
// A console opened to plain HTTP on purpose (EnableHTTPAdminConsole) is named in the fix's message.
import { indentBefore, type TextEdit } from '../../src/formats/text.js';
import { insertAfter, setAttrValue, setText } from '../../src/formats/xml/edit.js';
import { attr, childrenNamed, localName, textOf, type XmlDoc, type XmlElement } from '../../src/formats/xml/locate.js';
import { effective, tomlFiles, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { fileSource } from '../../src/kit/rendered-file.js';
import { SOURCES } from '../../src/kit/sources.js';
import { settingFix } from '../../src/kit/toml-setting.js';
import type { Finding, Intent, ProductInfo, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';

const CONSOLE = 'tomcat/carbon/WEB-INF/web.xml';
const CONTEXTS = ['tomcat/carbon/META-INF/context.xml', 'tomcat/context.xml'];
const SECURE_KEY = 'tomcat.session_config.cookie_config.secure';
const SECURE_PATH = ['tomcat', 'session_config', 'cookie_config', 'secure'];

/** Tomcat and the servlet descriptor read booleans case-insensitively; only "true" is true. */
const isTrue = (v: unknown): boolean => v === true || (typeof v === 'string' && /^\s*true\s*$/i.test(v));
const isPlaceholder = (v: string): boolean => /\$(env|sys|ref|secret)?\{/.test(v);
const withoutComments = (text: string): string => text.replace(/<!--[\s\S]*?-->/g, '');

const perDir = (product: ProductInfo, rel: string): string[] => product.confDirs.map((d) => `${d}/${rel}`);

export const sessionCookieFlags: Transform = {
  id: 'session-cookie-flags',
  title: 'Session cookies are sent with the Secure and HttpOnly flags',
  rationale:
    'A session cookie without Secure is also sent over plain HTTP, where anyone on the network can read it and take over the session; one without HttpOnly can be read by any script injected into a page. Tomcat sets both by default, and WSO2 ships them on, so a false is a change someone made.',
  severity: 'medium',
  fixClass: 'AUTO',
  sources: [
    SOURCES.wso2Guidelines,
    SOURCES.wso2Guidelines44,
    { title: 'Apache Tomcat 9: the Context container (useHttpOnly)', url: 'https://tomcat.apache.org/tomcat-9.0-doc/config/context.html' },
    { title: 'OWASP Session Management Cheat Sheet: cookie attributes', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#cookies' },
  ],
  appliesTo: { models: ['xml', 'toml'] },
  files: (product) => [
    ...perDir(product, CONSOLE),
    ...CONTEXTS.flatMap((c) => perDir(product, c)),
    ...perDir(product, 'carbon.xml'),
    ...(product.model === 'toml' ? tomlFiles(product, [CONSOLE, ...CONTEXTS, 'carbon.xml'].map((r) => `repository/conf/${r}`)) : []),
  ],
  params: [],
  plan(ctx) {
    const findings: Finding[] = [];
    for (const d of ctx.product.confDirs) {
      findings.push(...consoleFindings(this, ctx, `${d}/${CONSOLE}`, httpConsole(ctx, `${d}/carbon.xml`)));
      for (const c of CONTEXTS) findings.push(...contextFindings(this, ctx, `${d}/${c}`));
    }
    if (findings.length === 0) findings.push(report(this, 'not-applicable', 'no management console web.xml and no Tomcat context.xml'));
    return findings;
  },
};

/** Whether carbon.xml turns on the management console over HTTP (<EnableHTTPAdminConsole>true, not commented out). */
function httpConsole(ctx: TransformContext, file: string): boolean {
  const source = fileSource(ctx, file);
  if (source.kind === 'none') return false;
  if (source.kind === 'file') {
    const doc = ctx.files.xml(file);
    const el = childrenNamed(doc.root, 'EnableHTTPAdminConsole')[0];
    return el !== undefined && isTrue(textOf(doc, el));
  }
  const m = /<EnableHTTPAdminConsole>\s*([^<]*?)\s*<\/EnableHTTPAdminConsole>/.exec(withoutComments(source.template ?? ''));
  if (!m) return false;
  const key = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(m[1]!)?.[1];
  return key ? isTrue(effective(source.config, key).value) : isTrue(m[1]);
}

/**
 * Reported with the fix (RULES §2.16): turning Secure off is the documented companion of EnableHTTPAdminConsole.
 * The fix is still made, as admin-services-exposure comments that switch out: the console is for HTTPS only.
 */
const HTTP_CONSOLE = (file: string): string =>
  `. Note: EnableHTTPAdminConsole is true in ${file}, so the console was opened to plain HTTP on purpose (the documented reason to turn Secure off), and its session ids cross the network in clear; with the flag restored, console logins over HTTP stop working: use HTTPS (admin-services-exposure comments EnableHTTPAdminConsole out)`;

function consoleFindings(t: TransformMeta, ctx: TransformContext, file: string, http: boolean): Finding[] {
  const carbonXml = file.replace(CONSOLE, 'carbon.xml');
  const source = fileSource(ctx, file);
  if (source.kind === 'none') return source.status === 'not-applicable' ? [] : [report(t, source.status, source.why, file)];
  if (source.kind === 'toml') {
    // A partial copy without templates/ and without the file says nothing about it.
    if (source.template === undefined && !ctx.files.get(file)) return [];
    return tomlConsoleFindings(t, source.config, file, source.template, http, carbonXml);
  }
  const doc = ctx.files.xml(file);
  if (localName(doc.root) !== 'web-app') return [report(t, 'not-applicable', `the root of ${file} is <${doc.root.name}>, not <web-app>`, file)];
  const manual = (why: string, at?: XmlElement): Finding[] => [report(t, 'manual', why, file, at ? lineOf(doc.text, at.start) : undefined)];
  const session = childrenNamed(doc.root, 'session-config')[0];
  if (!session) return manual(`the console web.xml has no <session-config>, so its session cookie gets no Secure flag from it; add <session-config><cookie-config><secure>true</secure></cookie-config></session-config>`);
  const cookie = childrenNamed(session, 'cookie-config')[0];
  const edits: TextEdit[] = [];
  const intents: Intent[] = [];
  const problems: string[] = [];
  if (!cookie) {
    const timeout = childrenNamed(session, 'session-timeout')[0];
    if (!timeout) return manual(`the console's <session-config> has no <cookie-config> and no <session-timeout> to place one after; add <cookie-config><secure>true</secure></cookie-config> as its first child`, session);
    const markup = nested(doc, session, timeout, ['<cookie-config>', [1, '<secure>true</secure>'], '</cookie-config>']);
    edits.push(insertAfter(doc, timeout, markup));
    intents.push({ kind: 'xml-insert', after: timeout.path, xml: markup });
    problems.push('no <cookie-config>, so the session cookie has no Secure flag');
  } else {
    const secure = childrenNamed(cookie, 'secure')[0];
    const httpOnly = childrenNamed(cookie, 'http-only')[0];
    if (secure) {
      const v = textOf(doc, secure);
      if (isPlaceholder(v)) return manual(`the console's <secure> is "${v}", which harden cannot evaluate; make sure it resolves to true`, secure);
      if (!isTrue(v)) {
        edits.push(setText(doc, secure, 'true'));
        intents.push({ kind: 'xml-text', path: secure.path, value: 'true' });
        problems.push(`<secure>${v}</secure>`);
      }
    } else {
      // <cookie-config> children come in the order name, domain, path, comment, http-only, secure, max-age.
      const before = ['name', 'domain', 'path', 'comment', 'http-only'].flatMap((n) => childrenNamed(cookie, n)).sort((a, b) => a.start - b.start).at(-1);
      if (!before) return manual(`the console's <cookie-config> has no <secure> and no element to place one after; add <secure>true</secure> to it`, cookie);
      edits.push(insertAfter(doc, before, '<secure>true</secure>'));
      intents.push({ kind: 'xml-insert', after: before.path, xml: '<secure>true</secure>' });
      problems.push('a <cookie-config> without <secure>, so the session cookie has no Secure flag');
    }
    if (httpOnly) {
      const v = textOf(doc, httpOnly);
      if (!isTrue(v) && !isPlaceholder(v)) {
        edits.push(setText(doc, httpOnly, 'true'));
        intents.push({ kind: 'xml-text', path: httpOnly.path, value: 'true' });
        problems.push(`<http-only>${v}</http-only>`);
      }
    }
  }
  const at = lineOf(doc.text, (cookie ?? session).start);
  if (edits.length === 0) return [report(t, 'compliant', `the console's session cookie is sent with the Secure flag (<cookie-config><secure>true</secure>)`, file, at)];
  const secureFixed = problems.some((p) => !p.startsWith('<http-only>'));
  const note = http && secureFixed ? HTTP_CONSOLE(carbonXml) : '';
  return [fix(t, file, at, `the console web.xml has ${problems.join(' and ')}; set <secure>true</secure>${problems.some((p) => p.startsWith('<http-only>')) ? ' and <http-only>true</http-only>' : ''}${note}`, edits, intents)];
}

/**
 * Markup for a new child of `parent` placed after `anchor`: lines given as text (the anchor's depth) or
 * [depth, text] (deeper, by the step the file nests `parent`'s children), or one line when the anchor shares its line.
 */
function nested(doc: XmlDoc, parent: XmlElement, anchor: XmlElement, lines: (string | [number, string])[]): string {
  const inner = indentBefore(doc.text, anchor.start);
  const outer = indentBefore(doc.text, parent.start) ?? '';
  if (inner === undefined) return lines.map((l) => (typeof l === 'string' ? l : l[1])).join('');
  const step = inner.length > outer.length && inner.startsWith(outer) ? inner.slice(outer.length) : '    ';
  return lines.map((l) => (typeof l === 'string' ? l : step.repeat(l[0]) + l[1])).join('\n');
}

/** deployment.toml products: the console web.xml template either reads the key or hard-codes the flag. */
function tomlConsoleFindings(t: TransformMeta, config: TomlConfig, file: string, template: string | undefined, http: boolean, carbonXml: string): Finding[] {
  const where = `the product's templates/${file}.j2`;
  if (template === undefined) {
    return [report(t, 'manual', `this copy of the home has no repository/resources/conf/templates/, so harden cannot tell how the server renders ${file}; run harden on the full product home`, config.path)];
  }
  const text = withoutComments(template);
  if (text.includes(SECURE_KEY)) {
    const eff = effective(config, SECURE_KEY);
    const shown = eff.source === 'toml' ? eff.entries.map((e) => `[${e.table.path.join('.')}] ${e.keyRaw} = ${JSON.stringify(e.value)}`).join(', ') : eff.source === 'default' ? `default.json ${SECURE_KEY} = ${JSON.stringify(eff.value)}` : `${SECURE_KEY} is set nowhere (the template renders an empty <secure>)`;
    const line = eff.entries.length ? lineOf(config.doc.text, eff.entries[eff.entries.length - 1]!.keyStart) : undefined;
    if (isTrue(eff.value) && eff.entries.every((e) => isTrue(e.value))) return [report(t, 'compliant', `${shown}: the console's session cookie is Secure`, config.path, line)];
    if (typeof eff.value === 'string' && isPlaceholder(eff.value)) return [report(t, 'manual', `${shown}, which harden cannot evaluate; make sure it resolves to true`, config.path, line)];
    const value = eff.entries.some((e) => typeof e.value === 'string') ? 'true' : true;
    const note = http ? HTTP_CONSOLE(`the carbon.xml template (templates/${carbonXml}.j2)`) : '';
    return [settingFix(t, config, SECURE_KEY, SECURE_PATH, value, (w) => `${shown}, so the console's session cookie has no Secure flag; set ${w} = ${JSON.stringify(value)}${note}`)];
  }
  const m = /<secure>\s*([^<]*?)\s*<\/secure>/.exec(text);
  if (m && isTrue(m[1])) return [report(t, 'compliant', `${where} hard-codes <secure>true</secure> for the console's session cookie`, config.path)];
  return [
    report(
      t,
      'manual',
      m
        ? `${where} hard-codes <secure>${m[1]}</secure> and no deployment.toml key reaches it, so the console's session cookie has no Secure flag; the template has to change`
        : `${where} renders no <cookie-config><secure>, and no deployment.toml key adds one; the console's session cookie has no Secure flag unless the template changes`,
      config.path,
    ),
  ];
}

function contextFindings(t: TransformMeta, ctx: TransformContext, file: string): Finding[] {
  const source = fileSource(ctx, file);
  if (source.kind === 'none') return source.status === 'not-applicable' ? [] : [report(t, source.status, source.why, file)];
  if (source.kind === 'toml') {
    const where = `the product's templates/${file}.j2`;
    if (source.template === undefined) return [];
    const tag = /<Context\b[^>]*>/.exec(withoutComments(source.template))?.[0];
    const v = tag && /\buseHttpOnly\s*=\s*["']([^"']*)["']/.exec(tag)?.[1];
    if (v === undefined || v === null || isTrue(v)) return [report(t, 'compliant', `${where} renders <Context${v ? ` useHttpOnly="${v}"` : ''}>, so session cookies are HttpOnly`, source.config.path)];
    return [report(t, 'manual', `${where} renders <Context useHttpOnly="${v}">, and no deployment.toml key reaches it; session cookies can be read by scripts until the template changes`, source.config.path)];
  }
  const doc = ctx.files.xml(file);
  if (localName(doc.root) !== 'Context') return [report(t, 'not-applicable', `the root of ${file} is <${doc.root.name}>, not <Context>`, file)];
  const a = attr(doc.root, 'useHttpOnly');
  const line = lineOf(doc.text, (a ?? doc.root).start);
  if (!a) return [report(t, 'compliant', `<Context> sets no useHttpOnly, so Tomcat's default (true) makes session cookies HttpOnly`, file, line)];
  if (isTrue(a.value)) return [report(t, 'compliant', `<Context useHttpOnly="${a.value}">: session cookies are HttpOnly`, file, line)];
  if (isPlaceholder(a.value)) return [report(t, 'manual', `<Context useHttpOnly="${a.value}">, which harden cannot evaluate; make sure it resolves to true`, file, line)];
  return [fix(t, file, line, `<Context useHttpOnly="${a.value}"> lets scripts in a page read the session cookie; set useHttpOnly="true"`, [setAttrValue(a, 'true')], [{ kind: 'xml-attr', path: doc.root.path, name: 'useHttpOnly', value: 'true' }])];
}
