// Session ids must be long enough not to be guessed: at least 16 bytes (Tomcat's default). Tomcat 7 reads the
// length from <Manager sessionIdLength> (deprecated, it wins) or a nested <SessionIdGenerator sessionIdLength>;
// Tomcat 8.5/9 only from the generator, and ignore the attribute on <Manager> (the form WSO2's docs still show). A length below 16 in a file harden may
// edit is raised (RULES §2.15: AUTO for Carbon 4.4 / XML mode); everything else is reported.
import { compareVersions } from '../../src/engine/tls-profiles.js';
import { setAttrValue } from '../../src/formats/xml/edit.js';
import { attr, childrenNamed, localName, type XmlAttr, type XmlDoc, type XmlElement } from '../../src/formats/xml/locate.js';
import { tomlFiles } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { fileSource } from '../../src/kit/rendered-file.js';
import { SOURCES } from '../../src/kit/sources.js';
import { isTomcat7 } from '../../src/kit/tomcat.js';
import type { Finding, ProductInfo, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';

const MIN = 16;
const CONTEXTS = ['tomcat/context.xml', 'tomcat/carbon/META-INF/context.xml'];

const contextFiles = (product: ProductInfo): string[] => product.confDirs.flatMap((d) => CONTEXTS.map((c) => `${d}/${c}`));

/** Tomcat 7 or 8.5+/9 for one configuration directory: its catalina-server.xml says (RULES-FACTCHECK C1), else the kernel. */
function tomcatOf(ctx: TransformContext, confDir: string): 7 | 9 | undefined {
  if (ctx.product.model === 'toml') return 9;
  const catalina = `${confDir}/tomcat/catalina-server.xml`;
  if (ctx.files.get(catalina)) {
    const doc = ctx.files.xml(catalina);
    if (/\bcompress[ai]bleMimeType=/.test(doc.text)) return isTomcat7(doc) ? 7 : 9;
  }
  const k = ctx.product.kernel;
  return k === undefined ? undefined : compareVersions(k, '4.5.0') < 0 ? 7 : 9;
}

const intValue = (v: string): number | undefined => (/^\s*\d+\s*$/.test(v) ? Number(v) : undefined);

export const sessionIdLength: Transform = {
  id: 'session-id-length',
  title: 'Session ids are at least 16 bytes long, set where the Tomcat version reads them',
  rationale:
    'A short session id can be guessed, and a guessed id is a logged-in session. Tomcat 8.5 and 9 ignore sessionIdLength on <Manager>, so a length written there (as older WSO2 docs show) is silently not applied.',
  severity: 'low',
  fixClass: 'AUTO',
  sources: [
    SOURCES.wso2Guidelines,
    { title: 'Apache Tomcat 9: the SessionIdGenerator component', url: 'https://tomcat.apache.org/tomcat-9.0-doc/config/sessionidgenerator.html' },
    { title: 'Apache Tomcat 7: the Manager component (sessionIdLength)', url: 'https://tomcat.apache.org/tomcat-7.0-doc/config/manager.html' },
    { title: 'OWASP Session Management Cheat Sheet: session ID length and entropy', url: 'https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html' },
  ],
  appliesTo: { models: ['xml', 'toml'] },
  files: (product) => [
    ...contextFiles(product),
    ...product.confDirs.map((d) => `${d}/tomcat/catalina-server.xml`),
    ...(product.model === 'toml' ? tomlFiles(product, CONTEXTS.map((c) => `repository/conf/${c}`)) : []),
  ],
  params: [
    {
      name: 'session-id-length',
      description: 'sessionIdLength (bytes) written where a shorter one is found; at least 16',
      default: String(MIN),
      validate: (v) => (!/^\d+$/.test(v) || Number(v) < MIN ? `must be a whole number of bytes, at least ${MIN}` : Number(v) > 1024 ? 'must be at most 1024' : undefined),
    },
  ],
  plan(ctx) {
    const findings: Finding[] = [];
    for (const d of ctx.product.confDirs) {
      for (const c of CONTEXTS) {
        const file = `${d}/${c}`;
        const source = fileSource(ctx, file);
        if (source.kind === 'none') {
          if (source.status !== 'not-applicable') findings.push(report(this, source.status, source.why, file));
        } else if (source.kind === 'toml') {
          // A partial copy without templates/ and without the file says nothing about it.
          if (source.template !== undefined || ctx.files.get(file)) findings.push(...templateFindings(this, file, source.config.path, source.template));
        } else {
          findings.push(...xmlFindings(this, ctx, file, tomcatOf(ctx, d)));
        }
      }
    }
    if (findings.length === 0) findings.push(report(this, 'not-applicable', `no Tomcat context.xml (${CONTEXTS.join(', ')}) in ${ctx.product.confDirs.join(', ') || 'this home'}`));
    return findings;
  },
};

const WRONG_ELEMENT = (raw: string, effective: string): string =>
  `<Manager sessionIdLength="${raw}"> is the Tomcat 7 form: Tomcat 8.5 and 9 have no such Manager attribute and ignore it (with a warning at start-up), so the effective length is ${effective}; move it to <SessionIdGenerator sessionIdLength="${raw}"/> inside the <Manager>`;

function xmlFindings(t: TransformMeta, ctx: TransformContext, file: string, tomcat: 7 | 9 | undefined): Finding[] {
  const doc = ctx.files.xml(file);
  if (localName(doc.root) !== 'Context') return [report(t, 'not-applicable', `the root of ${file} is <${doc.root.name}>, not <Context>`, file)];
  const wanted = ctx.param('session-id-length')!;
  const managers = childrenNamed(doc.root, 'Manager');
  if (managers.length === 0) return [report(t, 'compliant', `no <Manager>: Tomcat's standard manager creates ${MIN}-byte session ids`, file, lineOf(doc.text, doc.root.start))];
  return managers.flatMap((m) => managerFindings(t, doc, file, m, tomcat, wanted));
}

function managerFindings(t: TransformMeta, doc: XmlDoc, file: string, m: XmlElement, tomcat: 7 | 9 | undefined, wanted: string): Finding[] {
  const out: Finding[] = [];
  const onManager = attr(m, 'sessionIdLength');
  const generator = childrenNamed(m, 'SessionIdGenerator')[0];
  const onGenerator = generator ? attr(generator, 'sessionIdLength') : undefined;
  const line = (a: XmlAttr | undefined, el: XmlElement): number => lineOf(doc.text, (a ?? el).start);
  /** The attribute that sets the length: raised when short, else compliant. */
  const judge = (a: XmlAttr | undefined, el: XmlElement, where: string): void => {
    if (!a) {
      out.push(report(t, 'compliant', `${where} sets no sessionIdLength, so Tomcat's default of ${MIN} bytes applies`, file, line(a, el)));
      return;
    }
    const n = intValue(a.value);
    if (n === undefined) {
      out.push(report(t, 'manual', `${where} has sessionIdLength="${a.value}", which harden cannot evaluate; make sure it is at least ${MIN}`, file, line(a, el)));
    } else if (n < MIN) {
      out.push(
        fix(t, file, line(a, el), `${where} has sessionIdLength="${a.value}" (bytes), shorter than the ${MIN} bytes a session id needs not to be guessed; set it to ${wanted}`, [setAttrValue(a, wanted)], [
          { kind: 'xml-attr', path: el.path, name: 'sessionIdLength', value: wanted },
        ]),
      );
    } else {
      out.push(report(t, 'compliant', `${where} creates ${n}-byte session ids`, file, line(a, el)));
    }
  };

  if (tomcat === 7) {
    // Tomcat 7 reads both; a length set on the <Manager> (deprecated there) wins over the nested generator's.
    if (onManager || !generator) judge(onManager, m, '<Manager>');
    else judge(onGenerator, generator, '<SessionIdGenerator>');
    return out;
  }
  if (tomcat === 9) {
    if (onManager) {
      const g = onGenerator ? intValue(onGenerator.value) : MIN;
      out.push(report(t, 'advisory', WRONG_ELEMENT(onManager.value, g === undefined ? `whatever "${onGenerator!.value}" on <SessionIdGenerator> resolves to` : `${g} bytes`), file, line(onManager, m)));
    }
    if (generator) judge(onGenerator, generator, '<SessionIdGenerator>');
    else if (!onManager) judge(undefined, m, '<Manager>');
    return out;
  }
  // Tomcat version unknown: report only, the attribute that counts is not known.
  for (const [a, el, where] of [[onManager, m, '<Manager>'], [onGenerator, generator, '<SessionIdGenerator>']] as const) {
    if (!a || !el) continue;
    const n = intValue(a.value);
    if (n === undefined || n < MIN) out.push(report(t, 'manual', `${where} has sessionIdLength="${a.value}"; make it at least ${MIN} (harden cannot tell the Tomcat version of this home, so it does not edit it)`, file, line(a, el)));
  }
  if (out.length === 0) out.push(report(t, 'compliant', `no sessionIdLength below ${MIN} bytes`, file, line(undefined, m)));
  return out;
}

/** A context.xml rendered from the product's template: no deployment.toml key sets the length (RULES §2.15), so report only. */
function templateFindings(t: TransformMeta, file: string, toml: string, template: string | undefined): Finding[] {
  const where = `the product's templates/${file}.j2`;
  if (template === undefined) return [report(t, 'advisory', `this copy of the home has no repository/resources/conf/templates/, so harden cannot tell how the server renders ${file}`, file)];
  const text = template.replace(/<!--[\s\S]*?-->/g, '');
  const out: Finding[] = [];
  const onManager = [...text.matchAll(/<Manager\b[^>]*?\bsessionIdLength\s*=\s*["']([^"']*)["']/g)].map((m) => m[1]!);
  const onGenerator = [...text.matchAll(/<SessionIdGenerator\b[^>]*?\bsessionIdLength\s*=\s*["']([^"']*)["']/g)].map((m) => m[1]!);
  for (const v of onManager) out.push(report(t, 'advisory', `${where}: ${WRONG_ELEMENT(v, onGenerator.length ? 'the <SessionIdGenerator> value' : `Tomcat's default ${MIN} bytes`)}`, toml));
  for (const v of onGenerator) {
    const n = intValue(v);
    if (n === undefined) out.push(report(t, 'manual', `${where} renders <SessionIdGenerator sessionIdLength="${v}">, which harden cannot evaluate; make sure it is at least ${MIN}`, toml));
    else if (n < MIN) out.push(report(t, 'manual', `${where} hard-codes <SessionIdGenerator sessionIdLength="${v}">, shorter than ${MIN} bytes, and no deployment.toml key sets it; raise it in the template`, toml));
    else out.push(report(t, 'compliant', `${where} renders ${n}-byte session ids`, toml));
  }
  if (out.length === 0) out.push(report(t, 'compliant', `${where} sets no session id length, so Tomcat's default of ${MIN} bytes applies`, toml));
  return out;
}
