import { createRoot } from 'react-dom/client';
import { RecentLeads } from '../../components/RecentLeads';
import { ask } from '../../extension/messaging';
import { langFromTag } from '../../lib/i18n';

const lang = langFromTag(navigator.language);
document.documentElement.lang = lang;
createRoot(document.getElementById('root')!).render(
  <RecentLeads lang={lang} load={() => ask({ type: 'leads.recent', limit: 50 })} />,
);
