import htm from 'htm';
import { h, type VNode } from 'preact';

/** Preact's `h` through htm's tagged templates: the console's markup, without JSX or a compile step. */
export const html = htm.bind(h) as (strings: TemplateStringsArray, ...values: unknown[]) => VNode;
