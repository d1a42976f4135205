import { describe, expect, it } from 'vitest';
import type { CallContext, Dispatch } from '../../../main/api/call-context.js';
import { bindIpcOperations, channelFor, type IpcMainLike } from '../../../main/electron/ipc-binding.js';
import type { InvokeEvent } from '../../../main/electron/ipc-sender-check.js';
import { WindowSessions } from '../../../main/electron/window-sessions.js';
import { OPERATION_NAMES, type OperationName } from '../../../shared/contract/operations.js';
import { ok, type Result } from '../../../shared/contract/result.js';
import { contents, frame, fromMainFrame } from './ipc-fakes.js';

type Listener = (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: InvokeEvent, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  }
}

interface Call {
  name: OperationName;
  input: unknown;
  context: CallContext;
}

function setup(dispatchImpl?: Dispatch) {
  const ipcMain = new FakeIpcMain();
  const windows = new WindowSessions();
  const calls: Call[] = [];
  const refusals: string[] = [];
  const errors: unknown[] = [];
  const dispatch: Dispatch =
    dispatchImpl ??
    ((name, input, context) => {
      calls.push({ name, input, context });
      return Promise.resolve(ok({ echoed: name }));
    });
  const unbind = bindIpcOperations({
    ipcMain,
    dispatch,
    windows,
    onRefused: (name, reason) => refusals.push(`${name}: ${reason}`),
    onError: (_name, error) => errors.push(error),
  });
  return { ipcMain, windows, calls, refusals, errors, unbind };
}

describe('bindIpcOperations', () => {
  it('binds exactly one osc:<name> channel per contract operation, and nothing else', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(OPERATION_NAMES.map((name) => `osc:${name}`).sort());
    expect(channelFor('connections.list')).toBe('osc:connections.list');
  });

  it('removes every handler on unbind', () => {
    const { ipcMain, unbind } = setup();
    unbind();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('passes the raw input and a per-window context to the dispatcher', async () => {
    const { ipcMain, windows, calls } = setup();
    const sender = contents(4);
    windows.add(4);
    const input = { username: 'ada', password: 'not-checked-here', extra: ['raw'] };
    const result = await ipcMain.invoke('osc:session.login', fromMainFrame(sender), input, 'ignored extra');
    expect(result).toEqual({ ok: true, value: { echoed: 'session.login' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.name).toBe('session.login');
    expect(calls[0]!.input).toBe(input);
    expect(calls[0]!.context).toMatchObject({ transport: 'ipc', origin: 'ipc:window-4', sessionId: null });
  });

  it('remembers the session a call binds, for that window only', async () => {
    const bound: Dispatch = (name, _input, context) => {
      if (name === 'session.login') context.bindSession('session-of-4');
      if (name === 'session.logout') context.clearSession();
      return Promise.resolve(ok(context.sessionId));
    };
    const { ipcMain, windows } = setup(bound);
    windows.add(4);
    windows.add(5);
    await ipcMain.invoke('osc:session.login', fromMainFrame(contents(4)), {});
    expect(await ipcMain.invoke('osc:session.status', fromMainFrame(contents(4)), {})).toEqual(
      ok('session-of-4'),
    );
    expect(await ipcMain.invoke('osc:session.status', fromMainFrame(contents(5)), {})).toEqual(ok(null));
    await ipcMain.invoke('osc:session.logout', fromMainFrame(contents(4)), {});
    expect(windows.sessionOf(4)).toBeNull();
  });

  describe('refuses before dispatching', () => {
    async function expectRefused(event: InvokeEvent, reason: string, registerIds: number[] = [1]) {
      const { ipcMain, windows, calls, refusals } = setup();
      for (const id of registerIds) windows.add(id);
      const result = (await ipcMain.invoke('osc:connections.list', event, {})) as Result<unknown>;
      expect(result).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'This window may not call the console.' },
      });
      expect(calls).toEqual([]);
      expect(refusals).toEqual([`connections.list: ${reason}`]);
    }

    it('a subframe', async () => {
      const sender = contents(1);
      await expectRefused(
        { sender, senderFrame: frame('app://console/index.html', sender.mainFrame) },
        'not the top frame',
      );
    });

    it('a foreign origin (https://evil)', async () => {
      await expectRefused(fromMainFrame(contents(1, 'https://evil.example/')), 'not the console origin');
    });

    it('a null senderFrame', async () => {
      await expectRefused({ sender: contents(1), senderFrame: null }, 'sender frame is gone');
    });

    it('a window we did not create', async () => {
      await expectRefused(fromMainFrame(contents(2)), 'not a console window');
    });

    it('a sender that throws when its frame is read (destroyed webContents)', async () => {
      const destroyed = {
        id: 1,
        get mainFrame(): never {
          throw new Error('Object has been destroyed');
        },
      };
      await expectRefused(
        { sender: destroyed, senderFrame: frame('app://console/index.html') },
        'sender is gone',
      );
    });

    it('a window that was closed', async () => {
      await expectRefused(fromMainFrame(contents(1)), 'not a console window', []);
    });
  });

  it('turns a dispatcher crash into an internal error without its message or stack', async () => {
    const crash = new Error('SQLITE_CORRUPT at /home/clinic/.osc/store.db password=hunter2');
    const { ipcMain, windows, errors } = setup(() => Promise.reject(crash));
    windows.add(1);
    const result = (await ipcMain.invoke(
      'osc:audit.verify',
      fromMainFrame(contents(1)),
      {},
    )) as Result<unknown>;
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toMatch(/SQLITE|hunter2|store\.db|at /);
    expect(result).toMatchObject({ error: { code: 'internal' } });
    expect(errors).toEqual([crash]);
  });
});
