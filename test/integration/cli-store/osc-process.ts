import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { HTTP_OPERATION_PREFIX } from '../../../shared/contract/events.js';
import type { ServeProcess } from '../../support/serve-process.js';

const run = promisify(execFile);
/** The built CLI; OSC_TEST_BUILD points at a private copy of dist/ when other builds share the tree. */
export const OSC = process.env.OSC_TEST_BUILD
  ? resolve(process.env.OSC_TEST_BUILD, 'main/osc.cjs')
  : resolve(import.meta.dirname, '../../../dist/main/osc.cjs');

export interface OscResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `osc` (dist/, which `npm test` builds) as its own process, as an operator would. */
export async function osc(args: readonly string[]): Promise<OscResult> {
  if (!existsSync(OSC)) throw new Error(`${OSC} is missing: run \`npm run build\` first (npm test does).`);
  try {
    const { stdout, stderr } = await run(process.execPath, [OSC, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export const ADMIN = { username: 'admin', displayName: 'Admin', password: 'correct horse battery' };

/** One operation over HTTP as the browser console sends it; returns the status and the parsed body. */
export async function callOperation(
  server: ServeProcess,
  name: string,
  input: unknown,
): Promise<{ status: number; body: { ok: boolean } }> {
  const response = await fetch(`${server.url}${HTTP_OPERATION_PREFIX}${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  return { status: response.status, body: (await response.json()) as { ok: boolean } };
}

export function signIn(server: ServeProcess): Promise<{ status: number; body: { ok: boolean } }> {
  return callOperation(server, 'session.login', { username: ADMIN.username, password: ADMIN.password });
}
