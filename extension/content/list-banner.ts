import type { Lang } from '../../lib/i18n';
import { adoptStyle } from './dom';

/**
 * One small notice on a list view whose lead rows Baton could not read: said once, in words, rather
 * than leaving the rep to wonder why no row has a chip. Text only, in a shadow root.
 */
export interface ListBanner {
  readonly host: HTMLElement;
  remove(): void;
}

const words = {
  text: {
    ja: 'Baton: この一覧のリード行を読み取れませんでした。レコードを開くと表示されます。',
    en: 'Baton could not read the lead rows of this list. Open a record to see it there.',
  },
  close: { ja: '閉じる', en: 'Dismiss' },
};

const STYLE = `:host { all: initial; font: 12px/1.4 system-ui, -apple-system, "Hiragino Sans", "Meiryo", sans-serif; }
.box { display: flex; gap: 8px; align-items: baseline; max-width: 360px; padding: 4px 8px; border: 1px solid #d0d7de; border-left: 4px solid #a15c00; border-radius: 6px; background: #fff; color: #1f2328; }
button { font: inherit; border: 1px solid #8c959f; border-radius: 4px; background: #f6f8fa; cursor: pointer; }
button:focus-visible { outline: 2px solid #0b5cad; outline-offset: 2px; }`;

export function createListBanner(lang: Lang, crm: string): ListBanner {
  const host = document.createElement('baton-notice');
  host.dataset.kind = 'list-unread';
  host.dataset.crm = crm;
  Object.assign(host.style, { position: 'fixed', right: '16px', top: '16px', zIndex: '2147483000' });
  const shadow = host.attachShadow({ mode: 'open' });
  adoptStyle(shadow, STYLE);
  const box = document.createElement('div');
  box.className = 'box';
  box.setAttribute('role', 'status');
  const text = document.createElement('span');
  text.textContent = words.text[lang];
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = words.close[lang];
  close.addEventListener('click', () => {
    host.hidden = true;
  });
  box.append(text, close);
  shadow.append(box);
  document.body.append(host);
  return {
    host,
    remove() {
      host.remove();
    },
  };
}
