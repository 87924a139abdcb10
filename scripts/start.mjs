#!/usr/bin/env node
// `npm start`: build the extension for Chrome/Edge and Firefox and say where it is and how to load it.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const chrome = resolve(root, '.output/chrome-mv3');
const firefox = resolve(root, '.output/firefox-mv3');
console.log(`
Baton is built.

  Chrome / Edge (MV3): ${chrome}
    chrome://extensions (edge://extensions) → turn on Developer mode → "Load unpacked" → choose that folder.

  Firefox (MV3):       ${firefox}
    about:debugging#/runtime/this-firefox → "Load Temporary Add-on…" → choose manifest.json in that folder.

Then open a lead in your CRM (Salesforce, HubSpot, Dynamics 365, Zoho CRM, Pipedrive or kintone).
`);
