import { createContext, useContext } from 'react';
import type { OperationFunctions, OscBridge } from '../../shared/contract/bridge.js';

/** The one client the pages talk through (IPC or HTTP, chosen at start in main.tsx). */
export const ClientContext = createContext<OscBridge | null>(null);

export function useClient(): OscBridge {
  const client = useContext(ClientContext);
  if (client === null) throw new Error('useClient() needs a <ClientContext.Provider> above it.');
  return client;
}

export function useOps(): OperationFunctions {
  return useClient().operations;
}
