/**
 * Raised whenever the OS keychain cannot be used. The console never falls back to storing a secret
 * anywhere else, so this message has to tell the operator how to get a keychain working.
 */
export class VaultUnavailableError extends Error {
  constructor(
    readonly reason: string,
    readonly platform: NodeJS.Platform = process.platform,
  ) {
    super(`${vaultHelp(platform)} (keychain said: ${reason})`);
    this.name = 'VaultUnavailableError';
  }
}

export function vaultHelp(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'darwin':
      return 'The macOS Keychain is not available: unlock your login keychain (Keychain Access) and try again. Secrets are never stored outside the keychain.';
    case 'win32':
      return 'Windows Credential Manager is not available: sign in to a normal Windows user session and try again. Secrets are never stored outside the keychain.';
    default:
      return (
        'No unlocked OS keychain is reachable (Secret Service over D-Bus). Install and unlock one, e.g. ' +
        '`sudo apt install gnome-keyring dbus-x11` in a desktop session; on a server without a desktop, start the console ' +
        'inside `dbus-run-session` with `gnome-keyring-daemon --unlock --components=secrets`. ' +
        'Secrets are never stored outside the keychain.'
      );
  }
}
