import { describe, expect, it } from 'vitest';
import { dataDirFor, defaultDataDir } from '../../../main/paths/default-data-dir.js';

describe('dataDirFor', () => {
  it('Linux: $XDG_CONFIG_HOME when it is set and absolute', () => {
    expect(dataDirFor('linux', { XDG_CONFIG_HOME: '/srv/cfg' }, '/home/ana')).toBe(
      '/srv/cfg/odoo-sync-console',
    );
  });

  it('Linux: ~/.config when XDG_CONFIG_HOME is unset, empty or relative (the XDG spec ignores those)', () => {
    for (const XDG_CONFIG_HOME of [undefined, '', '  ', 'relative/cfg']) {
      expect(dataDirFor('linux', { XDG_CONFIG_HOME }, '/home/ana')).toBe(
        '/home/ana/.config/odoo-sync-console',
      );
    }
  });

  it('other Unixes follow the Linux rule', () => {
    expect(dataDirFor('freebsd', {}, '/usr/home/bo')).toBe('/usr/home/bo/.config/odoo-sync-console');
  });

  it('macOS: ~/Library/Application Support, ignoring XDG', () => {
    expect(dataDirFor('darwin', { XDG_CONFIG_HOME: '/x' }, '/Users/ana')).toBe(
      '/Users/ana/Library/Application Support/odoo-sync-console',
    );
  });

  it('Windows: %APPDATA%, or the roaming folder under the profile when it is missing', () => {
    expect(dataDirFor('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\odoo-sync-console',
    );
    expect(dataDirFor('win32', {}, 'C:\\Users\\ana')).toBe(
      'C:\\Users\\ana\\AppData\\Roaming\\odoo-sync-console',
    );
  });

  it('defaultDataDir applies the rule to this process', () => {
    const dir = defaultDataDir();
    expect(dir.endsWith('odoo-sync-console')).toBe(true);
    if (process.platform === 'linux' && !process.env.XDG_CONFIG_HOME)
      expect(dir).toMatch(/\/\.config\/odoo-sync-console$/);
  });
});
