/**
 * The names and text of the console's inbound webhook signature scheme, kept in shared/ so the
 * checker (main/connectors/webhook/signature.ts), the API answer that tells a partner how to sign
 * (inbound-endpoint.ts) and the console page all read the same words. The HMAC itself is computed
 * only in main/ (node:crypto); see main/connectors/webhook/README.md for the whole scheme.
 */
export const TIMESTAMP_HEADER = 'x-osc-timestamp';
export const EVENT_ID_HEADER = 'x-osc-event-id';
export const EVENT_TYPE_HEADER = 'x-osc-event-type';
export const SOURCE_HEADER = 'x-osc-source';
export const SIGNATURE_HEADER = 'x-osc-signature';
export const SIGNATURE_VERSION = 'v2';

/** One line per header, for the console's "how to sign" text, kept next to the names it explains. */
export const SIGNING_INSTRUCTIONS: readonly string[] = [
  `${TIMESTAMP_HEADER}: unix time in seconds; ${EVENT_ID_HEADER}: your unique id for the event (1-200 printable ASCII characters, the same on every retry).`,
  `${SIGNATURE_HEADER}: ${SIGNATURE_VERSION}=<hex HMAC-SHA256 with the signing secret of: "${SIGNATURE_VERSION}" LF source LF timestamp LF event id LF raw body>, where source is the name in the URL (/hooks/<source>) and LF a newline.`,
];
