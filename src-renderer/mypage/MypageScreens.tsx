import { useTranslation } from 'react-i18next';
import { ErrorSummary } from '../components/ErrorSummary';
import { describeError, useCallErrorState } from '../components/form-errors';
import { ContactNamePage } from './ContactNamePage';
import { EmailChangePage } from './EmailChangePage';
import type { MypageNav } from './mypage-screens';
import { PasswordChangePage } from './PasswordChangePage';
import { useProfile } from './use-profile';

interface ChangeScreenProps extends MypageNav {
  which: 'name' | 'email' | 'password';
  onNameChanged: (name: string) => void;
}

/** One of the three change screens, once the registered data it starts from has arrived. */
export function MypageChangeScreen({ which, onNameChanged, onDone, onSessionEnded }: ChangeScreenProps) {
  const { t } = useTranslation();
  const { error, attempt, fail } = useCallErrorState();
  const profile = useProfile(onSessionEnded, fail);
  if (error) return <ErrorSummary described={describeError(t, error, {})} attempt={attempt} />;
  if (!profile) return null;
  const nav = { onDone, onSessionEnded };
  switch (which) {
    case 'name':
      return <ContactNamePage {...nav} currentName={profile.contactName} onNameChanged={onNameChanged} />;
    case 'email':
      return <EmailChangePage {...nav} maskedEmail={profile.maskedEmail} pending={profile.pendingEmailChange} />;
    case 'password':
      return <PasswordChangePage {...nav} policy={profile.policy} />;
  }
}
