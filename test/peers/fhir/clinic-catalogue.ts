/**
 * The demo clinic's code tables. The Odoo emulator and the demo mappings use the same codes, so a
 * supply code here becomes an Odoo product through a value map, and the deliberately bad records use
 * codes and prices that are not in these tables.
 */
export const CLINIC_SYSTEMS = {
  patient: 'http://clinic.example/fhir/id/patient',
  practitioner: 'http://clinic.example/fhir/id/practitioner',
  location: 'http://clinic.example/fhir/id/location',
  encounter: 'http://clinic.example/fhir/id/encounter',
  supplyDelivery: 'http://clinic.example/fhir/id/supply-use',
  chargeItem: 'http://clinic.example/fhir/id/charge',
  supplyCode: 'http://clinic.example/fhir/CodeSystem/supply-item',
  serviceCode: 'http://clinic.example/fhir/CodeSystem/service',
  encounterExtension: 'http://clinic.example/fhir/StructureDefinition/supply-use-encounter',
} as const;

export const SUPPLY_ITEMS: readonly { code: string; display: string; unitCost: number }[] = [
  { code: 'SUP-GLOVE-M', display: 'Examination gloves, nitrile, size M (pair)', unitCost: 0.12 },
  { code: 'SUP-SYRINGE-5ML', display: 'Syringe 5 ml, luer lock', unitCost: 0.18 },
  { code: 'SUP-GAUZE-10', display: 'Gauze swab 10x10 cm, sterile', unitCost: 0.09 },
  { code: 'SUP-CANNULA-20G', display: 'IV cannula 20G', unitCost: 1.35 },
  { code: 'SUP-SALINE-500', display: 'Sodium chloride 0.9% 500 ml', unitCost: 1.1 },
  { code: 'SUP-BANDAGE-EL', display: 'Elastic bandage 8 cm', unitCost: 0.85 },
  { code: 'SUP-MASK-FFP2', display: 'FFP2 respirator mask', unitCost: 0.45 },
  { code: 'SUP-SUTURE-3-0', display: 'Suture 3-0 absorbable', unitCost: 2.6 },
];

export const SERVICES: readonly { code: string; display: string; price: number }[] = [
  { code: 'SRV-CONSULT', display: 'General consultation', price: 65 },
  { code: 'SRV-FOLLOWUP', display: 'Follow-up visit', price: 40 },
  { code: 'SRV-WOUND-CARE', display: 'Wound care', price: 55 },
  { code: 'SRV-ECG', display: 'Resting ECG', price: 48 },
  { code: 'SRV-VACCINE', display: 'Vaccination (administration)', price: 25 },
  { code: 'SRV-LAB-PANEL', display: 'Basic lab panel', price: 90 },
];

/** The price policy the demo's validation rule enforces: a service charge above this needs a look. */
export const MAX_SERVICE_PRICE_EUR = 500;

/** The records seeded to fail, and why; tests and the demo guide point at these ids. */
export const DEMO_BAD_RECORDS = {
  unknownSupplyCode: { ref: 'SupplyDelivery/supply-use-bad-code', code: 'SUP-9999' },
  missingPatient: { ref: 'SupplyDelivery/supply-use-no-patient' },
  priceOutsidePolicy: { ref: 'ChargeItem/charge-bad-price', price: 48_000 },
} as const;
