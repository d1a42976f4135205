/**
 * The vault keeps connection secrets in the OS keychain (Secret Service, macOS Keychain, Windows
 * Credential Manager). Connectors read a secret at call time and never keep or log it.
 */
export interface SecretReader {
  /** The secret, or null when none is set. Throws VaultUnavailableError when no keychain answers. */
  read(connectionId: string): Promise<string | null>;
}

export interface Vault extends SecretReader {
  set(connectionId: string, secret: string): Promise<void>;
  has(connectionId: string): Promise<boolean>;
  delete(connectionId: string): Promise<boolean>;
  /** Replace the secret; the old value is gone once this resolves. */
  rotate(connectionId: string, secret: string): Promise<void>;
}
