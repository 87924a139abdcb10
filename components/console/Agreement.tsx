import { useEffect, useRef, useState } from 'react';
import type { ApproverSide, RuleVersion } from '../../lib/events';
import { type Lang, type LocalizedText, textTable } from '../../lib/i18n';
import { diffText, type RuleChange } from '../../lib/rules/diff';
import { ColumnHeads } from '../ColumnHeads';
import { DiffList } from './DiffList';
import { describeError } from './errors';
import { Notice } from './Notice';
import { REP_CANNOT_WRITE_RULES, type Refusals } from './roles';

const UI = textTable({
  ja: {
    propose: '下書きを提案する',
    changes: '有効なルールからの変更',
    summary: '変更の概要',
    proposeButton: '承認を依頼する',
    invalidDraft: '下書きに問題があるため提案できません（ルールタブを参照）',
    proposed: '提案しました: バージョン',
    awaiting: '承認待ち',
    noDrafts: '承認待ちの下書きはありません',
    version: 'バージョン',
    marketing: 'マーケティング',
    sales: '営業',
    waiting: '未署名',
    comment: '承認コメント（任意）',
    signedOff: '承認しました: バージョン',
    alreadyProposed: 'この下書きは承認待ちです: バージョン',
    diffOf: '有効なルールとの差分',
    loading: '読み込み中…',
    history: '履歴',
    status: '状態',
    created: '作成',
    activated: '有効化',
    note: 'メモ',
    actions: '操作',
    rollback: 'このバージョンに戻す',
    rolledBack: 'ロールバックを提案しました: バージョン',
    document: 'SLA 文書',
    rollbackOf: 'ロールバック元',
    by: '作成者',
  },
  en: {
    propose: 'Propose the draft',
    changes: 'Changes from the active rules',
    summary: 'Change summary',
    proposeButton: 'Propose for sign-off',
    invalidDraft: 'The draft has problems and cannot be proposed (see the Rules tab)',
    proposed: 'Proposed as version',
    awaiting: 'Awaiting sign-off',
    noDrafts: 'No draft is awaiting sign-off',
    version: 'Version',
    marketing: 'Marketing',
    sales: 'Sales',
    waiting: 'not signed yet',
    comment: 'Sign-off comment (optional)',
    signedOff: 'Signed off version',
    alreadyProposed: 'This draft is already awaiting sign-off as version',
    diffOf: 'Changes against the active rules',
    loading: 'Loading…',
    history: 'History',
    status: 'Status',
    created: 'Created',
    activated: 'Activated',
    note: 'Note',
    actions: 'Actions',
    rollback: 'Roll back to this version',
    rolledBack: 'Rollback proposed as version',
    document: 'SLA document',
    rollbackOf: 'rollback of',
    by: 'by',
  },
});

const STATUS: Record<RuleVersion['status'], LocalizedText> = textTable({
  ja: {
    draft: '下書き',
    active: '有効',
    retired: '過去の版',
    superseded: '置き換え済み',
  },
  en: {
    draft: 'Draft',
    active: 'Active',
    retired: 'Retired',
    superseded: 'Superseded',
  },
});

const ACTIVATION: Record<NonNullable<RuleVersion['activation']>, LocalizedText> = textTable({
  ja: {
    signoffs: '両部門の承認',
    admin: '管理者',
    seed: '初期設定',
  },
  en: {
    signoffs: 'both sign-offs',
    admin: 'admin',
    seed: 'seed',
  },
});

export function when(iso: string | null, lang: Lang): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

const SIDE: Record<ApproverSide, LocalizedText> = textTable({
  ja: {
    marketing: 'マーケティング',
    sales: '営業',
  },
  en: {
    marketing: 'marketing',
    sales: 'sales',
  },
});

function signOffLabel(version: number, lang: Lang): string {
  return lang === 'ja' ? `バージョン ${version} を承認` : `Sign off version ${version}`;
}

function signedByYou(side: ApproverSide, lang: Lang): string {
  return lang === 'ja'
    ? `${SIDE[side].ja}側として承認済みです。もう一方の部門の承認を待っています`
    : `You signed off for ${SIDE[side].en}; waiting for the other department`;
}

function signoffText(version: RuleVersion, side: 'marketing' | 'sales', lang: Lang): string {
  const s = version.signoffs.find((x) => x.side === side);
  if (!s) return UI.waiting[lang];
  return `${s.by.name} · ${when(s.at, lang)}${s.comment ? ` · “${s.comment}”` : ''}`;
}

