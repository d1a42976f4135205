import type { OperationInput, OperationName, OperationOutput } from '../../../shared/contract/operations.js';
import type { Flow, FlowDefinitionInput } from '../../../shared/domain/flow.js';
import type { MappingSpecInput } from '../../../shared/domain/mapping.js';
import { SUPPLIER_INVOICE_LAYOUT } from '../supplier-portal/index.js';
import { serviceChargesFallback, supplyConsumptionFallback } from './demo-fallback.js';
import { serviceChargesReconcile } from './demo-reconcile.js';
import {
  patientsMapping,
  purchaseApprovalsMapping,
  serviceChargesMapping,
  supplierInvoicesMapping,
  supplyConsumptionMappingFor,
} from './demo-mappings.js';
import { demoOdooSettings, openDemoOdoo } from './demo-odoo-access.js';
import { readDemoOdooModels, type DemoOdooModels } from './demo-odoo-models.js';

/** Calls one contract operation as a signed-in operator (TestCaller.value has this shape). */
export interface ContractCaller {
  value<N extends OperationName>(name: N, input: OperationInput<N>): Promise<OperationOutput<N>>;
}

export interface DemoEndpoints {
  readonly odoo: {
    readonly url: string;
    readonly database: string;
    readonly login: string;
    readonly apiKey: string;
  };
  readonly fhir: { readonly url: string; readonly token: string };
  /** The supplier portal's webhook receiver, when it runs. */
  readonly supplierPortal?: { readonly url: string; readonly signingSecret: string };
  /** The folder the supplier portal drops its CSV invoices into (archive/ and rejected/ go beside it). */
  readonly supplierDrop?: { readonly folder: string };
}

export interface DemoClinic {
  readonly odooConnectionId: string;
  readonly fhirConnectionId: string;
  readonly flows: {
    readonly patients: Flow;
    readonly supplyConsumption: Flow;
    readonly serviceCharges: Flow;
    readonly purchaseApprovals: Flow | null;
    readonly supplierInvoices: Flow | null;
  };
}

export interface SeedOptions {
  /** Cron schedules, or manual flows (tests run them by hand). */
  readonly schedules: 'cron' | 'manual';
  readonly batchSize?: number;
  /** The target's models as prepareDemoOdoo read them; read from the target when not given. */
  readonly odooModels?: DemoOdooModels;
}

/** How the target Odoo's models look (fields_get), so that the mappings fit the server they run against. */
async function targetModels(odoo: DemoEndpoints['odoo']): Promise<DemoOdooModels> {
  const access = openDemoOdoo(demoOdooSettings(odoo), odoo.apiKey);
  try {
    return await readDemoOdooModels(access);
  } finally {
    await access.close();
  }
}

/** The demo's flows by name, as the console and `osc run-flow NAME` show them. */
export const DEMO_FLOW_NAMES = {
  patients: 'Patients → Odoo customers',
  supplyConsumption: 'Supply consumption → Odoo stock moves',
  serviceCharges: 'Service charges → Odoo customer invoices',
  purchaseApprovals: 'Purchase-order approvals → supplier portal',
  supplierInvoices: 'Supplier invoices → Odoo vendor bills',
} as const;

const isLoopback = (url: string): boolean => /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url);

/**
 * Seeds the demo clinic through the real contract, as two operators would: IT staff create the
 * connections (secrets into the keychain), mappings and flows; an administrator who did not write
 * the mappings approves them. The same code seeds the demo and the end-to-end tests. The mappings
 * follow the target's fields where Odoo versions differ (stock.move's description field).
 */
