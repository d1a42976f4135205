import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, headless, with the flags a container sandbox without user namespaces needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  });
}

export const SCREENSHOT_DIR = 'test-results/screenshots';
