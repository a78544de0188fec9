import { describe, expect, it } from '@jest/globals';
import { analyzeJdbc, kindOf, secureJdbc } from './jdbc.js';

describe('analyzeJdbc', () => {
  it('tells embedded H2 from networked databases', () => {
    expect(analyzeJdbc('jdbc:h2:./repository/database/WSO2CARBON_DB;DB_CLOSE_ON_EXIT=FALSE').state).toBe('embedded');
    expect(analyzeJdbc('jdbc:h2:async:./repository/database/WSO2CARBON_DB').state).toBe('embedded');
    expect(analyzeJdbc('jdbc:h2:tcp://db.example.com/~/carbon').state).toBe('insecure');
  });

  it('MySQL: explicit markers, driver defaults and a verified setup', () => {
    const weak = analyzeJdbc('jdbc:mysql://mysql:3306/wso2is?autoReconnect=true&useSSL=false');
    expect(weak).toMatchObject({ kind: 'mysql', state: 'insecure', markers: ['useSSL=false'], hosts: ['mysql'], loopback: false, rewritable: true });
    expect(analyzeJdbc('jdbc:mysql://localhost:3306/esb')).toMatchObject({ state: 'insecure', markers: [], loopback: true });
    expect(analyzeJdbc('jdbc:mysql://db:3306/x?sslMode=PREFERRED').markers[0]).toMatch(/^sslMode=PREFERRED/);
    expect(analyzeJdbc('jdbc:mysql://db:3306/x?sslMode=VERIFY_IDENTITY').state).toBe('secure');
    expect(analyzeJdbc('jdbc:mysql://db:3306/x?useSSL=true&requireSSL=true&verifyServerCertificate=true').state).toBe('secure');
    expect(analyzeJdbc('jdbc:mysql://db:3306/x?useSSL=true').omissions).toHaveLength(1);
    expect(analyzeJdbc('jdbc:mysql://db/x?sslMode=VERIFY_CA&allowPublicKeyRetrieval=true').markers[0]).toMatch(/^allowPublicKeyRetrieval=true/);
  });

  it('PostgreSQL, SQL Server, Oracle, DB2, jTDS', () => {
    expect(analyzeJdbc('jdbc:postgresql://pg:5432/db?sslmode=require').markers[0]).toMatch(/^sslmode=require/);
    expect(analyzeJdbc('jdbc:postgresql://pg:5432/db?ssl=true').state).toBe('secure');
    expect(analyzeJdbc('jdbc:postgresql://pg/db?sslmode=verify-full&sslfactory=org.postgresql.ssl.NonValidatingFactory').markers).toHaveLength(1);
    expect(analyzeJdbc('jdbc:sqlserver://sql.example.com:1433;databaseName=wso2;encrypt=false').markers).toEqual(['encrypt=false']);
    expect(analyzeJdbc('jdbc:sqlserver://sql.example.com:1433;databaseName=wso2;encrypt=true;trustServerCertificate=false').state).toBe('secure');
    expect(analyzeJdbc('jdbc:oracle:thin:@db.example.com:1521/ORCL')).toMatchObject({ state: 'insecure', hosts: ['db.example.com'], rewritable: false });
    expect(analyzeJdbc('jdbc:oracle:thin:@tcps://db.example.com:2484/ORCL').state).toBe('secure');
    expect(analyzeJdbc('jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(PROTOCOL=TCPS)(HOST=db)(PORT=2484))(CONNECT_DATA=(SERVICE_NAME=s)))')).toMatchObject({ state: 'secure', hosts: ['db'] });
    expect(analyzeJdbc('jdbc:db2://db:50000/WSO2:sslConnection=true;').state).toBe('secure');
    expect(analyzeJdbc('jdbc:jtds:sqlserver://localhost:1433/wso2_metrics').state).toBe('insecure');
  });

  it('cannot judge URLs resolved at start-up, nor unknown drivers', () => {
    expect(analyzeJdbc('$env{DB_URL}').state).toBe('placeholder');
    expect(analyzeJdbc('jdbc:mysql://$env{DB_HOST}:3306/x').state).toBe('placeholder');
    expect(analyzeJdbc('jdbc:informix-sqli://h:9088/db').state).toBe('unknown');
    expect(kindOf('jdbc:jtds:sqlserver://h')).toBe('jtds');
  });

  it('never names a password in its label', () => {
    expect(analyzeJdbc('jdbc:mysql://db:3306/x?user=u&password=s3cr3t&useSSL=false').label).toBe('MySQL at db');
  });
});

describe('secureJdbc', () => {
  it('rewrites the MySQL legacy marker in place and completes the trio', () => {
    expect(secureJdbc('jdbc:mysql://m:3306/x?autoReconnect=true&useSSL=false', 'verify-full')).toEqual({
      url: 'jdbc:mysql://m:3306/x?autoReconnect=true&useSSL=true&requireSSL=true&verifyServerCertificate=true',
      changes: ['useSSL=false → useSSL=true', '+requireSSL=true', '+verifyServerCertificate=true'],
    });
  });

  it('uses sslMode for Connector/J 8 and for an existing sslMode', () => {
    expect(secureJdbc('jdbc:mysql://m/x?useSSL=false&serverTimezone=UTC', 'verify-full', 'com.mysql.cj.jdbc.Driver')!.url).toBe('jdbc:mysql://m/x?sslMode=VERIFY_IDENTITY&serverTimezone=UTC');
    expect(secureJdbc('jdbc:mysql://m/x?sslMode=DISABLED', 'verify-ca')!.url).toBe('jdbc:mysql://m/x?sslMode=VERIFY_CA');
  });

  it('PostgreSQL sslmode, ssl=false and the non-validating factory; SQL Server encrypt and trust', () => {
    expect(secureJdbc('jdbc:postgresql://pg/db?sslmode=prefer', 'verify-full')!.url).toBe('jdbc:postgresql://pg/db?sslmode=verify-full');
    expect(secureJdbc('jdbc:postgresql://pg/db?ssl=false&x=1', 'verify-ca')!.url).toBe('jdbc:postgresql://pg/db?sslmode=verify-ca&x=1');
    expect(secureJdbc('jdbc:postgresql://pg/db?sslmode=verify-full&sslfactory=org.postgresql.ssl.NonValidatingFactory', 'verify-full')!.url).toBe(
      'jdbc:postgresql://pg/db?sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory',
    );
    expect(secureJdbc('jdbc:sqlserver://s:1433;databaseName=w;encrypt=false;trustServerCertificate=true', 'verify-full')!.url).toBe(
      'jdbc:sqlserver://s:1433;databaseName=w;encrypt=true;trustServerCertificate=false',
    );
  });

  it('leaves what it may not rewrite, and a secured URL analyzes as secure', () => {
    expect(secureJdbc('jdbc:mysql://m/x', 'verify-full')).toBeUndefined();
    expect(secureJdbc('jdbc:oracle:thin:@h:1521/s', 'verify-full')).toBeUndefined();
    for (const u of ['jdbc:mysql://m/x?useSSL=false', 'jdbc:postgresql://p/d?sslmode=disable', 'jdbc:sqlserver://s;encrypt=false']) {
      expect(analyzeJdbc(secureJdbc(u, 'verify-full')!.url).state).toBe('secure');
    }
  });
});
