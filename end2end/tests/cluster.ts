// Several instances of one installation for the browser tests: the release server
// three times on one PostgreSQL database, with a throwaway NATS server and a throwaway
// S3 server (s3s-fs), each instance with its own data folder. `scripts/test.sh` gives
// the database (MARKTCHAT_E2E_INSTANCES_POSTGRES_URL, fresh) and the two programs
// (MARKTCHAT_TEST_NATS_SERVER, MARKTCHAT_TEST_S3S_FS); playwright.config.ts runs the
// project `instances` only when all three are there.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const SECRET = 'the same limit secret on every instance of the browser tests';
const S3_KEY = 'marktchat-e2e';
const S3_SECRET = 'marktchat-e2e-secret';

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function until(what: string, check: () => Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not start within ${ms / 1000} s`);
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** A child process whose output is kept (shown when a test fails). */
class Proc {
  child: ChildProcess;
  log: string[] = [];
  constructor(readonly name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (b: Buffer) => {
      this.log.push(...b.toString().split('\n').filter(Boolean));
      if (this.log.length > 200) this.log.splice(0, this.log.length - 200);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
  }
  /** Ends it: SIGKILL leaves no chance to clean up, as a crash. */
  async stop(signal: NodeJS.Signals = 'SIGTERM') {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill(signal);
    await exited;
  }
}

export type Instance = { name: string; url: string; proc: Proc };

export class Cluster {
  private constructor(
    readonly dir: string,
    readonly instances: Instance[],
    private nats: Proc,
    private natsPort: number,
    private s3: Proc,
  ) {}

  /** Whether the test command provided what several instances need. */
  static available(): boolean {
    return Boolean(
      process.env.MARKTCHAT_E2E_INSTANCES_POSTGRES_URL &&
        process.env.MARKTCHAT_TEST_NATS_SERVER &&
        process.env.MARKTCHAT_TEST_S3S_FS,
    );
  }

  /** NATS, S3 and `names.length` instances, started in that order. */
  static async start(names: string[]): Promise<Cluster> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'marktchat-e2e-cluster-'));
    const natsPort = await freePort();
    const nats = Cluster.startNats(dir, natsPort);
    const s3Port = await freePort();
    fs.mkdirSync(path.join(dir, 's3', 'pictures'), { recursive: true });
    const s3 = new Proc('s3s-fs', process.env.MARKTCHAT_TEST_S3S_FS!, [
      '--host', '127.0.0.1', '--port', String(s3Port),
      '--access-key', S3_KEY, '--secret-key', S3_SECRET, path.join(dir, 's3'),
    ]);
    await until('nats-server', () => listening(natsPort));
    await until('s3s-fs', () => listening(s3Port));
    const instances: Instance[] = [];
    // One after the other: the first migrates the database.
    for (const name of names) {
      const port = await freePort();
      const proc = new Proc(name, '../target/release/marktchat', [
        'serve',
        '--addr', `127.0.0.1:${port}`,
        '--database-url', process.env.MARKTCHAT_E2E_INSTANCES_POSTGRES_URL!,
        '--data-dir', path.join(dir, `data-${name}`),
        '--site-root', '../target/site',
        '--nats-url', `nats://127.0.0.1:${natsPort}`,
        '--limit-secret', SECRET,
        '--storage-url', 's3://pictures',
        '--registrations-per-hour', '1000',
      ], {
        AWS_ENDPOINT: `http://127.0.0.1:${s3Port}`,
        AWS_ACCESS_KEY_ID: S3_KEY,
        AWS_SECRET_ACCESS_KEY: S3_SECRET,
        AWS_REGION: 'us-east-1',
        AWS_ALLOW_HTTP: 'true',
        AWS_VIRTUAL_HOSTED_STYLE_REQUEST: 'false',
        RUST_LOG: 'info',
      });
      const url = `http://127.0.0.1:${port}`;
      await until(`instance ${name}`, async () => (await fetch(`${url}/healthz`)).ok);
      instances.push({ name, url, proc });
    }
    return new Cluster(dir, instances, nats, natsPort, s3);
  }

  private static startNats(dir: string, port: number): Proc {
    return new Proc('nats-server', process.env.MARKTCHAT_TEST_NATS_SERVER!, [
      '-a', '127.0.0.1', '-p', String(port), '-sd', path.join(dir, 'nats'),
    ]);
  }

  instance(name: string): Instance {
    const found = this.instances.find((i) => i.name === name);
    if (!found) throw new Error(`no instance ${name}`);
    return found;
  }

  /** Stops NATS for `ms` milliseconds, then starts it again on the same port. */
  async natsOutage(ms: number, meanwhile: () => Promise<void>) {
    await this.nats.stop('SIGKILL');
    const back = Date.now() + ms;
    await meanwhile();
    await new Promise((r) => setTimeout(r, Math.max(0, back - Date.now())));
    this.nats = Cluster.startNats(this.dir, this.natsPort);
    await until('nats-server again', () => listening(this.natsPort));
  }

  /** What every process printed last (for a failed test's report). */
  logs(): string {
    return [...this.instances.map((i) => i.proc), this.nats, this.s3]
      .map((p) => `--- ${p.name}\n${p.log.slice(-40).join('\n')}`)
      .join('\n');
  }

  async stop() {
    for (const i of this.instances) await i.proc.stop();
    await this.nats.stop();
    await this.s3.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
