import { createRoot } from 'react-dom/client';
import { FeedbackPage } from '../../components/FeedbackPage';
import { ask, RequestRefused } from '../../extension/messaging';
import { langFromTag } from '../../lib/i18n';
import { crmIdSchema } from '../../lib/lead';

/*
 * The feedback form framed inside the CRM overlay's shadow root. An extension page, not DOM in the CRM
 * page: the page cannot read or fill the form, and the content script carries no React (decision 0003).
 */
const params = new URLSearchParams(location.search);
const lang = langFromTag(params.get('lang') ?? navigator.language);
document.documentElement.lang = lang;
const crm = crmIdSchema.safeParse(params.get('crm'));
const lead =
  crm.success && params.get('object') && params.get('recordId')
    ? { crm: crm.data, object: params.get('object')!, recordId: params.get('recordId')! }
    : null;

createRoot(document.getElementById('root')!).render(
  <FeedbackPage
    lang={lang}
    lead={lead}
    load={(l) => ask({ type: 'feedback.form', lead: l })}
    submit={(l, values, idempotencyKey) =>
      ask({ type: 'feedback.submit', lead: l, idempotencyKey, ...values }).catch((e: unknown) => {
        throw e instanceof RequestRefused ? new Error(e.reason[lang]) : e;
      })
    }
    newKey={() => crypto.randomUUID()}
  />,
);
