import { type ReactNode, useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { type ConsolePlace, checklist } from '../../lib/checklist';
import { crmAdapters } from '../../lib/crm';
import { APPROVER_SIDE, type MeResponse, RULE_WRITE_ROLES, type RuleVersion } from '../../lib/events';
import { type Lang, type LocalizedText, textTable } from '../../lib/i18n';
import { keepForPreview, type PreviewLead, previewRules } from '../../lib/preview';
import { reviewDue } from '../../lib/review';
import { type RuleSet, validateRuleSet } from '../../lib/rules';
import { diffRuleSets, type RuleChange } from '../../lib/rules/diff';
import { ReadHealth } from '../ReadHealth';
import { Agreement } from './Agreement';
import { ChecklistView } from './ChecklistView';
import type { ActiveRules, ConsoleApi } from './console-api';
import { Dashboard } from './Dashboard';
import { addDays, todayIn } from './dashboard/period';
import { describeError } from './errors';
import { IntakeView } from './IntakeView';
import { PageMapTester } from './PageMapTester';
import { PreviewPanel, type TeamPreview } from './PreviewPanel';
import { RulesEditor, sectionAnchor } from './RulesEditor';
import { ROLE_LABEL, refusalsFor } from './roles';
import { SlaDocument } from './SlaDocument';

type Tab = 'rules' | 'agreement' | 'dashboard' | 'checklist' | 'document' | 'health' | 'intake';
const TABS: { id: Tab; title: LocalizedText }[] = [
  { id: 'rules', title: { ja: 'ルール', en: 'Rules' } },
  { id: 'agreement', title: { ja: '合意', en: 'Agreement' } },
  { id: 'dashboard', title: { ja: 'ダッシュボード', en: 'Dashboard' } },
  { id: 'checklist', title: { ja: 'チェックリスト', en: 'Checklist' } },
  { id: 'health', title: { ja: 'CRM 読み取り', en: 'CRM reading' } },
  { id: 'intake', title: { ja: '取り込み', en: 'Intake' } },
  { id: 'document', title: { ja: 'SLA 文書', en: 'SLA document' } },
];
const CRM_NAMES = Object.fromEntries(crmAdapters.map((a) => [a.id, a.name]));

const UI = textTable({
  ja: {
    title: 'Baton コンソール',
    loading: '読み込み中…',
    noEndpoint:
      'エンドポイントが設定されていません。設定ページで URL とトークンを入力すると、提案・承認・履歴が使えます。今はこのブラウザーのルールを表示しています',
    endpoint: 'エンドポイント',
    token: 'このコンソールで使うトークン',
    useToken: 'このトークンを使う',
    tokenSwitched: 'トークンを切り替えました（このタブを閉じると設定ページのトークンに戻ります）',
    base: '下書きの元',
    activeVersion: '有効なバージョン',
    browserRules: 'このブラウザーのルール',
    defaultRules: '既定のルール',
    reset: '有効なルールに戻す',
    reviewSettings: '見直しの設定を開く',
    docVersion: '文書のバージョン',
    draftDoc: '編集中の下書き',
    tabs: 'コンソールのタブ',
    signedInAs: 'サインイン中',
    readOnly: 'このトークンでは閲覧とプレビューのみできます',
    offline:
      'このブラウザーのルールを表示しています。提案・承認・履歴・ダッシュボードは、エンドポイントにつながると使えます',
    retry: '再接続する',
  },
  en: {
    title: 'Baton console',
    loading: 'Loading…',
    noEndpoint:
      'No endpoint is set: enter its URL and a token on the options page to propose, sign off and see the history. Showing this browser’s rules',
    endpoint: 'Endpoint',
    token: 'Token this console acts with',
    useToken: 'Use this token',
    tokenSwitched: 'Switched token (closing this tab goes back to the options page’s token)',
    base: 'Draft based on',
    activeVersion: 'active version',
    browserRules: 'this browser’s rules',
    defaultRules: 'the default rules',
    reset: 'Reset to the active rules',
    reviewSettings: 'Open the review settings',
    docVersion: 'Document for version',
    draftDoc: 'the draft being edited',
    tabs: 'Console tabs',
    signedInAs: 'Signed in as',
    readOnly: 'This token can view and preview only',
    offline:
      'Showing this browser’s rules. Proposing, signing off, the history and the dashboard work again once the endpoint answers',
    retry: 'Try again',
  },
});

/** One tab's panel, named by its tab and hidden while another tab is open. */
function TabPanel({ tab, open, children }: { tab: Tab; open: Tab; children: ReactNode }) {
  return (
    <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} hidden={tab !== open}>
      {children}
    </div>
  );
}

