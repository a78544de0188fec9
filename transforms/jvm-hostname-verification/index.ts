// The start scripts switch off hostname verification for the server's outbound HTTPS calls
// (AllowAll / DefaultAndLocalhost / ignoreHostnameVerification=true): turn it on with the property the
// script already carries (RULES-FACTCHECK B9), or add the one the kernel reads.
import { compareVersions } from '../../src/engine/tls-profiles.js';
import { report } from '../../src/kit/findings.js';
import {
  JVM_FLAG_MODELS,
  flagsNamed,
  isComputed,
  planStartScripts,
  setFlags,
  showFlag,
  startScripts,
  type FlagChange,
  type JavaCommand,
} from '../../src/kit/jvm-flags.js';
import type { Finding, Transform, TransformMeta } from '../../src/engine/types.js';
import { SOURCES } from '../../src/kit/sources.js';

const IGNORE = 'org.wso2.ignoreHostnameVerification';
const VERIFIER = 'httpclient.hostnameVerifier';
const SAML = 'org.opensaml.httpclient.https.disableHostnameVerification';

const STRICT_WARNING =
  'Once verification is on, back-ends (and on API Manager the portals) reached by an IP or by a name missing from the certificate subject alternative names are rejected: check those first';

/** Kernels 4.4.9–4.4.16 read -Dorg.wso2.ignoreHostnameVerification; 4.4.17+ read -Dhttpclient.hostnameVerifier. */
function readsIgnoreFlag(kernel: string | undefined): boolean {
  return kernel !== undefined && compareVersions(kernel, '4.4.9') >= 0 && compareVersions(kernel, '4.4.17') < 0;
}

function planScript(t: TransformMeta, cmd: JavaCommand, kernel: string | undefined): Finding[] {
  const ignore = flagsNamed(cmd, IGNORE);
  const verifier = flagsNamed(cmd, VERIFIER);
  const computed = [...ignore, ...verifier].find((f) => isComputed(f.value));
  if (computed) {
    return [report(t, 'manual', `${showFlag(computed)} is computed by the script; make sure hostname verification is on`, cmd.file, computed.arg.line)];
  }
  const saml = flagsNamed(cmd, SAML).find((f) => f.value?.toLowerCase() === 'true');
  const samlNote = saml
    ? `${showFlag(saml)} (line ${saml.arg.line}) keeps hostname checks off for SAML artifact and metadata HTTPS calls; review it (harden leaves it alone)`
    : undefined;

  const changes: FlagChange[] = [];
  const parts: string[] = [];
  const fixExisting = (name: string, value: string, ok: (v: string | undefined) => boolean, hits: typeof ignore): void => {
    if (hits.length === 1 && ok(hits[0]!.value)) return;
    changes.push({ name, value });
    parts.push(`${hits.map(showFlag).join(', ')} → -D${name}=${value}`);
  };
  if (ignore.length > 0) fixExisting(IGNORE, 'false', (v) => v?.toLowerCase() === 'false', ignore);
  if (verifier.length > 0) fixExisting(VERIFIER, 'Strict', (v) => v === 'Strict', verifier);
  if (ignore.length === 0 && verifier.length === 0) {
    if (readsIgnoreFlag(kernel)) {
      changes.push({ name: IGNORE, value: 'false' });
      parts.push(`add -D${IGNORE}=false (kernel ${kernel} reads it)`);
    } else {
      changes.push({ name: VERIFIER, value: 'Strict' });
      const caveat =
        kernel !== undefined && compareVersions(kernel, '4.4.17') >= 0
          ? ''
          : ` (kernel ${kernel ?? 'unknown'}: on kernels before 4.4.17 the bundled HTTP client may not read it)`;
      parts.push(`add -D${VERIFIER}=Strict${caveat}`);
    }
  }

  const present = [...ignore, ...verifier];
  if (changes.length === 0) {
    const done = report(t, 'compliant', `the java command passes ${present.map(showFlag).join(' and ')}`, cmd.file, present[0]?.arg.line);
    return samlNote && saml ? [done, report(t, 'advisory', samlNote, cmd.file, saml.arg.line)] : [done];
  }
  const line = present.find((f) => changes.some((c) => c.name === f.name))?.arg.line ?? cmd.line;
  const message = `outbound HTTPS calls do not verify hostnames strictly; ${parts.join('; ')}. ${STRICT_WARNING}${samlNote ? `; ${samlNote}` : ''}`;
  return [setFlags(t, cmd, line, message, changes)];
}

export const jvmHostnameVerification: Transform = {
  id: 'jvm-hostname-verification',
  title: 'The server verifies the hostname of the HTTPS services it calls',
  rationale:
    'With hostname verification off (AllowAll, DefaultAndLocalhost, ignoreHostnameVerification=true), any certificate signed by a trusted CA is accepted for any host, so whoever can redirect the server\'s outbound traffic can impersonate its back-ends, key managers and identity providers. Strict checks the name against the certificate; it rejects back-ends and API Manager portals reached by an IP or by a name missing from the certificate SAN, so check those first.',
  severity: 'high',
  fixClass: 'AUTO-GUARDED',
  sources: [
    { title: 'WSO2 API Manager: enabling hostname verification', url: 'https://apim.docs.wso2.com/en/latest/install-and-setup/setup/security/enabling-hostname-verification/' },
    SOURCES.wso2Guidelines,
    SOURCES.wso2Guidelines44,
  ],
  appliesTo: { models: JVM_FLAG_MODELS },
  files: startScripts,
  params: [],
  plan(ctx) {
    return planStartScripts(this, ctx, (cmd) => planScript(this, cmd, ctx.product.kernel));
  },
};
