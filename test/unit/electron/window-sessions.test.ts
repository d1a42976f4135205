import { describe, expect, it } from 'vitest';
import { WindowSessions } from '../../../main/core-process/window-sessions.js';

describe('WindowSessions', () => {
  it('knows only the windows it was told about', () => {
    const windows = new WindowSessions();
    windows.add(3);
    expect(windows.has(3)).toBe(true);
    expect(windows.has(4)).toBe(false);
    windows.remove(3);
    expect(windows.has(3)).toBe(false);
  });

  it('gives each window its own context and session', () => {
    const windows = new WindowSessions();
    windows.add(1);
    windows.add(2);
    const first = windows.contextFor(1);
    expect(first).toMatchObject({ transport: 'ipc', origin: 'ipc:window-1', sessionId: null });
    first.bindSession('session-a');
    expect(windows.sessionOf(1)).toBe('session-a');
    expect(windows.sessionOf(2)).toBeNull();
    expect(windows.contextFor(1).sessionId).toBe('session-a');
    expect(windows.contextFor(2).origin).toBe('ipc:window-2');
    windows.contextFor(1).clearSession();
    expect(windows.sessionOf(1)).toBeNull();
  });

  it('adding a window again keeps its session', () => {
    const windows = new WindowSessions();
    windows.add(1);
    windows.contextFor(1).bindSession('s');
    windows.add(1);
    expect(windows.sessionOf(1)).toBe('s');
  });

  it('does not revive a closed window when a slow call binds a session afterwards', () => {
    const windows = new WindowSessions();
    windows.add(5);
    const context = windows.contextFor(5);
    windows.remove(5);
    context.bindSession('late');
    expect(windows.has(5)).toBe(false);
    expect(windows.sessionOf(5)).toBeNull();
  });
});
