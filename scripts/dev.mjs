// `npm run dev`: the headless console from TypeScript sources with reload on change. The renderer is
// rebuilt by vite in watch mode (a dev server's inline HMR scripts would break the strict CSP) and
// the server restarts when main/ or shared/ change.
import { spawn } from 'node:child_process';

const children = [
  spawn('npx', ['vite', 'build', '--mode', 'renderer', '--watch'], { stdio: 'inherit' }),
  spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--watch-path=main',
      '--watch-path=shared',
      'main/cli/osc.ts',
      'serve',
      '--data-dir',
      '.osc-data/dev',
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  ),
];
const stop = () => children.forEach((child) => child.kill('SIGTERM'));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
