// Ballerina / WSO2 Integrator: BI programs log through ballerina/log, configured in Config.toml's [ballerina.log]:
// JSON output (structured, escaped by construction) instead of logfmt, no DEBUG level in production (DEBUG
// lines carry payloads and headers), and file destinations that rotate (ballerina/log 2.16.0+) so that a log
// file cannot fill the disk.
import { eolAt, lineStartOf } from '../../src/formats/text.js';
import { addKey } from '../../src/formats/toml/add-key.js';
import { samePath, type TomlDoc } from '../../src/formats/toml/locate.js';
import { keyStyle, keyValueLine, renderHeader } from '../../src/formats/toml/render.js';
import { setValue } from '../../src/formats/toml/set-value.js';
import { atLeast, dependencyVersion } from '../../src/formats/ballerina/project.js';
import { ballerinaFiles, ballerinaProject, CONFIG_TOML, configDoc, lineAt, valueAt } from '../../src/kit/ballerina.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import type { Finding, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const LOG = ['ballerina', 'log'];
const LEVELS = ['INFO', 'WARN', 'ERROR'];
/** ballerina/log's own defaults for a rotation table (RULES §2.25): 10 MiB, one day, ten backups. */
const ROTATION = { policy: 'BOTH', maxFileSize: 10485760, maxAge: 86400, maxBackupFiles: 10 } as const;
const ROTATION_SINCE = '2.16.0';

export const biLogConfig: Transform = {
  id: 'bi-log-config',
  title: 'Ballerina programs log JSON at INFO or above, and their log files rotate',
  rationale:
    'JSON log lines keep every value inside its field, so a forged newline in user input cannot fake a log entry, and log tools parse them without guessing. DEBUG logs carry payloads, headers and tokens. A log file that never rotates grows until the disk is full.',
  severity: 'medium',
  fixClass: 'AUTO',
  sources: [
    SOURCES.biRuntimeSecurity,
    { title: 'Ballerina log module (ballerina/log): configuration, destinations and rotation', url: 'https://central.ballerina.io/ballerina/log/latest' },
    { title: 'OWASP: log injection', url: 'https://owasp.org/www-community/attacks/Log_Injection' },
  ],
  appliesTo: { models: ['ballerina'] },
  files: (product) => ballerinaFiles(product),
  params: [
    {
      name: 'log-level',
      description: 'Level that replaces DEBUG in [ballerina.log] and [[ballerina.log.modules]] (INFO, WARN or ERROR)',
      default: 'INFO',
      validate: (v) => (LEVELS.includes(v) ? undefined : `must be one of ${LEVELS.join(', ')} (upper case, as ballerina/log spells them)`),
    },
  ],
  plan(ctx) {
    const doc = configDoc(ctx);
    if (!doc) {
      return [
        report(
          this,
          'advisory',
          'no Config.toml here: the program logs logfmt at INFO to stderr (the ballerina/log defaults); give the Config.toml it runs with [ballerina.log] format = "json"',
        ),
      ];
    }
    return [...format(this, doc), ...levels(this, ctx, doc), ...rotation(this, ctx, doc)];
  },
};

const where = (path: readonly string[]): string => `[${path.slice(0, -1).join('.')}] ${path.at(-1)}`;

function format(t: TransformMeta, doc: TomlDoc): Finding[] {
  const path = [...LOG, 'format'];
  const entry = doc.entries.find((e) => samePath(e.path, path));
  if (entry && entry.kind === 'string' && entry.value === 'json') {
    return [report(t, 'compliant', 'ballerina/log writes JSON lines ([ballerina.log] format = "json")', CONFIG_TOML, lineOf(doc.text, entry.keyStart))];
  }
  if (entry && entry.kind !== 'string') {
    return [report(t, 'manual', `${where(path)} is not a string; set it to "json" by hand`, CONFIG_TOML, lineOf(doc.text, entry.keyStart))];
  }
  try {
    const edits = entry ? setValue(doc, path, 'json') : addKey(doc, LOG, 'format', 'json');
    const was = entry ? `format = "${String(entry.value)}"` : 'no format (logfmt, the default)';
    return [
      fix(t, CONFIG_TOML, lineOf(doc.text, edits[0]!.start), `[ballerina.log] has ${was}: set format = "json", so every value stays inside its JSON field`, edits, [
        { kind: 'toml-set', key: path, value: 'json' },
      ]),
    ];
  } catch (e) {
    return [report(t, 'manual', `set [ballerina.log] format = "json" by hand: ${(e as Error).message}`, CONFIG_TOML, lineAt(doc, LOG))];
  }
}

