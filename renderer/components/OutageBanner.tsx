import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useOps } from '../app/client-context.js';
import { isAnyDrainActive, isAnythingDown, isAnythingHeld, outagesStore } from '../stores/outages-store.js';
import { bannerLines } from './outage-banner-lines.js';

/** While something is down the exposure grows by itself: the overview is read again this often. */
export const OUTAGE_POLL_MS = 30_000;

/**
 * On every page while a connection is degraded or down (issue 11): which one, since when, what
 * waits in the outbox and for how long (today's data-loss exposure), and the way to the Outages
 * page. A polite live region: screen readers hear the change without losing their place.
 */
export function OutageBanner({ showLink }: { readonly showLink: boolean }) {
  const ops = useOps();
  const overview = useStore(outagesStore, (state) => state.overview);
  const [now, setNow] = useState(() => new Date());
  const active = isAnythingDown(overview) || isAnyDrainActive(overview) || isAnythingHeld(overview);

  useEffect(() => {
    void outagesStore.getState().load(ops);
  }, [ops]);

  useEffect(() => {
    if (!active) return;
    // Between live events the age of the oldest write grows; a drain's pace changes.
    const poll = setInterval(() => void outagesStore.getState().load(ops), OUTAGE_POLL_MS);
    const clock = setInterval(() => setNow(new Date()), 5000);
    return () => {
      clearInterval(poll);
      clearInterval(clock);
    };
  }, [ops, active]);

  const lines = bannerLines(overview, now);
  return (
    // The live region stays mounted so its first message is announced; empty while all is well.
    <div className="outage-banner-region" role="status" aria-live="polite">
      {lines !== null && (
        <section className="outage-banner" aria-label={lines.down.length > 0 ? 'Outage' : 'Held for review'}>
          <strong className="outage-banner-title">
            {lines.down.length > 0 ? 'Outage:' : 'Held for review:'}
          </strong>
          {lines.down.length > 0 && (
            <ul className="outage-banner-down">
              {lines.down.map((line) => (
                <li key={line.connectionId}>{line.text}</li>
              ))}
            </ul>
          )}
          <p className="outage-banner-exposure">{lines.exposure}</p>
          {lines.held !== null && <p className="outage-banner-held">{lines.held}</p>}
          {showLink && lines.down.length > 0 && (
            <a className="outage-banner-link" href="#/outages">
              Outage details
            </a>
          )}
          {lines.held !== null && (
            <a className="outage-banner-link" href="#/exceptions">
              Held batches
            </a>
          )}
        </section>
      )}
    </div>
  );
}
