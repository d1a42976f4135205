import { randomUUID } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { ConnectionTestResult } from '../../../shared/domain/connection-test.js';
import type { WebhookOutSettings } from '../../../shared/domain/connection.js';
import { readSecretState } from '../../vault/read-secret.js';
import type { SecretReader } from '../../vault/types.js';
import { ConnectionTestReport, connectorMessage, unreachableCheck } from '../connection-test-report.js';
import { secretCheck } from '../http/connector-secret.js';
import { checkOutboundUrl, isLoopbackHost } from '../http/outbound-url-policy.js';
import { postSignedWebhook } from './outbound-sender.js';

/**
 * "Test connection" for an outbound webhook: the URL is allowed, a signing secret is saved, and the
 * subscriber accepts a signed `osc.ping` event (no delivery row: a ping is not business data).
 */
export async function testOutboundWebhook(
  connectionId: string,
  settings: WebhookOutSettings,
  secrets: SecretReader,
  options: { readonly dispatcher?: Dispatcher; readonly now?: () => number } = {},
): Promise<ConnectionTestResult> {
  const report = new ConnectionTestReport();
  const { checks, facts } = report;
  const finish = (): ConnectionTestResult => report.finish(`${settings.url} accepted a signed test event.`);
  let url: URL;
  try {
    url = checkOutboundUrl(settings.url, settings.allowInsecureHttp);
    const insecure = url.protocol === 'http:' && !isLoopbackHost(url.hostname);
    checks.push({
      id: 'url',
      label: 'Address',
      status: insecure ? 'warning' : 'passed',
      message: insecure
        ? `Plain http to ${url.host}: events cross the network unencrypted.`
        : `${url.origin} is allowed.`,
    });
  } catch (error) {
    checks.push({ id: 'url', label: 'Address', status: 'failed', message: connectorMessage(error) });
    return finish();
  }
  const read = await readSecretState(secrets, connectionId);
  checks.push(
    secretCheck(read, {
      label: 'Signing secret',
      saved: 'A signing secret is saved in the keychain.',
      missing: 'No HMAC signing secret is saved for this webhook.',
    }),
  );
  if (read.state !== 'saved') return finish();
  const { secret } = read;
  try {
    const reply = await postSignedWebhook({
      url,
      source: connectionId,
      secret,
      eventId: `ping_${randomUUID()}`,
      eventType: 'osc.ping',
      body: JSON.stringify({ type: 'osc.ping', sentAt: new Date().toISOString() }),
      timeoutMs: settings.timeoutMs,
      nowMs: (options.now ?? Date.now)(),
      dispatcher: options.dispatcher,
    });
    facts.status = String(reply.status);
    facts.responseMs = String(reply.durationMs);
    const accepted = reply.status >= 200 && reply.status < 300;
    const refused = reply.status === 401 || reply.status === 403;
    checks.push({
      id: 'delivery',
      label: 'Signed test event accepted',
      status: accepted ? 'passed' : 'failed',
      message: accepted
        ? `The subscriber answered HTTP ${reply.status} in ${reply.durationMs} ms.`
        : refused
          ? `The subscriber refused the signature (HTTP ${reply.status}): the secret differs on its side.`
          : `The subscriber answered HTTP ${reply.status} to a signed test event.`,
    });
  } catch (error) {
    checks.push(unreachableCheck(error, 'Subscriber'));
  }
  return finish();
}
