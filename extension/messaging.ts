import { browser } from 'wxt/browser';
import type { LocalizedText } from '../lib/i18n';
import type { Answers, Reply, Request } from '../lib/messaging';

/** Raised in a content script or page when the worker refuses or fails a request. */
export class RequestRefused extends Error {
  constructor(readonly reason: LocalizedText) {
    super(reason.en);
  }
}

/** Sends one request to the background worker and returns its typed answer. */
export async function ask<T extends Request>(request: T): Promise<Answers[T['type']]> {
  const reply = (await browser.runtime.sendMessage(request)) as Reply<Answers[T['type']]> | undefined;
  if (!reply) throw new RequestRefused({ ja: '拡張機能が応答しません', en: 'The extension did not answer' });
  if (!reply.ok) throw new RequestRefused(reply.error);
  return reply.value;
}
