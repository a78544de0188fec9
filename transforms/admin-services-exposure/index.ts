// Carbon's SOAP admin services manage the whole server. carbon.xml ships with their WSDLs hidden and with the
// two switches that would serve them (and the console) over plain HTTP commented out (RULES.md §2.22,
// RULES-FACTCHECK A22): keep it that way. An uncommented HttpAdminServices / EnableHTTPAdminConsole is
// commented out again in the shape WSO2 ships it, so the operator's value stays in the file and the removal
// is verified (xml-comment-out). deployment.toml homes: [admin_service.wsdl] enable (MI:
// [server] hide_admin_service_wsdl) and Micro Integrator's [management_api] protocols; the rest is reported.
import { childrenNamed, localName, textOf, type XmlElement } from '../../src/formats/xml/locate.js';
import { commentOut, commentedOutBody, insertAfter, setText } from '../../src/formats/xml/edit.js';
import type { TextEdit } from '../../src/formats/text.js';
import { effective, tomlFiles, type TomlConfig } from '../../src/kit/deployment-toml.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { carbonXml, planCarbonXml, reads, renderedCarbonXml } from '../../src/kit/rendered-file.js';
import { settingFix } from '../../src/kit/toml-setting.js';
import { entryLine, sourceOf } from '../../src/kit/tomcat-toml.js';
import type { Finding, Intent, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const INTERNAL_APIS = 'conf/internal-apis.xml';

const WSDL = 'admin_service.wsdl.enable';
const MI_WSDL = 'server.hide_admin_service_wsdl';
const MGMT_PROTOCOLS = 'management_api.protocols';
const MGMT_CORS = 'management_api.cors.allowed_origins';
const ENABLE_ADMIN = 'server.enable_admin_services';
const DENY_LIST = 'admin_service.deny_list';

export const adminServicesExposure: Transform = {
  id: 'admin-services-exposure',
  title: 'Admin services and the management API are not offered over plain HTTP and do not publish their WSDLs',
  rationale:
    'The admin services (and Micro Integrator\'s management API) can reconfigure the whole server. Served over plain HTTP their credentials and session cookies cross the network in the clear, and published WSDLs map every operation for an attacker.',
  severity: 'high',
  fixClass: 'AUTO',
  sources: [
    SOURCES.wso2Guidelines,
    SOURCES.wso2Guidelines44,
    { title: 'WSO2 Micro Integrator: securing the management API', url: 'https://mi.docs.wso2.com/en/latest/install-and-setup/setup/security/securing-management-api/' },
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: (product) => {
    if (product.model === 'xml') return product.confDirs.map(carbonXml);
    const rel = renderedCarbonXml(product);
    return [...tomlFiles(product, product.model === 'mi' ? [rel, INTERNAL_APIS] : [rel]), rel];
  },
  params: [],
  plan(ctx) {
    return planCarbonXml(
      this,
      ctx,
      'then keep HideAdminServiceWSDLs true there',
      (file) => xmlFindings(this, ctx, file),
      (config, template, rel) => tomlFindings(this, ctx, config, template, rel),
    );
  },
};

/** carbon.xml edited in place: Carbon 4.4 / EI (every profile), and a deployment.toml home that does not template it. */
function xmlFindings(t: TransformMeta, ctx: TransformContext, file: string): Finding[] {
  const doc = ctx.files.xml(file);
  if (localName(doc.root) !== 'Server') return [report(t, 'manual', `the root element is <${doc.root.name}>, not <Server>; keep HideAdminServiceWSDLs true and HttpAdminServices / EnableHTTPAdminConsole commented out by hand`, file)];
  const findings: Finding[] = [];
  const edits: TextEdit[] = [];
  const intents: Intent[] = [];
  const why: string[] = [];
  const manual = (message: string, el?: XmlElement): void => {
    findings.push(report(t, 'manual', message, file, el ? lineOf(doc.text, el.start) : undefined));
  };
  const compliant: string[] = [];

  const axis2 = childrenNamed(doc.root, 'Axis2Config')[0];
  const hide = axis2 ? childrenNamed(axis2, 'HideAdminServiceWSDLs')[0] : undefined;
  const hideValue = hide ? textOf(doc, hide) : undefined;
  // CarbonConstants.HIDE_ADMIN_SERVICE_WSDLS is compared with "true".equals: anything else publishes the WSDLs.
  if (hide && hideValue === 'true') compliant.push('HideAdminServiceWSDLs is true');
  else if (hide && !hide.selfClosing) {
    edits.push(setText(doc, hide, 'true'));
    intents.push({ kind: 'xml-text', path: hide.path, value: 'true' });
    why.push(`<HideAdminServiceWSDLs>${hideValue}</HideAdminServiceWSDLs> publishes the admin service WSDLs; set it to true`);
  } else if (hide) {
    manual('<HideAdminServiceWSDLs/> is empty, so the admin service WSDLs are published; write <HideAdminServiceWSDLs>true</HideAdminServiceWSDLs>', hide);
  } else if (axis2 && axis2.children.length) {
    const last = axis2.children[axis2.children.length - 1]!;
    const markup = '<HideAdminServiceWSDLs>true</HideAdminServiceWSDLs>';
    edits.push(insertAfter(doc, last, markup));
    intents.push({ kind: 'xml-insert', after: last.path, xml: markup });
    why.push(`<Axis2Config> has no HideAdminServiceWSDLs, so the admin service WSDLs are published; add ${markup}`);
  } else {
    manual(`no <Axis2Config>${axis2 ? ' children' : ''} to hold HideAdminServiceWSDLs, so the admin service WSDLs may be published; add <HideAdminServiceWSDLs>true</HideAdminServiceWSDLs> to <Axis2Config>`, axis2);
  }

  // Uncommented switches: HttpAdminServices (a list of services, "*" = all) and EnableHTTPAdminConsole (true).
  const switches: [XmlElement | undefined, (v: string) => boolean, string][] = [
    [axis2 ? childrenNamed(axis2, 'HttpAdminServices')[0] : undefined, (v) => v !== '', 'offers those admin services over plain HTTP'],
    [childrenNamed(doc.root, 'EnableHTTPAdminConsole')[0], (v) => /^true$/i.test(v), 'serves the management console over plain HTTP'],
  ];
  for (const [el, exposes, what] of switches) {
    if (!el) continue;
    const value = textOf(doc, el);
    const shown = `<${el.name}>${value}</${el.name}>`;
    if (!exposes(value)) {
      compliant.push(`${shown} exposes nothing`);
      continue;
    }
    const body = commentedOutBody(doc, el);
    if (!body || el.children.length) {
      manual(`${shown} ${what}, and it cannot be commented out as it stands; remove it or comment it out by hand`, el);
      continue;
    }
    edits.push(commentOut(el, body));
    intents.push({ kind: 'xml-comment-out', path: el.path, comment: body });
    why.push(`${shown} ${what}; comment it out as shipped (<!--${body}-->)`);
  }

  const line = lineOf(doc.text, (hide ?? axis2 ?? doc.root).start);
  if (edits.length) findings.push(fix(t, file, line, why.join('; '), edits, intents));
  if (!edits.length && !findings.length) {
    findings.push(report(t, 'compliant', `${compliant.join(', ')}; HttpAdminServices and EnableHTTPAdminConsole are not active`, file, line));
  }
  return findings;
}

const isTrue = (v: unknown): boolean => v === true || (typeof v === 'string' && /^\s*true\s*$/i.test(v));
const shownValue = (v: unknown): string => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

function tomlFindings(t: TransformMeta, ctx: TransformContext, config: TomlConfig, template: string | undefined, rel: string): Finding[] {
  const file = config.path;
  const findings: Finding[] = [];
  const mi = ctx.product.model === 'mi';

  // WSDLs: kernel templates print HideAdminServiceWSDLs false only when admin_service.wsdl.enable `is sameas true`;
  // Micro Integrator's prints {{server.hide_admin_service_wsdl}} (and Carbon compares it with "true").
  if (mi && reads(template, MI_WSDL)) {
    const eff = effective(config, MI_WSDL);
    const shown = `${sourceOf(eff, MI_WSDL, 'unset')} = ${shownValue(eff.value)}`;
    if (eff.value === true || eff.value === 'true') findings.push(report(t, 'compliant', `${shown}: admin service WSDLs are hidden`, file, entryLine(config, eff)));
    else {
      const value = typeof eff.value === 'string' ? 'true' : true;
      findings.push(settingFix(t, config, MI_WSDL, ['server', 'hide_admin_service_wsdl'], value, (where) => `${eff.source === 'unset' ? `${MI_WSDL} is not set, so HideAdminServiceWSDLs renders empty and the admin service WSDLs are published` : `${shown} publishes the admin service WSDLs`}; set ${where} = ${String(value)}`));
    }
  } else if (!mi && reads(template, WSDL)) {
    const eff = effective(config, WSDL);
    const shown = `${sourceOf(eff, WSDL, 'unset')} = ${shownValue(eff.value)}`;
    if (eff.value !== true) findings.push(report(t, 'compliant', `${eff.source === 'unset' ? `${WSDL} is not set` : shown}: admin service WSDLs are hidden`, file, entryLine(config, eff)));
    else findings.push(settingFix(t, config, WSDL, ['admin_service', 'wsdl', 'enable'], false, (where) => `${shown} publishes the admin service WSDLs; set ${where} = false`));
  } else {
    findings.push(report(t, 'manual', `the product's templates/${rel}.j2 reads neither ${WSDL} nor ${MI_WSDL}; make sure the rendered carbon.xml keeps <HideAdminServiceWSDLs>true</HideAdminServiceWSDLs>`, file));
  }

  if (mi) findings.push(...managementApi(t, config));

  // Reported only (RULES §2.22).
  if (template !== undefined && template.includes(ENABLE_ADMIN)) {
    const eff = effective(config, ENABLE_ADMIN);
    if (eff.value !== false && eff.value !== 'false') {
      findings.push(
        report(
          t,
          'advisory',
          `${eff.source === 'unset' ? `${ENABLE_ADMIN} is not set` : `${sourceOf(eff, ENABLE_ADMIN, '')} = ${shownValue(eff.value)}`}: every SOAP admin service is deployed; where nothing uses the /carbon console or admin-service clients, [server] enable_admin_services = false removes them all (it breaks both)`,
          file,
          entryLine(config, eff),
        ),
      );
    }
  }
  if (template !== undefined && template.includes(DENY_LIST)) {
    const eff = effective(config, DENY_LIST);
    const shipped = config.defaults[DENY_LIST];
    if (eff.source === 'toml' && Array.isArray(shipped) && Array.isArray(eff.value)) {
      const now = new Set(eff.value.map(String));
      const dropped = shipped.map(String).filter((s) => !now.has(s));
      if (dropped.length) {
        findings.push(report(t, 'manual', `${sourceOf(eff, DENY_LIST, '')} leaves out ${dropped.join(', ')} from the product's deny list (an array in deployment.toml replaces the default wholesale), so those admin services are deployed again; add them back unless they are needed`, file, entryLine(config, eff)));
      }
    }
  }
  return findings;
}

/** Micro Integrator's management API (internal-apis.xml ManagementApi protocol) and its CORS origins. */
function managementApi(t: TransformMeta, config: TomlConfig): Finding[] {
  const file = config.path;
  const template = config.template(INTERNAL_APIS);
  if (config.hasTemplates && template === undefined) return [];
  const out: Finding[] = [];
  if (reads(template, MGMT_PROTOCOLS)) {
    const eff = effective(config, MGMT_PROTOCOLS);
    const value = typeof eff.value === 'string' ? eff.value : undefined;
    const shown = `${sourceOf(eff, MGMT_PROTOCOLS, 'unset')} = ${shownValue(eff.value)}`;
    const tokens = (value ?? '').split(/\s+/).filter(Boolean);
    if (value !== undefined && tokens.length > 0 && tokens.every((p) => p.toLowerCase() === 'https')) {
      out.push(report(t, 'compliant', `${shown}: the management API is served over HTTPS only`, file, entryLine(config, eff)));
    } else if (value !== undefined && /\$(ref|env|sys)\{/.test(value)) {
      out.push(report(t, 'manual', `${shown} is resolved at start-up; make sure it is "https"`, file, entryLine(config, eff)));
    } else {
      const now = eff.source === 'unset' ? `${MGMT_PROTOCOLS} is not set` : `${shown} serves the management API (logins, tokens, every artifact) over plain HTTP too`;
      out.push(settingFix(t, config, MGMT_PROTOCOLS, ['management_api', 'protocols'], 'https', (where) => `${now}; set ${where} = "https"`));
    }
  }
  const cors = effective(config, MGMT_CORS);
  const corsEnabled = effective(config, 'management_api.cors.enable');
  if (typeof cors.value === 'string' && cors.value.trim() === '*' && isTrue(corsEnabled.value ?? true)) {
    out.push(
      report(
        t,
        'advisory',
        `${sourceOf(cors, MGMT_CORS, '')} = "*": any web origin may call the management API from a browser; set [management_api.cors] allowed_origins to the dashboard's origin (e.g. "https://icp.example.com:9743")`,
        file,
        entryLine(config, cors),
      ),
    );
  }
  return out;
}
