import { SLA_STYLE } from '../../components/sla-style';
import type { Lang } from '../../lib/i18n';
import { type LeadView, slaStateLabel, stageLabel } from '../../lib/lead-view';
import { nextStep } from '../../lib/next-step';
import { dueLine, formatDuration, momentClock } from '../../lib/sla/format';
import { slaStateAt } from '../../lib/sla/state';
import { adoptStyle, DOCKED_PANEL_STYLE, el } from './dom';

/**
 * The overlay on a CRM page: a <baton-lead> host whose shadow root isolates our styles from the CRM's
 * and theirs from ours. Built with DOM calls and textContent only: CRM text is written by strangers.
 * The host's data-* attributes are the documented contract (README, "Overlay contract").
 */
export type OverlayKind = 'panel' | 'chip';

/** What a rep can do from a record's panel; absent on chips (a list row has no room). */
export interface PanelActions {
  /** One click "contacted": resolves with the lead as the worker now sees it (SLA clock stopped). */
  contacted(view: LeadView): Promise<LeadView>;
  /** The extension page holding the feedback form for this lead, framed in the panel. */
  feedbackUrl(view: LeadView, lang: Lang): string;
  now(): number;
}

export interface Overlay {
  readonly host: HTMLElement;
  readonly kind: OverlayKind;
  show(view: LeadView, now: number): void;
  /** Moves the countdown and, when a due point passes, the state. Writes text only when it changed. */
  tick(now: number): void;
  remove(): void;
}

// contain: content keeps the once-a-second countdown from relaying out the CRM page around it.
const STYLE = `
:host { all: initial; contain: content; display: inline-block; font: 12px/1.4 sans-serif; color: #1f2328; }
:host([data-kind="panel"]) { display: block; pointer-events: auto; ${DOCKED_PANEL_STYLE} }
:host([data-kind="panel"]) .box { padding: 8px 10px; }
.dock-toggle { margin-left: auto; padding: 0 6px; }
.minimised .more { display: none; }
.box { border: 1px solid #d0d7de; border-radius: 6px; background: #fff; padding: 4px 8px; display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.chip { padding: 1px 6px; gap: 6px; white-space: nowrap; }
.brand { color: #0b5cad; }
.sla { border-left: 4px var(--sla-border, solid) var(--sla); padding-left: 6px; color: var(--sla); }
${Object.entries(SLA_STYLE)
  .map(
    ([state, { color, border }]) =>
      `:host([data-sla-state="${state}"]) .sla { --sla: ${color}; --sla-border: ${border}; }`,
  )
  .join('\n')}
.muted { color: #5c6670; }
/* The score's reasons: a button and the list it opens (the WAI-ARIA disclosure pattern). A native <details>
   took twice the style work of the rest of the panel in the frame that draws it on a heavy page (issue 18). */
.why { flex-basis: 100%; }
.why-toggle { all: unset; cursor: pointer; color: #0b5cad; }
/* Drawn, not spoken: aria-expanded says whether the list is open. Drawn by borders, not a triangle glyph:
   the sans-serif face lacks one, and finding the face that has it took 1 ms of the 4.5 ms frame that
   draws the panel on a heavy page (layout 2.4 ms against 1.4, medians of 9; issue 18). Forced colours
   leave it as it is: the transparent sides are what draw the triangle. */
.why-toggle::before { content: ""; display: inline-block; forced-color-adjust: none; margin-right: 5px; vertical-align: 1px; border-style: solid; border-color: transparent transparent transparent currentcolor; border-width: 4px 0 4px 6px; }
.why-toggle[aria-expanded="true"]::before { border-color: currentcolor transparent transparent; border-width: 6px 4px 0; }
.next { flex-basis: 100%; }
.moments-caption { flex-basis: 100%; }
.moments { flex-basis: 100%; margin: 0; padding-left: 18px; color: #3d444d; }
.moments time { font-variant-numeric: tabular-nums; }
button:focus-visible { outline: 2px solid #0b5cad; outline-offset: 2px; }
.actions { flex-basis: 100%; display: flex; gap: 8px; align-items: center; }
button { font: inherit; padding: 2px 8px; border: 1px solid #8c959f; border-radius: 4px; background: #f6f8fa; color: #1f2328; cursor: pointer; }
iframe { flex-basis: 100%; width: 100%; height: 520px; border: 1px solid #d0d7de; border-radius: 4px; }
ul { margin: 4px 0 0; padding-left: 18px; }
.pts { font-variant-numeric: tabular-nums; }
`;

