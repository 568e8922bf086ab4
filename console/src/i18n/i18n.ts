import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

/** The console's languages. */
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

const CATALOGS: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { en, 'zh-CN': zhCN };
const STORED = 'console.lang';

/** The language remembered in localStorage, else the first of navigator.languages the console has. */
export function initialLang(): Lang {
  const stored = localStorage.getItem(STORED);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  for (const wanted of navigator.languages ?? [navigator.language]) {
    if (wanted.toLowerCase().startsWith('zh')) return 'zh-CN';
    if (wanted.toLowerCase().startsWith('en')) return 'en';
  }
  return 'en';
}

/** Remembers the reader's choice. */
export function rememberLang(lang: Lang): void {
  localStorage.setItem(STORED, lang);
}

/** A translation: the key's text with `{name}` replaced by the value given. */
export type Translate = (key: MessageKey, values?: Readonly<Record<string, string | number>>) => string;

/** The translator of a language. */
export function translator(lang: Lang): Translate {
  const catalog = CATALOGS[lang];
  return (key, values) => {
    const text = catalog[key];
    return values ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole)) : text;
  };
}

/** A text the catalogs may have (a category id, a cause kind), else the id itself. */
export function translateId(
  t: Translate,
  prefix: 'category' | 'cause' | 'standing' | 'status' | 'factor' | 'document',
  id: string,
): string {
  const key = `${prefix}.${id}`;
  return key in en ? t(key as MessageKey) : id;
}

/** The reader's language and its translator. */
export interface I18n {
  readonly lang: Lang;
  readonly t: Translate;
  readonly setLang: (lang: Lang) => void;
}

export const I18nContext = createContext<I18n>({ lang: 'en', t: translator('en'), setLang: () => undefined });

/** The reader's language and translator. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
