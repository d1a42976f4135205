import type { ModelDef } from '../model-types.js';
import {
  accountMoveLineModel,
  accountMoveModel,
  purchaseOrderLineModel,
  purchaseOrderModel,
} from './account-purchase.js';
import {
  apiKeysModel,
  countryModel,
  modelDataModel,
  partnerModel,
  uomModel,
  usersModel,
} from './base-models.js';
import { locationModel, productModel, stockMoveModel } from './product-stock.js';

/** Every model the emulator knows; anything else is "Object x doesn't exist", as in Odoo. */
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
