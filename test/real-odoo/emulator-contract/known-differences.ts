/**
 * Differences between the emulator and the real Odoo 17 that the emulator does not reproduce, each
 * with its reason. A line of the contract test's difference report ("<step> <path>: …") that
 * matches none of these fails the test; an entry that matches nothing any more fails it too.
 */

export interface KnownDifference {
  readonly pattern: RegExp;
  readonly reason: string;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    pattern: /^missing-argument \$\.error\.data\.(message|arguments\[0\]): "BaseModel\.write\(\) missing/,
    reason:
      "Python names a method after the class that defines it: res.partner overrides write (ResPartner.write). The emulator does not track which models override which ORM method and says BaseModel; only the TypeError's wording differs, not its class.",
  },
];
