import { z } from 'zod';
import { connectionNameSchema, connectionSettingsSchema } from '../../../shared/domain/connection.js';
import { flowDefinitionSchema } from '../../../shared/domain/flow.js';
import { mappingFileSchema } from '../../../shared/domain/mapping.js';

/**
 * The change-management file: connections (settings only: a secret is never exported, the keychain
 * keeps it), mappings with every version, and flows that name their connections and mapping instead
 * of pointing at this store's ids, so the file can be imported into another console.
 */
export const CONFIG_FILE_FORMAT = 'osc.config/1';

const flowEntrySchema = flowDefinitionSchema
  .omit({ sourceConnectionId: true, targetConnectionId: true, mappingId: true })
  .extend({ source: connectionNameSchema, target: connectionNameSchema, mapping: z.string().min(1).max(120) })
  .strict();

export const configFileSchema = z
  .object({
    format: z.literal(CONFIG_FILE_FORMAT),
    exportedAt: z.string(),
    connections: z
      .array(z.object({ name: connectionNameSchema, settings: connectionSettingsSchema }).strict())
      .max(500),
    mappings: z.array(mappingFileSchema).max(500),
    flows: z.array(flowEntrySchema).max(500),
  })
  .strict();

export type ConfigFile = z.output<typeof configFileSchema>;
export type FlowEntry = z.output<typeof flowEntrySchema>;
