// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { clearStaleDock, dock, prepareDock } from './dom';

afterEach(() => {
  for (const node of document.documentElement.querySelectorAll(':scope > baton-dock')) node.remove();
});

describe('the dock', () => {
  it('is one box under <html>, made once, holding the panels docked in it', () => {
    const box = prepareDock()!;
    expect(box.parentElement).toBe(document.documentElement);
    expect(prepareDock()).toBe(box);
    const panel = document.createElement('baton-lead');
    dock(panel);
    dock(panel);
    expect([...box.children]).toEqual([panel]);
    expect(document.documentElement.querySelectorAll(':scope > baton-dock')).toHaveLength(1);
  });

  it('is made again when the page removed it, and a removed panel is docked again', () => {
    const panel = document.createElement('baton-lead');
    dock(panel);
    prepareDock()!.remove();
    expect(panel.isConnected).toBe(false);
    dock(panel);
    expect(panel.parentElement).toBe(document.documentElement.querySelector(':scope > baton-dock'));
  });

  it('drops the panels an older copy of the script left, and nothing else', () => {
    const stale = document.createElement('baton-lead');
    dock(stale);
    const other = document.createElement('span');
    prepareDock()!.append(other);
    clearStaleDock();
    expect([stale.isConnected, other.isConnected]).toEqual([false, true]);
  });
});
