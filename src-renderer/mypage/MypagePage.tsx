import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../components/ErrorSummary';
import { describeError, useCallErrorState } from '../components/form-errors';
import { PageHeading } from '../components/PageHeading';
import type { MypageNotice } from './mypage-screens';
import { useProfile } from './use-profile';

interface MypagePageProps {
  notice?: MypageNotice;
  onName: () => void;
  onEmail: () => void;
  onPassword: () => void;
  onSessionEnded: () => void;
}

/** Formats an ISO time as the kiosk's local HH:MM. */
export function clockTime(iso: string, language: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString(language === 'en' ? 'en-GB' : 'ja-JP', { hour: '2-digit', minute: '2-digit' });
}

/**
 * マイページ: the registered data (address masked) and the three changes the seed's
 * 担当者変更 needs, each on its own screen with one primary button.
 */
export function MypagePage({ notice, onName, onEmail, onPassword, onSessionEnded }: MypagePageProps) {
  const { t, i18n } = useTranslation();
  const { error, attempt, fail } = useCallErrorState();
  const profile = useProfile(onSessionEnded, fail);
  const registeredId = useId();
  const changesId = useId();

  const described = error ? describeError(t, error, {}) : null;
  const rows: Array<[string, string]> = profile
    ? [
        [t('mypage.jsaId'), profile.jsaId],
        [t('mypage.contactName'), profile.contactName],
        [t('mypage.company'), profile.company],
        [t('mypage.department'), profile.department],
        [t('mypage.address'), profile.address],
        [t('mypage.phone'), profile.phone],
        [t('mypage.email'), profile.maskedEmail],
      ]
    : [];

  return (
    <>
      <PageHeading>{t('mypage.heading')}</PageHeading>
      {notice && (
        <p className="status-message" role="status">
          {t(`mypage.notice.${notice}`)}
        </p>
      )}
      {described && <ErrorSummary described={described} attempt={attempt} />}
      {profile && (
        <>
          <p className="lead">{t('mypage.lead', { name: profile.contactName })}</p>
          <section aria-labelledby={registeredId} className="profile">
            <h2 id={registeredId} className="section-heading">
              {t('mypage.registered')}
            </h2>
            <dl className="profile__list">
              {rows.map(([label, value]) => (
                <div key={label} className="profile__row">
                  <dt>{label}</dt>
                  {/* Plain text: React escapes it, so stored data never becomes markup. */}
                  <dd>{value || '—'}</dd>
                </div>
              ))}
            </dl>
            <p className="note">{t('mypage.emailMaskedNote')}</p>
            {profile.pendingEmailChange && (
              <p className="note">
                {t('mypage.pending', {
                  email: profile.pendingEmailChange.maskedNewEmail,
                  time: clockTime(profile.pendingEmailChange.expiresAt, i18n.language),
                })}
              </p>
            )}
          </section>
          <section aria-labelledby={changesId} className="profile-actions">
            <h2 id={changesId} className="section-heading">
              {t('mypage.changes')}
            </h2>
            <p className="guide">{t('mypage.changesLead')}</p>
            <ul className="choice-list">
              <li>
                <button type="button" className="button button--secondary button--wide" onClick={onName}>
                  {t('mypage.toName')}
                </button>
              </li>
              <li>
                <button type="button" className="button button--secondary button--wide" onClick={onEmail}>
                  {t('mypage.toEmail')}
                </button>
              </li>
              <li>
                <button type="button" className="button button--secondary button--wide" onClick={onPassword}>
                  {t('mypage.toPassword')}
                </button>
              </li>
            </ul>
            <p className="note">{t('mypage.otherFields')}</p>
          </section>
        </>
      )}
    </>
  );
}