const words = {
  excluded: { ja: '除外ルールにより引き渡し対象外', en: 'Never handed over, by exclusion rule' },
  score: { ja: 'スコア', en: 'Score' },
  grade: { ja: 'ランク', en: 'Grade' },
  fit: { ja: '属性', en: 'fit' },
  engagement: { ja: '行動', en: 'engagement' },
  handedOver: { ja: '引き渡しから', en: 'Handed over' },
  ago: { ja: '経過', en: 'ago' },
  why: { ja: 'MQLになった理由', en: 'Why it is an MQL' },
  whyScore: { ja: 'スコアの内訳', en: 'Score breakdown' },
  lead: { ja: 'Baton リード情報', en: 'Baton lead' },
  contacted: { ja: '対応', en: 'contacted' },
  markContacted: { ja: 'コンタクト済みにする', en: 'Mark contacted' },
  hideDetails: { ja: '詳細を隠す', en: 'Hide details' },
  showDetails: { ja: '詳細を表示', en: 'Show details' },
  saving: { ja: '保存中…', en: 'Saving…' },
  markedContacted: { ja: 'コンタクト済み（保存しました）', en: 'Contacted (saved)' },
  markFailed: { ja: '保存できませんでした', en: 'Could not save' },
  feedback: { ja: '評価を送る', en: 'Send feedback' },
  closeFeedback: { ja: '評価フォームを閉じる', en: 'Close feedback' },
  feedbackFrame: { ja: 'Baton リード評価フォーム', en: 'Baton lead feedback form' },
  owner: { ja: '担当', en: 'Owner' },
  moments: { ja: '最近の行動（スコア対象）', en: 'Recent engagement that scored' },
  notRead: { ja: '未読み取り', en: 'Not read yet' },
  partial: { ja: '一部', en: 'partial' },
  notReadTitle: {
    ja: 'まだこのリードのレコード画面を読み取っていません。開くとスコアと期限を表示します',
    en: 'Baton has not read this lead’s record page yet. Open it to see the score and due time',
  },
  partialTitle: {
    ja: '一覧の列だけから計算したスコアです。レコード画面を開くと全項目で計算します',
    en: 'Score from the list’s columns only. Open the record to score every field',
  },
};

/** A new overlay's host and the parts every kind has, before anything is shown in it. */
function overlayParts(kind: OverlayKind, lang: Lang, clonable = false) {
  const host = document.createElement('baton-lead');
  host.setAttribute('data-kind', kind);
  const shadow = host.attachShadow(clonable ? { mode: 'open', clonable: true } : { mode: 'open' });
  const box = el('div', kind === 'chip' ? 'box chip' : 'box');
  // Docked at the end of the page, the panel is a landmark so a screen reader reaches it in one step.
  box.setAttribute('role', kind === 'panel' ? 'complementary' : 'group');
  box.setAttribute('aria-label', words.lead[lang]);
  adoptStyle(shadow, STYLE);
  shadow.append(box);
  const scoreText = el('span');
  const stageText = el('span', 'muted');
  const slaText = el('span', 'sla');
  const sinceText = el('span', 'muted');
  box.append(
    ...(kind === 'panel' ? [el('span', 'brand', 'Baton')] : []),
    scoreText,
    stageText,
    slaText,
    sinceText,
  );
  return { host, box, scoreText, stageText, slaText, sinceText };
}

