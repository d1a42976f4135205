import { isAppOriginUrl } from './app-origin.js';

/**
 * Who may call the contract over IPC: the top frame of a window this app created, showing our own
 * app:// page. An iframe, a page that navigated elsewhere, a devtools or other webContents, or a
 * frame that has already gone away are all refused before the dispatcher sees the call.
 *
 * Structural types: the slice of Electron's WebFrameMain / WebContents / IpcMainInvokeEvent used.
 */
export interface SenderFrame {
  readonly url: string;
  readonly parent: SenderFrame | null;
  readonly processId: number;
  readonly frameToken: string;
}
export interface SenderContents {
  readonly id: number;
  readonly mainFrame: SenderFrame;
}
export interface InvokeEvent {
  readonly sender: SenderContents;
  readonly senderFrame: SenderFrame | null;
}

export type SenderVerdict =
  { readonly ok: true; readonly windowId: number } | { readonly ok: false; readonly reason: string };

function isSameFrame(a: SenderFrame, b: SenderFrame): boolean {
  if (a === b) return true;
  // Electron may hand out two wrapper objects for one frame; the frame token names the frame itself.
  return (
    a.parent === null && b.parent === null && a.processId === b.processId && a.frameToken === b.frameToken
  );
}

export function checkSender(
  event: InvokeEvent,
  isOurWindow: (webContentsId: number) => boolean,
): SenderVerdict {
  const frame = event.senderFrame;
  // Null when the frame navigated or was destroyed after sending: nobody to answer to.
  if (frame === null) return { ok: false, reason: 'sender frame is gone' };
  if (!isOurWindow(event.sender.id)) return { ok: false, reason: 'not a console window' };
  if (!isSameFrame(frame, event.sender.mainFrame)) return { ok: false, reason: 'not the top frame' };
  if (!isAppOriginUrl(frame.url)) return { ok: false, reason: 'not the console origin' };
  return { ok: true, windowId: event.sender.id };
}
