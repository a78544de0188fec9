// Forged log lines (guideline 9): a value with a line break written into a log can fake a whole entry.
// Stamping every genuine entry with a UUID the attacker does not know makes forged lines stand out.
// Carbon 4.4.3+ (log4j 1.x): TenantAwarePatternLayout prints the per-server log UUID as %K, renewed every
// LogUUIDUpdateInterval hours; log4j2 (Carbon ≥ 4.5, EI 6.6, MI): %u prints a UUID per event. The
// patterns only gain a prefix, so %mm (WSO2's masking converter) and everything else stay as they are.
import { addAfter } from '../../src/formats/properties/edit.js';
import type { PropsDoc } from '../../src/formats/properties/locate.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { AppenderEdits, FILE_APPENDER_TYPES, log4j2Appenders, log4j2Files, log4jAppenders, log4jFiles, planLogFiles, prop } from '../../src/kit/log4j.js';
import { SOURCES } from '../../src/kit/sources.js';
import type { Finding, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';

const TENANT_LAYOUT = 'org.wso2.carbon.utils.logging.TenantAwarePatternLayout';
/** %K with an optional format modifier (TenantAwarePatternLayout, 4.4.3+). */
const HAS_K = /%[-.\d]*K/;
/** %u / %uuid, with an optional format modifier and options (log4j2). */
const HAS_U = /%[-.\d]*u(?:uid)?(?![a-zA-Z])/;
/** A pattern that is only the message: the record is formatted elsewhere (HTTP access logs). */
const MESSAGE_ONLY = /^\s*%(?:m|mm|msg|message)\s*%n\s*$/;
// Fields split by "|" (the correlation log: time|correlation id|thread|…) make a record tools split too.
const DELIMITED = /\|[^|]*\|/;

export const logForging: Transform = {
  id: 'log-forging',
  title: 'Log entries carry a UUID that forged lines cannot show',
  rationale:
    'Anything that writes user input into a log with a line break in it can add a fake entry that looks genuine, to hide an attack or blame someone else. A UUID in front of every real entry, which the attacker cannot know, tells forged lines apart.',
  severity: 'low',
  fixClass: 'AUTO',
  sources: [
    SOURCES.wso2Guidelines44,
    SOURCES.wso2Guidelines,
    { title: 'WSO2 Carbon 4.4: monitoring logs (log UUID, %K)', url: 'https://docs.wso2.com/display/Carbon440/Monitoring+Logs' },
    { title: 'Apache Log4j 2: pattern layout, %uuid', url: 'https://logging.apache.org/log4j/2.x/manual/pattern-layout.html' },
    { title: 'OWASP: log injection', url: 'https://owasp.org/www-community/attacks/Log_Injection' },
  ],
  // TenantAwarePatternLayout learnt %K in kernel 4.4.3; every later kernel and MI use log4j2.
  appliesTo: { models: ['xml', 'toml', 'mi'], kernel: { from: '4.4.3' } },
  files: (product) => [...log4jFiles(product), ...log4j2Files(product)],
  params: [
    {
      name: 'log-uuid-update-interval',
      description: 'Carbon 4.4: hours after which TenantAwarePatternLayout renews the log UUID (%K), set once on CARBON_LOGFILE',
      default: '24',
      validate: (v) => (/^[1-9]\d{0,5}$/.test(v) ? undefined : 'must be a whole number of hours, at least 1'),
    },
  ],
  plan(ctx) {
    return planLogFiles(
      this,
      ctx,
      "prepend [%u] to the file appenders' layout.pattern in the template instead",
      (file, doc) => log4jFindings(this, ctx, file, doc),
      (file, doc) => log4j2Findings(this, file, doc),
    );
  },
};

/** Carbon 4.4: [%K] on every TenantAwarePatternLayout pattern, and one LogUUIDUpdateInterval. */
function log4jFindings(t: TransformMeta, ctx: TransformContext, file: string, doc: PropsDoc): Finding[] {
  const appenders = [...log4jAppenders(doc).values()].filter((a) => prop(a, 'layout') === TENANT_LAYOUT && a.props.has('layout.conversionpattern'));
  if (appenders.length === 0) return [report(t, 'not-applicable', `no appender uses ${TENANT_LAYOUT} with a ConversionPattern, and only that layout knows %K`, file)];
  if (!ctx.product.kernel) {
    return [
      report(
        t,
        'manual',
        `harden cannot tell this home's kernel version, and %K needs kernel 4.4.3 or later (older ones print it literally); if it is 4.4.3+, prepend [%K] to the ConversionPattern of ${appenders.map((a) => a.name).join(', ')}`,
        file,
      ),
    ];
  }
  const stamps = new AppenderEdits(doc);
  const { edits, intents, names: stamped } = stamps;
  const already: string[] = [];
  for (const a of appenders) {
    const pattern = a.props.get('layout.conversionpattern')!;
    if (HAS_K.test(pattern.value)) already.push(a.name);
    else stamps.insert(a.name, pattern, 0, '[%K] ');
  }
  // The interval starts a timer per appender that sets it, all renewing one shared UUID: set it once, on
  // CARBON_LOGFILE as WSO2 documents it, and only when no appender has it yet.
  let interval = '';
  const carbon = appenders.find((a) => a.name === 'CARBON_LOGFILE');
  if (carbon && !appenders.some((a) => a.props.has('layout.loguuidupdateinterval'))) {
    const hours = ctx.param('log-uuid-update-interval')!;
    const key = `log4j.appender.CARBON_LOGFILE.layout.LogUUIDUpdateInterval`;
    edits.push(addAfter(doc.text, carbon.props.get('layout.conversionpattern')!, key, hours));
    intents.push({ kind: 'properties-set', key, value: hours });
    interval = `set CARBON_LOGFILE's LogUUIDUpdateInterval=${hours} (hours) so the UUID is renewed`;
    stamps.firstLine ??= lineOf(doc.text, carbon.props.get('layout.conversionpattern')!.keyStart);
  }
  const findings: Finding[] = [];
  if (edits.length) {
    const what = [stamped.length ? `prepend [%K] (the server's log UUID) to the ConversionPattern of ${stamped.join(', ')}` : '', interval].filter(Boolean).join(', and ');
    findings.push(fix(t, file, stamps.firstLine!, `log entries carry no UUID, so forged lines look genuine; ${what}`, edits, intents));
  }
  if (already.length) findings.push(report(t, 'compliant', `${already.join(', ')} already print the log UUID (%K)`, file));
  return findings;
}

/** log4j2: [%u] on the pattern of every file appender. */
function log4j2Findings(t: TransformMeta, file: string, doc: PropsDoc): Finding[] {
  const stamps = new AppenderEdits(doc);
  const already: string[] = [];
  const formatted: string[] = [];
  for (const a of log4j2Appenders(doc).values()) {
    if (!FILE_APPENDER_TYPES.has(prop(a, 'type')?.toLowerCase() ?? '')) continue;
    const pattern = a.props.get('layout.pattern');
    const layout = prop(a, 'layout.type');
    if (!pattern || (layout !== undefined && layout !== 'PatternLayout')) continue;
    if (HAS_U.test(pattern.value)) already.push(a.name);
    else if (MESSAGE_ONLY.test(pattern.value) || DELIMITED.test(pattern.value)) formatted.push(a.name);
    else stamps.insert(a.name, pattern, 0, '[%u] ');
  }
  const findings: Finding[] = [];
  if (stamps.edits.length) {
    findings.push(
      fix(
        t,
        file,
        stamps.firstLine!,
        `log entries of ${stamps.names.join(', ')} carry no UUID, so forged lines look genuine; prepend [%u] (a UUID per entry) to their layout.pattern`,
        stamps.edits,
        stamps.intents,
      ),
    );
  }
  if (already.length) findings.push(report(t, 'compliant', `${already.join(', ')} already print a UUID (%u)`, file));
  if (formatted.length) {
    findings.push(
      report(t, 'advisory', `${formatted.join(', ')} write records that tools parse (a pattern that is only the message, as HTTP access logs have, or "|"-separated fields, as the correlation log has), so harden adds no UUID there: those tools would break`, file),
    );
  }
  if (findings.length === 0) findings.push(report(t, 'not-applicable', 'no file appender with a pattern layout', file));
  return findings;
}
