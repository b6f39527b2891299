/** i18next set up with the catalogue; Simplified Chinese unless the user chose English before. */
import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { en, zh, type MessageKey } from './catalog';
import type { Lang } from '../lib/format';

const STORAGE_KEY = 'remap.lang';

export function storedLanguage(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function initI18n(): typeof i18n {
  void i18n.use(initReactI18next).init({
    resources: { zh: { translation: zh }, en: { translation: en } },
    lng: storedLanguage(),
    fallbackLng: 'zh',
    // Keys are flat ('layers.title'): no nesting, no namespaces in keys.
    keySeparator: false,
    nsSeparator: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  return i18n;
}

export function setLanguage(lang: Lang): void {
  void i18n.changeLanguage(lang);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}

/** t() typed by the catalogue's keys, and the current language. */
export function useT(): { t: (key: MessageKey, vars?: Record<string, unknown>) => string; lang: Lang } {
  const { t, i18n: instance } = useTranslation();
  return { t: (key, vars) => t(key, vars as never) as unknown as string, lang: instance.language === 'en' ? 'en' : 'zh' };
}
