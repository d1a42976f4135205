import { describe, expect, it } from 'vitest';
import { checkExternalUrl, openExternalHttps } from '../../../main/electron/open-external.js';

describe('checkExternalUrl', () => {
  it.each([
    ['https://www.odoo.com/documentation/17.0/', 'https://www.odoo.com/documentation/17.0/'],
    ['https://hl7.org/fhir/R4/', 'https://hl7.org/fhir/R4/'],
    ['HTTPS://Example.COM/a?b=1#c', 'https://example.com/a?b=1#c'],
    ['https://example.com:8443/x', 'https://example.com:8443/x'],
    ['https://example.com/caf%C3%A9', 'https://example.com/caf%C3%A9'],
  ])('allows %s', (input, normalized) => {
    expect(checkExternalUrl(input)).toEqual({ ok: true, url: normalized });
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'file:///etc/passwd',
    'file://server/share/x.exe',
    'smb://attacker/share/payload.exe',
    'ms-msdt:/id PCWDiagnostic',
    'search-ms:query=x',
    'http://example.com/',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'ftp://example.com/',
    'app://console/index.html',
    'https://user:pw@example.com/',
    'https://user@example.com/',
    'https://:pw@example.com/',
    'https:example.com',
    'https:/example.com',
    'https:///example.com',
    'https://',
    ' https://example.com',
    'https://example.com/ x',
    'https://exa\tmple.com',
    'https://example.com\n',
    '\u0000https://example.com',
    'https://еxample.com/',
    'https://xn--xample-2of.com/',
    'https://example.com\u202e/moc.live',
    'ｈｔｔｐｓ://example.com',
    'https://ｅｘａｍｐｌｅ.com',
    'https://example.com/%ZZ\u00e9',
    '//example.com',
    'example.com',
    '',
    `https://example.com/${'a'.repeat(3000)}`,
  ])('refuses %j', (input) => {
    expect(checkExternalUrl(input).ok).toBe(false);
  });

  it.each([undefined, null, 1, {}, ['https://example.com'], new URL('https://example.com')])(
    'refuses a non-string (%#)',
    (input) => {
      expect(checkExternalUrl(input)).toEqual({ ok: false, reason: 'not a string' });
    },
  );
});

describe('openExternalHttps', () => {
  function recorder() {
    const opened: string[] = [];
    return {
      opened,
      opener: {
        openExternal: (url: string): Promise<void> => {
          opened.push(url);
          return Promise.resolve();
        },
      },
    };
  }

  it('opens the normalized https URL', async () => {
    const { opened, opener } = recorder();
    expect(await openExternalHttps('HTTPS://Example.com/docs', opener)).toBe(true);
    expect(opened).toEqual(['https://example.com/docs']);
  });

  it('never hands a refused URL to the system', async () => {
    const { opened, opener } = recorder();
    for (const url of [
      'file:///C:/Windows/System32/calc.exe',
      'smb://x/y',
      'javascript:1',
      'https://a:b@c',
    ]) {
      expect(await openExternalHttps(url, opener)).toBe(false);
    }
    expect(opened).toEqual([]);
  });

  it('passes on a failure of the system opener', async () => {
    const opener = { openExternal: (): Promise<void> => Promise.reject(new Error('no browser')) };
    await expect(openExternalHttps('https://example.com', opener)).rejects.toThrow('no browser');
  });
});
