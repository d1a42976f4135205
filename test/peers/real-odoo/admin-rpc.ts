/**
 * A deliberately plain JSON-RPC client for the harness and for tests that read Odoo back: it is not
 * the console's connector, so a connector bug cannot hide itself in what the test reads.
 */

export interface OdooLogin {
  readonly login: string;
  /** An API key (or a password: JSON-RPC accepts either). */
  readonly key: string;
}

export class OdooRpcError extends Error {
  constructor(
    readonly odooName: string,
    message: string,
  ) {
    super(message);
    this.name = 'OdooRpcError';
  }
}

interface RpcAnswer {
  result?: unknown;
  error?: { message?: string; data?: { name?: string; message?: string } };
}

export async function jsonRpc(
  url: string,
  service: string,
  method: string,
  args: unknown[],
): Promise<unknown> {
  const response = await fetch(`${url}/jsonrpc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service, method, args } }),
    signal: AbortSignal.timeout(120_000),
  });
  const answer = (await response.json()) as RpcAnswer;
  if (answer.error !== undefined) {
    throw new OdooRpcError(
      answer.error.data?.name ?? 'unknown',
      answer.error.data?.message ?? answer.error.message ?? 'Odoo error',
    );
  }
  return answer.result;
}

export class OdooRpcClient {
  private uid: number | null = null;

  constructor(
    readonly url: string,
    readonly database: string,
    readonly user: OdooLogin,
  ) {}

  async login(): Promise<number> {
    if (this.uid !== null) return this.uid;
    const uid = await jsonRpc(this.url, 'common', 'authenticate', [
      this.database,
      this.user.login,
      this.user.key,
      {},
    ]);
    if (typeof uid !== 'number') throw new Error(`Odoo refused the login ${this.user.login}`);
    this.uid = uid;
    return uid;
  }

  async call(
    model: string,
    method: string,
    args: unknown[] = [],
    kwargs: Record<string, unknown> = {},
  ): Promise<unknown> {
    const uid = await this.login();
    return jsonRpc(this.url, 'object', 'execute_kw', [
      this.database,
      uid,
      this.user.key,
      model,
      method,
      args,
      kwargs,
    ]);
  }

  async searchRead(
    model: string,
    domain: unknown[],
    fields: string[],
    kwargs: Record<string, unknown> = {},
  ): Promise<Record<string, unknown>[]> {
    return (await this.call(model, 'search_read', [domain], { fields, ...kwargs })) as Record<
      string,
      unknown
    >[];
  }

  async searchCount(model: string, domain: unknown[]): Promise<number> {
    return (await this.call(model, 'search_count', [domain])) as number;
  }

  /** Admin only: the record an external ID points at, or null. */
  async resolveXmlId(fullName: string): Promise<{ model: string; id: number } | null> {
    const [module, ...rest] = fullName.split('.');
    const rows = await this.searchRead(
      'ir.model.data',
      [
        ['module', '=', module],
        ['name', '=', rest.join('.')],
      ],
      ['model', 'res_id'],
    );
    const row = rows[0];
    return row === undefined ? null : { model: String(row.model), id: Number(row.res_id) };
  }
}