/**
 * An empty chip of each language, cloned for each row: one clone of a clonable shadow root instead of a
 * host, a shadow root and five elements built one call at a time (200 chips: 6.5 -> 5.4 ms, issue 18).
 */
const chipTemplates = new Map<Lang, HTMLElement | null>();

function chipParts(lang: Lang): ReturnType<typeof overlayParts> {
  let template = chipTemplates.get(lang);
  if (template === undefined) {
    template = overlayParts('chip', lang, true).host;
    // A browser without clonable shadow roots clones the host alone: build each chip instead.
    if (!(template.cloneNode(true) as HTMLElement).shadowRoot) template = null;
    chipTemplates.set(lang, template);
  }
  if (!template) return overlayParts('chip', lang);
  const host = template.cloneNode(true) as HTMLElement;
  const shadow = host.shadowRoot!;
  // The shared sheet is adopted again (a clone does not carry adopted sheets); a <style> fallback came with the clone.
  if (shadow.firstElementChild === shadow.lastElementChild) adoptStyle(shadow, STYLE);
  const box = shadow.lastElementChild as HTMLElement;
  const scoreText = box.firstElementChild as HTMLElement;
  const stageText = scoreText.nextElementSibling as HTMLElement;
  const slaText = stageText.nextElementSibling as HTMLElement;
  const sinceText = slaText.nextElementSibling as HTMLElement;
  return { host, box, scoreText, stageText, slaText, sinceText };
}

