import type {
  ChargeItem,
  Encounter,
  FhirResource,
  Location,
  Patient,
  Practitioner,
  SupplyDelivery,
} from 'fhir/r4';
import { CLINIC_SYSTEMS, DEMO_BAD_RECORDS, SERVICES, SUPPLY_ITEMS } from './clinic-catalogue.js';

/**
 * The demo clinic (README, Quick start) as FHIR R4 resources: 3 locations, 8 practitioners,
 * 60 patients, 120 encounters, supply use (SupplyDelivery) and service charges (ChargeItem) per
 * encounter — about 540 records, deterministic (seeded), with lastUpdated spread over the days before
 * `baseMs`. Three records are wrong on purpose (see DEMO_BAD_RECORDS).
 */
export interface SeedRecord {
  readonly resource: FhirResource & { id: string };
  readonly lastUpdatedMs: number;
}

const GIVEN = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Eva',
  'Farid',
  'Greta',
  'Hugo',
  'Ines',
  'Jonas',
  'Katrin',
  'Luis',
];
const FAMILY = ['Keller', 'Novak', 'Schmid', 'Rossi', 'Meyer', 'Dubois', 'Weber', 'Fischer', 'Costa', 'Berg'];
const LOCATIONS = ['Main Street Clinic', 'Riverside Practice', 'Hillview Day Surgery'];

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ref = (type: string, id: string): { reference: string } => ({ reference: `${type}/${id}` });
const identifier = (system: string, value: string): { system: string; value: string }[] => [
  { system, value },
];

export function demoClinicRecords(baseMs: number, seed = 7): SeedRecord[] {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const records: SeedRecord[] = [];
  const spanMs = 14 * 24 * 3600 * 1000;
  let clock = baseMs - spanMs;
  const add = (resource: FhirResource & { id: string }): void => {
    clock += 1000 + Math.floor(rand() * 60_000);
    records.push({ resource, lastUpdatedMs: Math.min(clock, baseMs) });
  };

  LOCATIONS.forEach((name, index) => {
    const id = `loc-${index + 1}`;
    add({
      resourceType: 'Location',
      id,
      identifier: identifier(CLINIC_SYSTEMS.location, id),
      status: 'active',
      name,
    } satisfies Location);
  });
  for (let index = 1; index <= 8; index += 1) {
    const id = `pract-${index}`;
    add({
      resourceType: 'Practitioner',
      id,
      identifier: identifier(CLINIC_SYSTEMS.practitioner, id),
      active: true,
      name: [{ family: pick(FAMILY), given: [pick(GIVEN)], prefix: ['Dr.'] }],
    } satisfies Practitioner);
  }
  for (let index = 1; index <= 60; index += 1) {
    const id = `pat-${String(index).padStart(3, '0')}`;
    add({
      resourceType: 'Patient',
      id,
      identifier: identifier(CLINIC_SYSTEMS.patient, `MRN-${10_000 + index}`),
      active: true,
      name: [{ family: pick(FAMILY), given: [pick(GIVEN)] }],
      gender: rand() < 0.5 ? 'female' : 'male',
      birthDate: `19${40 + Math.floor(rand() * 60)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
    } satisfies Patient);
  }
  for (let index = 1; index <= 120; index += 1) {
    const encounterId = `enc-${String(index).padStart(4, '0')}`;
    const patientId = `pat-${String(1 + Math.floor(rand() * 60)).padStart(3, '0')}`;
    const practitionerId = `pract-${1 + Math.floor(rand() * 8)}`;
    const locationId = `loc-${1 + Math.floor(rand() * 3)}`;
    const start = new Date(clock).toISOString();
    add({
      resourceType: 'Encounter',
      id: encounterId,
      identifier: identifier(CLINIC_SYSTEMS.encounter, encounterId),
      status: 'finished',
      class: {
        system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
        code: 'AMB',
        display: 'ambulatory',
      },
      subject: ref('Patient', patientId),
      participant: [{ individual: ref('Practitioner', practitionerId) }],
      location: [{ location: ref('Location', locationId) }],
      period: { start, end: new Date(clock + 20 * 60_000).toISOString() },
    } satisfies Encounter);
    const supplies = 1 + Math.floor(rand() * 3);
    for (let line = 1; line <= supplies; line += 1) {
      const item = pick(SUPPLY_ITEMS);
      add(
        supplyUse(`supply-use-${encounterId}-${line}`, item.code, item.display, 1 + Math.floor(rand() * 4), {
          patientId,
          encounterId,
          practitionerId,
          locationId,
          at: start,
        }),
      );
    }
    const service = pick(SERVICES);
    add(
      serviceCharge(`charge-${encounterId}`, service.code, service.display, service.price, {
        patientId,
        encounterId,
        practitionerId,
        at: start,
      }),
    );
  }

  // The deliberately bad ones, last, so they show up in the first sync of the demo.
  const at = new Date(clock).toISOString();
  const context = {
    patientId: 'pat-001',
    encounterId: 'enc-0001',
    practitionerId: 'pract-1',
    locationId: 'loc-1',
    at,
  };
  add(supplyUse('supply-use-bad-code', DEMO_BAD_RECORDS.unknownSupplyCode.code, 'Unlisted item', 2, context));
  const noPatient = supplyUse(
    'supply-use-no-patient',
    'SUP-GAUZE-10',
    'Gauze swab 10x10 cm, sterile',
    5,
    context,
  );
  delete (noPatient as { patient?: unknown }).patient;
  add(noPatient);
  add(
    serviceCharge(
      'charge-bad-price',
      'SRV-CONSULT',
      'General consultation',
      DEMO_BAD_RECORDS.priceOutsidePolicy.price,
      context,
    ),
  );
  return records;
}

function supplyUse(
  id: string,
  code: string,
  display: string,
  quantity: number,
  context: { patientId: string; encounterId: string; practitionerId: string; locationId: string; at: string },
): SupplyDelivery & { id: string } {
  return {
    resourceType: 'SupplyDelivery',
    id,
    identifier: identifier(CLINIC_SYSTEMS.supplyDelivery, id),
    status: 'completed',
    patient: ref('Patient', context.patientId),
    suppliedItem: {
      quantity: { value: quantity, unit: 'unit' },
      itemCodeableConcept: { coding: [{ system: CLINIC_SYSTEMS.supplyCode, code, display }] },
    },
    occurrenceDateTime: context.at,
    supplier: ref('Practitioner', context.practitionerId),
    destination: ref('Location', context.locationId),
    // R4 SupplyDelivery has no encounter element; the clinic records it in an extension.
    extension: [
      { url: CLINIC_SYSTEMS.encounterExtension, valueReference: ref('Encounter', context.encounterId) },
    ],
  };
}

function serviceCharge(
  id: string,
  code: string,
  display: string,
  price: number,
  context: { patientId: string; encounterId: string; practitionerId: string; at: string },
): ChargeItem & { id: string } {
  return {
    resourceType: 'ChargeItem',
    id,
    identifier: identifier(CLINIC_SYSTEMS.chargeItem, id),
    status: 'billable',
    code: { coding: [{ system: CLINIC_SYSTEMS.serviceCode, code, display }] },
    subject: ref('Patient', context.patientId),
    context: ref('Encounter', context.encounterId),
    occurrenceDateTime: context.at,
    performer: [{ actor: ref('Practitioner', context.practitionerId) }],
    quantity: { value: 1 },
    priceOverride: { value: price, currency: 'EUR' },
    enteredDate: context.at,
  };
}
