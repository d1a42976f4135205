import { defineConfig } from 'vitest/config';

// The real-Odoo suite (`npm run test:odoo`): every file gets its own Odoo server and database, so the
// files run one at a time (two cores: one Odoo plus the console is what the machine holds well).
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/real-odoo/**/*.test.ts'],
    globalSetup: ['test/real-odoo/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
