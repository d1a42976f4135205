export { startFhirEmulator, SUPPORTED_TYPES } from './fhir-emulator.js';
export type { FhirEmulator, FhirEmulatorOptions, FhirEmulatorState } from './fhir-emulator.js';
export { FhirFaults } from './fhir-faults.js';
export {
  CLINIC_SYSTEMS,
  DEMO_BAD_RECORDS,
  MAX_SERVICE_PRICE_EUR,
  SERVICES,
  SUPPLY_ITEMS,
} from './clinic-catalogue.js';
