import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { OPERATION_NAMES, operations, type OperationName } from '../../../shared/contract/operations.js';
import { rolesAllow } from '../../../shared/contract/roles.js';
import type { AuditEntry } from '../../../shared/domain/audit.js';
import { ADMIN_PASSWORD } from '../../support/test-caller.js';
import { startTestCore, type TestCore } from '../../support/test-core.js';
import { HttpSession, startTestServer, type TestServer } from '../../support/test-http.js';
import { oversizedInput, unionWidth } from './oversized-input.js';

/**
 * Item 6 of issue 9: every string of the contract has a length limit that answers 400, and every
 * refused call leaves an audit row with its operator and without the huge value. The inputs are
 * derived from the contract's schemas (every operation, every string field, every union branch), so
 * an operation or field added later is covered too. An unknown key, as long as the strings, makes
 * sure even an operation without string fields is refused rather than run.
 */
const CHARS = ['a', 'Z', '7', 'é', '😀', '-'];
const ROW_MAX_CHARS = 3000;

function inputFor(name: OperationName, walk: number, extra: number, char: string) {
  const schema = operations[name].input as z.ZodType;
  const built = oversizedInput(schema, walk, extra, char);
  const input =
    typeof built.input === 'object' && built.input !== null
      ? { ...built.input, [char.repeat(1025 + extra)]: char.repeat(1025 + extra) }
      : built.input;
  return { schema, input, fields: built.fields };
}

const arbitraryCall = fc.record({
  name: fc.constantFrom(...OPERATION_NAMES),
  walk: fc.nat({ max: 9 }),
  extra: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 4000 })),
  char: fc.constantFrom(...CHARS),
});

describe('contract input length limits', () => {
  it('gives every string field of every operation a length limit, reported as too long', () => {
    const unlimited: string[] = [];
    const unreported: string[] = [];
    for (const name of OPERATION_NAMES) {
      const schema = operations[name].input as z.ZodType;
      for (let walk = 0; walk < unionWidth(schema); walk += 1) {
        const { input, fields } = inputFor(name, walk, 1, 'a');
        const parsed = schema.safeParse(input);
        expect(parsed.success, name).toBe(false);
        const tooLong = new Set(
          (parsed.error?.issues ?? []).flatMap((issue) => {
            const path = issue.path.map(String).join('.');
            if (issue.code === 'too_big') return [path];
            if (issue.code === 'invalid_key' && issue.issues.some((inner) => inner.code === 'too_big'))
              return [`${path.slice(0, path.lastIndexOf('.'))}.<key>`];
            return [];
          }),
        );
        for (const field of fields) {
          if (field.max === null) unlimited.push(`${name}: ${field.path}`);
          else if (!tooLong.has(field.path)) unreported.push(`${name}: ${field.path}`);
        }
      }
    }
    expect(unlimited).toEqual([]);
    expect(unreported).toEqual([]);
  });
});

