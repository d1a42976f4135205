import { CONSUMPTION_LOCATION } from '../peers/demo/demo-mappings.js';

/**
 * What the demo must have written where Odoo 17 and 19 differ, by the series the harness serves.
 * This is the test's own knowledge of the two versions (read from their sources), independent of
 * the demo, which asks the server's fields_get: if the demo read the server wrongly, these differ.
 */
export interface VersionForms {
  /** The refusal's line for the consumption location, from "(usage 'inventory'), " on. */
  readonly locationParentWords: string;
  /** Whether the location hangs under stock.stock_location_locations_virtual (17) or at the top (19). */
  readonly underVirtualLocations: boolean;
  /** The product fields that hold the kind, and their values for a supply and a service. */
  readonly productKindFields: readonly string[];
  readonly supplyKind: Readonly<Record<string, unknown>>;
  readonly serviceKind: Readonly<Record<string, unknown>>;
  /** The stock.move field that holds a supply use's description. */
  readonly moveDescriptionField: 'name' | 'description_picking';
  /** The line the demo prints about the forms it used. */
  readonly modelsLine: string;
}

export function versionForms(series: string): VersionForms {
  if (Number.parseFloat(series) >= 19)
    return {
      locationParentWords: `no Parent Location (this Odoo has no ${CONSUMPTION_LOCATION.parent})`,
      underVirtualLocations: false,
      productKindFields: ['type', 'is_storable'],
      supplyKind: { type: 'consu', is_storable: false },
      serviceKind: { type: 'service', is_storable: false },
      moveDescriptionField: 'description_picking',
      modelsLine:
        "Odoo's models as this server describes them (fields_get): products by type + is_storable " +
        '(this Odoo has no detailed_type); stock move descriptions in description_picking ' +
        '(stock.move has no name here); the consumption location at the top level ' +
        `(this Odoo has no ${CONSUMPTION_LOCATION.parent}).`,
    };
  return {
    locationParentWords: `Parent Location "Virtual Locations" (${CONSUMPTION_LOCATION.parent})`,
    underVirtualLocations: true,
    productKindFields: ['detailed_type'],
    supplyKind: { detailed_type: 'consu' },
    serviceKind: { detailed_type: 'service' },
    moveDescriptionField: 'name',
    modelsLine:
      "Odoo's models as this server describes them (fields_get): products by detailed_type; " +
      `stock move descriptions in name; the consumption location under ${CONSUMPTION_LOCATION.parent}.`,
  };
}
