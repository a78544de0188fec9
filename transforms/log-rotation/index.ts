// Logs must not grow without bound (guideline 9). Carbon 4.4's log4j.properties ships CARBON_LOGFILE and
// AUDIT_LOGFILE as daily-rolling appenders that never delete a file: while they still have the shipped
// class they become size-capped org.apache.log4j.RollingFileAppenders (MaxFileSize / MaxBackupIndex);
// anything an operator customised is reported, not touched. log4j2 (Carbon ≥ 4.5, EI 6.6, MI) already
// rolls by size, but a filePattern without %i makes the second size roll-over of a day overwrite the first.
import { addAfter, replaceValue } from '../../src/formats/properties/edit.js';
import type { PropsDoc } from '../../src/formats/properties/locate.js';
import type { TextEdit } from '../../src/formats/text.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import { AppenderEdits, indexPosition, log4j2Appenders, log4j2Files, log4jAppenders, log4jFiles, planLogFiles, prop, type Appender } from '../../src/kit/log4j.js';
import { SOURCES } from '../../src/kit/sources.js';
import type { Finding, Intent, Transform, TransformContext, TransformMeta } from '../../src/engine/types.js';

const CARBON_DAILY = 'org.wso2.carbon.utils.logging.appenders.CarbonDailyRollingFileAppender';
const LOG4J_DAILY = 'org.apache.log4j.DailyRollingFileAppender';
const ROLLING = 'org.apache.log4j.RollingFileAppender';
/** The classes the shipped CARBON_LOGFILE / AUDIT_LOGFILE have (APIM 2.6 and ESB 5 ship log4j's own for AUDIT_LOGFILE). */
const SHIPPED = new Set([CARBON_DAILY, LOG4J_DAILY]);
const TARGETS = ['CARBON_LOGFILE', 'AUDIT_LOGFILE'];
/** Other log4j 1.x classes that write one file forever or roll by date only. */
const UNBOUNDED = new Set([CARBON_DAILY, LOG4J_DAILY, 'org.apache.log4j.FileAppender']);

const short = (cls: string): string => cls.slice(cls.lastIndexOf('.') + 1);

