import type { MappingSpecInput } from '../../../shared/domain/mapping.js';
import { CLINIC_SYSTEMS, MAX_SERVICE_PRICE_EUR, SUPPLY_ITEMS } from '../fhir/clinic-catalogue.js';

/**
 * The demo clinic's mappings, as an operator would type them. A record's own
 * key is a bare name (the Odoo connector files it under the connection's module, osc_sync);
 * references name other records by their full external ID (`module.name`), as Odoo's import does.
 */
export const MODULE = 'osc_sync';

/** Odoo external ID names may hold letters, digits and _ only. */
const safe = (expression: string): string => `$replace(${expression}, /[^A-Za-z0-9_]/, "_")`;

export const productName = (code: string): string => `product_${code.replace(/[^A-Za-z0-9_]/g, '_')}`;

/**
 * Where used supplies go. Odoo 17 has no consumption location with an external ID (the
 * `stock.location_consumption` of older guides does not exist), so the demo creates its own under
 * Virtual Locations, with an external ID of the console's module (see demo-master-data.ts). Odoo 19
 * has no Virtual Locations record: there the location goes to the top level (demo-odoo-models.ts).
 */
export const CONSUMPTION_LOCATION = {
  key: 'location_clinic_consumption',
  name: 'Clinic consumption',
  usage: 'inventory',
  parent: 'stock.stock_location_locations_virtual',
  parentName: 'Virtual Locations',
} as const;

export const SUPPLY_PRODUCTS: Readonly<Record<string, string>> = Object.fromEntries(
  SUPPLY_ITEMS.map((item) => [item.code, `${MODULE}.${productName(item.code)}`]),
);

export const patientsMapping: MappingSpecInput = {
  key: `"patient_" & ${safe('id')}`,
  fields: [
    { target: 'name', expression: '$join([name[0].given[0], name[0].family], " ")' },
    { target: 'ref', expression: `identifier[system="${CLINIC_SYSTEMS.patient}"].value` },
    { target: 'is_company', expression: 'false' },
  ],
  rules: [
    {
      id: 'has-name',
      expression: '$exists(name[0].family)',
      message: 'The patient has no family name.',
      severity: 'error',
    },
  ],
};

/**
 * Supply uses → stock moves. The description goes to `name` on Odoo 17 (required there); Odoo 19's
 * stock.move has no `name`, its description is `description_picking`. The seed picks the field from
 * the target's fields_get (demo-odoo-models.ts).
 */
export const supplyConsumptionMappingFor = (
  descriptionField: 'name' | 'description_picking',
): MappingSpecInput => ({
  key: `"supply_use_" & ${safe('id')}`,
  fields: [
    { target: descriptionField, expression: 'suppliedItem.itemCodeableConcept.coding[0].display' },
    { target: 'product_uom_qty', expression: 'suppliedItem.quantity.value' },
    { target: 'quantity', expression: 'suppliedItem.quantity.value' },
    // No `reference`: Odoo computes it (the picking's or the move's name) and ignores what is sent.
    // The move's external ID and the lineage name the supply use instead.
    {
      target: 'origin',
      expression: `extension[url="${CLINIC_SYSTEMS.encounterExtension}"].valueReference.reference`,
    },
  ],
  references: [
    {
      field: 'product_id',
      expression: `$valueMap("supply-products", suppliedItem.itemCodeableConcept.coding[0].code)`,
    },
    { field: 'location_id', expression: '"stock.stock_location_stock"' },
    { field: 'location_dest_id', expression: `"${MODULE}.${CONSUMPTION_LOCATION.key}"` },
  ],
  valueMaps: { 'supply-products': { entries: { ...SUPPLY_PRODUCTS }, onMissing: 'fail' } },
  rules: [
    {
      id: 'has-patient',
      expression: '$exists(patient.reference)',
      message: 'The supply use names no patient.',
      severity: 'error',
    },
    {
      id: 'positive-quantity',
      expression: 'suppliedItem.quantity.value > 0',
      message: 'The quantity must be positive.',
      severity: 'error',
    },
  ],
});

/** The Odoo 17 form, as the emulator has it. */
export const supplyConsumptionMapping: MappingSpecInput = supplyConsumptionMappingFor('name');

