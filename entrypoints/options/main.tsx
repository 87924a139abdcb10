import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { AlertSettings } from '../../components/AlertSettings';
import { ConsoleLink } from '../../components/ConsoleLink';
import { EndpointSettings } from '../../components/EndpointSettings';
import { ReadHealth } from '../../components/ReadHealth';
import { RulesImport } from '../../components/RulesImport';
import { alertPrefsSetting } from '../../extension/alert-settings';
import {
  checkEndpointUrl,
  endpointConfig,
  originPattern,
  repNameSetting,
  userEndpointSetting,
} from '../../extension/endpoint';
import { ask } from '../../extension/messaging';
import { crmAdapters } from '../../lib/crm';
import { langFromTag } from '../../lib/i18n';

const lang = langFromTag(navigator.language);
const crmNames = Object.fromEntries(crmAdapters.map((a) => [a.id, a.name]));
const loadReadHealth = () => ask({ type: 'read.health' });
document.documentElement.lang = lang;

void (async () => {
  const [config, user, repName, alertPrefs] = await Promise.all([
    endpointConfig(),
    userEndpointSetting.getValue(),
    repNameSetting.getValue(),
    alertPrefsSetting.getValue(),
  ]);
  createRoot(document.getElementById('root')!).render(
    <>
      <EndpointSettings
        lang={lang}
        initial={{ url: user?.url ?? '', token: user?.token ?? '', repName }}
        managedUrl={config?.source === 'managed' ? config.url : null}
        save={async (values) => {
          await repNameSetting.setValue(values.repName.trim());
          if (config?.source !== 'managed') {
            if (values.url.trim() === '') {
              await userEndpointSetting.setValue(null);
            } else {
              const checked = checkEndpointUrl(values.url);
              if (!checked.ok) return { ok: false, reason: checked.reason[lang] } as const;
              await userEndpointSetting.setValue({ url: checked.url, token: values.token.trim() });
            }
          }
          void ask({ type: 'sync.now' }).catch(() => {});
          return { ok: true } as const;
        }}
        allowAccess={(url) => {
          const checked = checkEndpointUrl(url);
          // Called inside the click: browsers grant host permissions only on a user gesture.
          return checked.ok
            ? browser.permissions.request({ origins: [originPattern(checked.url)] })
            : Promise.resolve(false);
        }}
        test={(url, token) => ask({ type: 'endpoint.test', url, token })}
      />
      <AlertSettings lang={lang} initial={alertPrefs} save={(prefs) => alertPrefsSetting.setValue(prefs)} />
      <RulesImport lang={lang} importRules={(rules) => ask({ type: 'rules.import', rules })} />
      <ConsoleLink lang={lang} href={browser.runtime.getURL('/console.html#checklist')} />
      <ReadHealth lang={lang} names={crmNames} load={loadReadHealth} />
    </>,
  );
})();
