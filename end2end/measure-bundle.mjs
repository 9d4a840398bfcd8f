// Measures what a page costs a phone: every JS and WASM file the browser loads before the
// page is hydrated (raw, gzip, brotli), and the time to hydrated (`body[data-hydrated]`)
// with the CPU throttled 4× and without, over several cold loads (cache off).
// Figures for BENCHMARKS.md; a benchmark, not a test.
// Then the size of each lazy island's chunks.
// Usage: node measure-bundle.mjs BASE_URL [PATH=/] [RUNS=7]
// (against a running release server; `cargo xtask build --release` first)
// With MEASURE_LOGIN=email:password in the environment every load is that member's
// (a member's pages have the live header island; a visitor's start page has none).
import { chromium } from '@playwright/test';
import zlib from 'node:zlib';

const [base, path = '/', runsArg = '7'] = process.argv.slice(2);
if (!base) {
  console.error('usage: node measure-bundle.mjs BASE_URL [PATH] [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

const gzip = (b) => zlib.gzipSync(b, { level: 9 }).length;
const brotli = (b) => zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

/** The member's session (cookies), or none. */
async function session() {
  const login = process.env.MEASURE_LOGIN;
  if (!login) return undefined;
  const [email, password] = login.split(/:(.*)/s);
  const context = await browser.newContext();
  const res = await context.request.post(`${base}/api/login`, {
    form: { email, password },
    headers: { Origin: base, Accept: 'application/json' },
  });
  if (!res.ok()) throw new Error(`logging in as ${email}: HTTP ${res.status()}`);
  const state = await context.storageState();
  await context.close();
  return state;
}
const storageState = await session();

/** One cold load: the scripts fetched before hydration and the time to hydrated (ms). */
async function load(throttle) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'de-DE', storageState });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  // Records the moment the hydrate entry point marks the body.
  await page.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.body?.hasAttribute('data-hydrated')) {
        window.__hydratedAt = performance.now();
        obs.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
  });
  const files = new Map();
  let hydrated = false;
  page.on('response', async (res) => {
    const url = new URL(res.url());
    if (hydrated || !/\.(js|wasm)$/.test(url.pathname)) return;
    try {
      files.set(url.pathname, await res.body());
    } catch {
      /* a redirect or an aborted request has no body */
    }
  });
  await page.goto(base + path);
  await page.waitForSelector('body[data-hydrated]', { timeout: 120_000 });
  const at = await page.evaluate(() => window.__hydratedAt);
  hydrated = true;
  await context.close();
  return { files, at };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => (n / 1024).toFixed(1).padStart(8);

const first = await load(1);
console.log(`Scripts loaded before ${path} is hydrated:`);
console.log(`${'file'.padEnd(44)}${'raw KB'.padStart(8)}${'gzip'.padStart(8)}${'br'.padStart(8)}`);
const total = { raw: 0, gz: 0, br: 0 };
for (const [name, body] of [...first.files].sort()) {
  const row = { raw: body.length, gz: gzip(body), br: brotli(body) };
  for (const k of Object.keys(total)) total[k] += row[k];
  console.log(`${name.padEnd(44)}${kb(row.raw)}${kb(row.gz)}${kb(row.br)}`);
}
console.log(`${'total'.padEnd(44)}${kb(total.raw)}${kb(total.gz)}${kb(total.br)}`);

// Each lazy island: the chunks it needs beyond the main module (the manifest the build
// wrote lists them, app/src/pages/chunks.rs; chunks shared by several count for each).
const manifestResponse = await fetch(`${base}/pkg/split-manifest.json`);
const manifest = manifestResponse.ok ? (await manifestResponse.json()).chunks : {};
console.log(`\nLazy islands (fetched where a page has one):`);
console.log(`${'island'.padEnd(32)}${'chunks'.padStart(7)}${'raw KB'.padStart(9)}${'gzip'.padStart(8)}${'br'.padStart(8)}`);
for (const [key, chunks] of Object.entries(manifest).sort()) {
  const sum = { raw: 0, gz: 0, br: 0 };
  for (const chunk of chunks) {
    const body = Buffer.from(await (await fetch(`${base}/pkg/${chunk}.wasm`)).arrayBuffer());
    sum.raw += body.length;
    sum.gz += gzip(body);
    sum.br += brotli(body);
  }
  const island = key.replace(/_\d+$/, '');
  console.log(`${island.padEnd(32)}${String(chunks.length).padStart(7)} ${kb(sum.raw)}${kb(sum.gz)}${kb(sum.br)}`);
}
console.log('');

for (const throttle of [1, 4]) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push((await load(throttle)).at);
  const shown = times.map((t) => t.toFixed(0)).join(', ');
  console.log(`time to hydrated, CPU ${throttle}×: median ${median(times).toFixed(0)} ms over ${runs} loads (${shown})`);
}
await browser.close();
