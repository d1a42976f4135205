import { AsyncEntry, findCredentialsAsync } from '@napi-rs/keyring';
import type { Vault } from './types.js';
import { VaultUnavailableError } from './vault-errors.js';

/** A locked keychain can wait forever for an unlock prompt nobody sees; never hang a call on it. */
const DEFAULT_TIMEOUT_MS = 15_000;
export const KEYCHAIN_SERVICE = 'odoo-sync-console';

export interface KeychainVaultOptions {
  /** Keeps stores apart in one keychain: each store has its own id (see main/store settings). */
  readonly namespace: string;
  readonly service?: string;
  readonly timeoutMs?: number;
}

/**
 * Connection secrets in the OS keychain through @napi-rs/keyring (Secret Service, macOS Keychain,
 * Windows Credential Manager). The account name is `<namespace>/<connectionId>`; the value never
 * leaves this module except to the connector that asked for it.
 */
export class KeychainVault implements Vault {
  private readonly service: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: KeychainVaultOptions) {
    if (!/^[A-Za-z0-9_-]{4,64}$/.test(options.namespace))
      throw new Error('Vault namespace must be a short id');
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async read(connectionId: string): Promise<string | null> {
    const value = await this.call('read', connectionId, (entry, signal) => entry.getPassword(signal));
    // Typed string | undefined, but the binding answers null when there is none.
    if (typeof value === 'string') return value;
    await this.confirmAbsent(connectionId, 'read');
    return null;
  }

  async has(connectionId: string): Promise<boolean> {
    return (await this.read(connectionId)) !== null;
  }

  async set(connectionId: string, secret: string): Promise<void> {
    if (secret.length === 0) throw new Error('An empty secret cannot be stored');
    await this.call('store', connectionId, (entry, signal) => entry.setPassword(secret, signal));
    // Read back: some backends accept a write they cannot keep (e.g. a session-only kernel keyring).
    const stored = await this.read(connectionId);
    if (stored !== secret)
      throw new VaultUnavailableError('the keychain accepted the secret but did not keep it');
  }

  async rotate(connectionId: string, secret: string): Promise<void> {
    await this.set(connectionId, secret);
  }

  async delete(connectionId: string): Promise<boolean> {
    const deleted = await this.call('delete', connectionId, (entry, signal) =>
      entry.deleteCredential(signal),
    );
    // deleteCredential also answers true when no keychain is reachable: check the secret is gone.
    await this.confirmAbsent(connectionId, 'delete');
    return deleted;
  }

  /**
   * @napi-rs/keyring answers "no password" (and "deleted") for every failure of the platform store:
   * no Secret Service on the bus, a locked collection, a refused access. That made a locked keychain
   * look like a secret never saved. Listing the service's credentials does fail when the store is
   * out of reach, and shows an entry that exists but was not handed over, so an empty answer is
   * checked here before it is believed. Only on that path: a found secret costs nothing extra.
   */
  private async confirmAbsent(connectionId: string, what: string): Promise<void> {
    const account = this.account(connectionId);
    const present = await this.guarded(what, async (signal) => {
      const credentials = await findCredentialsAsync(this.service, null, signal);
      return credentials.some((credential) => credential.account === account);
    });
    if (present) {
      throw new VaultUnavailableError(
        `a secret is saved for this connection but the keychain did not hand it over on ${what} (is it locked?)`,
      );
    }
  }

  private account(connectionId: string): string {
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(connectionId)) throw new Error('Not a valid connection id');
    return `${this.options.namespace}/${connectionId}`;
  }

  private call<T>(
    what: string,
    connectionId: string,
    run: (entry: AsyncEntry, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const entry = new AsyncEntry(this.service, this.account(connectionId));
    return this.guarded(what, (signal) => run(entry, signal));
  }

  /** One keychain call with a timeout; any failure becomes a VaultUnavailableError. */
  private async guarded<T>(what: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      return await run(signal);
    } catch (error) {
      if (signal.aborted) {
        throw new VaultUnavailableError(
          `no answer within ${this.timeoutMs / 1000} s while trying to ${what} a secret (is it locked?)`,
        );
      }
      throw new VaultUnavailableError(firstLine(error));
    }
  }
}

/** Keyring errors carry a Rust backtrace; the first line is the part an operator can act on. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() ?? 'unknown keychain error';
}
