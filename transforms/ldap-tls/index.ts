// LDAP user stores bind with a service account's password and read user and group data (guideline 12):
// ldap:// to another host sends both in clear text. ldaps:// (or StartTLS) protects them. The LDAPS port
// is the directory's own, so harden switches only with --set ldaps-port=N (the directory's CA must be in
// client-truststore.jks first); loopback hosts (the embedded LDAP) are left alone.
import { fix, report } from '../../src/kit/findings.js';
import { hasPlaceholder, isLoopback } from '../../src/kit/jdbc.js';
import { SOURCES } from '../../src/kit/sources.js';
import { isLdapClass, ldapEndpoints, userStoreFiles, userStores, type LdapEndpoint } from '../../src/kit/user-store.js';
import type { Finding, Transform } from '../../src/engine/types.js';

const shown = (e: LdapEndpoint): string => `${e.scheme}://${e.host}${e.port ? `:${e.port}` : ''}`;

export const ldapTls: Transform = {
  id: 'ldap-tls',
  title: 'LDAP user stores on other hosts are reached over LDAPS',
  rationale:
    'A user store reached over ldap:// sends the bind password of its service account and every user lookup in clear text, so anyone on the network path can read them or answer in the directory’s place. LDAPS encrypts the connection and checks the directory’s certificate.',
  severity: 'high',
  fixClass: 'USER-VALUE',
  sources: [
    SOURCES.wso2Guidelines,
    SOURCES.wso2Guidelines44,
    { title: 'WSO2 Identity Server: configuring a read-only LDAP user store (ConnectionURL, StartTLSEnabled)', url: 'https://is.docs.wso2.com/en/latest/guides/users/user-stores/primary-user-store/configure-a-read-only-ldap-user-store/' },
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: userStoreFiles,
  params: [
    {
      name: 'ldaps-port',
      description: "The directory's LDAPS port (usually 636): ldap:// user store URLs to other hosts become ldaps://host:PORT. Import the directory's CA into client-truststore.jks first",
      validate: (v) => (/^\d{1,5}$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'must be a port number from 1 to 65535'),
    },
  ],
  plan(ctx) {
    const port = ctx.param('ldaps-port');
    const findings: Finding[] = [];
    for (const s of userStores(ctx)) {
      if (!isLdapClass(s.className) && !/ldaps?:\/\//i.test(s.url ?? '')) continue;
      if (!s.url) {
        findings.push(report(this, 'manual', `${s.name} is an LDAP store with no ConnectionURL harden can read; make sure it is ldaps:// (or uses StartTLS)`, s.file, s.line));
        continue;
      }
      const endpoints = ldapEndpoints(s.url);
      if (endpoints.length === 0 || endpoints.some((e) => hasPlaceholder(e.host))) {
        findings.push(report(this, 'manual', `${s.name}'s ConnectionURL names its host through a placeholder or in a form harden cannot read; make sure it is ldaps:// (or uses StartTLS)`, s.file, s.line));
        continue;
      }
      const plain = endpoints.filter((e) => e.scheme === 'ldap' && !isLoopback(e.host));
      if (plain.length === 0) {
        const local = endpoints.some((e) => e.scheme === 'ldap');
        findings.push(report(this, 'compliant', `${s.name} is reached over ${local ? 'ldap:// on this host only' : 'LDAPS'} (${endpoints.map(shown).join(' ')})`, s.file, s.line));
        continue;
      }
      if (/^true$/i.test(s.startTls?.trim() ?? '')) {
        findings.push(report(this, 'compliant', `${s.name} upgrades ${plain.map(shown).join(' ')} with StartTLS (StartTLSEnabled=true)`, s.file, s.line));
        continue;
      }
      const hosts = plain.map(shown).join(' ');
      if (port === undefined) {
        findings.push(
          report(
            this,
            'needs-input',
            `${s.name} reaches ${hosts} over plain LDAP, so the bind password and user data cross the network in clear text; import the directory's CA into client-truststore.jks, then pass --set ldaps-port=N (usually 636) to switch to ldaps:// (or set StartTLSEnabled=true where the kernel supports it)`,
            s.file,
            s.line,
          ),
        );
        continue;
      }
      if (typeof s.writeUrl === 'string') {
        findings.push(report(this, 'manual', `${s.name} reaches ${hosts} over plain LDAP; ${s.writeUrl}`, s.file, s.line));
        continue;
      }
      let url = s.url;
      for (const e of [...plain].sort((a, b) => b.start - a.start)) url = `${url.slice(0, e.start)}ldaps://${e.host}:${port}${url.slice(e.end)}`;
      const w = s.writeUrl(url);
      findings.push(
        fix(
          this,
          s.file,
          s.line ?? 1,
          `${s.name} reaches ${hosts} over plain LDAP, so the bind password and user data cross the network in clear text; switch to ${plain.map((e) => `ldaps://${e.host}:${port}`).join(' ')} (the directory's CA must be in client-truststore.jks)`,
          w.edits,
          w.intents,
        ),
      );
    }
    if (findings.length === 0) findings.push(report(this, 'not-applicable', 'no LDAP user store (none in user-mgt.xml, [user_store] or repository/deployment/server/userstores, or only JDBC ones)'));
    return findings;
  },
};
