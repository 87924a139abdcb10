import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { bufferedStdout, createLogger } from './log';

/** A log file to write to by descriptor, its text read back, removed after `use`. */
async function withLogFile(use: (fd: number, text: () => string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-log-'));
  const file = path.join(dir, 'out.log');
  const fd = fs.openSync(file, 'w');
  try {
    await use(fd, () => fs.readFileSync(file, 'utf8'));
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('structured logs', () => {
  it('writes one JSON object per line with time, level, message and the given fields', () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      (line) => lines.push(line),
      () => Date.UTC(2026, 10, 25, 1, 2, 3),
    );
    log.info('request', { status: 304, path: '/v1/"odd"\npath' });
    log.debug('not at info');
    log.error('failed', {});
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(JSON.parse(lines[0]!)).toEqual({
      time: '2026-11-25T01:02:03.000Z',
      level: 'info',
      msg: 'request',
      status: 304,
      path: '/v1/"odd"\npath',
    });
    expect(JSON.parse(lines[1]!)).toEqual({
      time: '2026-11-25T01:02:03.000Z',
      level: 'error',
      msg: 'failed',
    });
  });

  it('collects lines and writes them together, soon after', () =>
    withLogFile(async (fd, text) => {
      const write = bufferedStdout(fd, 20);
      write('a\n');
      write('b\n');
      expect(text()).toBe('');
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(text()).toBe('a\nb\n');
    }));

  it('starts a new line after a write that stopped inside one (a full pipe), instead of gluing two lines', () =>
    withLogFile(async (fd, text) => {
      const real = fs.writeSync.bind(fs) as (fd: number, data: Buffer, at: number, length: number) => number;
      // The first flush gets 5 bytes out ("first" of "first\n"), then the pipe is full (EAGAIN).
      let calls = 0;
      const writes = vi.spyOn(fs, 'writeSync').mockImplementation(((
        out: number,
        data: Buffer | string,
        at?: number,
        length?: number,
      ) => {
        calls += 1;
        if (typeof data === 'string') return real(out, Buffer.from(data), 0, Buffer.byteLength(data));
        if (calls === 1) return real(out, data, at ?? 0, 5);
        if (calls === 2) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
        return real(out, data, at ?? 0, length ?? data.length);
      }) as typeof fs.writeSync);
      try {
        const write = bufferedStdout(fd, 10);
        write('first\n');
        await new Promise((resolve) => setTimeout(resolve, 40));
        write('{"second":2}\n');
        await new Promise((resolve) => setTimeout(resolve, 40));
        expect(text().split('\n')).toEqual(['first', '{"second":2}', '']);
      } finally {
        writes.mockRestore();
      }
    }));

  it('keeps the order and the UTF-8 of lines, past a flush and past a line too long to collect', () =>
    withLogFile(async (fd, text) => {
      const write = bufferedStdout(fd, 20);
      const lines = [
        '山田 太郎\n',
        ...Array.from({ length: 3000 }, (_, i) => `${i} ${'ログ'.repeat(50)}\n`),
        `${'長'.repeat(400_000)}\n`,
        'last\n',
      ];
      for (const line of lines) write(line);
      await new Promise((resolve) => setTimeout(resolve, 60));
      expect(text()).toBe(lines.join(''));
    }));
});
