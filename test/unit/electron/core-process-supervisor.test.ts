import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { HostToCore } from '../../../main/core-process/port-protocol.js';
import { CoreProcessSupervisor, type CoreChild } from '../../../main/electron/core-process-supervisor.js';
import { until } from '../../support/until.js';

// The supervisor's decisions with a scripted child (the real core process in a worker thread is in
// test/integration/electron/core-process.test.ts).
class ScriptedChild extends EventEmitter implements CoreChild<string> {
  readonly sent: { message: HostToCore; transfer: string[] }[] = [];
  killed = false;
  constructor(private readonly script: 'ready' | 'start-failed' | 'silent' | 'exit-early') {
    super();
    setImmediate(() => {
      if (this.script === 'ready') this.emit('message', { type: 'ready' });
      if (this.script === 'start-failed')
        this.emit('message', { type: 'start-failed', message: 'keyring locked' });
      if (this.script === 'exit-early') this.emit('exit', 3);
    });
  }
  postMessage(message: HostToCore, transfer: string[] = []): void {
    this.sent.push({ message, transfer });
    if (message.type === 'shutdown') setImmediate(() => this.emit('exit', 0));
  }
  kill(): boolean {
    this.killed = true;
    setImmediate(() => this.emit('exit', 9));
    return true;
  }
}

function supervise(
  scripts: ScriptedChild['script'][],
  overrides: { maxRestarts?: number; readyTimeoutMs?: number } = {},
) {
  const children: ScriptedChild[] = [];
  const notes: string[] = [];
  const closedPorts: string[] = [];
  const supervisor = new CoreProcessSupervisor<string>({
    fork: () => {
      const child = new ScriptedChild(scripts[children.length] ?? 'ready');
      children.push(child);
      return child;
    },
    closePort: (port) => closedPorts.push(port),
    onExit: (code) => notes.push(`exit ${code}`),
    onRestarted: () => notes.push('restarted'),
    onGaveUp: (reason) => notes.push(`gave up: ${reason}`),
    log: () => undefined,
    ...overrides,
  });
  return { supervisor, children, notes, closedPorts };
}

describe('CoreProcessSupervisor', () => {
  it('starts, then passes a window port with its window id and a closed window on', async () => {
    const { supervisor, children } = supervise(['ready']);
    await supervisor.start();
    expect(supervisor.attachWindow(3, 'port-of-3')).toBe(true);
    supervisor.windowClosed(3);
    expect(children[0]!.sent).toEqual([
      { message: { type: 'attach-window', windowId: 3 }, transfer: ['port-of-3'] },
      { message: { type: 'window-closed', windowId: 3 }, transfer: [] },
    ]);
  });

  it('rejects start with the reason the core gave, or its early exit, or a timeout', async () => {
    await expect(supervise(['start-failed']).supervisor.start()).rejects.toThrow('keyring locked');
    await expect(supervise(['exit-early']).supervisor.start()).rejects.toThrow(
      /exited \(code 3\) while starting/,
    );
    const silent = supervise(['silent'], { readyTimeoutMs: 30 });
    await expect(silent.supervisor.start()).rejects.toThrow(/did not start within/);
    expect(silent.children[0]!.killed).toBe(true);
  });

  it('closes a port it cannot hand to a core instead of leaving the window waiting', () => {
    const { supervisor, closedPorts } = supervise(['silent']);
    void supervisor.start().catch(() => undefined);
    expect(supervisor.attachWindow(1, 'early-port')).toBe(false);
    expect(closedPorts).toEqual(['early-port']);
  });

  it('restarts a core that dies, and tells the windows both things', async () => {
    const { supervisor, children, notes } = supervise(['ready', 'ready']);
    await supervisor.start();
    children[0]!.emit('exit', 134);
    await until('the restart', () => (notes.includes('restarted') ? notes : null));
    expect(notes).toEqual(['exit 134', 'restarted']);
    expect(supervisor.attachWindow(1, 'port')).toBe(true);
    expect(children[1]!.sent).toHaveLength(1);
  });

  it('gives up after too many deaths in a row, and when a restart fails', async () => {
    const crashing = supervise(['ready', 'ready', 'ready'], { maxRestarts: 1 });
    await crashing.supervisor.start();
    crashing.children[0]!.emit('exit', 1);
    await until('the first restart', () => (crashing.notes.includes('restarted') ? true : null));
    crashing.children[1]!.emit('exit', 1);
    await until('giving up', () => crashing.notes.find((note) => note.startsWith('gave up')) ?? null);
    expect(crashing.notes.at(-1)).toMatch(/stopped 2 times in 60 s/);
    expect(crashing.children).toHaveLength(2);

    const failing = supervise(['ready', 'start-failed']);
    await failing.supervisor.start();
    failing.children[0]!.emit('exit', 1);
    await until('giving up', () => failing.notes.find((note) => note.startsWith('gave up')) ?? null);
    expect(failing.notes.at(-1)).toMatch(/could not be restarted: keyring locked/);
  });

  it('stops cleanly without restarting, and kills a core that does not close in time', async () => {
    const { supervisor, children, notes } = supervise(['ready']);
    await supervisor.start();
    await supervisor.stop();
    expect(children[0]!.sent.at(-1)?.message).toEqual({ type: 'shutdown' });
    expect(children[0]!.killed).toBe(false);
    expect(notes).toEqual([]);

    const stuckChildren: ScriptedChild[] = [];
    const stuckSupervisor = new CoreProcessSupervisor<string>({
      fork: () => {
        const child = new ScriptedChild('ready');
        child.postMessage = () => undefined;
        stuckChildren.push(child);
        return child;
      },
      closePort: () => undefined,
      onExit: () => undefined,
      onRestarted: () => undefined,
      onGaveUp: () => undefined,
      log: () => undefined,
      stopTimeoutMs: 30,
    });
    await stuckSupervisor.start();
    await stuckSupervisor.stop();
    expect(stuckChildren[0]!.killed).toBe(true);
  });
});
