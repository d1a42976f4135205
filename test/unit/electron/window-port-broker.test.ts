import { describe, expect, it } from 'vitest';
import type { InvokeEvent } from '../../../main/electron/ipc-sender-check.js';
import {
  connectWindowToCore,
  type WindowPortBrokerOptions,
} from '../../../main/electron/window-port-broker.js';
import { contents, frame, fromMainFrame } from './ipc-fakes.js';

interface FakePort {
  readonly name: string;
  closed: boolean;
}

function setup(ourWindows: number[], coreRunning = true) {
  const attached: { windowId: number; port: FakePort }[] = [];
  const delivered: { event: InvokeEvent; port: FakePort }[] = [];
  const refusals: string[] = [];
  let channels = 0;
  const options: WindowPortBrokerOptions<FakePort> = {
    isOurWindow: (id) => ourWindows.includes(id),
    createChannel: () => {
      channels += 1;
      return {
        port1: { name: `window-end-${channels}`, closed: false },
        port2: { name: `core-end-${channels}`, closed: false },
      };
    },
    attachToCore: (windowId, port) => {
      if (!coreRunning) return false;
      attached.push({ windowId, port });
      return true;
    },
    deliverToFrame: (event, port) => delivered.push({ event, port }),
    onRefused: (reason) => refusals.push(reason),
  };
  return { options, attached, delivered, refusals, channels: () => channels };
}

describe('connectWindowToCore', () => {
  it("gives the core one end naming the sender's own window, and the asking frame the other", () => {
    const { options, attached, delivered } = setup([4]);
    const event = fromMainFrame(contents(4));
    expect(connectWindowToCore(event, options)).toBe('connected');
    expect(attached).toEqual([{ windowId: 4, port: { name: 'core-end-1', closed: false } }]);
    expect(delivered).toEqual([{ event, port: { name: 'window-end-1', closed: false } }]);
  });

  it('hands out nothing while no core runs (the window asks again once one is up)', () => {
    const { options, delivered } = setup([4], false);
    expect(connectWindowToCore(fromMainFrame(contents(4)), options)).toBe('no-core');
    expect(delivered).toEqual([]);
  });

  describe('refuses, before any channel exists', () => {
    function expectRefused(event: InvokeEvent, reason: string, ourWindows: number[] = [1]) {
      const { options, attached, delivered, refusals, channels } = setup(ourWindows);
      expect(connectWindowToCore(event, options)).toBe('refused');
      expect(refusals).toEqual([reason]);
      expect(channels()).toBe(0);
      expect(attached).toEqual([]);
      expect(delivered).toEqual([]);
    }

    it('a subframe', () => {
      const sender = contents(1);
      expectRefused(
        { sender, senderFrame: frame('app://console/index.html', sender.mainFrame) },
        'not the top frame',
      );
    });

    it('a foreign origin (https://evil)', () => {
      expectRefused(fromMainFrame(contents(1, 'https://evil.example/')), 'not the console origin');
    });

    it('a null senderFrame', () => {
      expectRefused({ sender: contents(1), senderFrame: null }, 'sender frame is gone');
    });

    it('a window we did not create, or one that was closed', () => {
      expectRefused(fromMainFrame(contents(2)), 'not a console window');
      expectRefused(fromMainFrame(contents(1)), 'not a console window', []);
    });

    it('a sender that throws when its frame is read (destroyed webContents)', () => {
      const destroyed = {
        id: 1,
        get mainFrame(): never {
          throw new Error('Object has been destroyed');
        },
      };
      expectRefused({ sender: destroyed, senderFrame: frame('app://console/index.html') }, 'sender is gone');
    });
  });
});
