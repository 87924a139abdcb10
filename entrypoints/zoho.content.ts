import { defineContentScript } from 'wxt/utils/define-content-script';
import { crmContentScript } from '../extension/content/main';
import { zoho } from '../lib/crm/zoho';

export default defineContentScript(crmContentScript(zoho));
