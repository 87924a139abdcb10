import { defineContentScript } from 'wxt/utils/define-content-script';
import { crmContentScript } from '../extension/content/main';
import { kintone } from '../lib/crm/kintone';

export default defineContentScript(crmContentScript(kintone));
