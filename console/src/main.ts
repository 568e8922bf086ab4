import { render } from 'preact';
import { App } from './app.js';
import { loadConfig } from './config.js';
import { html } from './html.js';
import './styles.css';

const root = document.getElementById('app');
if (root) {
  loadConfig().then(
    (config) => render(html`<${App} config=${config} />`, root),
    (error: unknown) => {
      root.textContent = `The console could not load its configuration: ${String(error)}`;
    },
  );
}
