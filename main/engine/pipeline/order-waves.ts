/**
 * Per-key ordering: splits a page into waves so that records sharing an ordering key (or a target
 * key) are never written in the same call and go out in source order: wave n holds the n-th record
 * of every key. Waves are then cut into chunks of at most `batchSize`. Keys that never repeat (the
 * usual case) all land in the first wave, so ordering costs nothing when it is not needed.
 */
export function orderWaves<T extends { readonly key: string; readonly orderKey: string }>(
  records: readonly T[],
  batchSize: number,
): T[][] {
  const waves: T[][] = [];
  const orderSeen = new Map<string, number>();
  const keySeen = new Map<string, number>();
  for (const record of records) {
    const wave = Math.max(orderSeen.get(record.orderKey) ?? 0, keySeen.get(record.key) ?? 0);
    orderSeen.set(record.orderKey, wave + 1);
    keySeen.set(record.key, wave + 1);
    (waves[wave] ??= []).push(record);
  }
  const chunks: T[][] = [];
  for (const wave of waves) {
    for (let start = 0; start < wave.length; start += batchSize)
      chunks.push(wave.slice(start, start + batchSize));
  }
  return chunks;
}
