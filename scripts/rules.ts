/**
 * The rules command line, for teams that keep their rule set in git:
 *
 *   npm run rules -- validate FILE          every problem with its path; exit 1 when there is one
 *   npm run rules -- push FILE [--note TEXT] creates a draft on the endpoint (it still needs both sign-offs)
 *   npm run rules -- diff FILE              what FILE changes against the endpoint's active rules, in words
 *
 * push and diff read BATON_ENDPOINT (e.g. https://baton.example.co.jp) and BATON_TOKEN. Messages follow
 * LC_ALL / LC_MESSAGES / LANG: Japanese for ja_*, English otherwise.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { activeRulesResponseSchema, apiErrorSchema, ruleVersionSchema } from '../lib/events';
import { type Lang, type LocalizedText, langFromTag } from '../lib/i18n';
import { formatPath, type Problem } from '../lib/problems';
import { type RuleSet, validateRuleSet } from '../lib/rules';
import { diffRuleSets } from '../lib/rules/diff';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

type Env = Record<string, string | undefined>;

/** A failure to report in the user's language with an exit code (1: the rules or the endpoint, 2: usage). */
class CliError extends Error {
  constructor(
    readonly text: LocalizedText,
    readonly code: 1 | 2 = 1,
    readonly problems: Problem[] = [],
  ) {
    super(text.en);
  }
}

const USAGE: LocalizedText = {
  ja: '使い方: npm run rules -- validate ファイル | push ファイル [--note メモ] | diff ファイル',
  en: 'Usage: npm run rules -- validate FILE | push FILE [--note TEXT] | diff FILE',
};

async function readRules(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError({
      ja: `${file} を読めません（${(error as Error).message}）`,
      en: `Cannot read ${file} (${(error as Error).message})`,
    });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError({
      ja: `${file} は正しい JSON ではありません（${(error as Error).message}）`,
      en: `${file} is not valid JSON (${(error as Error).message})`,
    });
  }
}

async function validFile(file: string): Promise<RuleSet> {
  const result = validateRuleSet(await readRules(file));
  if (result.ok) return result.value;
  throw new CliError(
    {
      ja: `${file}: ${result.problems.length} 件の問題があります`,
      en: `${file}: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`,
    },
    1,
    result.problems,
  );
}

function endpointFrom(env: Env): { url: string; token: string } {
  const url = env.BATON_ENDPOINT?.replace(/\/+$/, '');
  const token = env.BATON_TOKEN;
  if (!url || !token) {
    throw new CliError(
      {
        ja: 'BATON_ENDPOINT（エンドポイントの URL）と BATON_TOKEN（トークン）を環境変数で指定してください',
        en: 'Set BATON_ENDPOINT (the endpoint URL) and BATON_TOKEN (your token) in the environment',
      },
      2,
    );
  }
  return { url, token };
}

async function call(env: Env, method: string, path: string, body?: unknown): Promise<unknown> {
  const { url, token } = endpointFrom(env);
  let response: Response;
  try {
    response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new CliError({
      ja: `エンドポイント ${url} に接続できません（${String(error)}）`,
      en: `Cannot reach the endpoint at ${url} (${String(error)})`,
    });
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (response.ok) return json;
  const parsed = apiErrorSchema.safeParse(json);
  const message = parsed.success
    ? parsed.data.error.message
    : { ja: `エンドポイントのエラー（${response.status}）`, en: `The endpoint answered ${response.status}` };
  throw new CliError(
    { ja: `${message.ja}（${response.status}）`, en: `${message.en} (${response.status})` },
    1,
    parsed.success ? (parsed.data.error.problems ?? []) : [],
  );
}

async function validate(file: string, lang: Lang, io: CliIo): Promise<void> {
  const rules = await validFile(file);
  io.out(
    lang === 'ja'
      ? `${file}: 問題はありません（${rules.version.id}、属性ルール ${rules.fitRules.length} 件・行動ルール ${rules.engagementRules.length} 件・トリガー ${rules.triggers.length} 件）`
      : `${file}: valid (${rules.version.id}; ${rules.fitRules.length} fit rules, ${rules.engagementRules.length} behaviour rules, ${rules.triggers.length} triggers)`,
  );
}

async function push(file: string, note: string | undefined, env: Env, lang: Lang, io: CliIo): Promise<void> {
  // Checked here first, so a typo is reported with the file's own paths and no request is made.
  const rules = await validFile(file);
  const version = ruleVersionSchema.parse(
    await call(env, 'POST', '/v1/rules/drafts', { rules, ...(note ? { note } : {}) }),
  );
  io.out(
    lang === 'ja'
      ? `下書きのバージョン ${version.version} を作成しました。マーケティングと営業の両方の承認で有効になります`
      : `Created draft version ${version.version}; it becomes active once marketing and sales have both signed it`,
  );
}

async function diff(file: string, env: Env, lang: Lang, io: CliIo): Promise<void> {
  const rules = await validFile(file);
  const active = activeRulesResponseSchema.parse(await call(env, 'GET', '/v1/rules/active'));
  const current = validateRuleSet(active.rules);
  if (!current.ok) {
    throw new CliError({
      ja: `エンドポイントの有効なルール（バージョン ${active.version}）を検証できません`,
      en: `The endpoint's active rules (version ${active.version}) do not validate`,
    });
  }
  // The endpoint writes its own number into version.number; comparing it would always show a change.
  const changes = diffRuleSets(current.value, {
    ...rules,
    version: { ...rules.version, number: current.value.version.number },
  });
  io.out(
    lang === 'ja'
      ? `${file} と有効なバージョン ${active.version} の差分: ${changes.length} 件`
      : `${file} against active version ${active.version}: ${changes.length} change${changes.length === 1 ? '' : 's'}`,
  );
  for (const change of changes) io.out(`  ${formatPath(change.path)}: ${change.text[lang]}`);
}

/** Runs one command; resolves with the process exit code. */
export async function runRulesCli(args: readonly string[], env: Env, io: CliIo): Promise<number> {
  const lang = langFromTag(env.LC_ALL || env.LC_MESSAGES || env.LANG);
  const [command, file, ...rest] = args;
  try {
    if (!file || !['validate', 'push', 'diff'].includes(command ?? '')) throw new CliError(USAGE, 2);
    const noteAt = rest.indexOf('--note');
    const note = noteAt >= 0 ? rest[noteAt + 1] : undefined;
    if (command === 'validate') await validate(file, lang, io);
    else if (command === 'push') await push(file, note, env, lang, io);
    else await diff(file, env, lang, io);
    return 0;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    io.err(error.text[lang]);
    for (const problem of error.problems) io.err(`  ${formatPath(problem.path)}: ${problem.message[lang]}`);
    return error.code;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runRulesCli(process.argv.slice(2), process.env, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
