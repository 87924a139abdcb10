import { defineContentScript } from 'wxt/utils/define-content-script';
import { crmContentScript } from '../extension/content/main';
import { dynamics } from '../lib/crm/dynamics';

export default defineContentScript(crmContentScript(dynamics));