function tabFromHash(hash: string): { tab: Tab; section: string | null } {
  const h = hash.replace(/^#/, '');
  if (h.startsWith('rules-')) return { tab: 'rules', section: h };
  // The dashboard keeps its period after a "?": #dashboard?period=last12w
  if (h.startsWith('dashboard?')) return { tab: 'dashboard', section: null };
  if (TABS.some((t) => t.id === h)) return { tab: h as Tab, section: null };
  return { tab: 'rules', section: null };
}

/** The same rule set stamped with the active version number, so the stamp never shows as a change. */
function comparable(draft: RuleSet, active: RuleSet): RuleSet {
  return { ...draft, version: { ...draft.version, number: active.version.number } };
}

export function Console({
  lang,
  api,
  initialHash = '',
}: {
  lang: Lang;
  api: ConsoleApi;
  initialHash?: string;
}) {
  const initial = tabFromHash(initialHash);
  const [tab, setTab] = useState<Tab>(initial.tab);
  const [focusTarget, setFocusTarget] = useState<string | null>(initial.section);
  const [endpoint, setEndpoint] = useState<{ url: string; managed: boolean } | null | undefined>(undefined);
  const [active, setActive] = useState<ActiveRules | null>(null);
  const [versions, setVersions] = useState<RuleVersion[] | null>(null);
  const [draft, setDraft] = useState<unknown>(null);
  const [leads, setLeads] = useState<PreviewLead[]>([]);
  const [loadError, setLoadError] = useState<LocalizedText | null>(null);
  const [token, setToken] = useState('');
  const [tokenNote, setTokenNote] = useState(false);
  const [docVersion, setDocVersion] = useState<RuleVersion | null>(null);
  const [me, setMe] = useState<MeResponse | null>(null);
  const tabRefs = useRef(new Map<Tab, HTMLButtonElement>());
  // The dashboard asks the endpoint for KPIs only once someone opens it, then keeps its state.
  const [dashboardOpened, setDashboardOpened] = useState(initial.tab === 'dashboard');
  if (tab === 'dashboard' && !dashboardOpened) setDashboardOpened(true);

  const reload = useCallback(async () => {
    try {
      const [info, current, who] = await Promise.all([
        api.endpoint(),
        api.active(),
        api.me().catch(() => null),
      ]);
      setEndpoint(info);
      setMe(who);
      setActive(current);
      setDraft((d: unknown) => d ?? structuredClone(current.rules));
      if (current.endpointFailure) {
        // One message for the whole page: the history would only fail again with the same reason.
        setVersions([]);
        setLoadError(current.endpointFailure);
        return;
      }
      setVersions(info ? await api.versions() : []);
      setLoadError(null);
    } catch (error) {
      setLoadError(describeError(error));
      setVersions((v) => v ?? []);
    }
  }, [api]);

  useEffect(() => {
    void reload();
    // Chained, not nested: a throw while keeping the sample's columns lands in the same handler.
    api
      .sampleLeads()
      .then(keepForPreview)
      .then(setLeads, () => setLeads([]));
  }, [api, reload]);

  useEffect(() => {
    if (!focusTarget || tab !== 'rules' || draft === null) return;
    const element = document.getElementById(focusTarget);
    if (element) {
      element.scrollIntoView?.({ block: 'start' });
      element.focus();
      setFocusTarget(null);
    }
  }, [focusTarget, tab, draft]);

  const validation = useMemo(() => (draft === null ? null : validateRuleSet(draft)), [draft]);
  const validDraft = validation?.ok ? validation.value : null;
  const deferredDraft = useDeferredValue(validDraft);
  // The preview and the checklist are snapshots taken when their inputs change, not clocks.
  const preview = useMemo(
    () => (active && deferredDraft ? previewRules(active.rules, deferredDraft, leads, api.now()) : null),
    [active, deferredDraft, leads, api],
  );
  // The draft against the team's recorded handoffs, a moment after the last edit (each asks the endpoint).
  const [team, setTeam] = useState<TeamPreview | null>(null);
  const canReadKpis = me !== null && (me.role === 'marketer' || me.role === 'manager' || me.role === 'admin');
  useEffect(() => {
    if (!endpoint || !canReadKpis || !api.whatIfDraft || !active || !deferredDraft) {
      setTeam(null);
      return;
    }
    const zone = active.rules.calendar.timeZone;
    const to = addDays(todayIn(zone, api.now()), 1);
    const from = addDays(to, -84);
    let stale = false;
    setTeam({ kind: 'loading' });
    const timer = setTimeout(() => {
      // Today's rules replayed the same way, so the draft is compared like with like (recorded scores and
      // scores re-weighed from the explanation differ a little where a lead's version is unknown).
      const replay = (rules: RuleSet) => api.whatIfDraft?.({ from, to, rules });
      Promise.all([replay(active.rules), replay(deferredDraft)]).then(
        ([today, report]) =>
          !stale && report && setTeam({ kind: 'ready', report, today: today?.proposed ?? null }),
        (error) => !stale && setTeam({ kind: 'failed', reason: describeError(error) }),
      );
    }, 600);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [endpoint, canReadKpis, api, active, deferredDraft]);
  const draftChanges: RuleChange[] | null = useMemo(
    () => (active && validDraft ? diffRuleSets(active.rules, comparable(validDraft, active.rules)) : null),
    [active, validDraft],
  );
  const activeEntry = versions?.find((v) => v.status === 'active') ?? null;
  // The rules of each version awaiting sign-off (the history list carries none), to tell a draft that was
  // proposed already: proposing the same rules again would only make a twin version to sign.
  // null: that version's rules could not be had or do not validate (asked once, not again).
  const [pendingRules, setPendingRules] = useState<ReadonlyMap<number, RuleSet | null>>(new Map());
  useEffect(() => {
    const missing = (versions ?? []).filter((v) => v.status === 'draft' && !pendingRules.has(v.version));
    if (missing.length === 0) return;
    let live = true;
    Promise.all(
      missing.map(async (v) => {
        const parsed = await api.version(v.version).then(
          (entry) => validateRuleSet(entry.rules),
          () => null,
        );
        return [v.version, parsed?.ok ? parsed.value : null] as const;
      }),
    ).then((found) => {
      if (!live) return;
      setPendingRules((known) => {
        const next = new Map(known);
        for (const [version, rules] of found) next.set(version, rules);
        return next;
      });
    });
    return () => {
      live = false;
    };
  }, [versions, pendingRules, api]);
  const alreadyProposed = useMemo(() => {
    if (!validDraft) return null;
    for (const v of versions ?? []) {
      const rules = v.status === 'draft' ? pendingRules.get(v.version) : undefined;
      if (rules && diffRuleSets(rules, comparable(validDraft, rules)).length === 0) return v.version;
    }
    return null;
  }, [validDraft, versions, pendingRules]);
  const items = useMemo(
    () =>
      active
        ? checklist(active.rules, { endpointConfigured: !!endpoint, agreement: activeEntry, now: api.now() })
        : [],
    [active, endpoint, activeEntry, api],
  );
  const refusals = useMemo(() => refusalsFor(me?.role ?? null), [me]);
  const readOnly = me !== null && Object.keys(refusals).length === Object.keys(RULE_WRITE_ROLES).length;
  const review = active
    ? reviewDue(active.rules, active.activatedAt ? Date.parse(active.activatedAt) : null, api.now())
    : null;

  const go = (place: ConsolePlace) => {
    if (place.tab === 'options') {
      window.open(`${window.location.origin}/options.html`, '_blank', 'noopener');
      return;
    }
    setTab(place.tab);
    if (place.tab === 'rules') setFocusTarget(sectionAnchor(place.section));
  };

  const selectTab = (id: Tab) => {
    setTab(id);
    tabRefs.current.get(id)?.focus();
  };

  /** A draft made elsewhere (the threshold review): proposed, then shown where it is signed. */
  const proposeRules = async (rules: RuleSet, note: string) => {
    const v = await api.propose(rules, note);
    await reload();
    setTab('agreement');
    return v;
  };

  const writes = {
    propose: async (note: string) => {
      if (!validDraft || !active) throw new Error('invalid draft');
      const proposed = comparable(validDraft, active.rules);
      const v = await api.propose(proposed, note);
      // Known at once, so the button stays disabled while the history reloads.
      setPendingRules((known) => new Map(known).set(v.version, proposed));
      await reload();
      return v;
    },
    signOff: async (version: number, comment: string) => {
      const v = await api.signOff(version, comment);
      await reload();
      return v;
    },
    rollback: async (toVersion: number) => {
      const v = await api.rollback(toVersion);
      await reload();
      return v;
    },
    changesOf: async (version: number) => {
      const entry = await api.version(version);
      const parsed = validateRuleSet(entry.rules);
      if (!parsed.ok || !active) return [];
      return diffRuleSets(active.rules, comparable(parsed.value, active.rules));
    },
    showDocument: (version: number) => {
      api.version(version).then(
        (v) => {
          setDocVersion(v);
          setTab('document');
        },
        (error: unknown) => setLoadError(describeError(error)),
      );
    },
  };

  const docRules = (() => {
    if (docVersion) {
      const parsed = validateRuleSet(docVersion.rules);
      if (parsed.ok) return { rules: parsed.value, version: docVersion };
    }
    return active ? { rules: active.rules, version: activeEntry } : null;
  })();

  const baseText = !active
    ? ''
    : active.source === 'endpoint'
      ? `${UI.activeVersion[lang]} ${active.version}`
      : active.source === 'browser'
        ? UI.browserRules[lang]
        : UI.defaultRules[lang];

  return (
    <main className="console">
      <header className="no-print">
        <h1>{UI.title[lang]}</h1>
        {endpoint === undefined ? null : endpoint === null ? (
          <p role="note">{UI.noEndpoint[lang]}</p>
        ) : (
          <form
            className="token"
            onSubmit={(e) => {
              e.preventDefault();
              if (!token.trim()) return;
              api.actWith(token.trim());
              setToken('');
              setTokenNote(true);
              void reload();
            }}
          >
            <span>
              {UI.endpoint[lang]}: <code>{endpoint.url}</code>
            </span>
            <label htmlFor="console-token">{UI.token[lang]}</label>
            <input
              id="console-token"
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
            <button type="submit">{UI.useToken[lang]}</button>
            {tokenNote ? <span role="status">{UI.tokenSwitched[lang]}</span> : null}
          </form>
        )}
        {me ? (
          <p className="signed-in" data-role={me.role}>
            {UI.signedInAs[lang]}: {me.name} · {ROLE_LABEL[me.role][lang]}
            {readOnly ? ` · ${UI.readOnly[lang]}` : ''}
          </p>
        ) : null}
        {loadError ? (
          <p role="alert" className="error">
            {loadError[lang]}
            {active?.endpointFailure ? (
              <>
                {' '}
                {UI.offline[lang]}{' '}
                <button type="button" onClick={() => void reload()}>
                  {UI.retry[lang]}
                </button>
              </>
            ) : null}
          </p>
        ) : null}
        {review?.due && review.message ? (
          <p role="status" className="review-due">
            {review.message[lang]}{' '}
            <button type="button" onClick={() => go({ tab: 'rules', section: 'review' })}>
              {UI.reviewSettings[lang]}
            </button>
          </p>
        ) : null}
      </header>

      <div role="tablist" aria-label={UI.tabs[lang]} className="tabs no-print">
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              if (el) tabRefs.current.set(t.id, el);
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => {
              const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
              if (step) selectTab(TABS[(i + step + TABS.length) % TABS.length]!.id);
              if (e.key === 'Home') selectTab(TABS[0]!.id);
              if (e.key === 'End') selectTab(TABS[TABS.length - 1]!.id);
            }}
          >
            {t.title[lang]}
          </button>
        ))}
      </div>

      {active === null || draft === null ? (
        <p aria-busy="true">{UI.loading[lang]}</p>
      ) : (
        <>
          <TabPanel tab="rules" open={tab}>
            <p>
              {UI.base[lang]}: {baseText}{' '}
              <button type="button" onClick={() => setDraft(structuredClone(active.rules))}>
                {UI.reset[lang]}
              </button>
            </p>
            <div className="rules-layout">
              <RulesEditor
                lang={lang}
                draft={draft}
                onChange={setDraft}
                problems={validation && !validation.ok ? validation.problems : []}
              />
              <PreviewPanel
                lang={lang}
                preview={preview}
                timeZone={active.rules.calendar.timeZone}
                team={team}
              />
            </div>
          </TabPanel>
          <TabPanel tab="agreement" open={tab}>
            {endpoint ? (
              <Agreement
                lang={lang}
                versions={versions}
                draftChanges={draftChanges}
                refusals={refusals}
                alreadyProposed={alreadyProposed}
                signerSide={me ? (APPROVER_SIDE[me.role] ?? null) : null}
                {...writes}
              />
            ) : (
              <p>{UI.noEndpoint[lang]}</p>
            )}
          </TabPanel>
          <TabPanel tab="dashboard" open={tab}>
            {dashboardOpened ? (
              <Dashboard
                lang={lang}
                api={api}
                initialHash={initialHash}
                visible={tab === 'dashboard'}
                timeZone={active.rules.calendar.timeZone}
                endpoint={endpoint ?? null}
                signedInRole={me?.role ?? null}
                activeRules={active.rules}
                drafts={(versions ?? []).filter((v) => v.status === 'draft')}
                refusal={refusals.propose}
                proposeDraft={proposeRules}
              />
            ) : null}
          </TabPanel>
          <TabPanel tab="checklist" open={tab}>
            <ChecklistView
              lang={lang}
              items={items}
              go={go}
              {...(readOnly || !active
                ? {}
                : {
                    confirm: (number: number) => {
                      // Into the rules draft, so the decision is proposed and signed with the agreement.
                      const base = (draft ?? structuredClone(active.rules)) as RuleSet;
                      const confirmed = base.checklistConfirmed ?? [];
                      if (!confirmed.includes(number)) {
                        setDraft({
                          ...base,
                          checklistConfirmed: [...confirmed, number].sort((a, b) => a - b),
                        });
                      }
                      go({ tab: 'rules', section: 'review' });
                    },
                  })}
            />
          </TabPanel>
          <TabPanel tab="health" open={tab}>
            {tab === 'health' && endpoint && api.readHealth ? (
              <ReadHealth lang={lang} names={CRM_NAMES} load={api.readHealth} scope="team" />
            ) : tab === 'health' ? (
              <p>{UI.noEndpoint[lang]}</p>
            ) : null}
            {tab === 'health' ? (
              <PageMapTester
                lang={lang}
                {...(endpoint && api.publishPageMap ? { publish: api.publishPageMap } : {})}
              />
            ) : null}
          </TabPanel>
          <TabPanel tab="intake" open={tab}>
            {tab === 'intake' && api.intakeRefusals ? (
              <IntakeView
                lang={lang}
                endpointUrl={endpoint?.url ?? null}
                load={api.intakeRefusals}
                now={api.now}
                timeZone={active.rules.calendar.timeZone}
              />
            ) : null}
          </TabPanel>
          <TabPanel tab="document" open={tab}>
            {docRules ? (
              <SlaDocument
                lang={lang}
                rules={docRules.rules}
                version={docRules.version}
                onPrint={() => window.print()}
              />
            ) : null}
          </TabPanel>
        </>
      )}
    </main>
  );
}
