#!/usr/bin/env node
// `npm start`: build the extension for Chrome/Edge and Firefox, say where it is and how to load it,
// start the sync endpoint on 127.0.0.1:8787 (embedded SQLite, seeded with the default rule set, demo
// tokens for rep, manager and marketer printed on the first start only), and, where a display is available, open a demo Chromium with the
// extension on sample CRM pages served at their real URLs. Ctrl+C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

const children = [];
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// As `npm run server` starts it (package.json), Node flags included, without npm in between for signals.
const serverCommand = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')).scripts.server.split(
  ' ',
);
const endpoint = spawn('npx', serverCommand, {
  cwd: root,
  stdio: 'inherit',
  env: { PORT: '8787', HOST: '127.0.0.1', BATON_SEED_DEMO: '1', ...process.env },
});
children.push(endpoint);
console.log(
  'Sync endpoint: http://127.0.0.1:8787 (SQLite in data/; demo tokens are printed below on the first start only: ' +
    'keep them, or make one with "npm run server -- token create")',
);
console.log(
  "Enter its URL and a token on the extension's options page to sync; without it Baton works alone.\n",
);

if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) {
  children.push(spawn('npx', ['tsx', 'scripts/demo.ts'], { cwd: root, stdio: 'inherit' }));
} else {
  console.log(
    'No display here: run `npm run demo:screens` for screenshots of the overlay on the sample pages.',
  );
}

endpoint.on('exit', (code) => {
  stop();
  process.exit(code ?? 0);
});
