// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PageMapTester } from './PageMapTester';

const FIXTURES = join(import.meta.dirname, '../../tests/fixtures/crm');
const html = readFileSync(join(FIXTURES, 'zoho/record-canvas-ja.html'), 'utf8');
const { $comment: _why, ...repair } = JSON.parse(
  readFileSync(join(FIXTURES, 'page-maps/zoho-canvas.json'), 'utf8'),
);

function fill(url: string, page: string, map: string) {
  fireEvent.change(screen.getByLabelText('Page URL'), { target: { value: url } });
  fireEvent.change(screen.getByLabelText('Saved page HTML'), { target: { value: page } });
  fireEvent.change(screen.getByLabelText('Page map (JSON)'), { target: { value: map } });
}

describe('PageMapTester', () => {
  afterEach(cleanup);

  it('shows what each field reads on a pasted page, with and without the map, and publishes it', async () => {
    const publish = vi.fn(async () => ({ version: 4, crms: {} }));
    render(<PageMapTester lang="en" publish={publish} />);
    fill('https://crm.zoho.jp/crm/org70088888/tab/Leads/4451230000000499777', html, JSON.stringify(repair));
    fireEvent.click(screen.getByRole('button', { name: 'Try it' }));
    const company = screen.getByRole('rowheader', { name: 'company' }).parentElement!;
    expect([...company.children].map((c) => c.textContent)).toEqual([
      'company',
      '(not read)',
      '森田工業株式会社',
      'selector',
    ]);
    fireEvent.click(screen.getByRole('button', { name: 'Publish this page map' }));
    expect(await screen.findByText('Published: version 4')).toBeTruthy();
    expect(publish).toHaveBeenCalledWith(
      expect.objectContaining({ crms: expect.objectContaining({ zoho: expect.anything() }) }),
    );
  });

  it('refuses an invalid map whole, naming each problem, and publishes nothing', () => {
    const publish = vi.fn();
    render(<PageMapTester lang="ja" publish={publish} />);
    fireEvent.change(screen.getByLabelText('ページマップ（JSON）'), {
      target: { value: '{"crms":{"zoho":{"fields":{"company":{"selectors":["a { x }"]}}}}}' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'このページマップを公開' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'crms.zoho.fields.company.selectors[0]: セレクターに { } は使えません',
    );
    expect(publish).not.toHaveBeenCalled();
  });

  it('never runs the pasted page: its scripts and handlers stay text', () => {
    render(<PageMapTester lang="en" />);
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    fill('https://crm.zoho.jp/crm/org1/tab/Leads/4451230000000499777', hostile, '{"crms":{}}');
    fireEvent.click(screen.getByRole('button', { name: 'Try it' }));
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
    expect(screen.getByRole('status').textContent).toBe('Nothing can be read, even with the map.');
  });
});
