// What a real Odoo 17/19 test server needs on a Debian machine, checked without installing anything.
// Used by `.ci/run` (to install what is missing) and by `npm run test:odoo` (to say what is missing).
// Each Python module Odoo imports at start, with the Debian package that provides it.
import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/** [python module, Debian package] pairs; Debian's own python3, never another one on PATH. */
export const PYTHON_MODULES = [
  ['psycopg2', 'python3-psycopg2'],
  ['lxml', 'python3-lxml'],
  ['werkzeug', 'python3-werkzeug'],
  ['passlib', 'python3-passlib'],
  ['babel', 'python3-babel'],
  ['dateutil', 'python3-dateutil'],
  ['decorator', 'python3-decorator'],
  ['docutils', 'python3-docutils'],
  ['jinja2', 'python3-jinja2'],
  ['PIL', 'python3-pil'],
  ['polib', 'python3-polib'],
  ['psutil', 'python3-psutil'],
  ['reportlab', 'python3-reportlab'],
  ['requests', 'python3-requests'],
  ['rjsmin', 'python3-rjsmin'],
  ['pytz', 'python3-tz'],
  ['zeep', 'python3-zeep'],
  ['OpenSSL', 'python3-openssl'],
  ['PyPDF2', 'python3-pypdf2'],
  ['xlsxwriter', 'python3-xlsxwriter'],
  ['xlrd', 'python3-xlrd'],
  ['xlwt', 'python3-xlwt'],
  ['num2words', 'python3-num2words'],
  ['ldap', 'python3-ldap'],
  ['markupsafe', 'python3-markupsafe'],
  ['vobject', 'python3-vobject'],
  ['qrcode', 'python3-qrcode'],
  ['idna', 'python3-idna'],
  ['chardet', 'python3-chardet'],
  ['gevent', 'python3-gevent'],
  ['greenlet', 'python3-greenlet'],
  ['freezegun', 'python3-freezegun'],
  ['sass', 'python3-libsass'],
  ['asn1crypto', 'python3-asn1crypto'],
  ['cryptography', 'python3-cryptography'],
  ['geoip2', 'python3-geoip2'],
  ['urllib3', 'python3-urllib3'],
  ['stdnum', 'python3-stdnum'],
  ['ofxparse', 'python3-ofxparse'],
  ['pydot', 'python3-pydot'],
  ['serial', 'python3-serial'],
  ['usb', 'python3-usb'],
  ['pdfminer', 'python3-pdfminer'],
  // Odoo 19.0 imports these three as well (harmless for 17.0).
  ['cbor2', 'python3-cbor2'],
  ['openpyxl', 'python3-openpyxl'],
  ['magic', 'python3-magic'],
];

/** PostgreSQL client tools the harness runs (the server itself is found over TCP). */
export const PG_TOOLS = [
  ['psql', 'postgresql-client'],
  ['createdb', 'postgresql-client'],
  ['pg_restore', 'postgresql-client'],
];

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Debian packages missing for the real-Odoo stage (empty when all is there). */
export function missingOdooPackages() {
  const missing = new Set();
  for (const [tool, pkg] of PG_TOOLS) if (!onPath(tool)) missing.add(pkg);
  if (!onPath(PYTHON)) missing.add('python3');
  else {
    const probe = PYTHON_MODULES.map(
      ([module]) => `\ntry:\n  import ${module}\nexcept Exception:\n  print(${JSON.stringify(module)})`,
    ).join('');
    const result = spawnSync(PYTHON, ['-c', probe], { encoding: 'utf8' });
    const absent = new Set(result.stdout.split('\n').filter(Boolean));
    for (const [module, pkg] of PYTHON_MODULES) if (absent.has(module)) missing.add(pkg);
  }
  return [...missing];
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  // `node scripts/odoo-prerequisites.mjs` prints the missing Debian packages, space separated.
  process.stdout.write(missingOdooPackages().join(' '));
}
