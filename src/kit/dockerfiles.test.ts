// Who a Dockerfile's final stage runs as, and which non-root users it creates, on the shapes WSO2's images
// and user images use: useradd (shadow-utils), BusyBox/Alpine adduser, Debian adduser; stages built on
// stages; WSO2 and nonroot base images; build arguments with and without defaults.
import { describe, expect, it } from '@jest/globals';
import { parseDockerfile, type Dockerfile } from '../formats/dockerfile/parse.js';
import { createdUsers, effectiveUser, usersCreatedBy } from './dockerfiles.js';

function parsed(text: string): Dockerfile {
  const p = parseDockerfile(text);
  if (!p.ok) throw new Error(p.reason);
  return p.file;
}
const final = (f: Dockerfile) => f.stages[f.stages.length - 1]!;

describe('usersCreatedBy', () => {
  const run = (args: string) => usersCreatedBy(parsed(`FROM x\nRUN ${args}\n`).stages[0]!.instructions[1]!, '\\');
  it('reads useradd, BusyBox adduser and Debian adduser, with the uid when given', () => {
    expect(run('groupadd --system -g ${GID} wso2 && useradd --system --create-home --home-dir /home/x --no-log-init -g ${GID} -u ${USER_ID} ${USER}')).toEqual([{ name: '${USER}', uid: '${USER_ID}' }]);
    expect(run('addgroup -S -g 802 wso2 && adduser -S -u 802 -h /home/wso2carbon -G wso2 wso2carbon')).toEqual([{ name: 'wso2carbon', uid: '802' }]);
    expect(run("addgroup troupe && adduser -S -s /bin/bash -g 'ballerina' -G troupe -D ballerina")).toEqual([{ name: 'ballerina', uid: undefined }]);
    expect(run('adduser --system --uid=1001 --ingroup app --disabled-password app; echo done')).toEqual([{ name: 'app', uid: '1001' }]);
    expect(run('groupadd app')).toEqual([]);
  });
});

describe('effectiveUser and createdUsers', () => {
  it('expands USER from ARG defaults and tells root from not', () => {
    const f = parsed('FROM ubuntu\nARG USER_ID=10001\nUSER ${USER_ID}\n');
    expect(effectiveUser(f, final(f))).toMatchObject({ root: false, setting: { raw: '${USER_ID}', user: '10001' } });
    for (const u of ['root', '0', '0:0', 'root:wso2']) {
      const g = parsed(`FROM ubuntu\nUSER app\nUSER ${u}\n`);
      expect({ u, root: effectiveUser(g, final(g)).root }).toEqual({ u, root: true });
    }
    const unknown = parsed('FROM ubuntu\nARG UID\nUSER ${UID}\n');
    expect(effectiveUser(unknown, final(unknown)).root).toBeUndefined();
  });

  it('inherits from an earlier stage, a WSO2 image or a nonroot image; other images run as root', () => {
    const chain = parsed('FROM ubuntu AS base\nRUN useradd -u 900 app\nUSER 900\nFROM base AS final\nCOPY x /x\n');
    expect(effectiveUser(chain, final(chain))).toMatchObject({ root: false, setting: { user: '900' } });
    for (const [image, root] of [['wso2/wso2am:4.5.0', false], ['docker.wso2.com/wso2is:7.1.0', false], ['gcr.io/distroless/java21-debian12:nonroot', false], ['eclipse-temurin:21', true]] as const) {
      const f = parsed(`FROM ${image}\nCOPY a /a\n`);
      expect({ image, root: effectiveUser(f, final(f)).root }).toEqual({ image, root });
    }
  });

  it('finds users created in the stage or the stages it builds on, by uid where one is given', () => {
    const f = parsed('FROM ubuntu AS base\nARG USER=wso2carbon\nARG USER_ID=802\nRUN useradd -u ${USER_ID} ${USER}\nFROM base\nRUN apt-get install -y curl\n');
    expect(createdUsers(f, final(f)).map((u) => [u.ref, u.value, u.name])).toEqual([['${USER_ID}', '802', 'wso2carbon']]);
    const other = parsed('FROM ubuntu AS build\nRUN useradd builder\nFROM ubuntu\nRUN true\n');
    expect(createdUsers(other, final(other))).toEqual([]); // another stage's /etc/passwd is not this image's
    const root = parsed('FROM ubuntu\nRUN useradd -o -u 0 toor\n');
    expect(createdUsers(root, final(root))).toEqual([]);
  });
});
