import { describe, expect, it } from 'vitest';
import { checkSender } from '../../../main/electron/ipc-sender-check.js';
import { contents, frame, fromMainFrame } from './ipc-fakes.js';

const ours = new Set([1, 2]);
const isOurWindow = (id: number): boolean => ours.has(id);

describe('checkSender', () => {
  it('accepts the top frame of a console window on app://console', () => {
    expect(checkSender(fromMainFrame(contents(1)), isOurWindow)).toEqual({ ok: true, windowId: 1 });
  });

  it('accepts a second wrapper object for the same top frame (same process and frame token)', () => {
    const sender = contents(2);
    const sameFrame = { ...sender.mainFrame };
    expect(checkSender({ sender, senderFrame: sameFrame }, isOurWindow)).toEqual({ ok: true, windowId: 2 });
  });

  it('refuses a subframe, even one on the app origin', () => {
    const sender = contents(1);
    const subframe = frame('app://console/index.html', sender.mainFrame);
    expect(checkSender({ sender, senderFrame: subframe }, isOurWindow)).toEqual({
      ok: false,
      reason: 'not the top frame',
    });
  });

  it('refuses a subframe that copies the top frame token but has a parent', () => {
    const sender = contents(1);
    const impostor = { ...sender.mainFrame, parent: sender.mainFrame };
    expect(checkSender({ sender, senderFrame: impostor }, isOurWindow).ok).toBe(false);
  });

  it('refuses a top frame in another renderer process', () => {
    const sender = contents(1);
    const other = { ...sender.mainFrame, processId: sender.mainFrame.processId + 1 };
    expect(checkSender({ sender, senderFrame: other }, isOurWindow).ok).toBe(false);
  });

  it.each(['https://evil.example/', 'app://evil/index.html', 'file:///index.html', 'about:blank', ''])(
    'refuses a top frame showing %j',
    (url) => {
      expect(checkSender(fromMainFrame(contents(1, url)), isOurWindow)).toEqual({
        ok: false,
        reason: 'not the console origin',
      });
    },
  );

  it('refuses a call whose frame is already gone (null senderFrame)', () => {
    expect(checkSender({ sender: contents(1), senderFrame: null }, isOurWindow)).toEqual({
      ok: false,
      reason: 'sender frame is gone',
    });
  });

  it('refuses a webContents we did not create, even on app://console', () => {
    expect(checkSender(fromMainFrame(contents(99)), isOurWindow)).toEqual({
      ok: false,
      reason: 'not a console window',
    });
  });
});