export function createOverlay(kind: OverlayKind, lang: Lang, actions?: PanelActions): Overlay {
  const { host, box, scoreText, stageText, slaText, sinceText } =
    kind === 'chip' ? chipParts(lang) : overlayParts(kind, lang);
  if (kind === 'panel') box.append(dockToggle(box, lang));
  /** The score's reasons (a button and its list), rebuilt on every show. */
  let reasons: HTMLElement | null = null;
  /** The panel's owner, next step and engagement timeline, rebuilt on every show. */
  let context: HTMLElement[] = [];
  let bar: HTMLElement | null = null;
  let frame: HTMLIFrameElement | null = null;
  /** This panel saved the rep's "contacted": its confirmation stays on every render of this lead. */
  let savedContact = false;
  let announceSaved = false;

  let view: LeadView | null = null;
  // null: nothing rendered yet (an empty text is a rendering too: a partial lead with no SLA known).
  let lastSla: string | null = null;
  let lastSince = '';

  const renderClock = (now: number) => {
    if (!view) return;
    const state = slaStateAt(view.sla, now);
    // What to do by when: the state in words, then the deadline and the countdown. A partial view with
    // no handoff known says nothing of an SLA ("No SLA" would be a guess).
    const due = dueLine(view.sla, state, now, lang);
    const sla =
      view.partial && state === 'none'
        ? ''
        : due
          ? `${slaStateLabel(state, lang)} · ${due}`
          : slaStateLabel(state, lang);
    if (sla !== lastSla) {
      lastSla = sla;
      slaText.textContent = sla;
      // The colour and border follow from the state in the shared stylesheet: 200 chips write no inline style.
      host.setAttribute('data-sla-state', state);
    }
    const since =
      view.handoff && kind === 'panel'
        ? `${words.handedOver[lang]} ${formatDuration(now - view.handoff.at, lang)}${lang === 'en' ? ` ${words.ago.en}` : words.ago.ja}`
        : '';
    if (since !== lastSince) {
      lastSince = since;
      sinceText.textContent = since;
    }
  };

  const actionBar = (current: LeadView): HTMLElement => {
    // The rep's actions stay when the panel is folded: folding hides reading matter, not the next step.
    const row = el('div', 'actions');
    // The rep's confirmation outlives the re-renders that follow it (the team's news, new rules), and is
    // announced once: a status region re-created on every render would be read out again each time.
    if (savedContact && current.sla.contactedAt !== null) {
      const done = el('span', undefined, words.markedContacted[lang]);
      if (announceSaved) done.setAttribute('role', 'status');
      announceSaved = false;
      row.append(done);
    }
    if (current.handoff && current.sla.contactedAt === null) {
      const mark = el('button', undefined, words.markContacted[lang]) as HTMLButtonElement;
      mark.type = 'button';
      mark.dataset.action = 'contacted';
      mark.addEventListener('click', () => {
        mark.disabled = true;
        mark.textContent = words.saving[lang];
        actions!.contacted(current).then(
          (updated) => {
            savedContact = true;
            announceSaved = true;
            self.show(updated, actions!.now());
          },
          () => {
            mark.disabled = false;
            mark.textContent = `${words.markContacted[lang]} — ${words.markFailed[lang]}`;
          },
        );
      });
      row.append(mark);
    }
    const toggle = el(
      'button',
      undefined,
      frame ? words.closeFeedback[lang] : words.feedback[lang],
    ) as HTMLButtonElement;
    toggle.type = 'button';
    toggle.dataset.action = 'feedback';
    toggle.setAttribute('aria-expanded', String(frame !== null));
    toggle.addEventListener('click', () => {
      if (frame) {
        frame.remove();
        frame = null;
      } else {
        frame = document.createElement('iframe');
        frame.className = 'more';
        frame.src = actions!.feedbackUrl(current, lang);
        frame.title = words.feedbackFrame[lang];
        box.append(frame);
      }
      toggle.textContent = frame ? words.closeFeedback[lang] : words.feedback[lang];
      toggle.setAttribute('aria-expanded', String(frame !== null));
    });
    row.append(toggle);
    return row;
  };

  const self: Overlay = {
    host,
    kind,
    show(next, now) {
      view = next;
      // setAttribute, not dataset: dataset's named properties take V8's slow interceptor path, the
      // largest part of drawing 200 chips (issue 18). The names are the overlay contract's (README).
      host.setAttribute('data-crm', next.crm);
      host.setAttribute('data-object', next.object);
      host.setAttribute('data-record-id', next.recordId);
      // Unknown is not zero: a lead whose record was never read shows what is known, marked as such.
      const unread = next.partial === true && next.score === 0 && next.handoff === null;
      host.setAttribute('data-score', unread ? '' : String(next.score));
      host.setAttribute('data-grade', next.partial ? '' : next.grade);
      if (next.partial) host.setAttribute('data-partial', 'true');
      else host.removeAttribute('data-partial');
      host.setAttribute('data-stage', next.stage);
      host.setAttribute('data-sla-due', next.sla.dueIso ?? '');
      scoreText.textContent = unread
        ? words.notRead[lang]
        : next.partial
          ? lang === 'ja'
            ? `${next.score}（${words.partial.ja}）`
            : `${next.score} · ${words.partial.en}`
          : kind === 'chip'
            ? `${next.score} ${next.grade}`
            : `${words.score[lang]} ${next.score} · ${words.grade[lang]} ${next.grade}`;
      scoreText.title = unread
        ? words.notReadTitle[lang]
        : next.partial
          ? words.partialTitle[lang]
          : `${words.score[lang]} ${next.score} (${words.fit[lang]} ${next.fit} + ${words.engagement[lang]} ${next.engagement})`;
      // "New" is the stage of a lead nothing is known about: on a partial view it would be a guess.
      stageText.textContent = next.partial && next.stage === 'new' ? '' : stageLabel(next.stage, lang);
      if (kind === 'panel') {
        for (const node of context) node.remove();
        context = panelContext(next, lang);
        for (const node of context) node.classList.add('more');
        sinceText.after(...context);
        reasons?.remove();
        reasons = explanation(next, lang);
        reasons.classList.add('more');
        box.append(reasons);
        if (actions) {
          bar?.remove();
          bar = actionBar(next);
          reasons.after(bar);
        }
      } else {
        host.title = [
          next.partial ? scoreText.title : undefined,
          next.handoff?.label[lang],
          ...next.why.map((w) => `${signed(w.points)} ${w.label[lang]}`),
        ]
          .filter(Boolean)
          .join('\n');
      }
      lastSla = null;
      lastSince = '';
      renderClock(now);
    },
    tick: renderClock,
    remove() {
      host.remove();
    },
  };
  return self;
}

