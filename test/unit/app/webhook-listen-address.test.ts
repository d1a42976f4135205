import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LISTENER_SERVICE,
  connectionListenAddress,
  listenAddress,
  listenerServiceName,
  listenHostRefusal,
} from '../../../main/app/services/webhook-listen-address.js';
import { webhookInSettingsSchema } from '../../../shared/domain/connection.js';

const settings = (extra: Record<string, unknown> = {}) =>
  webhookInSettingsSchema.parse({ kind: 'webhook-in', sourceName: 'lab', ...extra });
const fallback = listenAddress('127.0.0.1', 4781);

describe("a webhook-in connection's listen address", () => {
  it('falls back to the console default field by field, and shares it when it names the same', () => {
    expect(connectionListenAddress(settings(), fallback)).toEqual(fallback);
    expect(connectionListenAddress(settings({ listenPort: 4790 }), fallback).key).toBe('127.0.0.1:4790');
    expect(connectionListenAddress(settings({ listenHost: '::1' }), fallback).key).toBe('[::1]:4781');
    const same = connectionListenAddress(settings({ listenHost: '127.0.0.1', listenPort: 4781 }), fallback);
    expect(listenerServiceName(same, fallback)).toBe(DEFAULT_LISTENER_SERVICE);
    expect(listenerServiceName(listenAddress('127.0.0.1', 4790), fallback)).toBe(
      'webhook-listener 127.0.0.1:4790',
    );
  });

  it('allows a non-loopback host only as the bind policy allows public binds', () => {
    const closed = { tls: false, allowInsecureHttp: false };
    for (const host of [undefined, '127.0.0.1', '127.0.0.2', 'localhost', '::1'])
      expect(listenHostRefusal(host, closed)).toBeNull();
    expect(listenHostRefusal('0.0.0.0', closed)).toMatch(/not a loopback address.*--tls-cert/);
    expect(listenHostRefusal('192.0.2.10', null)).toMatch(/runs no webhook listener/);
    expect(listenHostRefusal('0.0.0.0', { tls: true, allowInsecureHttp: false })).toBeNull();
    expect(listenHostRefusal('0.0.0.0', { tls: false, allowInsecureHttp: true })).toBeNull();
  });

  it('takes an address or host name without a port, and a port from 1 to 65535', () => {
    for (const listenHost of ['10.0.0.5', 'hooks.clinic.lan', '::1', 'fe80::1'])
      expect(
        webhookInSettingsSchema.safeParse({ kind: 'webhook-in', sourceName: 'x', listenHost }).success,
      ).toBe(true);
    for (const listenHost of ['', 'http://x', '10.0.0.5:80', 'a b', '[::1]'])
      expect(
        webhookInSettingsSchema.safeParse({ kind: 'webhook-in', sourceName: 'x', listenHost }).success,
      ).toBe(false);
    for (const listenPort of [0, 65_536, 1.5])
      expect(
        webhookInSettingsSchema.safeParse({ kind: 'webhook-in', sourceName: 'x', listenPort }).success,
      ).toBe(false);
  });
});
