import type { MappingSpec } from '../../shared/domain/mapping.js';

/**
 * A flow that uses the connection being tested, as "Test connection" needs it: which side of the
 * flow the connection is on, the connector-specific settings of that side, and the mapping the
 * flow writes with. The rights a connection needs follow from these, not from a hand-kept list.
 */
export interface FlowUsage {
  readonly flowName: string;
  /** 'source': the flow reads from this connection; 'target': it writes to it. */
  readonly role: 'source' | 'target';
  /** The flow's source selector (role source) or target operation (role target). */
  readonly settings: Readonly<Record<string, unknown>>;
  /** The mapping version the flow runs with (the active one, else the newest), for a target. */
  readonly mapping: MappingSpec | null;
}
