// Bundled fonts and tokens only: kiosks are offline and the CSP allows nothing remote.
import '@fontsource/noto-sans-jp';
import '@fontsource/noto-sans-jp/700.css';
import '@digital-go-jp/design-tokens/dist/tokens.css';
import './styles/app.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { ApiProvider } from './api/api-context';
import { AppInfoProvider } from './api/app-info';
import { App } from './App';
import { createI18n } from './i18n/setup';
import { listenForDeepLinks } from './routing/deep-links';
import { forgetTokenInUrl, routeFromLocation } from './routing/initial-route';

listenForDeepLinks();

const route = routeFromLocation(window.location);
forgetTokenInUrl(window.location, window.history);
const i18n = createI18n();
// The link in an English mail opens its page in English; every other start is Japanese.
if (route.kind === 'code' && route.locale) void i18n.changeLanguage(route.locale);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');

createRoot(container).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <ApiProvider>
        <AppInfoProvider>
          <App route={route} />
        </AppInfoProvider>
      </ApiProvider>
    </I18nextProvider>
  </StrictMode>,
);
