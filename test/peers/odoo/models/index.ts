import type { ModelDef } from '../model-types.js';
import { accountMoveLineModel, accountMoveModel } from './account-move.js';
import { purchaseOrderLineModel, purchaseOrderModel } from './purchase.js';
import {
  apiKeysModel,
  apiKeysModel19,
  countryModel,
  modelDataModel,
  partnerModel,
  uomModel,
  usersModel,
} from './base-models.js';
import { locationModel, productModel, stockMoveModel } from './product-stock.js';

/** Every model the emulator knows; anything else is "Object x doesn't exist", as in Odoo. */
export function modelsFor(version: '17.0' | '19.0'): readonly ModelDef[] {
  return ALL_MODELS.map((model) => (model === apiKeysModel && version === '19.0' ? apiKeysModel19 : model));
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
