import type { ChargeItem, Patient, SupplyDelivery } from 'fhir/r4';
import { demoClinicRecords } from '../peers/fhir/demo-clinic.js';
import { CLINIC_SYSTEMS, DEMO_BAD_RECORDS } from '../peers/fhir/index.js';
import { invoiceRows } from '../peers/supplier-portal/index.js';

/**
 * What the demo clinic must land in Odoo, computed from the demo's own seed data (the FHIR
 * emulator's clinic and the supplier portal's CSV drop), never typed in by hand. The EHR's dates
 * follow the moment its emulator started, which the test only knows within a window, so an
 * invoice date is one of (at most) two days.
 */

const safe = (value: string): string => value.replace(/[^A-Za-z0-9_]/g, '_');

export interface ExpectedPartner {
  readonly xmlid: string;
  readonly name: string;
  readonly ref: string;
}
export interface ExpectedMove {
  readonly xmlid: string;
  readonly name: string;
  readonly quantity: number;
  readonly productXmlid: string;
  readonly origin: string;
}
export interface ExpectedInvoice {
  readonly xmlid: string;
  readonly ref: string;
  readonly partnerXmlid: string;
  /** Either day, depending on when the EHR emulator started within the observed window. */
  readonly invoiceDates: readonly string[];
  readonly lines: readonly { name: string; quantity: number; priceUnit: number; productXmlid?: string }[];
}

export interface ExpectedClinic {
  readonly partners: readonly ExpectedPartner[];
  readonly moves: readonly ExpectedMove[];
  readonly invoices: readonly ExpectedInvoice[];
  readonly bills: readonly ExpectedInvoice[];
  /** The deliberately bad records and how they must fail. */
  readonly failures: readonly { sourceId: string; stage: string; errorCode: string; message: RegExp }[];
}

const BAD_SUPPLY = new Set<string>([
  DEMO_BAD_RECORDS.unknownSupplyCode.ref,
  DEMO_BAD_RECORDS.missingPatient.ref,
]);

/** The EHR emulator seeds up to `now() - 60 s` when it starts: the window of its start, in ms. */
export function expectedClinic(emulatorStartWindow: { fromMs: number; toMs: number }): ExpectedClinic {
  const early = demoClinicRecords(emulatorStartWindow.fromMs - 60_000).map((record) => record.resource);
  const late = demoClinicRecords(emulatorStartWindow.toMs - 60_000).map((record) => record.resource);

  const partners = early
    .filter((r): r is Patient & { id: string } => r.resourceType === 'Patient')
    .map((patient) => ({
      xmlid: `osc_sync.patient_${safe(patient.id)}`,
      name: `${patient.name?.[0]?.given?.[0] ?? ''} ${patient.name?.[0]?.family ?? ''}`,
      ref: patient.identifier?.find((id) => id.system === CLINIC_SYSTEMS.patient)?.value ?? '',
    }));

  const moves = early
    .filter((r): r is SupplyDelivery & { id: string } => r.resourceType === 'SupplyDelivery')
    .filter((use) => !BAD_SUPPLY.has(`SupplyDelivery/${use.id}`))
    .map((use) => {
      const coding = use.suppliedItem?.itemCodeableConcept?.coding?.[0];
      return {
        xmlid: `osc_sync.supply_use_${safe(use.id)}`,
        name: coding?.display ?? '',
        quantity: use.suppliedItem?.quantity?.value ?? Number.NaN,
        productXmlid: `osc_sync.product_${safe(coding?.code ?? '')}`,
        origin:
          use.extension?.find((ext) => ext.url === CLINIC_SYSTEMS.encounterExtension)?.valueReference
            ?.reference ?? '',
      };
    });

  const charges = (records: typeof early): (ChargeItem & { id: string })[] =>
    records.filter((r): r is ChargeItem & { id: string } => r.resourceType === 'ChargeItem');
  const lateDates = new Map(charges(late).map((charge) => [charge.id, charge.occurrenceDateTime ?? '']));
  const invoices = charges(early)
    .filter((charge) => `ChargeItem/${charge.id}` !== DEMO_BAD_RECORDS.priceOutsidePolicy.ref)
    .map((charge) => {
      const dates = [charge.occurrenceDateTime ?? '', lateDates.get(charge.id) ?? ''].map((at) =>
        at.slice(0, 10),
      );
      return {
        xmlid: `osc_sync.charge_${safe(charge.id)}`,
        ref: charge.id,
        partnerXmlid: `osc_sync.patient_${safe(charge.subject.reference?.split('/')[1] ?? '')}`,
        invoiceDates: [...new Set(dates)],
        lines: [
          {
            name: charge.code.coding?.[0]?.display ?? '',
            quantity: charge.quantity?.value ?? Number.NaN,
            priceUnit: charge.priceOverride?.value ?? Number.NaN,
          },
        ],
      };
    });

  return { partners, moves, invoices, bills: expectedBills(), failures: expectedFailures() };
}

const SUPPLIER_XMLIDS: Readonly<Record<string, string>> = {
  'MediSupply GmbH': 'osc_sync.supplier_medisupply',
  'Hôpital Fournitures SARL': 'osc_sync.supplier_hopital_fournitures',
  'Nordic Care AB': 'osc_sync.supplier_nordic_care',
};

/** The drop's four good invoices (1001–1004), one vendor bill per CSV line, as the portal writes them. */
function expectedBills(): ExpectedInvoice[] {
  return [1001, 1002, 1003, 1004].flatMap((number) =>
    invoiceRows(number, 2 + (number % 3)).map((row) => {
      const [invoice, supplier, date, line, code, description, quantity, price] = row;
      const [day, month, year] = (date ?? '').split('.');
      return {
        xmlid: `osc_sync.supplier_invoice_${safe(`${invoice ?? ''}_${line ?? ''}`)}`,
        ref: `${invoice ?? ''}/${line ?? ''}`,
        partnerXmlid: SUPPLIER_XMLIDS[supplier ?? ''] ?? `unknown supplier ${supplier ?? ''}`,
        invoiceDates: [`${year ?? ''}-${month ?? ''}-${day ?? ''}`],
        lines: [
          {
            name: description ?? '',
            quantity: Number(quantity),
            priceUnit: Number((price ?? '').replace(',', '.')),
            productXmlid: `osc_sync.product_${safe(code ?? '')}`,
          },
        ],
      };
    }),
  );
}

function expectedFailures(): ExpectedClinic['failures'] {
  return [
    {
      sourceId: DEMO_BAD_RECORDS.unknownSupplyCode.ref,
      stage: 'map',
      errorCode: 'mapping.unmapped-code',
      message: new RegExp(DEMO_BAD_RECORDS.unknownSupplyCode.code),
    },
    {
      sourceId: DEMO_BAD_RECORDS.missingPatient.ref,
      stage: 'validate',
      errorCode: 'rule.has-patient',
      message: /The supply use names no patient\./,
    },
    {
      sourceId: DEMO_BAD_RECORDS.priceOutsidePolicy.ref,
      stage: 'validate',
      errorCode: 'rule.price-policy',
      message: /above the clinic's 500 EUR policy/,
    },
  ];
}
