// Globs with a whole '**' segment: any depth up to GLOB_MAX_DEPTH, as a regular expression over loaded
// paths and as a bounded walk of a home that never descends into version control, build output or the
// product's jar trees, nor follows links (a loop of links ends nowhere).
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GLOB_MAX_DEPTH, globToRegExp } from '../src/engine/source-files.js';
import { expandGlob, readHome } from '../src/io/read-home.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: string[]): string {
  const home = mkdtempSync(join(tmpdir(), 'harden-globs-'));
  made.push(home);
  for (const f of files) {
    mkdirSync(join(home, dirname(f)), { recursive: true });
    writeFileSync(join(home, f), 'FROM scratch\n');
  }
  return home;
}

describe('globToRegExp', () => {
  it('keeps * within one segment', () => {
    const re = globToRegExp('bin/*.sh');
    expect(['bin/a.sh', 'bin/.sh'].every((p) => re.test(p))).toBe(true);
    expect(['bin/x/a.sh', 'a.sh', 'bin/a.shx'].some((p) => re.test(p))).toBe(false);
  });

  it('matches any number of directories with a whole ** segment, HOME itself included', () => {
    const re = globToRegExp('**/Dockerfile');
    for (const p of ['Dockerfile', 'a/Dockerfile', 'a/b/c/Dockerfile']) expect({ p, m: re.test(p) }).toEqual({ p, m: true });
    for (const p of ['aDockerfile', 'a/Dockerfile.j2', 'a/b/xDockerfile']) expect({ p, m: re.test(p) }).toEqual({ p, m: false });
    const mid = globToRegExp('docker/**/*.Dockerfile');
    expect(['docker/x.Dockerfile', 'docker/a/b/x.Dockerfile'].every((p) => mid.test(p))).toBe(true);
    expect(mid.test('other/x.Dockerfile')).toBe(false);
    const tail = globToRegExp('repository/conf/**');
    expect(['repository/conf/carbon.xml', 'repository/conf/tomcat/carbon/WEB-INF/web.xml'].every((p) => tail.test(p))).toBe(true);
    expect(tail.test('repository/conf')).toBe(false);
  });

  it('is bounded: no deeper than GLOB_MAX_DEPTH directories', () => {
    const dirs = (n: number): string => Array.from({ length: n }, (_, k) => `d${k}`).join('/');
    expect(globToRegExp('**/Dockerfile').test(`${dirs(GLOB_MAX_DEPTH)}/Dockerfile`)).toBe(true);
    expect(globToRegExp('**/Dockerfile').test(`${dirs(GLOB_MAX_DEPTH + 1)}/Dockerfile`)).toBe(false);
  });
});

describe('expandGlob with **', () => {
  it('finds files at any depth, in order, and skips .git, node_modules, target, lib, dropins, plugins, repository/components and .harden', () => {
    const home = tree([
      'Dockerfile',
      'docker/apim/Dockerfile',
      'docker/apim/alpine/Dockerfile',
      'docker/is/Dockerfile.alpine',
      '.git/Dockerfile',
      'node_modules/x/Dockerfile',
      'target/docker/app/Dockerfile',
      'lib/Dockerfile',
      'repository/components/dropins/Dockerfile',
      'repository/components/plugins/x/Dockerfile',
      'repository/conf/Dockerfile',
      'wso2/components/plugins/Dockerfile',
      'wso2/broker/Dockerfile',
      '.harden/backups/r/files/Dockerfile',
    ]);
    expect(expandGlob(home, '**/Dockerfile')).toEqual(['Dockerfile', 'docker/apim/Dockerfile', 'docker/apim/alpine/Dockerfile', 'repository/conf/Dockerfile', 'wso2/broker/Dockerfile']);
    expect(expandGlob(home, '**/Dockerfile.*')).toEqual(['docker/is/Dockerfile.alpine']);
    expect(expandGlob(home, 'docker/**/Dockerfile')).toEqual(['docker/apim/Dockerfile', 'docker/apim/alpine/Dockerfile']);
    // A literal path still reaches a skipped directory.
    expect(expandGlob(home, 'repository/components/dropins/Dockerfile')).toEqual(['repository/components/dropins/Dockerfile']);
    expect(expandGlob(home, 'docker/**')).toEqual(['docker/apim/Dockerfile', 'docker/apim/alpine/Dockerfile', 'docker/is/Dockerfile.alpine']);
  });

  it('stops at GLOB_MAX_DEPTH and does not follow links (a loop ends)', () => {
    const deep = Array.from({ length: GLOB_MAX_DEPTH + 1 }, (_, k) => `d${k}`);
    const home = tree([`${deep.slice(0, GLOB_MAX_DEPTH).join('/')}/Dockerfile`, `${deep.join('/')}/Dockerfile`, 'a/Dockerfile']);
    symlinkSync('..', join(home, 'a', 'loop'));
    symlinkSync(join(home, 'a'), join(home, 'linked'));
    expect(expandGlob(home, '**/Dockerfile')).toEqual(['a/Dockerfile', `${deep.slice(0, GLOB_MAX_DEPTH).join('/')}/Dockerfile`]);
  });

  it('lists stat-only paths with their modes, never reading them', () => {
    const home = tree(['repository/resources/security/wso2carbon.jks', 'repository/conf/deployment.toml']);
    writeFileSync(join(home, 'repository/resources/security/wso2carbon.jks'), Buffer.from([0xfe, 0xed, 0, 0, 0xff]));
    const files = readHome(home, ['repository/conf/deployment.toml'], [], undefined, ['repository/resources/security/*.jks', 'repository/conf/**']);
    expect(files.get('repository/resources/security/wso2carbon.jks')).toBeUndefined(); // not decoded (it has NUL bytes)
    expect(files.mode('repository/resources/security/wso2carbon.jks')).toBeDefined();
    expect(files.modes('repository/conf/**').map((m) => m.path)).toEqual(['repository/conf/deployment.toml']);
    expect(files.get('repository/conf/deployment.toml')!.mode).toBe(files.mode('repository/conf/deployment.toml'));
  });
});
