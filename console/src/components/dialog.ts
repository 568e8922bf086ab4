import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../html.js';
import { useI18n } from '../i18n/i18n.js';
import { Button } from './button.js';

/** A modal dialog (the native <dialog>: focus kept inside, Escape closes), named by its title. */
export function Dialog(props: {
  title: string;
  open: boolean;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const { t } = useI18n();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (props.open && !dialog.open) dialog.showModal();
    if (!props.open && dialog.open) dialog.close();
  }, [props.open]);
  return html`<dialog ref=${ref} aria-labelledby="dialog-title" onClose=${props.onClose}>
    <h2 id="dialog-title">${props.title}</h2>
    ${props.open ? props.children : null}
    <div class="actions"><${Button} onClick=${props.onClose}>${t('action.close')}<//></div>
  </dialog>`;
}

/** A labelled form field: the label names the control. */
export function Field(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  multiline?: boolean;
  required?: boolean;
  type?: string;
  autocomplete?: string;
}) {
  const onInput = (event: Event) => props.onInput((event.currentTarget as HTMLInputElement).value);
  return html`<div class="field">
    <label for=${props.id}>${props.label}${props.required ? ' *' : ''}</label>
    ${
      props.multiline
        ? html`<textarea id=${props.id} required=${props.required} value=${props.value} onInput=${onInput} rows="3"></textarea>`
        : html`<input
            id=${props.id}
            type=${props.type ?? 'text'}
            required=${props.required}
            autocomplete=${props.autocomplete ?? 'off'}
            value=${props.value}
            onInput=${onInput}
          />`
    }
  </div>`;
}
