/** How the connector's operations reach Odoo: one ORM call, execute_kw style. */
export type OrmCaller = (
  model: string,
  method: string,
  args: readonly unknown[],
  kwargs?: Readonly<Record<string, unknown>>,
  signal?: AbortSignal,
) => Promise<unknown>;