describe('oversized input through the dispatcher and over HTTP', () => {
  let harness: TestCore;
  let server: TestServer;
  let browser: HttpSession;
  beforeAll(async () => {
    harness = await startTestCore();
    server = await startTestServer(harness);
    browser = new HttpSession(server.url);
    const login = await browser.op('session.login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(login.status).toBe(200);
  });
  afterAll(async () => {
    await server.close();
    await harness.close();
  });

  async function lastSeq(): Promise<number> {
    const page = await harness.admin.value('audit.list', { limit: 1 });
    return page.entries[0]?.seq ?? 0;
  }

  /** The row the refused call left: newer than `after`, for this operation, by the admin. */
  async function refusalRow(name: OperationName, after: number, via: string): Promise<AuditEntry> {
    const page = await harness.admin.value('audit.list', { limit: 10, action: name });
    // Listing the log is audited too (audit.list), so only the refusal rows are counted.
    const rows = page.entries.filter((entry) => entry.seq > after && entry.outcome !== 'ok');
    expect(rows, `${name}: one audit row`).toHaveLength(1);
    const row = rows[0] as AuditEntry;
    expect(row).toMatchObject({ actor: 'admin', action: name, outcome: 'error' });
    expect(JSON.parse(row.detail)).toMatchObject({ code: 'invalid-input', via });
    // Neither the huge value nor the huge key is copied into the row.
    expect(JSON.stringify(row).length, `${name}: audit row size`).toBeLessThan(ROW_MAX_CHARS);
    return row;
  }

  it('answers invalid-input and audits every oversized call through the real dispatcher', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryCall, async ({ name, walk, extra, char }) => {
        const before = await lastSeq();
        const result = await harness.admin.call(name, inputFor(name, walk, extra, char).input);
        expect(result.ok ? 'ok' : result.error.code, name).toBe('invalid-input');
        expect(!result.ok && result.error.message.length, name).toBeLessThan(1000);
        await refusalRow(name, before, 'test:admin');
      }),
      { numRuns: 150 },
    );
  });

  it('answers HTTP 400 invalid-input and audits every oversized call over HTTP', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryCall, async ({ name, walk, extra, char }) => {
        const before = await lastSeq();
        const reply = await browser.op(name, inputFor(name, walk, extra, char).input);
        expect([reply.status, reply.json.error?.code], name).toEqual([400, 'invalid-input']);
        await refusalRow(name, before, 'http:127.0.0.1');
      }),
      { numRuns: 100 },
    );
  });

  it('audits an oversized call a viewer may not make as denied, without its values', async () => {
    const viewer = await harness.operator('viewer', ['viewer']);
    const forbidden = OPERATION_NAMES.filter((name) => !rolesAllow(operations[name].access, ['viewer']));
    expect(forbidden.length).toBeGreaterThan(10);
    for (const name of forbidden) {
      const before = await lastSeq();
      const result = await viewer.call(name, inputFor(name, 0, 5000, 'a').input);
      expect(result.ok ? 'ok' : result.error.code, name).toBe('forbidden');
      const page = await harness.admin.value('audit.list', { limit: 5, action: name });
      const rows = page.entries.filter((entry) => entry.seq > before);
      expect(rows, name).toMatchObject([{ actor: 'viewer', outcome: 'denied' }]);
      expect(JSON.stringify(rows).length, name).toBeLessThan(ROW_MAX_CHARS);
    }
  });

  it('refuses a 1,025-character id like a 1,000-character one: 400, audited, target cut short', async () => {
    for (const length of [1000, 1025, 5000, 60_000]) {
      const before = await lastSeq();
      const reply = await browser.op('connections.get', { id: 'c'.repeat(length) });
      expect([reply.status, reply.json.error?.code], String(length)).toEqual([400, 'invalid-input']);
      const row = await refusalRow('connections.get', before, 'http:127.0.0.1');
      expect(row.target).toMatch(new RegExp(`^c{200}… \\(${length} characters\\)$`));
      expect(JSON.parse(row.detail)).toMatchObject({ fields: ['id'] });
    }
  });

  it('refuses audit explorer searches with a bad date, a period ending before it starts or huge text: 400', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['audit.list', { limit: 5, from: '2026-13-01T00:00:00Z' }, /^from: /],
      ['audit.list', { limit: 5, to: 'yesterday' }, /^to: /],
      [
        'audit.exportCsv',
        { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' },
        /^to: The period must end after it starts/,
      ],
      [
        'audit.report',
        { from: '2026-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' },
        /^to: The period must end after it starts/,
      ],
      ['audit.report', { from: '2026-01-01T00:00:00Z' }, /^to: /],
      ['audit.list', { limit: 5, text: 'x'.repeat(201) }, /^text: Too big/i],
      ['audit.list', { limit: 5, outcome: 'maybe' }, /^outcome: /],
    ];
    for (const [name, input, message] of cases) {
      const reply = await browser.op(name, input);
      expect([reply.status, reply.json.error?.code], `${name} ${JSON.stringify(input)}`).toEqual([
        400,
        'invalid-input',
      ]);
      const error = reply.json.error as { message?: string } | undefined;
      expect(error?.message, name).toMatch(message);
    }
  });
});
