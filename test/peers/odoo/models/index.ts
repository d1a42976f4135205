import type { ModelDef } from '../model-types.js';
import { accountMoveLineModel, accountMoveModel } from './account-move.js';
import { purchaseOrderLineModel, purchaseOrderModel } from './purchase.js';
import {
  apiKeysModel,
  countryModel,
  modelDataModel,
  partnerModel,
  uomModel,
  usersModel,
} from './base-models.js';
import { asOdoo19 } from './odoo19.js';
import { locationModel, productModel, stockMoveModel } from './product-stock.js';

/** Every model the emulator knows; anything else is "Object x doesn't exist", as in Odoo. */
export function modelsFor(version: '17.0' | '19.0'): readonly ModelDef[] {
  return version === '19.0' ? ALL_MODELS.map(asOdoo19) : ALL_MODELS;
}

export const ALL_MODELS: readonly ModelDef[] = [
  partnerModel,
  countryModel,
  usersModel,
  apiKeysModel,
  uomModel,
  modelDataModel,
  productModel,
  locationModel,
  stockMoveModel,
  accountMoveModel,
  accountMoveLineModel,
  purchaseOrderModel,
  purchaseOrderLineModel,
];
