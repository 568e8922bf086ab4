import type { ComponentChildren } from 'preact';
import { html } from '../html.js';

/** A data table with a caption (its accessible name) and column headers; `empty` when there are no rows. */
export function Table(props: {
  caption: string;
  headers: readonly string[];
  rows: readonly (readonly ComponentChildren[])[];
  empty: string;
}) {
  if (props.rows.length === 0) return html`<p class="empty-table">${props.caption}: ${props.empty}</p>`;
  return html`<div class="table-wrap">
    <table>
      <caption>${props.caption}</caption>
      <thead>
        <tr>${props.headers.map((header) => html`<th scope="col">${header}</th>`)}</tr>
      </thead>
      <tbody>
        ${props.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${cell}</td>`)}</tr>`)}
      </tbody>
    </table>
  </div>`;
}
