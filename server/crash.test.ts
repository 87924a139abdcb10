import http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { BatonEvent } from '../lib/events';
import { createToken } from './auth';
import { loadConfig } from './config';
import { openStore } from './server';
import { handoff, stageChange } from './test/fixtures';
import { type Backend, describeBackends, spawnServer, TEST_ENV } from './test/harness';

async function prepare(backend: Backend) {
  const env = { ...TEST_ENV, ...backend.freshDatabase() };
  const store = await openStore(loadConfig(env));
  const { token } = await createToken(store, { name: 'crash test', role: 'rep', now: Date.now() });
  await store.db.close();
  return { env, token };
}

async function post(url: string, token: string, events: BatonEvent[]) {
  const response = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  return { status: response.status, text: await response.text() };
}

describeBackends('durability', (backend) => {
  it('keeps every acknowledged event, once, when the server is killed with SIGKILL mid-stream', async () => {
    const { env, token } = await prepare(backend);
    const first = await spawnServer(env);
    const acked: { events: BatonEvent[]; answer: string }[] = [];
    const attempted = new Set<string>();
    let stop = false;
    const writer = async () => {
      while (!stop) {
        const events = [handoff(), stageChange(), handoff(), stageChange(), handoff()];
        for (const e of events) attempted.add(e.idempotencyKey);
        try {
          const res = await post(first.url, token, events);
          expect(res.status).toBe(200);
          acked.push({ events, answer: res.text });
        } catch {
          return; // the connection died with the server: this batch was never acknowledged
        }
      }
    };
    const writers = Array.from({ length: 6 }, writer);
    while (acked.length < 60) await new Promise((resolve) => setTimeout(resolve, 5));
    first.process.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    stop = true;
    await Promise.all(writers);

    const second = await spawnServer(env);
    try {
      // A client retrying after the crash is answered exactly as before.
      for (const batch of acked.slice(0, 20)) {
        const res = await post(second.url, token, batch.events);
        expect(res.status).toBe(200);
        expect(res.text).toBe(batch.answer);
      }
      const store = await openStore(loadConfig(env));
      try {
        const rows = await store.db.all<{ idempotency_key: string; n: number }>(
          'SELECT idempotency_key, COUNT(*) AS n FROM events GROUP BY idempotency_key',
        );
        const stored = new Map(rows.map((r) => [r.idempotency_key, Number(r.n)]));
        const ackedKeys = acked.flatMap((b) => b.events.map((e) => e.idempotencyKey));
        expect(ackedKeys.filter((k) => stored.get(k) !== 1)).toEqual([]);
        expect([...stored.values()].every((n) => n === 1)).toBe(true);
        expect([...stored.keys()].filter((k) => !attempted.has(k))).toEqual([]);
        expect(stored.size).toBeGreaterThanOrEqual(ackedKeys.length);
      } finally {
        await store.db.close();
      }
    } finally {
      second.process.kill('SIGKILL');
      await second.exited;
    }
  });

  it('finishes a request already in progress when told to stop with SIGTERM, then exits 0', async () => {
    const { env, token } = await prepare(backend);
    const child = await spawnServer(env);
    const event = handoff();
    const body = Buffer.from(JSON.stringify({ events: [event] }));
    const { port, hostname } = new URL(child.url);
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        {
          host: hostname,
          port,
          method: 'POST',
          path: '/v1/events',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': body.length,
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on('error', reject);
      // Half the body now, the rest after the server has been told to stop.
      req.write(body.subarray(0, 20));
      setTimeout(() => {
        child.process.kill('SIGTERM');
        setTimeout(() => req.end(body.subarray(20)), 300);
      }, 300);
    });
    const res = await answer;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text).receipts[0].idempotencyKey).toBe(event.idempotencyKey);
    expect(await child.exited).toBe(0);
    expect(child.lines.some((l) => l.includes('"msg":"stopped"'))).toBe(true);

    const store = await openStore(loadConfig(env));
    try {
      const row = await store.db.get<{ n: number }>(
        'SELECT COUNT(*) AS n FROM events WHERE idempotency_key = ?',
        [event.idempotencyKey],
      );
      expect(Number(row?.n)).toBe(1);
    } finally {
      await store.db.close();
    }
  });
});

describe('configuration', () => {
  it('refuses to start with a bad setting, naming the variable', async () => {
    await expect(spawnServer({ PORT: 'eighty' })).rejects.toThrow(/PORT must be a whole number/);
  });
});
