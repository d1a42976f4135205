import type { Dispatch } from '../api/call-context.js';
import { IPC_CHANNEL_PREFIX } from '../../shared/contract/events.js';
import { OPERATION_NAMES, type OperationName } from '../../shared/contract/operations.js';
import { fail, type Result } from '../../shared/contract/result.js';
import { checkSender, type InvokeEvent, type SenderVerdict } from './ipc-sender-check.js';
import type { WindowSessions } from './window-sessions.js';

/**
 * One `ipcMain.handle('osc:<name>')` per contract operation: nothing else is listened to, so there
 * is no generic channel to abuse. Each call checks its sender first, then goes to the dispatcher,
 * which validates the raw input against the contract and authorizes it.
 */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcBindingOptions {
  readonly ipcMain: IpcMainLike;
  readonly dispatch: Dispatch;
  readonly windows: WindowSessions;
  /** A refused or failed call, for the log: never the input (it may hold a password). */
  readonly onRefused?: (name: OperationName, reason: string) => void;
  readonly onError?: (name: OperationName, error: unknown) => void;
}

export function channelFor(name: OperationName): string {
  return `${IPC_CHANNEL_PREFIX}${name}`;
}

async function handleCall(
  options: IpcBindingOptions,
  name: OperationName,
  event: InvokeEvent,
  input: unknown,
): Promise<Result<unknown>> {
  let verdict: SenderVerdict;
  try {
    verdict = checkSender(event, (id) => options.windows.has(id));
  } catch {
    // Reading a destroyed webContents' frame throws; a window that is gone gets no answer anyway.
    verdict = { ok: false, reason: 'sender is gone' };
  }
  if (!verdict.ok) {
    options.onRefused?.(name, verdict.reason);
    return fail('forbidden', 'This window may not call the console.');
  }
  try {
    return await options.dispatch(name, input, options.windows.contextFor(verdict.windowId));
  } catch (error) {
    // The dispatcher answers failures itself; reaching here is a bug. Never send its text across.
    options.onError?.(name, error);
    return fail('internal', 'Something went wrong in the console. The details are in its log.');
  }
}

/** Binds every operation; returns a function that removes the handlers again. */
export function bindIpcOperations(options: IpcBindingOptions): () => void {
  for (const name of OPERATION_NAMES) {
    // Only the first argument is the input; extra arguments from a tampered renderer are ignored.
    options.ipcMain.handle(channelFor(name), (event, ...args) => handleCall(options, name, event, args[0]));
  }
  return () => {
    for (const name of OPERATION_NAMES) options.ipcMain.removeHandler(channelFor(name));
  };
}
