import { describe, expect, it } from '@jest/globals';
import { isReadOnlyLdapClass, isReadWriteLdapClass, ldapEndpoints } from './user-store.js';

describe('ldapEndpoints', () => {
  it('reads scheme, host and port of each URL, placeholders included', () => {
    expect(ldapEndpoints('ldap://localhost:${Ports.EmbeddedLDAP.LDAPServerPort}').map((e) => [e.scheme, e.host, e.port])).toEqual([['ldap', 'localhost', '${Ports.EmbeddedLDAP.LDAPServerPort}']]);
    const two = ldapEndpoints(' ldap://a.example.com:389/dc=x ldaps://[::1]');
    expect(two.map((e) => [e.scheme, e.host, e.port])).toEqual([['ldap', 'a.example.com', '389'], ['ldaps', '[::1]', undefined]]);
    expect(' ldap://a.example.com:389/dc=x'.slice(two[0]!.start, two[0]!.end)).toBe('ldap://a.example.com:389');
  });
});

describe('user store classes', () => {
  it('tells read-write from read-only LDAP classes, MI and UniqueID forms included', () => {
    expect(isReadWriteLdapClass('org.wso2.carbon.user.core.ldap.UniqueIDReadWriteLDAPUserStoreManager')).toBe(true);
    expect(isReadWriteLdapClass('org.wso2.carbon.user.core.ldap.ActiveDirectoryUserStoreManager')).toBe(true);
    expect(isReadWriteLdapClass('org.wso2.micro.integrator.security.user.core.ldap.ReadOnlyLDAPUserStoreManager')).toBe(false);
    expect(isReadOnlyLdapClass('org.wso2.micro.integrator.security.user.core.ldap.ReadOnlyLDAPUserStoreManager')).toBe(true);
    expect(isReadWriteLdapClass('org.wso2.carbon.user.core.jdbc.JDBCUserStoreManager')).toBe(false);
  });
});