export interface AgreementProps {
  lang: Lang;
  /** Every version, newest first; null while loading. */
  versions: RuleVersion[] | null;
  /** The draft's changes against the active rules; null while the draft does not validate. */
  draftChanges: RuleChange[] | null;
  propose(note: string): Promise<RuleVersion>;
  signOff(version: number, comment: string): Promise<RuleVersion>;
  rollback(toVersion: number): Promise<RuleVersion>;
  /** A version's changes against the active rules, for a draft awaiting sign-off. */
  changesOf(version: number): Promise<RuleChange[]>;
  showDocument(version: number): void;
  /** Writes the signed-in role may not do, with why: shown up front, their buttons disabled. */
  refusals?: Refusals;
  /** The pending version whose rules are this draft's, if it was proposed already (no second copy). */
  alreadyProposed?: number | null;
  /** The department the signed-in token signs for, so its own signature is not offered twice. */
  signerSide?: ApproverSide | null;
}

/** One note per distinct reason (a rep gets the same one for every write), and which note each write cites. */
function refusalNotes(refusals: Refusals): {
  notes: { id: string; text: LocalizedText }[];
  idOf: (w: keyof Refusals) => string | undefined;
} {
  const notes: { id: string; text: LocalizedText }[] = [];
  const ids: Partial<Record<keyof Refusals, string>> = {};
  for (const [write, text] of Object.entries(refusals) as [keyof Refusals, LocalizedText][]) {
    let note = notes.find((n) => n.text.en === text.en);
    if (!note) {
      note = { id: `refused-${notes.length + 1}`, text };
      notes.push(note);
    }
    ids[write] = note.id;
  }
  return { notes, idOf: (w) => ids[w] };
}

function PendingDraft({
  lang,
  version,
  act,
  signOff,
  changesOf,
  refusedBy,
  signerSide,
}: {
  lang: Lang;
  version: RuleVersion;
  signerSide: ApproverSide | null;
  act: (run: () => Promise<LocalizedText>) => Promise<void>;
  signOff: AgreementProps['signOff'];
  changesOf: AgreementProps['changesOf'];
  /** The id of the note saying why this role may not sign, if it may not. */
  refusedBy: string | undefined;
}) {
  const [comment, setComment] = useState('');
  const [changes, setChanges] = useState<RuleChange[] | null>(null);
  const commentId = `signoff-comment-${version.version}`;
  const signedId = `signed-${version.version}`;
  const signed = signerSide !== null && version.signoffs.some((x) => x.side === signerSide);
  return (
    <article
      className="pending"
      aria-labelledby={`pending-${version.version}`}
      data-version={version.version}
    >
      <h4 id={`pending-${version.version}`}>
        {UI.version[lang]} {version.version}
        {version.rollbackOf ? ` (${UI.rollbackOf[lang]} ${version.rollbackOf})` : ''}
      </h4>
      <p>
        {UI.by[lang]} {version.createdBy.name} · {when(version.createdAt, lang)}
      </p>
      {version.note ? <p className="note">{version.note}</p> : null}
      <dl className="signoffs">
        <div>
          <dt>{UI.marketing[lang]}</dt>
          <dd data-side="marketing">{signoffText(version, 'marketing', lang)}</dd>
        </div>
        <div>
          <dt>{UI.sales[lang]}</dt>
          <dd data-side="sales">{signoffText(version, 'sales', lang)}</dd>
        </div>
      </dl>
      <details
        onToggle={(e) => {
          if ((e.target as HTMLDetailsElement).open && changes === null) {
            changesOf(version.version).then(setChanges, () => setChanges([]));
          }
        }}
      >
        <summary>{UI.diffOf[lang]}</summary>
        {changes === null ? (
          <p>{UI.loading[lang]}</p>
        ) : (
          <DiffList lang={lang} changes={changes} label={UI.diffOf[lang]} />
        )}
      </details>
      {signed && signerSide ? (
        <p id={signedId} className="signed">
          {signedByYou(signerSide, lang)}
        </p>
      ) : (
        <div className="field">
          <label htmlFor={commentId}>{UI.comment[lang]}</label>
          <input id={commentId} type="text" value={comment} onChange={(e) => setComment(e.target.value)} />
        </div>
      )}
      <button
        type="button"
        disabled={refusedBy !== undefined || signed}
        aria-describedby={signed ? signedId : refusedBy}
        onClick={() =>
          void act(async () => {
            await signOff(version.version, comment);
            return {
              ja: `${UI.signedOff.ja} ${version.version}`,
              en: `${UI.signedOff.en} ${version.version}`,
            };
          })
        }
      >
        {signOffLabel(version.version, lang)}
      </button>
    </article>
  );
}

