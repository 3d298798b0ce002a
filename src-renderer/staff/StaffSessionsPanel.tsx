import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSubmit } from '../components/use-submit';
import { ConfirmDialog } from './ConfirmDialog';
import { DataTable } from './DataTable';
import { useStaff } from './staff-session';
import { CallAlert, Notice, useLoad, useTimeFormat } from './ui';

/**
 * ASVS 5.0 V7.4.5 on スタッフ管理: an admin sees where a staff user is logged in and ends one
 * login or all of them (audited). Opened from the user's row; the heading takes the focus so
 * a keyboard or screen-reader user lands on it.
 */
export function StaffSessionsPanel({ user, onClose }: { user: { staffId: string; displayName: string; username: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const { call } = useStaff();
  const time = useTimeFormat();
  const list = useLoad(() => call('staff.users.sessions', { staffId: user.staffId }), [user.staffId]);
  const [confirm, setConfirm] = useState<{ ref?: string } | undefined>();
  const [notice, setNotice] = useState('');
  const { error, attempt, run } = useSubmit();
  const heading = useRef<HTMLHeadingElement>(null);
  const name = `${user.displayName}${t('staffUx.aside', { text: user.username })}`;
  useEffect(() => heading.current?.focus(), [user.staffId]);

  const end = async (ref?: string) => {
    setConfirm(undefined);
    setNotice('');
    const done = await run(() => call('staff.users.endSessions', { staffId: user.staffId, ...(ref ? { ref } : {}) }));
    if (done) {
      // None left to end: another admin ended it a moment before, or the user logged out.
      setNotice(done.ended === 0 ? t('staff.userSessions.endedNone') : t('staff.userSessions.ended', { count: done.ended }));
      list.reload();
    }
  };

  return (
    <section className="staff-section" aria-labelledby="user-sessions-heading" data-testid="user-sessions">
      <h2 id="user-sessions-heading" ref={heading} tabIndex={-1}>
        {t('staff.userSessions.heading', { name })}
      </h2>
      <p>{t('staff.userSessions.lead')}</p>
      <CallAlert key={attempt} error={list.error ?? error} />
      <Notice>{notice}</Notice>
      {list.data &&
        (list.data.sessions.length === 0 ? (
          <p>{t('staff.userSessions.none')}</p>
        ) : (
          <DataTable
            caption={t('staff.userSessions.caption', { name })}
            rows={list.data.sessions}
            rowKey={(s) => s.ref}
            columns={[
              { header: t('staff.userSessions.loggedInAt'), cell: (s) => (s.current ? `${time(s.loggedInAt)}${t('staffUx.aside', { text: t('staff.userSessions.thisScreen') })}` : time(s.loggedInAt)) },
              { header: t('staff.userSessions.lastSeenAt'), cell: (s) => time(s.lastSeenAt) },
            ]}
            actions={(s) => (
              <button data-call="staff.users.endSessions" type="button" className="button button--secondary" onClick={() => setConfirm({ ref: s.ref })}>
                {t('staff.userSessions.end')}
              </button>
            )}
          />
        ))}
      <div className="actions staff-buttons">
        {list.data && list.data.sessions.length > 0 && (
          <button data-call="staff.users.endSessions" type="button" className="button button--primary" onClick={() => setConfirm({})}>
            {t('staff.userSessions.endAll')}
          </button>
        )}
        <button type="button" className="button button--secondary" onClick={onClose}>
          {t('staff.userSessions.close')}
        </button>
      </div>
      <ConfirmDialog
        open={confirm !== undefined}
        title={t('staff.userSessions.confirmTitle')}
        confirmLabel={confirm?.ref ? t('staff.userSessions.end') : t('staff.userSessions.endAll')}
        onConfirm={() => void end(confirm?.ref)}
        onCancel={() => setConfirm(undefined)}
      >
        <p>{confirm?.ref ? t('staff.userSessions.confirmOne', { name }) : t('staff.userSessions.confirmAll', { name })}</p>
      </ConfirmDialog>
    </section>
  );
}
