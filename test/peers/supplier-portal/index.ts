export { startSupplierPortal, type SupplierPortal, type ReceivedEvent } from './webhook-receiver.js';
export {
  SUPPLIER_INVOICE_HEADERS,
  SUPPLIER_INVOICE_LAYOUT,
  invoiceCsv,
  invoiceRows,
  encodeText,
  writeDemoSupplierDrop,
  type DemoDropFile,
  type DropEncoding,
} from './supplier-invoices.js';
