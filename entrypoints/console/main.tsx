import { createRoot } from 'react-dom/client';
import { Console } from '../../components/console/Console';
import { langFromTag } from '../../lib/i18n';
import { extensionConsoleApi } from './api';
import './style.css';

const lang = langFromTag(navigator.language);
document.documentElement.lang = lang;
document.title = lang === 'ja' ? 'Baton コンソール' : 'Baton console';
createRoot(document.getElementById('root')!).render(
  <Console lang={lang} api={extensionConsoleApi()} initialHash={window.location.hash} />,
);
