import { defineConfig } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from './tests/cluster';

// Every run gets a fresh database; the variable is set once in the main process and
// inherited by the workers.
process.env.MARKTCHAT_E2E_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'marktchat-e2e-'));
const dir = process.env.MARKTCHAT_E2E_DIR;
const port = Number(process.env.MARKTCHAT_E2E_PORT ?? 3913);
const baseURL = `http://127.0.0.1:${port}`;
const postgresUrl = process.env.MARKTCHAT_E2E_POSTGRES_URL;
const postgresPort = port + 1;
const postgresBaseURL = `http://127.0.0.1:${postgresPort}`;
// The contact-rules test switches restrictions on for everyone: it gets a server and
// database of its own, so the other tests never see its rules.
const rulesPort = port + 2;
process.env.MARKTCHAT_E2E_RULES_DB ??= `sqlite://${dir}/rules.db`;
const rulesDb = process.env.MARKTCHAT_E2E_RULES_DB;
const instancesAvailable = Cluster.available();

export default defineConfig({
  testDir: './tests',
  // Two workers, each a browser with several people's contexts hydrating, beside the
  // servers, on two cores: a test that takes 25 s alone can take twice that.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'de-DE',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  // Every test runs twice: hydrated (the WASM bundle drives the forms) and with
  // JavaScript disabled (plain server-rendered HTML forms), so neither path can rot.
  // The routes test runs once more against a server on PostgreSQL, when the test
  // command provides one (MARKTCHAT_E2E_POSTGRES_URL, scripts/test.sh).
  projects: [
    // The chat's form path (chat/forms.spec.ts) is what a browser without JavaScript
    // does; live chat (chat/live.spec.ts) needs JavaScript. Each runs where it belongs.
    {
      name: 'hydrated',
      testIgnore: [/chat\/forms\.spec\.ts/, /rules\.spec\.ts/, /instances\.spec\.ts/],
      use: { javaScriptEnabled: true },
    },
    // The admin's live rule editor needs JavaScript; its own server (see rulesPort).
    {
      name: 'rules',
      testMatch: /rules\.spec\.ts/,
      use: { javaScriptEnabled: true, baseURL: `http://127.0.0.1:${rulesPort}` },
    },
    // Without JavaScript nothing hydrates: the routes test is the hydrated projects' only.
    // The help-bot widget is JavaScript on any page (without it, /chat/delete is the way).
    {
      name: 'no-js',
      testIgnore: [/routes\.spec\.ts/, /chat\/live\.spec\.ts/, /rules\.spec\.ts/, /widget\.spec\.ts/, /bundle-budget\.spec\.ts/, /instances\.spec\.ts/],
      use: { javaScriptEnabled: false },
    },
    // Three instances on PostgreSQL, NATS and S3 (tests/cluster.ts starts them), when
    // the test command provides the database and the programs.
    ...(instancesAvailable
      ? [{ name: 'instances', testMatch: /instances\.spec\.ts/, use: { javaScriptEnabled: true } }]
      : []),
    ...(postgresUrl
      ? [{ name: 'hydrated-postgres', testMatch: /routes\.spec\.ts/, use: { javaScriptEnabled: true, baseURL: postgresBaseURL } }]
      : []),
  ],
  webServer: [
    server(port, `sqlite://${dir}/e2e.db`, `${dir}/data`),
    server(rulesPort, rulesDb, `${dir}/data-rules`),
    ...(postgresUrl ? [server(postgresPort, postgresUrl, `${dir}/data-postgres`)] : []),
  ],
});

/** The release server on `listenPort` with a fresh database at `databaseUrl`. */
function server(listenPort: number, databaseUrl: string, dataDir: string) {
  return {
    command:
      `../target/release/marktchat serve --addr 127.0.0.1:${listenPort} ` +
      `--database-url '${databaseUrl}' --data-dir ${dataDir} --site-root ../target/site ` +
      // every test registers people, all from 127.0.0.1
      `--registrations-per-hour 1000` +
      // mails go to the test command's throwaway SMTP server (tests/password.spec.ts)
      (process.env.MARKTCHAT_E2E_SMTP_URL ? ` --smtp-url ${process.env.MARKTCHAT_E2E_SMTP_URL}` : ''),
    url: `http://127.0.0.1:${listenPort}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
  };
}
