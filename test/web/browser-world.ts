// What the browser tests share: Debian's chromium driven by playwright-core, the portal served on a loopback port,
// and axe-core run inside the page. Screenshots go to $DOMEN_TEST_ARTIFACTS/domen-web-screens (default: the system's
// temp directory).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { portal } from '../../src/web/portal.ts';
import { after, before } from 'node:test';
import { PASSWORD, webWorld, type WebWorld } from './setup.ts';

export const CHROMIUM = '/usr/bin/chromium';
/** The skip reason of the browser tests on a machine without chromium, else false. */
export const noChromium: string | false = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium): browser tests skipped`;
export const SHOTS = path.join(process.env.DOMEN_TEST_ARTIFACTS ?? os.tmpdir(), 'domen-web-screens');

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** The portal of a test world on 127.0.0.1 and a free port; base is its URL. */
export async function servePortal(w: WebWorld): Promise<{ server: FastifyInstance; base: string }> {
  const server = Fastify({ logger: false });
  await server.register(portal, { reg: w.t.reg });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const addr = server.server.address();
  return { server, base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

export interface AxeFinding { id: string; impact: string | null; help: string; at: string[] }

let axeSource: string | null = null;

/**
 * axe-core's violations of WCAG 2.1 A/AA and its best practices on the page as it is. The script goes in through
 * the DevTools protocol, which the page's CSP does not govern.
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] };
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<Result> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, at: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
}

/** The serious and critical findings on the page, one line each naming the page. */
export async function seriousAxeFindings(page: Page, label: string): Promise<string[]> {
  return (await axeFindings(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${label}: ${v.impact} ${v.id} (${v.help}) at ${v.at.join('; ')}`);
}

export interface BrowserWorld { w: WebWorld; server: FastifyInstance; base: string; browser: Browser }

/**
 * The set-up of a browser test file, as its before/after hooks: a web world with `domains` domains, `prepare` on it,
 * the portal served, chromium launched. `chromium: 'required'` (the default) sets up nothing without chromium (the
 * file's tests are skipped); 'optional' sets up the world anyway and leaves `browser` unset.
 */
export function browserWorld(opts: { domains: number; prepare?: (w: WebWorld) => Promise<void>; chromium?: 'required' | 'optional' }): BrowserWorld {
  const bw = {} as BrowserWorld;
  before(async () => {
    if (noChromium && opts.chromium !== 'optional') return;
    bw.w = await webWorld({ domains: opts.domains });
    await opts.prepare?.(bw.w);
    Object.assign(bw, await servePortal(bw.w));
    if (!noChromium) bw.browser = await launchChromium();
  });
  after(async () => {
    await bw.browser?.close();
    await bw.server?.close();
    await bw.w?.app.close();
    await bw.w?.t.close();
  });
  return bw;
}

/** Fills the staff sign-in form (/login) on the page and sends it. */
export async function fillSignIn(page: Page, base: string, email: string, password = PASSWORD, lang = 'en'): Promise<void> {
  await page.goto(`${base}/login?lang=${lang}`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A page in a new browser context, signed in as a staff or registrar user and past the sign-in page. */
export async function signedInPage(bw: BrowserWorld, email: string): Promise<Page> {
  const page = await (await bw.browser.newContext()).newPage();
  await fillSignIn(page, bw.base, email);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}
