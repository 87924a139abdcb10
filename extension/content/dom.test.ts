// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { clearStaleDock, dock, prepareDock } from './dom';

afterEach(() => {
  for (const node of document.documentElement.querySelectorAll(':scope > baton-dock, :scope > span'))
    node.remove();
  for (const node of document.body.querySelectorAll('baton-dock')) node.remove();
});

describe('the dock', () => {
  it('is one box under <html>, made once, holding the panels docked in it', () => {
    const box = prepareDock()!;
    expect(box.localName).toBe('baton-dock');
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

  it('is the <html> child of that name, not another child nor a baton-dock deeper in the page', () => {
    document.documentElement.prepend(document.createElement('span'));
    const deeper = document.body.appendChild(document.createElement('baton-dock'));
    const box = prepareDock()!;
    expect(box).not.toBe(deeper);
    expect([box.localName, box.parentElement]).toEqual(['baton-dock', document.documentElement]);
    expect(prepareDock()).toBe(box);
  });

  it('drops every panel an older copy of the script left, and nothing else', () => {
    const stale = [document.createElement('baton-lead'), document.createElement('baton-lead')];
    for (const panel of stale) dock(panel);
    const other = document.createElement('span');
    prepareDock()!.append(other);
    clearStaleDock();
    expect([...stale, other].map((node) => node.isConnected)).toEqual([false, false, true]);
  });
});
