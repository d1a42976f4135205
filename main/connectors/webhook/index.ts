export {
  startWebhookListener,
  type WebhookListener,
  type WebhookListenerOptions,
  type WebhookSourceConfig,
} from './webhook-listener.js';
export { InboundEventStore } from './inbound-event-store.js';
export { InboundWebhookSource } from './inbound-webhook-source.js';
export { DeliveryStore } from './delivery-store.js';
export { OutboundWebhookTarget, type OutboundWebhookTargetOptions } from './outbound-webhook-target.js';
export { testOutboundWebhook } from './outbound-test-connection.js';
export { SIGNING_INSTRUCTIONS, signatureHeaderValue, verifySignature } from './signature.js';
