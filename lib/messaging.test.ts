import { describe, expect, expectTypeOf, it } from 'vitest';
import type { LeadView } from './lead-view';
import { type AnswerHandlers, type Answers, answerOf, type QueueItem, type RequestOf } from './messaging';

describe('the request → answer map', () => {
  it('types each answer by its request, so a wrong answer does not compile', () => {
    expectTypeOf<Answers['lead.seen']>().toEqualTypeOf<LeadView>();
    expectTypeOf<Parameters<AnswerHandlers<number>['lead.seen']>[0]>().toEqualTypeOf<
      RequestOf<'lead.seen'>
    >();
    // @ts-expect-error: 'lead.seen' owes a LeadView, not the queue.
    const wrong: AnswerHandlers<number>['lead.seen'] = async (): Promise<QueueItem[]> => [];
    expect(wrong).toBeTypeOf('function');
  });

  it('answers a request with the handler of its own type', async () => {
    const seen: string[] = [];
    const handlers = new Proxy({} as AnswerHandlers<number>, {
      get: (_, type: string) => (_request: unknown, now: number) => {
        seen.push(`${type}@${now}`);
        return type === 'page.read' ? { counted: true } : null;
      },
    });
    const answer = await answerOf(
      handlers,
      { type: 'page.read', read: {} as RequestOf<'page.read'>['read'] },
      7,
    );
    expectTypeOf(answer).toEqualTypeOf<{ counted: true }>();
    expect(answer).toEqual({ counted: true });
    expect(seen).toEqual(['page.read@7']);
  });
});
