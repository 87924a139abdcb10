import { defineContentScript } from 'wxt/utils/define-content-script';
import { crmContentScript } from '../extension/content/main';
import { salesforce } from '../lib/crm/salesforce';

export default defineContentScript(crmContentScript(salesforce));
