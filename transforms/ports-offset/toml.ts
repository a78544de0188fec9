// The deployment.toml / Micro Integrator form (RULES §2.1, RULES-FACTCHECK B4): carbon.xml.j2 renders
// <Offset>{{server.offset | default('0')}}</Offset> (MI: default('10')), so the setting is [server] offset.
import { tomlConfig, writeSetting } from '../../src/kit/deployment-toml.js';
import { OFFSET_KEY, offsetOf, tomlOffset } from '../../src/kit/port-offset.js';
import { fix, lineOf, report } from '../../src/kit/findings.js';
import type { Finding, Transform, TransformContext } from '../../src/engine/types.js';

const CANONICAL = OFFSET_KEY;

/** The ports an offset puts the server on, for messages. */
function ports(mi: boolean, n: number): string {
  return mi
    ? `HTTP ${8280 + n}, HTTPS ${8243 + n}, management API ${9154 + n}`
    : `HTTPS ${9443 + n}, HTTP ${9763 + n}, JMX ${9999 + n}/${11111 + n}`;
}

export function tomlFindings(t: Transform, ctx: TransformContext, inPlace: () => Finding[]): Finding[] {
  const config = tomlConfig(ctx);
  if (!config) return [report(t, 'not-applicable', 'no deployment.toml')];
  const file = config.path;
  const mi = ctx.product.model === 'mi';
  const rel = `${ctx.product.confDirs[0] ?? (mi ? 'conf' : 'repository/conf')}/carbon.xml`;
  const template = config.template(rel);
  if (template === undefined && config.hasTemplates) {
    // The product does not template carbon.xml, so the file itself is the setting.
    if (ctx.files.get(rel) && !(ctx.product.generated ?? []).some((g) => g.path === rel)) return inPlace();
    return [report(t, 'manual', `this product has no templates/${rel}.j2 to read [server] offset; set the offset where its carbon.xml comes from`, file)];
  }
  if (template !== undefined && !template.includes(CANONICAL)) {
    return [report(t, 'manual', `templates/${rel}.j2 does not read ${CANONICAL}, so [server] offset would change nothing; set <Ports><Offset> in that template's product by hand`, file)];
  }

  // The shipped offset: default.json's, else the template's default('N'), else the model's (MI 10, others 0).
  const { eff, fromTemplate, builtIn, shippedRaw, current } = tomlOffset(config, template, mi);
  const entry = eff.entries.at(-1);
  const shipped = offsetOf(shippedRaw) ?? builtIn;
  const shown =
    eff.source === 'toml' && entry
      ? `[${entry.table.path.join('.')}] ${entry.keyRaw} = ${JSON.stringify(eff.value)}`
      : eff.source === 'default'
        ? `deployment.toml sets no [server] offset, so default.json's ${JSON.stringify(eff.value)} applies`
        : `deployment.toml sets no [server] offset, so ${fromTemplate !== undefined ? `the template's default('${builtIn}')` : `the default ${builtIn}`} applies`;
  const line = entry ? lineOf(config.doc.text, entry.keyStart) : undefined;
  if (current === undefined) {
    return [report(t, 'manual', `${shown}, which harden cannot evaluate; make sure it resolves to the offset of your port plan`, file, line)];
  }

  const wanted = ctx.param('port-offset');
  if (wanted === undefined) {
    // MI at 0 is on 8280/8243, the ESB/EI/API gateway defaults: as well known as its own shipped 10.
    if (current === shipped || (mi && current === 0)) {
      return [
        report(
          t,
          'needs-input',
          `${shown}: the default ports are in use (${ports(mi, current)}); pass --set port-offset=N matching the load balancer/firewall plan (-DportOffset=N at start-up overrides deployment.toml)`,
          file,
          line,
        ),
      ];
    }
    return [report(t, 'compliant', `${shown} moves the default ports (${ports(mi, current)})`, file, line)];
  }
  const n = Number(wanted);
  if (current === n) return [report(t, 'compliant', `${shown} already is the requested offset (${ports(mi, n)})`, file, line)];
  let write;
  try {
    write = writeSetting(config, CANONICAL, ['server', 'offset'], n);
  } catch (e) {
    return [report(t, 'manual', `${shown}; harden cannot write [server] offset here (${(e as Error).message}); set offset = ${n} by hand`, file, line)];
  }
  const at = line ?? lineOf(config.doc.text, write.edits[0]?.start ?? 0);
  return [fix(t, file, at, `${shown}; set ${write.where} = ${n} (${ports(mi, n)})`, write.edits, write.intents)];
}
