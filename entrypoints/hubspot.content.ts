import { defineContentScript } from 'wxt/utils/define-content-script';
import { crmContentScript } from '../extension/content/main';
import { hubspot } from '../lib/crm/hubspot';

export default defineContentScript(crmContentScript(hubspot));
