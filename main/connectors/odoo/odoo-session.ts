import type { OdooSettings } from '../../../shared/domain/connection.js';
import type { SecretReader } from '../../vault/types.js';
import { connectorSecret } from '../http/connector-secret.js';
import { ConnectorError } from '../types.js';
import type { OdooCall } from './failure-classifier.js';
import type { OdooHttpTransport } from './http-transport.js';
import { json2Headers, json2Path, json2Result } from './json2-wire.js';
import { jsonRpcRequest, jsonRpcResult, type JsonRpcService } from './json-rpc-wire.js';
import { namedArguments } from './method-signatures.js';
import {
  FIRST_JSON2_MAJOR,
  parseCommonVersion,
  parseWebVersion,
  type ServerVersion,
} from './server-version.js';

/**
 * One logical session with an Odoo server: detects the version once, picks the protocol, resolves
 * the user id (JSON-RPC) and runs ORM calls. The secret is read from the vault for every call and
 * only lives on the stack of that call; any Odoo message that would echo it is redacted.
 */

export type OdooProtocol = 'json-rpc' | 'json-2';

export interface SessionInfo extends ServerVersion {
  readonly protocol: OdooProtocol;
}

/** A `load` call's columns, so an unknown one can be named in the error (Odoo says only its name). */
function loadColumns(method: string, args: readonly unknown[]): { columns?: readonly string[] } {
  const columns = args[0];
  return method === 'load' && Array.isArray(columns) && columns.every((column) => typeof column === 'string')
    ? { columns }
    : {};
}

export class OdooSession {
  private info: SessionInfo | null = null;
  private uid: number | null = null;

  constructor(
    private readonly http: OdooHttpTransport,
    private readonly settings: OdooSettings,
    private readonly connectionId: string,
    private readonly secrets: SecretReader,
  ) {}

  /** Version and protocol, detected on first use (and again after `forget`). */
  async describe(signal?: AbortSignal): Promise<SessionInfo> {
    if (this.info !== null) return this.info;
    const version = await this.detectVersion(signal);
    this.info = { ...version, protocol: this.chooseProtocol(version) };
    return this.info;
  }

  /** Drop cached uid and version (after an authentication failure or a settings change). */
  forget(): void {
    this.info = null;
    this.uid = null;
  }

  /** A raw JSON-RPC service call (common/db), for version, login and test-connection checks. */
  async service(
    service: JsonRpcService,
    method: string,
    args: readonly unknown[],
    signal?: AbortSignal,
    call: OdooCall = {},
  ): Promise<unknown> {
    const answer = await this.http.postJson('/jsonrpc', jsonRpcRequest(service, method, args), {}, signal);
    return jsonRpcResult(answer, call);
  }

  /** Read the secret now; a missing one is a configuration problem, a locked keychain is said so. */
  secret(): Promise<string> {
    return connectorSecret(
      this.secrets,
      this.connectionId,
      () =>
        new ConnectorError(
          'configuration',
          'odoo.no-secret',
          'No API key or password is stored for this connection',
        ),
    );
  }

  /** Authenticate over JSON-RPC and return the uid; `false` from Odoo means wrong login or secret. */
  async authenticate(signal?: AbortSignal): Promise<number> {
    if (this.uid !== null) return this.uid;
    const secret = await this.secret();
    const result = await this.redacting(secret, () =>
      this.service(
        'common',
        'authenticate',
        [this.settings.database, this.settings.login, secret, {}],
        signal,
      ),
    );
    if (typeof result !== 'number') {
      throw new ConnectorError(
        'authentication',
        'odoo.login-rejected',
        `Odoo rejected the login '${this.settings.login}' with the stored ${this.secretLabel()}`,
      );
    }
    this.uid = result;
    return result;
  }

  /** Run `model.method(*args, **kwargs)` with the detected protocol. */
  async executeKw(
    model: string,
    method: string,
    args: readonly unknown[],
    kwargs: Readonly<Record<string, unknown>> = {},
    signal?: AbortSignal,
  ): Promise<unknown> {
    const { protocol } = await this.describe(signal);
    try {
      return protocol === 'json-2'
        ? await this.executeJson2(model, method, args, kwargs, signal)
        : await this.executeJsonRpc(model, method, args, kwargs, signal);
    } catch (error) {
      if (error instanceof ConnectorError && error.class === 'authentication') this.uid = null;
      throw error;
    }
  }

  private async executeJsonRpc(
    model: string,
    method: string,
    args: readonly unknown[],
    kwargs: Readonly<Record<string, unknown>>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const uid = await this.authenticate(signal);
    const secret = await this.secret();
    const callArgs = [this.settings.database, uid, secret, model, method, args, kwargs];
    const call = { model, method, ...loadColumns(method, args) };
    return this.redacting(secret, () => this.service('object', 'execute_kw', callArgs, signal, call));
  }

  private async executeJson2(
    model: string,
    method: string,
    args: readonly unknown[],
    kwargs: Readonly<Record<string, unknown>>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const body = namedArguments(method, args, kwargs);
    const secret = await this.secret();
    return this.redacting(secret, async () => {
      const answer = await this.http.postJson(
        json2Path(model, method),
        body,
        json2Headers(secret, this.settings.database),
        signal,
      );
      return json2Result(answer, {
        model,
        method,
        database: this.settings.database,
        ...loadColumns(method, args),
      });
    });
  }

  private async detectVersion(signal?: AbortSignal): Promise<ServerVersion> {
    try {
      const parsed = parseCommonVersion(await this.service('common', 'version', [], signal));
      if (parsed !== null) return parsed;
    } catch (error) {
      // Only "no /jsonrpc here" falls through to /web/version (JSON-RPC is removed after Odoo 21).
      if (!(error instanceof ConnectorError) || error.code !== 'http.404') throw error;
    }
    const answer = await this.http.get('/web/version', signal);
    let parsed: ServerVersion | null = null;
    if (answer.status === 200) {
      try {
        parsed = parseWebVersion(JSON.parse(answer.text));
      } catch {
        parsed = null;
      }
    }
    if (parsed === null) {
      throw new ConnectorError(
        'permanent',
        'odoo.not-odoo',
        'The server answers, but not like Odoo: check the URL',
      );
    }
    return parsed;
  }

  private chooseProtocol(version: ServerVersion): OdooProtocol {
    const wanted = this.settings.protocol;
    if (wanted === 'json-2' || (wanted === 'auto' && version.major >= FIRST_JSON2_MAJOR)) {
      if (this.settings.authMethod !== 'api-key') {
        if (wanted === 'auto') return 'json-rpc';
        throw new ConnectorError(
          'configuration',
          'odoo.json2-needs-key',
          'JSON-2 needs an API key, not a password',
        );
      }
      if (version.major < FIRST_JSON2_MAJOR) {
        throw new ConnectorError(
          'configuration',
          'odoo.json2-unavailable',
          `This server runs Odoo ${version.serverVersion}; JSON-2 needs Odoo 19 or later. Choose JSON-RPC.`,
        );
      }
      return 'json-2';
    }
    return 'json-rpc';
  }

  private secretLabel(): string {
    return this.settings.authMethod === 'api-key' ? 'API key' : 'password';
  }

  /** Run a call and scrub the secret from any error message it produces (defence in depth). */
  private async redacting<T>(secret: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ConnectorError && secret.length >= 4 && error.message.includes(secret)) {
        throw new ConnectorError(error.class, error.code, error.message.split(secret).join('[redacted]'));
      }
      throw error;
    }
  }
}
