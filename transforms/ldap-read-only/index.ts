// WSO2's production guidelines: "enable read-only access to external user stores" (guideline 12). A
// read-write LDAP class lets WSO2, and anyone who takes over an admin account, create, change and delete
// entries in the organisation's directory. Changing the class changes what the product can do (self sign-up,
// user management), so this rule only reports: external stores with a read-write class, and bind DNs that
// look like the directory's administrator rather than a least-privileged service account.
import { report } from '../../src/kit/findings.js';
import { hasPlaceholder, isLoopback } from '../../src/kit/jdbc.js';
import { SOURCES } from '../../src/kit/sources.js';
import { isLdapClass, isReadOnlyLdapClass, isReadWriteLdapClass, ldapEndpoints, userStoreFiles, userStores } from '../../src/kit/user-store.js';
import type { Finding, Transform } from '../../src/engine/types.js';

/** Bind DNs of a directory's administrator: cn=admin, cn=Directory Manager, CN=Administrator, uid=admin,ou=system. */
const ADMIN_DN = /^\s*(cn|uid)\s*=\s*(admin|administrator|root|manager|directory manager)\s*(,|$)/i;

/** The read-only class to name for a read-write one. */
function readOnlyFor(cls: string): string {
  const pkg = cls.slice(0, cls.lastIndexOf('.') + 1);
  return `${pkg}${/UniqueID/.test(cls) ? 'UniqueIDReadOnlyLDAPUserStoreManager' : 'ReadOnlyLDAPUserStoreManager'}`;
}

export const ldapReadOnly: Transform = {
  id: 'ldap-read-only',
  title: 'External LDAP user stores are connected read-only with a least-privileged account',
  rationale:
    'With a read-write LDAP user store, WSO2 can create, change and delete entries in the organisation’s directory, and so can anyone who takes over a WSO2 admin account. Binding as the directory’s administrator widens that further; a read-only class and a service account limited to reads keep a compromise of WSO2 from spreading into the directory.',
  severity: 'medium',
  fixClass: 'REPORT',
  sources: [
    SOURCES.wso2Guidelines,
    SOURCES.wso2Guidelines44,
    { title: 'WSO2 Identity Server: configuring a read-only LDAP user store', url: 'https://is.docs.wso2.com/en/latest/guides/users/user-stores/primary-user-store/configure-a-read-only-ldap-user-store/' },
  ],
  appliesTo: { models: ['xml', 'toml', 'mi'] },
  files: userStoreFiles,
  params: [],
  plan(ctx) {
    const findings: Finding[] = [];
    for (const s of userStores(ctx)) {
      if (!isLdapClass(s.className) && !/ldaps?:\/\//i.test(s.url ?? '')) continue;
      const endpoints = ldapEndpoints(s.url ?? '');
      const external = endpoints.filter((e) => hasPlaceholder(e.host) || !isLoopback(e.host));
      const hosts = external.map((e) => e.host).join(', ');
      if (endpoints.length > 0 && external.length === 0) {
        findings.push(report(this, 'compliant', `${s.name} is a directory on this host (${endpoints.map((e) => e.host).join(', ')}), not an external one`, s.file, s.line));
        continue;
      }
      const where = hosts ? ` on ${hosts}` : '';
      const cls = s.className?.trim();
      if (cls && isReadWriteLdapClass(cls) && !/^true$/i.test(s.readOnly?.trim() ?? '')) {
        // Identity Server commonly manages the users of its LDAP on purpose; elsewhere WSO2 has no need to write.
        const status = ctx.product.id === 'wso2is' ? 'advisory' : 'manual';
        findings.push(
          report(
            this,
            status,
            `${s.name} is an external directory${where} connected with the read-write class ${cls.slice(cls.lastIndexOf('.') + 1)}; unless WSO2 must manage its users, use ${readOnlyFor(cls)}${ctx.product.model === 'xml' ? '' : ` ([user_store] type = "${/UniqueID/.test(cls) ? 'read_only_ldap_unique_id' : 'read_only_ldap'}")`} so that WSO2 cannot change the directory`,
            s.file,
            s.line,
          ),
        );
      } else if (cls && (isReadOnlyLdapClass(cls) || /^true$/i.test(s.readOnly?.trim() ?? ''))) {
        findings.push(report(this, 'compliant', `${s.name} is an external directory${where} connected read-only (${isReadOnlyLdapClass(cls) ? cls.slice(cls.lastIndexOf('.') + 1) : 'ReadOnly=true'})`, s.file, s.line));
      } else {
        findings.push(report(this, 'manual', `${s.name} is an external directory${where} with ${cls ? `the class ${cls}` : 'no class harden can read'}; make sure WSO2 connects to it read-only`, s.file, s.line));
      }
      if (s.bindDn && ADMIN_DN.test(s.bindDn)) {
        findings.push(
          report(this, 'advisory', `${s.name} binds as ${s.bindDn.trim()}, the directory's administrator; bind with a service account that may only read the user and group subtrees WSO2 needs`, s.file, s.line),
        );
      }
    }
    if (findings.length === 0) findings.push(report(this, 'not-applicable', 'no LDAP user store (none in user-mgt.xml, [user_store] or repository/deployment/server/userstores, or only JDBC ones)'));
    return findings;
  },
};
