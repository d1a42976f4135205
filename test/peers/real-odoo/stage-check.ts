import { stageProblem } from './stage.js';

// Prints why the real-Odoo stage cannot run here (nothing when it can); used by scripts/test-odoo.mjs.
const problem = stageProblem();
if (problem !== null) process.stdout.write(problem);
