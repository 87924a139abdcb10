import type { Lang } from '../../lib/i18n';
import type { LeadKey } from '../../lib/lead';
import { slaStateLabel, stageLabel } from '../../lib/lead-view';
import type { QueueItem } from '../../lib/messaging';
import { dueLine } from '../../lib/sla/format';
import { slaStateAt } from '../../lib/sla/state';
import { adoptStyle, DOCKED_PANEL_STYLE, el } from './dom';

/**
 * The panel on a lead record whose fields Baton could not read. It says so in words, never shows a
 * score or grade (unknown is not zero), shows what the team state knows of the lead, and offers a
 * one-click report (the CRM and page kind, no field values). Text only: nothing from the page is markup.
 */
export interface UnreadPanel {
  readonly host: HTMLElement;
  show(key: LeadKey, known: QueueItem | null, now: number): void;
  remove(): void;
}

export interface UnreadReport {
  subject: string;
  body: string;
}

const words = {
  title: {
    ja: 'Baton: この画面の項目を読み取れませんでした',
    en: 'Baton could not read the fields on this page',
  },
  unknown: {
    ja: 'スコアとランクは不明です（0点ではありません）。',
    en: 'Score and grade are unknown (not zero).',
  },
  team: { ja: 'チームの情報', en: 'From the team' },
  noTeam: {
    ja: 'このリードについてチームの情報はまだありません。',
    en: 'The team has no record of this lead yet.',
  },
  report: { ja: '報告をコピー', en: 'Copy report' },
  copied: {
    ja: '報告をコピーしました。管理者に送ってください。',
    en: 'Report copied: send it to your admin.',
  },
  copyFailed: {
    ja: 'コピーできませんでした。下の報告を選択してコピーしてください。',
    en: 'Could not copy: select the report below and copy it.',
  },
  reportText: { ja: '報告の内容（項目の値は含みません）', en: 'Report text (no field values)' },
};

const STYLE = `
:host { all: initial; display: block; pointer-events: auto; ${DOCKED_PANEL_STYLE} font: 12px/1.4 sans-serif; color: #1f2328; }
.box { border: 1px dashed #8c959f; border-radius: 6px; background: #fff; padding: 6px 8px; display: flex; flex-direction: column; gap: 4px; }
.title { color: #0b5cad; }
.muted { color: #5c6670; }
button { align-self: flex-start; font: inherit; padding: 2px 8px; border: 1px solid #8c959f; border-radius: 4px; background: #f6f8fa; color: #1f2328; cursor: pointer; }
button:focus-visible, summary:focus-visible { outline: 2px solid #0b5cad; outline-offset: 2px; }
pre { white-space: pre-wrap; margin: 4px 0 0; font: inherit; }
`;

export function createUnreadPanel(
  lang: Lang,
  report: () => UnreadReport,
  copy: (text: string) => Promise<void>,
): UnreadPanel {
  const host = document.createElement('baton-lead');
  host.dataset.kind = 'panel';
  host.dataset.read = 'none';
  const shadow = host.attachShadow({ mode: 'open' });
  adoptStyle(shadow, STYLE);
  const box = el('div', 'box');
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', words.title[lang]);
  shadow.append(box);

  return {
    host,
    show(key, known, now) {
      host.dataset.crm = key.crm;
      host.dataset.object = key.object;
      host.dataset.recordId = key.recordId;
      host.dataset.stage = known?.stage ?? '';
      const title = el('div', 'title', words.title[lang]);
      title.setAttribute('role', 'status');
      const teamLine = el('div', undefined, teamText(known, lang, now));
      const button = el('button', undefined, words.report[lang]) as HTMLButtonElement;
      button.type = 'button';
      button.dataset.action = 'report';
      const status = el('div', 'muted');
      status.setAttribute('aria-live', 'polite');
      const details = document.createElement('details');
      const summary = el('summary', undefined, words.reportText[lang]);
      const pre = el('pre');
      details.append(summary, pre);
      button.addEventListener('click', () => {
        const { subject, body } = report();
        pre.textContent = `${subject}\n\n${body}`;
        copy(pre.textContent).then(
          () => {
            status.textContent = words.copied[lang];
          },
          () => {
            status.textContent = words.copyFailed[lang];
            details.open = true;
          },
        );
      });
      box.replaceChildren(title, el('div', 'muted', words.unknown[lang]), teamLine, button, status, details);
    },
    remove() {
      host.remove();
    },
  };
}

function teamText(known: QueueItem | null, lang: Lang, now: number): string {
  if (!known?.stage) return words.noTeam[lang];
  const state = slaStateAt(known.sla, now);
  const due = dueLine(known.sla, state, now, lang);
  return `${words.team[lang]}: ${stageLabel(known.stage, lang)} · ${slaStateLabel(state, lang)}${due ? ` · ${due}` : ''}`;
}
