/**
 * Sign-in (shown without a token). Heading "Sign in" / "登录"; field "Access token" (and "Reviewer
 * name", optional, for a machine token); button "Sign in". Cognito: button "Sign in with your
 * organization account". A refused token shows the server's reason in the alert region.
 */
import { useEffect, useState } from 'preact/hooks';
import { Alert, Button, Field } from '../components/index.js';
import type { ConsoleConfig } from '../config.js';
import { html } from '../html.js';
import { useI18n } from '../i18n/i18n.js';
import { PageHeading } from './page-heading.js';

/** The sign-in form; `onToken` checks the token with the server and answers an error text or null. */
export function SignInPage(props: {
  config: ConsoleConfig;
  error: string | null;
  onToken: (token: string, reviewer: string) => void;
  onCognito: () => void;
}) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [reviewer, setReviewer] = useState('');
  useEffect(() => {
    document.documentElement.dataset.state = 'signin';
  }, []);
  const submit = (event: Event) => {
    event.preventDefault();
    if (token.trim()) props.onToken(token.trim(), reviewer.trim());
  };
  return html`<div class="signin card">
    <${PageHeading} title=${t('signin.title')} />
    ${
      props.config.auth.kind === 'cognito'
        ? html`<${Button} kind="primary" onClick=${props.onCognito}>${t('signin.cognito')}<//>`
        : html`<form onSubmit=${submit}>
            <p>${t('signin.tokenHelp')}</p>
            <${Field} id="signin-token" label=${t('signin.token')} type="password" value=${token} onInput=${setToken} required autocomplete="current-password" />
            <${Field} id="signin-reviewer" label=${t('signin.reviewer')} value=${reviewer} onInput=${setReviewer} />
            <${Button} type="submit" kind="primary">${t('signin.submit')}<//>
          </form>`
    }
    <${Alert} message=${props.error} />
  </div>`;
}