export function Agreement(props: AgreementProps) {
  const { lang, versions, draftChanges } = props;
  const [summary, setSummary] = useState('');
  const [summaryEdited, setSummaryEdited] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<LocalizedText | null>(null);
  const [done, setDone] = useState<LocalizedText | null>(null);
  // A second click lands before React re-renders the button disabled: one write at a time, by ref.
  const running = useRef(false);

  useEffect(() => {
    if (!summaryEdited) setSummary(draftChanges ? diffText(draftChanges, lang) : '');
  }, [draftChanges, lang, summaryEdited]);

  /** Runs one write; says what it did, or why the endpoint refused, in place. */
  const act = async (run: () => Promise<LocalizedText>) => {
    if (running.current) return;
    running.current = true;
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      setDone(await run());
    } catch (e) {
      setError(describeError(e, REP_CANNOT_WRITE_RULES));
    } finally {
      running.current = false;
      setBusy(false);
    }
  };

  const drafts = (versions ?? []).filter((v) => v.status === 'draft');
  const refused = refusalNotes(props.refusals ?? {});

  return (
    <div className="agreement" aria-busy={busy}>
      {refused.notes.map((n) => (
        <p key={n.id} id={n.id} role="note" className="refused">
          {n.text[lang]}
        </p>
      ))}
      <Notice lang={lang} role="alert" text={error} />
      <Notice lang={lang} role="status" text={done} />

      <section aria-labelledby="propose-title">
        <h3 id="propose-title">{UI.propose[lang]}</h3>
        {draftChanges === null ? (
          <p>{UI.invalidDraft[lang]}</p>
        ) : (
          <>
            <h4>{UI.changes[lang]}</h4>
            <DiffList lang={lang} changes={draftChanges} label={UI.changes[lang]} />
            <div className="field">
              <label htmlFor="change-summary">{UI.summary[lang]}</label>
              <textarea
                id="change-summary"
                rows={4}
                value={summary}
                onChange={(e) => {
                  setSummary(e.target.value);
                  setSummaryEdited(true);
                }}
              />
            </div>
            {props.alreadyProposed != null ? (
              <p id="already-proposed" className="note">
                {UI.alreadyProposed[lang]} {props.alreadyProposed}
              </p>
            ) : null}
            <button
              type="button"
              disabled={
                busy ||
                draftChanges.length === 0 ||
                props.alreadyProposed != null ||
                refused.idOf('propose') !== undefined
              }
              aria-describedby={props.alreadyProposed != null ? 'already-proposed' : refused.idOf('propose')}
              onClick={() =>
                void act(async () => {
                  const v = await props.propose(summary.slice(0, 2000));
                  setSummaryEdited(false);
                  return { ja: `${UI.proposed.ja} ${v.version}`, en: `${UI.proposed.en} ${v.version}` };
                })
              }
            >
              {UI.proposeButton[lang]}
            </button>
          </>
        )}
      </section>

      <section aria-labelledby="awaiting-title">
        <h3 id="awaiting-title">{UI.awaiting[lang]}</h3>
        {versions === null ? (
          <p>{UI.loading[lang]}</p>
        ) : drafts.length === 0 ? (
          <p>{UI.noDrafts[lang]}</p>
        ) : (
          drafts.map((v) => (
            <PendingDraft
              key={v.version}
              lang={lang}
              version={v}
              act={act}
              signOff={props.signOff}
              changesOf={props.changesOf}
              refusedBy={refused.idOf('signOff')}
              signerSide={props.signerSide ?? null}
            />
          ))
        )}
      </section>

      <section aria-labelledby="history-title">
        <h3 id="history-title">{UI.history[lang]}</h3>
        {versions === null ? (
          <p>{UI.loading[lang]}</p>
        ) : (
          <table className="history">
            <ColumnHeads
              lang={lang}
              words={UI}
              keys={['version', 'status', 'created', 'marketing', 'sales', 'activated', 'note', 'actions']}
            />
            <tbody>
              {versions.map((v) => (
                <tr key={v.version} data-version={v.version} data-status={v.status}>
                  <th scope="row">
                    {v.version}
                    {v.rollbackOf ? ` ← ${v.rollbackOf}` : ''}
                  </th>
                  <td>{STATUS[v.status][lang]}</td>
                  <td>
                    {v.createdBy.name}
                    <br />
                    <small>{when(v.createdAt, lang)}</small>
                  </td>
                  <td>{signoffText(v, 'marketing', lang)}</td>
                  <td>{signoffText(v, 'sales', lang)}</td>
                  <td>
                    {when(v.activatedAt, lang)}
                    {v.activation ? <small> ({ACTIVATION[v.activation][lang]})</small> : null}
                  </td>
                  <td>{v.note ?? ''}</td>
                  <td>
                    {v.status === 'retired' ? (
                      <button
                        type="button"
                        disabled={busy || refused.idOf('rollback') !== undefined}
                        aria-describedby={refused.idOf('rollback')}
                        onClick={() =>
                          void act(async () => {
                            const r = await props.rollback(v.version);
                            return {
                              ja: `${UI.rolledBack.ja} ${r.version}`,
                              en: `${UI.rolledBack.en} ${r.version}`,
                            };
                          })
                        }
                      >
                        {UI.rollback[lang]} ({v.version})
                      </button>
                    ) : null}
                    {v.status === 'active' || v.status === 'retired' ? (
                      <button type="button" onClick={() => props.showDocument(v.version)}>
                        {UI.document[lang]} ({v.version})
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
