import type { FlowFallbackInput } from '../../../shared/domain/flow-fallback.js';
import { CLINIC_SYSTEMS } from '../fhir/clinic-catalogue.js';

/**
 * The demo flows' manual fallback forms (issue 11, item 3): what the clinic writes on paper while the
 * EHR is down, and where each value goes in the FHIR resource the entry stands in for. The match keys
 * identify the same event when the EHR delivers it late (the time by day). IT staff may enter
 * transactions besides administrators; finance may not (the demo's refusal walk relies on it).
 */
export const supplyConsumptionFallback: FlowFallbackInput = {
  fields: [
    {
      name: 'encounter',
      label: 'Encounter',
      type: 'text',
      required: true,
      path: 'extension.0.valueReference.reference',
      help: 'As the EHR names it, e.g. Encounter/enc-0042',
    },
    {
      name: 'patient',
      label: 'Patient',
      type: 'text',
      required: true,
      path: 'patient.reference',
      help: 'e.g. Patient/pat-007',
    },
    {
      name: 'code',
      label: 'Supply code',
      type: 'text',
      required: true,
      path: 'suppliedItem.itemCodeableConcept.coding.0.code',
      help: 'The code on the pack, e.g. SUP-GLOVE-M',
    },
    {
      name: 'description',
      label: 'Supply',
      type: 'text',
      required: true,
      path: 'suppliedItem.itemCodeableConcept.coding.0.display',
      help: 'As the catalogue names it, e.g. Examination gloves, nitrile, size M (pair)',
    },
    {
      name: 'quantity',
      label: 'Quantity',
      type: 'number',
      required: true,
      path: 'suppliedItem.quantity.value',
    },
    {
      name: 'location',
      label: 'Location',
      type: 'text',
      required: false,
      path: 'destination.reference',
      help: 'e.g. Location/loc-1',
    },
    {
      name: 'time',
      label: 'Time of use',
      type: 'date-time',
      required: true,
      path: 'occurrenceDateTime',
      help: 'With the UTC offset, e.g. 2026-12-02T08:30:00+01:00; matched by day',
    },
  ],
  matchKeys: ['encounter', 'code', 'quantity', 'time'],
  roles: ['it-staff'],
  constants: [
    { path: 'resourceType', value: 'SupplyDelivery' },
    { path: 'status', value: 'completed' },
    { path: 'suppliedItem.itemCodeableConcept.coding.0.system', value: CLINIC_SYSTEMS.supplyCode },
    { path: 'suppliedItem.quantity.unit', value: 'unit' },
    { path: 'extension.0.url', value: CLINIC_SYSTEMS.encounterExtension },
  ],
};

export const serviceChargesFallback: FlowFallbackInput = {
  fields: [
    {
      name: 'encounter',
      label: 'Encounter',
      type: 'text',
      required: true,
      path: 'context.reference',
      help: 'As the EHR names it, e.g. Encounter/enc-0042',
    },
    {
      name: 'patient',
      label: 'Patient',
      type: 'text',
      required: true,
      path: 'subject.reference',
      help: 'e.g. Patient/pat-007',
    },
    {
      name: 'code',
      label: 'Service code',
      type: 'text',
      required: true,
      path: 'code.coding.0.code',
    },
    {
      name: 'description',
      label: 'Service',
      type: 'text',
      required: true,
      path: 'code.coding.0.display',
      help: 'The invoice line text',
    },
    { name: 'quantity', label: 'Quantity', type: 'number', required: true, path: 'quantity.value' },
    { name: 'price', label: 'Price (EUR)', type: 'number', required: true, path: 'priceOverride.value' },
    {
      name: 'time',
      label: 'Time of service',
      type: 'date-time',
      required: true,
      path: 'occurrenceDateTime',
      help: 'With the UTC offset, e.g. 2026-12-02T08:30:00+01:00; matched by day',
    },
  ],
  matchKeys: ['encounter', 'code', 'time'],
  roles: ['it-staff'],
  constants: [
    { path: 'resourceType', value: 'ChargeItem' },
    { path: 'status', value: 'billable' },
    { path: 'code.coding.0.system', value: CLINIC_SYSTEMS.serviceCode },
    { path: 'priceOverride.currency', value: 'EUR' },
  ],
};
