import { defineContentScript } from 'wxt/utils/define-content-script';
import { crmContentScript } from '../extension/content/main';
import { pipedrive } from '../lib/crm/pipedrive';

export default defineContentScript(crmContentScript(pipedrive));