export const serviceChargesMapping: MappingSpecInput = {
  key: `"charge_" & ${safe('id')}`,
  fields: [
    { target: 'move_type', expression: '"out_invoice"' },
    { target: 'ref', expression: 'id' },
    { target: 'invoice_date', expression: '$substring(occurrenceDateTime, 0, 10)' },
    {
      target: 'invoice_line_ids',
      expression:
        '[{"name": code.coding[0].display, "quantity": quantity.value, "price_unit": priceOverride.value}]',
    },
  ],
  references: [
    {
      field: 'partner_id',
      expression: `"${MODULE}.patient_" & ${safe('$substringAfter(subject.reference, "Patient/")')}`,
    },
  ],
  rules: [
    {
      id: 'price-policy',
      expression: `priceOverride.value <= ${MAX_SERVICE_PRICE_EUR}`,
      message: `The price is above the clinic's ${MAX_SERVICE_PRICE_EUR} EUR policy: check it before it is invoiced.`,
      severity: 'error',
    },
    {
      id: 'has-patient',
      expression: '$exists(subject.reference)',
      message: 'The charge names no patient.',
      severity: 'error',
    },
  ],
};

export const purchaseApprovalsMapping: MappingSpecInput = {
  key: '"purchase_order_" & $string(id)',
  fields: [
    { target: 'event', expression: '"purchase.order.approved"' },
    { target: 'order', expression: 'name' },
    { target: 'vendorReference', expression: 'partner_ref' },
    { target: 'approvedAt', expression: 'date_approve' },
    { target: 'total', expression: 'amount_total' },
  ],
  rules: [
    {
      id: 'is-approved',
      expression: 'state = "purchase"',
      message: 'Only approved orders are sent.',
      severity: 'error',
    },
  ],
};

/** Benchmarks and the kill test: bulk ChargeItems as customer invoices of one seeded customer. */
export const bulkChargesMapping: MappingSpecInput = {
  key: `"charge_" & ${safe('id')}`,
  fields: [
    { target: 'move_type', expression: '"out_invoice"' },
    { target: 'ref', expression: 'id' },
    { target: 'invoice_date', expression: '$substring(occurrenceDateTime, 0, 10)' },
    {
      target: 'invoice_line_ids',
      expression:
        '[{"name": code.coding[0].display, "quantity": quantity.value, "price_unit": priceOverride.value}]',
    },
  ],
  references: [{ field: 'partner_id', expression: '"base.main_partner"' }],
  rules: [
    {
      id: 'price-policy',
      expression: `priceOverride.value <= ${MAX_SERVICE_PRICE_EUR}`,
      message: 'The price is above policy.',
      severity: 'error',
    },
  ],
};

/** The demo supplier portal's suppliers, as Odoo partners (master data the demo creates). */
export const DEMO_SUPPLIERS: Readonly<Record<string, string>> = {
  'MediSupply GmbH': 'supplier_medisupply',
  'Hôpital Fournitures SARL': 'supplier_hopital_fournitures',
  'Nordic Care AB': 'supplier_nordic_care',
};

/**
 * Supplier invoice CSV lines → Odoo vendor bills. The drop delivers one record per invoice line, so
 * each line becomes its own draft bill (ref "INV-1001/2"); finance merges nothing by hand.
 */
export const supplierInvoicesMapping: MappingSpecInput = {
  key: `"supplier_invoice_" & ${safe('invoiceNumber & "_" & $string(line)')}`,
  fields: [
    { target: 'move_type', expression: '"in_invoice"' },
    { target: 'ref', expression: 'invoiceNumber & "/" & $string(line)' },
    { target: 'invoice_date', expression: 'invoiceDate' },
    {
      target: 'invoice_line_ids',
      expression: `[{"name": description, "quantity": quantity, "price_unit": unitPrice, "product_id/id": $valueMap("supply-products", productCode)}]`,
    },
  ],
  references: [{ field: 'partner_id', expression: '$valueMap("suppliers", supplier)' }],
  valueMaps: {
    suppliers: {
      entries: Object.fromEntries(
        Object.entries(DEMO_SUPPLIERS).map(([name, key]) => [name, `${MODULE}.${key}`]),
      ),
      onMissing: 'fail',
    },
    'supply-products': { entries: { ...SUPPLY_PRODUCTS }, onMissing: 'fail' },
  },
  rules: [
    {
      id: 'currency-eur',
      expression: 'currency = "EUR"',
      message: 'Bills are booked in EUR only.',
      severity: 'error',
    },
  ],
};
