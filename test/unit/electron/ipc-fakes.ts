import type { InvokeEvent, SenderContents, SenderFrame } from '../../../main/electron/ipc-sender-check.js';

/** Small stand-ins for Electron's WebFrameMain / WebContents / invoke event, as the IPC code sees them. */
let nextToken = 1;

export function frame(url: string, parent: SenderFrame | null = null, processId = 7): SenderFrame {
  return { url, parent, processId, frameToken: `token-${nextToken++}` };
}

export function contents(
  id: number,
  url = 'app://console/index.html',
): SenderContents & { mainFrame: SenderFrame } {
  return { id, mainFrame: frame(url) };
}

/** An invoke coming from the top frame of `sender`. */
export function fromMainFrame(sender: SenderContents): InvokeEvent {
  return { sender, senderFrame: sender.mainFrame };
}
