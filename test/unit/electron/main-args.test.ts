import { describe, expect, it } from 'vitest';
import { parseMainArgs } from '../../../main/electron/main-args.js';

describe('parseMainArgs', () => {
  it.each([
    [['/opt/osc/odoo-sync-console'], null],
    [['/usr/bin/electron', '.', '--data-dir', '/srv/osc'], '/srv/osc'],
    [['electron', '.', '--data-dir=/srv/osc data'], '/srv/osc data'],
    [['electron', '.', '--demo', '--data-dir', 'rel/dir', '--no-sandbox-check'], 'rel/dir'],
    [['electron', '.', '--data-dir'], null],
    [['electron', '.', '--data-dir', '--demo'], null],
    [['electron', '.', '--data-dir='], null],
    [['electron', '.', '--data-dir', ''], null],
    [['electron', '.', '--data-dir', 'a', '--data-dir', 'b'], 'b'],
    [['electron', '.', '--data-directory', 'x', '--inspect=9229'], null],
  ])('%j → %j', (argv, dataDir) => {
    expect(parseMainArgs(argv)).toEqual({ dataDir });
  });
});
