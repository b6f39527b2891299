/** 中文 / English; the choice is remembered in this browser. */
import { setLanguage, useT } from '../i18n/i18n';

export function LanguageSwitch() {
  const { t, lang } = useT();
  return (
    <button type="button" className="lang" onClick={() => setLanguage(lang === 'zh' ? 'en' : 'zh')} title={t('lang.switchTitle')} lang={lang === 'zh' ? 'en' : 'zh-CN'} data-testid="lang-switch">
      {t('lang.switch')}
    </button>
  );
}
