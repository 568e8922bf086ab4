import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, ApiError } from './api.js';
import {
  completeCognitoSignIn,
  currentSession,
  forgetSession,
  refreshSession,
  signInWithToken,
  signOut,
  startCognitoSignIn,
} from './auth.js';
import type { ConsoleConfig } from './config.js';
import { ConsoleContext, type ConsoleContextValue, type Me } from './context.js';
import { html } from './html.js';
import {
  I18nContext,
  initialLang,
  LANGS,
  type Lang,
  rememberLang,
  translator,
  useI18n,
} from './i18n/i18n.js';
import { AppealsPage } from './pages/appeals.js';
import { MemberPage } from './pages/member.js';
import { OverviewPage } from './pages/overview.js';
import { PolicyPage } from './pages/policy.js';
import { ReviewPage } from './pages/review.js';
import { SignInPage } from './pages/signin.js';
import { memberHref, type Route, useRoute } from './router.js';
import type { CorpView } from './views.js';

type Signed =
  | { readonly state: 'out'; readonly error: string | null }
  | { readonly state: 'in'; readonly value: ConsoleContextValue };

/** The console: the language, the session (sign-in until a token is accepted), the header and the page. */
export function App({ config }: { config: ConsoleConfig }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const i18n = useMemo(
    () => ({
      lang,
      t: translator(lang),
      setLang: (next: Lang) => {
        rememberLang(next);
        setLangState(next);
      },
    }),
    [lang],
  );
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = i18n.t('app.title');
  }, [lang, i18n]);
  const [signed, setSigned] = useState<Signed | null>(null);
  // A 401 once signed in (an expired token) goes back to sign-in; during sign-in, start() says why.
  const api = useMemo(
    () =>
      new Api(
        config.api,
        () => {
          forgetSession();
          setSigned((previous) => (previous?.state === 'in' ? { state: 'out', error: null } : previous));
        },
        () => refreshSession(config.auth),
      ),
    [config],
  );
  const start = async () => {
    try {
      if (config.auth.kind === 'cognito') await completeCognitoSignIn(config.auth);
      const session = currentSession();
      if (!session) return setSigned({ state: 'out', error: null });
      // Who is signed in and the corp's time zone, before any page: both shape every page.
      const [me, corp] = await Promise.all([
        api.get<Me>('/me'),
        api.get<CorpView>(`/corps/${encodeURIComponent(config.corpId)}`),
      ]);
      const reviewer = me.data.name ?? (session.reviewer || 'console');
      setSigned({
        state: 'in',
        value: { api, config, me: me.data, timeZone: corp.data.day.timeZone, reviewer },
      });
    } catch (error) {
      forgetSession();
      const refused = error instanceof ApiError && error.status === 401;
      const message = error instanceof Error ? error.message : String(error);
      setSigned({ state: 'out', error: refused ? translator(lang).call(null, 'signin.refused') : message });
    }
  };
  // Once, at start.
  useEffect(() => {
    void start();
  }, []);
  return html`<${I18nContext.Provider} value=${i18n}>
    ${
      signed?.state === 'in'
        ? html`<${ConsoleContext.Provider} value=${signed.value}><${Shell} /><//>`
        : html`<${Header} signedIn=${false} />
          <main id="main">
            ${
              signed
                ? html`<${SignInPage}
                    config=${config}
                    error=${signed.error}
                    onToken=${(token: string, reviewer: string) => {
                      signInWithToken(token, reviewer);
                      setSigned(null);
                      void start();
                    }}
                    onCognito=${() => config.auth.kind === 'cognito' && void startCognitoSignIn(config.auth)}
                  />`
                : null
            }
          </main>`
    }
  <//>`;
}

function Shell() {
  const { route, visit } = useRoute();
  // Focus the new page's heading on navigation, so keyboard and screen-reader users start there.
  useEffect(() => {
    const timer = setTimeout(() => document.getElementById('page-heading')?.focus(), 0);
    return () => clearTimeout(timer);
  }, [route]);
  return html`<${Header} signedIn=${true} route=${route} />
    <main id="main"><${Page} key=${visit} route=${route} /></main>`;
}

/** The route's page: keyed by the visit, so every navigation shows a fresh page with fresh data. */
function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'member':
      return html`<${MemberPage} key=${route.userId} userId=${route.userId} />`;
    case 'review':
      return html`<${ReviewPage} caseId=${route.caseId} />`;
    case 'appeals':
      return html`<${AppealsPage} />`;
    case 'policy':
      return html`<${PolicyPage} />`;
    default:
      return html`<${OverviewPage} />`;
  }
}

function Header({ signedIn, route }: { signedIn: boolean; route?: Route }) {
  const { t, lang, setLang } = useI18n();
  const [search, setSearch] = useState('');
  const links: [Route['page'], string, string][] = [
    ['overview', '#/', t('nav.overview')],
    ['review', '#/review', t('nav.review')],
    ['appeals', '#/appeals', t('nav.appeals')],
    ['policy', '#/policy', t('nav.policy')],
  ];
  return html`<header class="top">
    <a class="skip" href="#main" onClick=${(e: Event) => {
      e.preventDefault();
      document.getElementById('page-heading')?.focus();
    }}>${t('nav.skip')}</a>
    <span class="brand">${t('app.title')}</span>
    ${
      signedIn
        ? html`<nav aria-label=${t('nav.label')}>
            <ul>
              ${links.map(([id, href, label]) => html`<li><a href=${href} aria-current=${route?.page === id ? 'page' : undefined}>${label}</a></li>`)}
            </ul>
          </nav>
          <form role="search" class="search" onSubmit=${(e: Event) => {
            e.preventDefault();
            if (search.trim()) location.hash = memberHref(search.trim());
          }}>
            <label for="member-search">${t('search.label')}</label>
            <input id="member-search" type="search" value=${search} onInput=${(e: Event) => setSearch((e.currentTarget as HTMLInputElement).value)} />
            <button type="submit" class="btn plain">${t('search.submit')}</button>
          </form>`
        : null
    }
    <div class="lang">
      <label for="lang-select">${t('lang.label')}</label>
      <select id="lang-select" value=${lang} onChange=${(e: Event) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
        ${LANGS.map((l) => html`<option value=${l}>${l === 'en' ? 'English' : '简体中文'}</option>`)}
      </select>
    </div>
    ${signedIn ? html`<${SignOut} />` : null}
  </header>`;
}

function SignOut() {
  const { t } = useI18n();
  return html`<${ConsoleContext.Consumer}>${(value: ConsoleContextValue | null) =>
    value
      ? html`<span class="who">${value.me.name ?? t('who.machine')}</span>
          <button type="button" class="btn plain" onClick=${() => signOut(value.config.auth)}>${t('action.signOut')}</button>`
      : null}<//>`;
}
