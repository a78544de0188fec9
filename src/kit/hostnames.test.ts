import { describe, expect, it } from '@jest/globals';
import { fqdnProblem, isIpLiteral, isLoopback, isPlaceholder } from './hostnames.js';

describe('host names', () => {
  it('accepts fully qualified names and says why others are not', () => {
    for (const ok of ['api.example.com', 'a-b.c1.example.co.uk', 'xn--bcher-kva.example']) expect(fqdnProblem(ok)).toBeUndefined();
    expect(fqdnProblem('localhost')).toMatch(/loopback/);
    expect(fqdnProblem('db.localhost')).toMatch(/loopback/);
    expect(fqdnProblem('10.0.0.1')).toMatch(/IP address/);
    expect(fqdnProblem('[::1]')).toMatch(/IP address/);
    expect(fqdnProblem('fe80::1')).toMatch(/IP address/);
    expect(fqdnProblem('wso2is')).toMatch(/single label/);
    expect(fqdnProblem('api..example.com')).toMatch(/empty label/);
    expect(fqdnProblem('api.example.com.')).toMatch(/empty label/);
    expect(fqdnProblem('-api.example.com')).toMatch(/label "-api"/);
    expect(fqdnProblem('api_1.example.com')).toMatch(/label "api_1"/);
    expect(fqdnProblem('host.123')).toMatch(/all-digit/);
    expect(fqdnProblem('256.1.1.1')).toMatch(/all-digit/); // not an IPv4 address, not a name either
    expect(fqdnProblem(`${'a'.repeat(64)}.example.com`)).toMatch(/label/);
    expect(fqdnProblem('')).toMatch(/empty/);
  });

  it('knows loopback names and addresses', () => {
    for (const h of ['localhost', 'LOCALHOST', 'localhost.localdomain', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1']) expect({ h, loop: isLoopback(h) }).toEqual({ h, loop: true });
    for (const h of ['0.0.0.0', '10.0.0.1', 'api.example.com', '::2', 'localhostx.example.com']) expect({ h, loop: isLoopback(h) }).toEqual({ h, loop: false });
  });

  it('tells IP literals and placeholders apart from names', () => {
    expect(isIpLiteral('192.168.1.10')).toBe(true);
    expect(isIpLiteral('2001:db8::10')).toBe(true);
    expect(isIpLiteral('api.example.com')).toBe(false);
    expect(isPlaceholder('$ref{server.hostname}')).toBe(true);
    expect(isPlaceholder('$env{HOST}')).toBe(true);
    expect(isPlaceholder('${carbon.host}')).toBe(true);
    expect(isPlaceholder('api.example.com')).toBe(false);
  });
});