export const logRotation: Transform = {
  id: 'log-rotation',
  title: 'Log files roll over by size and old ones are deleted',
  rationale:
    'A log that only rolls daily and never deletes old files lets an attacker, or an ordinary traffic spike, fill the disk and stop the server, and an unbounded archive keeps sensitive data longer than needed. Size-capped rotation with a fixed number of backups bounds both.',
  severity: 'low',
  fixClass: 'AUTO-GUARDED',
  sources: [
    SOURCES.wso2Guidelines44,
    SOURCES.wso2Guidelines,
    { title: 'WSO2 API Manager: managing log growth', url: 'https://apim.docs.wso2.com/en/latest/administer/logging-and-monitoring/logging/managing-log-growth/' },
    { title: 'Apache Log4j 2: RollingFileAppender', url: 'https://logging.apache.org/log4j/2.x/manual/appenders/rolling-file.html' },
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: (product) => [...log4jFiles(product), ...log4j2Files(product)],
  params: [
    {
      name: 'log-max-file-size',
      description: 'MaxFileSize of the Carbon 4.4 CARBON_LOGFILE and AUDIT_LOGFILE appenders (log4j 1.x syntax: 10MB, 500KB, 1GB)',
      default: '10MB',
      validate: (v) => (/^[1-9]\d*\s*(KB|MB|GB)?$/i.test(v) ? undefined : 'must be a size log4j reads, such as 10MB, 500KB or 1GB'),
    },
    {
      name: 'log-max-backup-index',
      description: 'MaxBackupIndex (rolled files kept) of the Carbon 4.4 CARBON_LOGFILE and AUDIT_LOGFILE appenders',
      default: '20',
      validate: (v) => (/^[1-9]\d{0,3}$/.test(v) ? undefined : 'must be a whole number from 1 to 9999'),
    },
  ],
  plan(ctx) {
    return planLogFiles(
      this,
      ctx,
      'add %i to the filePattern of size-rolled appenders in the template instead',
      (file, doc) => log4jFindings(this, ctx, file, doc),
      (file, doc) => log4j2Findings(this, file, doc),
    );
  },
};

/** Carbon 4.4: switch the shipped daily appenders to size-capped RollingFileAppenders. */
function log4jFindings(t: TransformMeta, ctx: TransformContext, file: string, doc: PropsDoc): Finding[] {
  const maxSize = ctx.param('log-max-file-size')!;
  const maxIndex = ctx.param('log-max-backup-index')!;
  const appenders = log4jAppenders(doc);
  const findings: Finding[] = [];
  const line = (a: Appender): number => lineOf(doc.text, (a.classEntry ?? a.last).keyStart);
  for (const name of TARGETS) {
    const a = appenders.get(name);
    const cls = a?.classEntry?.value.trim();
    if (!a || !cls) continue;
    if (cls === ROLLING) {
      const size = prop(a, 'MaxFileSize');
      const index = prop(a, 'MaxBackupIndex');
      findings.push(
        report(t, 'compliant', `${name} is a RollingFileAppender: files roll at ${size ?? '10MB (log4j default)'} and ${index ?? '1 (log4j default)'} backups are kept`, file, line(a)),
      );
      continue;
    }
    if (!SHIPPED.has(cls)) {
      findings.push(
        report(t, 'manual', `${name} has the customised class ${cls}, which harden leaves alone; make sure it caps the size and number of its files (e.g. ${ROLLING} with MaxFileSize and MaxBackupIndex)`, file, line(a)),
      );
      continue;
    }
    const masking = prop(a, 'maskingPatternFile');
    if (cls === CARBON_DAILY && masking) {
      findings.push(
        report(
          t,
          'manual',
          `${name} masks sensitive data through ${short(CARBON_DAILY)}'s maskingPatternFile, which ${short(ROLLING)} does not support: switching would write unmasked logs; rotate and delete its files with an external tool such as logrotate instead`,
          file,
          line(a),
        ),
      );
      continue;
    }
    const datePattern = prop(a, 'DatePattern');
    if (datePattern) {
      findings.push(
        report(t, 'manual', `${name} has a customised DatePattern (${datePattern}), so harden leaves its rotation alone; delete old files by schedule or switch it to ${ROLLING} with MaxFileSize=${maxSize} and MaxBackupIndex=${maxIndex} by hand`, file, line(a)),
      );
      continue;
    }
    const edits: TextEdit[] = [];
    const intents: Intent[] = [];
    const cl = replaceValue(a.classEntry!, ROLLING);
    edits.push(cl.edit);
    intents.push({ kind: 'properties-set', key: a.classEntry!.key, value: cl.value });
    const added: string[] = [];
    for (const [suffix, value] of [['MaxFileSize', maxSize], ['MaxBackupIndex', maxIndex]] as const) {
      if (prop(a, suffix) !== undefined) continue;
      const key = `log4j.appender.${name}.${suffix}`;
      edits.push(addAfter(doc.text, a.last, key, value));
      intents.push({ kind: 'properties-set', key, value });
      added.push(`${suffix}=${value}`);
    }
    const kept = ['MaxFileSize', 'MaxBackupIndex'].filter((s) => prop(a, s) !== undefined).map((s) => `${s}=${prop(a, s)!}`);
    findings.push(
      fix(
        t,
        file,
        line(a),
        `${name} uses ${short(cls)}, which rolls daily and never deletes old files; switch it to ${ROLLING}${added.length ? ` with ${added.join(' and ')}` : ''}${kept.length ? ` (keeping ${kept.join(', ')})` : ''}`,
        edits,
        intents,
      ),
    );
  }
  const others = [...appenders.values()].filter((a) => !TARGETS.includes(a.name) && UNBOUNDED.has(a.classEntry?.value.trim() ?? ''));
  if (others.length) {
    findings.push(
      report(
        t,
        'advisory',
        `${others.map((a) => `${a.name} (${short(a.classEntry!.value.trim())})`).join(', ')} also never delete old files; harden changes only CARBON_LOGFILE and AUDIT_LOGFILE, so cap these with ${short(ROLLING)} or an external rotation if they are in use`,
        file,
        lineOf(doc.text, others[0]!.classEntry!.keyStart),
      ),
    );
  }
  if (findings.length === 0) findings.push(report(t, 'not-applicable', 'defines neither CARBON_LOGFILE nor AUDIT_LOGFILE', file));
  return findings;
}

/** log4j2: size-triggered RollingFile appenders need %i in filePattern. */
function log4j2Findings(t: TransformMeta, file: string, doc: PropsDoc): Finding[] {
  const findings: Finding[] = [];
  const numbered = new AppenderEdits(doc);
  const fixed = numbered.names;
  const fine: string[] = [];
  for (const a of log4j2Appenders(doc).values()) {
    const type = prop(a, 'type')?.toLowerCase();
    if (type !== 'rollingfile' && type !== 'rollingrandomaccessfile') continue;
    const sized = [...a.props].some(([k, e]) => k.endsWith('.type') && k.startsWith('polic') && e.value.trim() === 'SizeBasedTriggeringPolicy');
    if (!sized) continue;
    const pattern = a.props.get('filepattern');
    if (!pattern) {
      findings.push(report(t, 'manual', `appender ${a.name} rolls by size but has no filePattern; give it one with %i`, file, lineOf(doc.text, a.last.keyStart)));
      continue;
    }
    if (/%i(?![a-zA-Z])/.test(pattern.value)) {
      fine.push(a.name);
      continue;
    }
    numbered.insert(a.name, pattern, indexPosition(pattern.value), '-%i');
  }
  if (fixed.length) {
    findings.push(
      fix(
        t,
        file,
        numbered.firstLine!,
        `${fixed.join(', ')} ${fixed.length > 1 ? 'roll' : 'rolls'} by size but the filePattern has no %i, so a second size roll-over on the same day overwrites the first archive; add -%i to the filePattern`,
        numbered.edits,
        numbered.intents,
      ),
    );
  }
  if (fine.length) findings.push(report(t, 'compliant', `${fine.join(', ')}: size-rolled files are numbered with %i`, file));
  if (!fixed.length && !fine.length && !findings.length) findings.push(report(t, 'not-applicable', 'no RollingFile appender with a size policy', file));
  return findings;
}
