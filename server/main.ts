/**
 * `tsx server/main.ts` starts the endpoint; `tsx server/main.ts token create|list|revoke` manages tokens
 * in the same database (settings from the environment, see README.md).
 */
import { parseArgs } from 'node:util';
import { INTAKE_SOURCES, intakeSourceSchema } from '../lib/intake/mapping';
import { roleSchema } from '../lib/roles';
import { createToken } from './auth';
import { ConfigError, loadConfig } from './config';
import { createLogger, errorFields } from './log';
import { openStore, startServer } from './server';

const USAGE = `Usage:
  tsx server/main.ts                                   start the endpoint
  tsx server/main.ts token create --role <rep|manager|marketer|admin> --name "<who>"
  tsx server/main.ts token create --role intake --name <hubspot|kintone|pipedrive|salesforce|csv>
  tsx server/main.ts token list [--json]
  tsx server/main.ts token revoke <id>`;

async function tokenCommand(args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { role: { type: 'string' }, name: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const config = loadConfig();
  const store = await openStore(config);
  try {
    if (action === 'create') {
      const role = roleSchema.safeParse(values.role);
      const name = values.name?.trim();
      if (!role.success || !name) {
        console.error('token create needs --role rep|manager|marketer|admin|intake and --name "<who>"');
        return 2;
      }
      // An intake token posts to /v1/intake/<its name> only: the name says which automation holds it.
      if (role.data === 'intake' && !intakeSourceSchema.safeParse(name).success) {
        console.error(`An intake token is named for its source: --name ${INTAKE_SOURCES.join('|')}`);
        return 2;
      }
      const { record, token } = await createToken(store, { name, role: role.data, now: Date.now() });
      console.error(
        `Created token ${record.id} for "${record.name}" (${record.role}). It is shown only once:`,
      );
      console.log(token);
      return 0;
    }
    if (action === 'list') {
      const tokens = await store.tokens.list();
      if (values.json) {
        console.log(JSON.stringify(tokens, null, 2));
        return 0;
      }
      console.log(
        ['id'.padEnd(14), 'role'.padEnd(9), 'created'.padEnd(25), 'revoked'.padEnd(25), 'name'].join(' '),
      );
      for (const t of tokens) {
        console.log(
          [
            t.id.padEnd(14),
            t.role.padEnd(9),
            new Date(t.createdAt).toISOString().padEnd(25),
            (t.revokedAt ? new Date(t.revokedAt).toISOString() : '-').padEnd(25),
            t.name,
          ].join(' '),
        );
      }
      return 0;
    }
    if (action === 'revoke') {
      const id = positionals[0];
      if (!id) {
        console.error('token revoke needs the token id (see token list)');
        return 2;
      }
      if (await store.tokens.revoke(id, Date.now())) {
        console.log(`Revoked ${id}. Instances stop accepting it within BATON_TOKEN_CACHE_MS.`);
        return 0;
      }
      console.error(`No active token with id ${id}`);
      return 1;
    }
    console.error(USAGE);
    return 2;
  } finally {
    await store.db.close();
  }
}

async function serve(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const server = await startServer(config, { log });
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    log.info('shutting down', { signal });
    server.stop().then(
      () => process.exit(0),
      (error) => {
        log.error('shutdown failed', errorFields(error));
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'serve') await serve();
    else if (command === 'token') process.exitCode = await tokenCommand(rest);
    else {
      console.error(USAGE);
      process.exitCode = 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}

await main(process.argv.slice(2));