/**
 * Whether the rep folded the docked panel to its first line: kept for the tab's life, so the next record
 * opens the way the rep left the last one.
 */
let detailsHidden = false;

/** The docked panel's fold: the first line (score, stage, due) and the buttons stay; the reading matter folds. */
function dockToggle(box: HTMLElement, lang: Lang): HTMLButtonElement {
  const toggle = el('button', 'dock-toggle') as HTMLButtonElement;
  toggle.type = 'button';
  toggle.dataset.action = 'fold';
  const render = () => {
    box.classList.toggle('minimised', detailsHidden);
    toggle.textContent = detailsHidden ? words.showDetails[lang] : words.hideDetails[lang];
    toggle.setAttribute('aria-expanded', String(!detailsHidden));
  };
  toggle.addEventListener('click', () => {
    detailsHidden = !detailsHidden;
    render();
  });
  render();
  return toggle;
}

/**
 * Who owns the lead, what to do next, and the recent engagement that scored, newest first: what a rep
 * needs before the call. Page text (owner, activity titles) goes in as text only.
 */
function panelContext(view: LeadView, lang: Lang): HTMLElement[] {
  const nodes: HTMLElement[] = [];
  if (view.owner) nodes.push(el('span', 'muted owner', `${words.owner[lang]}: ${view.owner}`));
  const step = nextStep(view);
  if (step) {
    const next = el('div', 'next', step[lang]);
    next.dataset.next = view.sla.contactedAt === null ? 'first_contact' : 'feedback';
    nodes.push(next);
  }
  if (view.moments && view.moments.length > 0) {
    const caption = el('div', 'muted moments-caption', words.moments[lang]);
    caption.id = 'baton-moments';
    const list = el('ol', 'moments');
    list.setAttribute('aria-labelledby', caption.id);
    nodes.push(caption);
    for (const moment of view.moments) {
      const item = el('li');
      const time = el('time', undefined, momentClock(moment.at, lang));
      time.setAttribute('datetime', moment.at);
      const what = moment.title ? `${moment.label[lang]} — ${moment.title}` : moment.label[lang];
      item.append(
        time,
        document.createTextNode(` ${what} `),
        el('span', 'pts', `(${signed(moment.points)})`),
      );
      list.append(item);
    }
    nodes.push(list);
  }
  return nodes;
}

/** Why the lead has its score (or is excluded), folded behind a button like a <details>, lighter to draw. */
function explanation(view: LeadView, lang: Lang): HTMLElement {
  const why = el('div', 'why');
  const toggle = el(
    'button',
    'why-toggle',
    view.handoff
      ? `${words.why[lang]}: ${view.handoff.label[lang]}`
      : view.excludedBy
        ? `${words.excluded[lang]}: ${view.excludedBy[lang]}`
        : words.whyScore[lang],
  ) as HTMLButtonElement;
  toggle.type = 'button';
  toggle.dataset.action = 'why';
  toggle.setAttribute('aria-expanded', 'false');
  const list = document.createElement('ul');
  list.id = 'baton-why';
  list.hidden = true;
  toggle.setAttribute('aria-controls', list.id);
  for (const item of view.why) {
    const li = document.createElement('li');
    li.append(el('span', 'pts', signed(item.points)), document.createTextNode(` ${item.label[lang]}`));
    list.append(li);
  }
  toggle.addEventListener('click', () => {
    list.hidden = !list.hidden;
    toggle.setAttribute('aria-expanded', String(!list.hidden));
  });
  why.append(toggle, list);
  return why;
}

function signed(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}
