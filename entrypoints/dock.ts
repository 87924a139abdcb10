import { defineUnlistedScript } from 'wxt/utils/define-unlisted-script';
import { prepareDockWhenParsed } from '../extension/content/dom';

/**
 * Injected at document_start on every CRM host, before the page's first frame: makes the empty dock the
 * record panels go into, so that frame draws it (extension/content/dom.ts says why). Listed in the
 * manifest by wxt.config.ts, not by WXT: a content script entrypoint would carry WXT's content script
 * runtime, and its options the adapters, into a script of a few lines.
 */
export default defineUnlistedScript(prepareDockWhenParsed);
