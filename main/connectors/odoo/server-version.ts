import { z } from 'zod';

/** What `common.version` (JSON-RPC) or GET /web/version says about the server. */
export interface ServerVersion {
  readonly serverVersion: string;
  readonly major: number;
}

const commonVersionSchema = z.object({
  server_version: z.string(),
  server_version_info: z.array(z.union([z.number(), z.string()])).min(1),
});

const webVersionSchema = z.object({
  version: z.string(),
  version_info: z.array(z.union([z.number(), z.string()])).min(1),
});

function majorOf(info: readonly (number | string)[], version: string): number {
  const first = info[0];
  if (typeof first === 'number') return first;
  // SaaS builds report e.g. 'saas~17.2'; the number after '~' is the series.
  const match = /(\d+)(?:\.\d+)?/.exec(String(first).replace(/^saas~/, '')) ?? /(\d+)/.exec(version);
  return match?.[1] === undefined ? 0 : Number(match[1]);
}

export function parseCommonVersion(result: unknown): ServerVersion | null {
  const parsed = commonVersionSchema.safeParse(result);
  if (!parsed.success) return null;
  return {
    serverVersion: parsed.data.server_version,
    major: majorOf(parsed.data.server_version_info, parsed.data.server_version),
  };
}

export function parseWebVersion(result: unknown): ServerVersion | null {
  const parsed = webVersionSchema.safeParse(result);
  if (!parsed.success) return null;
  return {
    serverVersion: parsed.data.version,
    major: majorOf(parsed.data.version_info, parsed.data.version),
  };
}

/** JSON-2 exists from Odoo 19 on; JSON-RPC is deprecated there but still served. */
export const FIRST_JSON2_MAJOR = 19;
