/**
 * Reads one page ahead: while a page is mapped and loaded, the source is already fetching the next,
 * so the network wait of the extract overlaps the work of the load. Never more than one page ahead,
 * which bounds memory to two pages whatever the source's size.
 */
export async function* prefetchOne<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  let finished = false;
  try {
    for (;;) {
      const current = await next;
      if (current.done === true) {
        finished = true;
        return;
      }
      next = iterator.next();
      // The read-ahead may fail while the current page is still being worked on; that failure is
      // raised at the next await of `next`, not as an unhandled rejection now.
      next.catch(() => undefined);
      yield current.value;
    }
  } finally {
    if (!finished) await iterator.return?.();
  }
}