function levels(t: TransformMeta, ctx: TransformContext, doc: TomlDoc): Finding[] {
  const wanted = ctx.param('log-level')!;
  const out: Finding[] = [];
  // The global level and each per-module level ([[ballerina.log.modules]] or an inline array of them).
  const levelEntries = doc.entries.filter(
    (e) => e.kind === 'string' && (samePath(e.path, [...LOG, 'level']) || (e.path.length === 5 && samePath(e.path.slice(0, 3), [...LOG, 'modules']) && e.path[4] === 'level')),
  );
  for (const e of levelEntries) {
    const line = lineOf(doc.text, e.keyStart);
    const what = e.path.length === 3 ? '[ballerina.log] level' : `the level of module ${String(valueAt(doc, [...e.path.slice(0, 4), 'name']) ?? `#${e.path[3]}`)}`;
    if (String(e.value).toUpperCase() !== 'DEBUG') continue;
    out.push(
      fix(t, CONFIG_TOML, line, `${what} is DEBUG, which logs payloads, headers and tokens: set it to ${wanted}`, setValue(doc, e.path, wanted), [
        { kind: 'toml-set', key: e.path, value: wanted },
      ]),
    );
  }
  if (out.length === 0) {
    const global = valueAt(doc, [...LOG, 'level']);
    out.push(report(t, 'compliant', `no DEBUG level: [ballerina.log] level is ${typeof global === 'string' ? global : 'INFO (the default)'}`, CONFIG_TOML, lineAt(doc, [...LOG, 'level'])));
  }
  return out;
}

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

/** A destination writes to a file when its type is "file", or when it has a path and no type (FileOutputDestination's default). */
const isFile = (d: Tree): boolean => d.type === 'file' || (d.type === undefined && typeof d.path === 'string');

function rotation(t: TransformMeta, ctx: TransformContext, doc: TomlDoc): Finding[] {
  const destinations = valueAt(doc, [...LOG, 'destinations']);
  if (!Array.isArray(destinations)) return [];
  const project = ballerinaProject(ctx);
  const logVersion = dependencyVersion(project.deps, 'ballerina', 'log');
  const out: Finding[] = [];
  destinations.forEach((d, i) => {
    if (!isTree(d) || !isFile(d)) return;
    const path = [...LOG, 'destinations', String(i)];
    const file = typeof d.path === 'string' ? d.path : '(no path)';
    const line = lineAt(doc, path);
    if (isTree(d.rotation)) {
      out.push(report(t, 'compliant', `the log file ${file} rotates (policy ${String(d.rotation.policy ?? 'BOTH')})`, CONFIG_TOML, line));
      return;
    }
    const ok = atLeast(logVersion, ROTATION_SINCE);
    if (ok === undefined) {
      out.push(
        report(
          t,
          'manual',
          `the log file ${file} never rotates, and harden cannot tell the ballerina/log version (no Dependencies.toml): from ${ROTATION_SINCE} on, add [ballerina.log.destinations.rotation] under it; before that, rotate it with logrotate (copytruncate)`,
          CONFIG_TOML,
          line,
        ),
      );
      return;
    }
    if (!ok) {
      out.push(
        report(t, 'manual', `the log file ${file} never rotates: ballerina/log ${logVersion} cannot rotate (needs ${ROTATION_SINCE}); rotate it with logrotate (copytruncate) or upgrade ballerina/log`, CONFIG_TOML, line),
      );
      return;
    }
    const element = doc.tables.find((x) => x.kind === 'array' && samePath(x.path, path));
    if (!element) {
      out.push(report(t, 'manual', `the log file ${file} never rotates; its destination is written inline, so add rotation = {policy = "BOTH", …} to it by hand`, CONFIG_TOML, line));
      return;
    }
    // The sub-table goes right after the element's own keys: it then belongs to this element, whatever follows.
    const style = keyStyle(doc, element.entries);
    const headerIndent = doc.text.slice(lineStartOf(doc.text, element.headerStart), element.headerStart);
    const lines = [headerIndent + renderHeader([...LOG, 'destinations', 'rotation'], false, style.quote), ...Object.entries(ROTATION).map(([k, v]) => keyValueLine(style, k, v))];
    const eol = eolAt(doc.text, element.bodyEnd);
    out.push(
      fix(
        t,
        CONFIG_TOML,
        lineOf(doc.text, element.headerStart),
        `the log file ${file} never rotates: ballerina/log ${logVersion} can, so add [ballerina.log.destinations.rotation] policy = "BOTH", 10 MiB, one day, 10 backups`,
        [{ start: element.bodyEnd, end: element.bodyEnd, text: eol + lines.join(eol) }],
        [{ kind: 'toml-set', key: [...path, 'rotation'], value: { ...ROTATION } }],
      ),
    );
  });
  return out;
}