export async function seedDemoClinic(
  itStaff: ContractCaller,
  approver: ContractCaller,
  endpoints: DemoEndpoints,
  options: SeedOptions,
): Promise<DemoClinic> {
  const odooModels = options.odooModels ?? (await targetModels(endpoints.odoo));
  const odoo = await itStaff.value('connections.create', {
    name: 'Clinic Odoo',
    settings: {
      kind: 'odoo',
      baseUrl: endpoints.odoo.url,
      database: endpoints.odoo.database,
      login: endpoints.odoo.login,
      allowInsecureHttp: isLoopback(endpoints.odoo.url),
      maxCallsPerSecond: 100,
      maxConcurrentCalls: 4,
    },
  });
  await itStaff.value('connections.setSecret', { id: odoo.id, secret: endpoints.odoo.apiKey });
  const fhir = await itStaff.value('connections.create', {
    name: 'Clinic EHR (FHIR)',
    settings: {
      kind: 'fhir',
      baseUrl: endpoints.fhir.url,
      allowInsecureHttp: isLoopback(endpoints.fhir.url),
      pageSize: 500,
    },
  });
  await itStaff.value('connections.setSecret', { id: fhir.id, secret: endpoints.fhir.token });

  const activeMapping = async (name: string, spec: MappingSpecInput): Promise<string> => {
    const mapping = await itStaff.value('mappings.create', { name, spec, note: 'demo clinic' });
    await approver.value('mappings.approve', { id: mapping.id, version: 1 });
    await itStaff.value('mappings.activate', { id: mapping.id, version: 1 });
    return mapping.id;
  };
  const cron = (expression: string): FlowDefinitionInput['schedule'] =>
    options.schedules === 'cron' ? { kind: 'cron', expression } : { kind: 'manual' };
  const batchSize = options.batchSize ?? 200;
  const fromFhir = (resourceType: string) => ({
    sourceConnectionId: fhir.id,
    sourceSelector: { resourceType },
    batchSize,
  });

  const patients = await itStaff.value('flows.create', {
    name: DEMO_FLOW_NAMES.patients,
    ...fromFhir('Patient'),
    targetConnectionId: odoo.id,
    targetOperation: { model: 'res.partner', kind: 'upsert' },
    mappingId: await activeMapping('EHR patient → Odoo partner', patientsMapping),
    schedule: cron('*/5 * * * *'),
  });
  const supplyConsumption = await itStaff.value('flows.create', {
    name: DEMO_FLOW_NAMES.supplyConsumption,
    ...fromFhir('SupplyDelivery'),
    targetConnectionId: odoo.id,
    targetOperation: { model: 'stock.move', kind: 'upsert' },
    mappingId: await activeMapping(
      'Supply use → stock move',
      supplyConsumptionMappingFor(odooModels.moveDescriptionField),
    ),
    schedule: cron('* * * * *'),
    freshnessObjectiveMinutes: 15,
    fallback: supplyConsumptionFallback,
  });
  const serviceCharges = await itStaff.value('flows.create', {
    name: DEMO_FLOW_NAMES.serviceCharges,
    ...fromFhir('ChargeItem'),
    targetConnectionId: odoo.id,
    targetOperation: { model: 'account.move', kind: 'upsert' },
    mappingId: await activeMapping('Service charge → customer invoice', serviceChargesMapping),
    schedule: cron('*/2 * * * *'),
    freshnessObjectiveMinutes: 60,
    fallback: serviceChargesFallback,
    // A day's billing is judged against the clinic's own history before it is invoiced (issue 12).
    anomaly: { amountField: 'invoice_line_ids.price_unit', minHistory: 8, threshold: 3.5 },
    // Odoo's invoices per month against what the flow wrote and what the EHR holds (issue 12).
    reconcile: serviceChargesReconcile(options.schedules),
  });

  let purchaseApprovals: Flow | null = null;
  if (endpoints.supplierPortal !== undefined) {
    const portal = await itStaff.value('connections.create', {
      name: 'Supplier portal webhook',
      settings: {
        kind: 'webhook-out',
        url: endpoints.supplierPortal.url,
        allowInsecureHttp: isLoopback(endpoints.supplierPortal.url),
      },
    });
    await itStaff.value('connections.setSecret', {
      id: portal.id,
      secret: endpoints.supplierPortal.signingSecret,
    });
    purchaseApprovals = await itStaff.value('flows.create', {
      name: DEMO_FLOW_NAMES.purchaseApprovals,
      sourceConnectionId: odoo.id,
      sourceSelector: {
        model: 'purchase.order',
        domain: [['state', '=', 'purchase']],
        fields: ['name', 'partner_ref', 'date_approve', 'amount_total', 'state'],
      },
      targetConnectionId: portal.id,
      targetOperation: { eventType: 'purchase.order.approved' },
      mappingId: await activeMapping('Approved purchase order → supplier event', purchaseApprovalsMapping),
      schedule: cron('*/5 * * * *'),
      batchSize,
    });
  }
  let supplierInvoices: Flow | null = null;
  if (endpoints.supplierDrop !== undefined) {
    const folder = endpoints.supplierDrop.folder;
    const drop = await itStaff.value('connections.create', {
      name: 'Supplier portal CSV drop',
      settings: {
        kind: 'csv-drop',
        folder,
        archiveFolder: `${folder}/archive`,
        rejectedFolder: `${folder}/rejected`,
        encoding: 'windows-1252',
        delimiter: ';',
      },
    });
    supplierInvoices = await itStaff.value('flows.create', {
      name: DEMO_FLOW_NAMES.supplierInvoices,
      sourceConnectionId: drop.id,
      sourceSelector: { ...SUPPLIER_INVOICE_LAYOUT },
      targetConnectionId: odoo.id,
      targetOperation: { model: 'account.move', kind: 'upsert' },
      mappingId: await activeMapping('Supplier invoice line → vendor bill', supplierInvoicesMapping),
      schedule: cron('*/2 * * * *'),
      batchSize,
    });
  }
  return {
    odooConnectionId: odoo.id,
    fhirConnectionId: fhir.id,
    flows: { patients, supplyConsumption, serviceCharges, purchaseApprovals, supplierInvoices },
  };
}
