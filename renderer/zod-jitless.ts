import { config } from 'zod';

// zod compiles fast object parsers with `new Function` when it can, and probes for that ability by
// calling Function(''). Under this page's CSP (script-src 'self', no 'unsafe-eval') the probe is
// refused and the browser logs a CSP violation; jitless parsing is as correct and fast enough here.
config({ jitless: true });
