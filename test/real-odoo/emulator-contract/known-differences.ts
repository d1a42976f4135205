/**
 * Differences between the emulator and the real Odoo (17, or 19 over JSON-2) that the emulator
 * does not reproduce, each with its reason. A line of the contract test's difference report ("<step> <path>: …") that
 * matches none of these fails the test; an entry that matches nothing any more fails it too.
 */

export interface KnownDifference {
  readonly pattern: RegExp;
  readonly reason: string;
}

const ODOO17: readonly KnownDifference[] = [
  {
    pattern: /^missing-argument \$\.error\.data\.(message|arguments\[0\]): "BaseModel\.write\(\) missing/,
    reason:
      "Python names a method after the class that defines it: res.partner overrides write (ResPartner.write). The emulator does not track which models override which ORM method and says BaseModel; only the TypeError's wording differs, not its class.",
  },
];

const ODOO19: readonly KnownDifference[] = [
  {
    pattern:
      /^(rights-integration|imd-read-integration|create-(user|product|location)-integration|load-access-(product|cutoff)) \$.*(message|arguments\[0\]): "You are not allowed to .*" instead of "You are not allowed to /,
    reason:
      "19.0 reorganised the groups behind ir.model.access (e.g. 'Role / Administrator', 'Products/Create', 'Access Rights'); the emulator keeps 17.0's access rows and group names, so an AccessError lists other groups. The refusal itself (which user, model and operation, the class, the 403) is the same and compared.",
  },
  {
    pattern: /^unknown-kwarg \$\.(status|error\.(name|message|arguments\[0\])): /,
    reason:
      "search_read without fields reads every field of res.partner: on 19.0 one of them (mail's rtc_session_ids) is closed to the integration user, so Odoo fails with that AccessError before it reaches the unknown keyword; the emulator has only the fields the console uses and answers the keyword's TypeError (as 19.0 does with fields given: step json2-unknown-field-in-fields and the 500 TypeError of json2-observed.md).",
  },
];

export function knownDifferences(series: '17.0' | '19.0'): readonly KnownDifference[] {
  return series === '17.0' ? ODOO17 : ODOO19;
}
