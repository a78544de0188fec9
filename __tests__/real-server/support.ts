// What the real-server tests share: the tools they need (and how CI gets them), hardened copies of a home,
// a throw-away keystore, javac, servers run in their own process group on 127.0.0.1, and openssl probes.
// No jest here, so each test file reads as its own story.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import xmljs from 'xml-js';
import { runCli } from '../helpers/capture.js';
import { repoRoot } from '../helpers/corpus.js';
import { tempCopy } from '../helpers/homes.js';
import { recordingJavaHome as recordingJava } from '../helpers/recording-java.js';

export const EXAMPLE_HOME = join(repoRoot, 'examples', 'apim-2.6-home');
export const JAVA_SOURCES = join(repoRoot, '__tests__', 'real-server', 'java');

/** The tests fail (never skip) without their tools; an explicit opt-out shows up as skipped tests. */
export const OPTED_OUT = process.env['HARDEN_SKIP_REAL_SERVER'] === '1';

// ---------------------------------------------------------------------------------------------- tools

export interface Jdk {
  home: string;
  java: string;
  javac: string;
  /** java.specification.version, e.g. 17. */
  major: number;
}

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The JDK whose javac is on PATH (java taken from the same JDK, so compiler and runtime agree). */
export function findJdk(): Jdk | string {
  const javac = which('javac');
  if (!javac) return 'javac is not on PATH: apt-get install openjdk-17-jdk-headless (see .ci/run)';
  const home = dirname(dirname(realpathSync(javac)));
  const java = join(home, 'bin', 'java');
  const r = spawnSync(java, ['-XshowSettings:properties', '-version'], { encoding: 'utf8' });
  const m = /java\.specification\.version = (\d+)/.exec(r.stderr);
  if (!m) return `cannot tell the version of ${java}: ${r.stderr.slice(0, 300)}`;
  return { home, java, javac: realpathSync(javac), major: Number(m[1]) };
}

/** Tomcat 10 as Debian's libtomcat10-java ships it: the jars a standalone CATALINA_BASE needs. */
export const TOMCAT_JARS = ['api', 'annotations-api', 'catalina', 'coyote', 'el-api', 'jaspic-api', 'juli', 'jni', 'servlet-api', 'util', 'util-scan'].map(
  (j) => `/usr/share/java/tomcat10-${j}.jar`,
);

/** What is missing for the given needs, each with how to install it; empty when all is there. */
export function missingTools(needs: { tomcat?: boolean; openssl?: boolean; curl?: boolean; jdkMajor?: number }): string[] {
  const missing: string[] = [];
  const jdk = findJdk();
  if (typeof jdk === 'string') missing.push(jdk);
  else if (needs.jdkMajor && jdk.major < needs.jdkMajor) missing.push(`the JDK at ${jdk.home} is ${jdk.major}; these tests need ${needs.jdkMajor} or later (openjdk-17-jdk-headless)`);
  if (needs.tomcat) {
    const absent = TOMCAT_JARS.filter((j) => !existsSync(j));
    if (absent.length) missing.push(`Tomcat 10 jars missing (${absent.join(', ')}): apt-get install libtomcat10-java`);
  }
  if (needs.openssl && !which('openssl')) missing.push('openssl is not on PATH: apt-get install openssl');
  if (needs.curl && !which('curl')) missing.push('curl is not on PATH: apt-get install curl');
  if (!which('timeout')) missing.push('timeout (coreutils) is not on PATH');
  return missing;
}

/** Throws one message naming every missing tool, so a test fails saying what to install. */
export function requireTools(missing: string[]): void {
  if (missing.length) {
    throw new Error(`real-server tests cannot run:\n  - ${missing.join('\n  - ')}\n(set HARDEN_SKIP_REAL_SERVER=1 to skip them; they are then reported as skipped)`);
  }
}

// ---------------------------------------------------------------------------------------------- homes

/** A temp copy of `src` hardened by `harden fix --yes <args>`, as an operator would run it. */
export async function hardenedCopy(src: string, args: string[]): Promise<string> {
  const home = tempCopy(src);
  const ran = await runCli(['fix', home, '--yes', ...args]);
  if (![0, 1].includes(ran.code) || /refused|internal error/.test(ran.stderr)) {
    throw new Error(`harden fix --yes ${args.join(' ')} on a copy of ${src} exited ${ran.code}:\n${ran.stderr}`);
  }
  return home;
}

// ---------------------------------------------------------------------------------------------- XML read-back

export interface XmlEl {
  name: string;
  attributes: Record<string, string>;
  children: XmlEl[];
  text: string;
}

/** A file's element tree as xml-js reads it (the judge of meaning, independent of harden's own locator). */
export function readXml(path: string): XmlEl {
  const bytes = readFileSync(path);
  const latin1 = /^<\?xml[^>]*encoding=["']ISO-8859-1["']/i.test(bytes.toString('latin1'));
  const tree = xmljs.xml2js(bytes.toString(latin1 ? 'latin1' : 'utf8'), { compact: false }) as xmljs.Element;
  const convert = (e: xmljs.Element): XmlEl => {
    const kids = e.elements ?? [];
    return {
      name: e.name ?? '',
      attributes: Object.fromEntries(Object.entries(e.attributes ?? {}).map(([k, v]) => [k, String(v)])),
      children: kids.filter((k) => k.type === 'element').map(convert),
      text: kids.filter((k) => k.type === 'text' || k.type === 'cdata').map((k) => String(k.text ?? k.cdata ?? '')).join(''),
    };
  };
  const root = (tree.elements ?? []).find((e) => e.type === 'element');
  if (!root) throw new Error(`${path}: no root element`);
  return convert(root);
}

export function childrenNamed(el: XmlEl, name: string): XmlEl[] {
  return el.children.filter((c) => c.name === name);
}

// ---------------------------------------------------------------------------------------------- keystore, javac

export interface Keystore {
  path: string;
  password: string;
}

/** A self-signed RSA key for CN=localhost / 127.0.0.1 in a PKCS12 file, valid two days. */
export function makeKeystore(dir: string, jdk: Jdk): Keystore {
  const ks = { path: join(dir, 'server.p12'), password: 'throwaway' };
  const keytool = join(jdk.home, 'bin', 'keytool');
  const r = spawnSync(
    keytool,
    ['-genkeypair', '-alias', 'server', '-keyalg', 'RSA', '-keysize', '2048', '-sigalg', 'SHA256withRSA', '-validity', '2', '-dname', 'CN=localhost',
      '-ext', 'SAN=dns:localhost,ip:127.0.0.1', '-storetype', 'PKCS12', '-keystore', ks.path, '-storepass', ks.password, '-keypass', ks.password],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (r.status !== 0) throw new Error(`keytool failed (${r.status}): ${r.stderr}`);
  return ks;
}

/** Compiles the named sources of __tests__/real-server/java into `out`; returns `out` as the classpath. */
export function compileJava(jdk: Jdk, out: string, ...sources: string[]): string {
  mkdirSync(out, { recursive: true });
  const r = spawnSync(jdk.javac, ['-d', out, ...sources.map((s) => join(JAVA_SOURCES, s))], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`javac failed (${r.status}):\n${r.stdout}${r.stderr}`);
  return out;
}

// ---------------------------------------------------------------------------------------------- start-up scripts

/**
 * A JAVA_HOME whose bin/java records the arguments of the server's java command, one per line, in
 * $RECORD_FILE and exits 0 (so a script's restart loop ends). `-version` is answered by the real JDK, as the
 * scripts that check the version expect. Unlike the bare stubs of the corpus tests, this one stands in front
 * of a real java, whose version the script then sees.
 */
export function recordingJavaHome(dir: string, jdk: Jdk): string {
  return recordingJava(join(dir, 'recording-jdk'), { exec: jdk.java });
}

/**
 * Runs a home's start-up script with its own interpreter (its #! line) against the recording JAVA_HOME and
 * returns the java command's arguments.
 */
export function recordJavaArgs(home: string, script: string, javaHome: string, record: string): string[] {
  const path = join(home, script);
  const shebang = /^#!\s*(\S+)/.exec(readFileSync(path, 'utf8'))?.[1] ?? '/bin/sh';
  const r = spawnSync(shebang, [path], {
    cwd: home,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, JAVA_HOME: javaHome, CARBON_HOME: home, RECORD_FILE: record },
  });
  if (r.status !== 0 || !existsSync(record)) {
    throw new Error(`${script} under ${shebang} exited ${r.status}${existsSync(record) ? '' : ' without running java'}:\n${r.stdout}${r.stderr}`);
  }
  return readFileSync(record, 'utf8').split('\n').slice(0, -1);
}

// ---------------------------------------------------------------------------------------------- processes

/** Distinct ports free on 127.0.0.1 right now (held together while choosing, so they differ). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

const running = new Set<Server>();
// Last resort if a test file dies without its afterAll: no server outlives the jest worker.
process.once('exit', () => {
  for (const s of running) s.killNow();
});

/**
 * A long-running process in its own process group, under `timeout` so it ends by itself even if the test
 * runner is killed. stdout and stderr are kept for failure messages.
 */
export class Server {
  readonly output: string[] = [];
  private exited: Promise<number | null>;
  private child: ChildProcess;
  exitCode: number | null | undefined;

  constructor(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; maxSeconds?: number }) {
    this.child = spawn('timeout', ['-s', 'KILL', String(opts.maxSeconds ?? 300), cmd, ...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      detached: true, // its own process group: stop() ends the JVM and `timeout` together
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(this);
    this.child.stdout!.setEncoding('utf8').on('data', (d: string) => this.output.push(d));
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => this.output.push(d));
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code) => {
        this.exitCode = code;
        running.delete(this);
        resolve(code);
      });
      this.child.once('error', (e) => {
        this.output.push(String(e));
        this.exitCode = null;
        running.delete(this);
        resolve(null);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  text(): string {
    return this.output.join('');
  }

  /** Resolves with the output once it matches; rejects when the process exits first or time runs out. */
  async waitFor(pattern: RegExp, ms: number, what: string): Promise<RegExpExecArray> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = pattern.exec(this.text());
      if (m) return m;
      if (this.exitCode !== undefined) throw new Error(`${what}: the process exited (${this.exitCode}) first. Its output:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${what}: not seen within ${ms / 1000}s. Output so far:\n${this.tail()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  tail(lines = 60): string {
    return this.text().split('\n').slice(-lines).join('\n');
  }

  killNow(): void {
    if (this.exitCode !== undefined || !this.child.pid) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }

  /** SIGTERM to the whole process group, SIGKILL after five seconds; resolves when it has exited. */
  async stop(): Promise<void> {
    if (this.exitCode !== undefined || !this.child.pid) return;
    try {
      process.kill(-this.child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => this.killNow(), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------- probes

export type TlsVersion = 'tls1' | 'tls1_1' | 'tls1_2' | 'tls1_3';

export interface Handshake {
  accepted: boolean;
  /**
   * Negotiated protocol and cipher (OpenSSL name) when accepted. s_client forces the one version asked for, so
   * the protocol is that version; it is read from the session block (or the "New," line, for TLS 1.3).
   */
  protocol?: string;
  cipher?: string;
  /** "X25519, 253 bits", "DH, 2048 bits"… */
  tempKey?: string;
  /** The command and the lines that tell why, for failure messages. */
  summary: string;
}

/**
 * One `openssl s_client` handshake to 127.0.0.1:port with exactly one protocol version. TLS 1.0/1.1 and the
 * TLS 1.2 cipher lists are offered at SECLEVEL=0, so OpenSSL 3 itself refuses nothing: a refusal is the server's.
 * `ciphers` are OpenSSL names for TLS ≤ 1.2 (-cipher) or TLS 1.3 suite names (-ciphersuites).
 */
export function handshake(port: number, version: TlsVersion, ciphers?: string[]): Promise<Handshake> {
  const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', `-${version}`];
  if (version === 'tls1_3') {
    if (ciphers) args.push('-ciphersuites', ciphers.join(':'));
  } else {
    args.push('-cipher', `${ciphers ? ciphers.join(':') : 'DEFAULT'}:@SECLEVEL=0`);
  }
  return new Promise((resolve) => {
    const child = spawn('timeout', ['20', 'openssl', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('close', (code) => {
      // "New, TLSv1.3, Cipher is X" after every handshake ("New, (NONE), Cipher is (NONE)" when it failed); the
      // SSL-Session block with "Protocol  :" may be missing for TLS 1.3 when the client leaves before a ticket.
      const established = /^New, (\S+), Cipher is (\S+)$/m.exec(out);
      const accepted = code === 0 && !!established && established[1] !== '(NONE)' && established[2] !== '(NONE)';
      const protocol = /^\s*Protocol\s*:\s*(\S+)/m.exec(out)?.[1] ?? established?.[1];
      const cipher = established?.[2];
      const why = out.split('\n').filter((l) => /error|alert|^New,|Protocol\s*:|Cipher\s*:|Temp Key/.test(l));
      resolve({
        accepted,
        protocol: accepted ? protocol : undefined,
        cipher: accepted ? cipher : undefined,
        tempKey: /^Server Temp Key: (.+)$/m.exec(out)?.[1],
        summary: `openssl ${args.join(' ')} → exit ${code}\n    ${why.join('\n    ')}`,
      });
    });
  });
}

export interface Renegotiation {
  /** The connection still echoed data after the client asked to renegotiate. */
  survived: boolean;
  summary: string;
}

/**
 * A TLS 1.2 connection (openssl s_client) to an echo server that, once established, asks to renegotiate
 * ("R") and then sends a line: `survived` when the line comes back.
 */
export function renegotiate(port: number): Promise<Renegotiation> {
  const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'localhost', '-tls1_2'];
  const token = 'still-here-after-renegotiation';
  return new Promise((resolve) => {
    const child = spawn('timeout', ['20', 'openssl', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let step = 0;
    let exited = false;
    const finish = (): void => {
      clearInterval(tick);
      const survived = new RegExp(`^${token}$`, 'm').test(out);
      const why = out.split('\n').filter((l) => /RENEGOTIATING|error|alert|^New,|still-here/.test(l));
      if (!exited) child.kill('SIGKILL');
      resolve({ survived, summary: `openssl ${args.join(' ')}, then "R", then a line → ${survived ? 'echoed' : 'not echoed'}\n    ${why.join('\n    ')}` });
    };
    const started = Date.now();
    // Steps: handshake done → ask to renegotiate → renegotiation started → send the line → echo, exit or 10 s.
    const tick = setInterval(() => {
      if (exited || new RegExp(`^${token}$`, 'm').test(out) || Date.now() - started > 10_000) return finish();
      if (step === 0 && /Secure Renegotiation/.test(out)) (step = 1), child.stdin.write('R\n');
      else if (step === 1 && /RENEGOTIATING/.test(out)) (step = 2), setTimeout(() => child.stdin.write(`${token}\n`), 500);
    }, 50);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stdin.on('error', () => {}); // the server may have closed the connection already
    child.once('close', () => {
      exited = true;
    });
  });
}

/**
 * IANA (JSSE) suite name → OpenSSL name and authentication, as this OpenSSL knows them
 * (`openssl ciphers -stdname`); TLS 1.3 suites keep their IANA names.
 */
export function opensslSuites(): Map<string, { openssl: string; auth: string; tls13: boolean }> {
  const r = spawnSync('openssl', ['ciphers', '-stdname', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ciphers failed: ${r.stderr}`);
  const map = new Map<string, { openssl: string; auth: string; tls13: boolean }>();
  for (const line of r.stdout.split('\n')) {
    const m = /^(\S+)\s+-\s+(\S+)\s+(\S+)\s+Kx=\S+\s+Au=(\S+)/.exec(line);
    if (m) map.set(m[1]!, { openssl: m[2]!, auth: m[4]!, tls13: m[3] === 'TLSv1.3' });
  }
  return map;
}

export interface HttpHead {
  status: number;
  /** Header names lower-cased; a repeated header keeps every value. */
  headers: Map<string, string[]>;
  raw: string;
}

/** `curl -k -sI` (HEAD) over HTTPS to 127.0.0.1. */
export function httpsHead(port: number, path: string): Promise<HttpHead> {
  return new Promise((resolve, reject) => {
    const args = ['-k', '-sS', '-I', '--max-time', '20', `https://127.0.0.1:${port}${path}`];
    const child = spawn('curl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`curl ${args.join(' ')} failed (${code}): ${err}`));
      const lines = out.split(/\r?\n/);
      const status = Number(/^HTTP\/\S+ (\d+)/.exec(lines[0] ?? '')?.[1]);
      const headers = new Map<string, string[]>();
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i <= 0) continue;
        const name = l.slice(0, i).trim().toLowerCase();
        headers.set(name, [...(headers.get(name) ?? []), l.slice(i + 1).trim()]);
      }
      resolve({ status, headers, raw: out });
    });
  });
}

/** XML attribute value escaping for generated server.xml / web.xml. */
export function esc(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
