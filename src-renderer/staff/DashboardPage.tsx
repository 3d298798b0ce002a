import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '../../src-main/contract';
import { PageHeading } from '../components/PageHeading';
import { currentLocale } from '../i18n/setup';
import { DataTable } from './DataTable';
import { DemoDataNotice } from './DemoDataNotice';
import { useStaff } from './staff-session';
import { CallAlert, SelectField, useLoad } from './ui';

const dayChoices = ['7', '14', '30', '90'] as const;

export function DashboardPage() {
  const { t, i18n } = useTranslation();
  const { call } = useStaff();
  const [days, setDays] = useState<(typeof dayChoices)[number]>('14');
  const { data, error } = useLoad(() => call('staff.dashboard', { days: Number(days) }), [days]);
  // Under a minute keeps its decimal (0.5 分); above, the largest natural unit (1 時間 30 分).
  const duration = (minutes: number) => (minutes < 1 ? t('staff.dashboard.minutes', { value: minutes }) : formatDuration(minutes, currentLocale(i18n)));
  const pct = (v: number | null) => (v === null ? t('staff.dashboard.noData') : `${Math.round(v * 100)}%`);
  return (
    <>
      <PageHeading>{t('staff.dashboard.heading')}</PageHeading>
      <SelectField id="dash-days" label={t('staff.dashboard.days')} value={days} options={dayChoices.map((d) => ({ value: d, label: d }))} onChange={setDays} />
      <CallAlert error={error} />
      {data && (
        <>
          <DemoDataNotice count={data.demoAccounts} />
          <dl className="staff-cards">
            <div className="staff-card">
              <dt>{t('staff.dashboard.requests')}</dt>
              <dd>{data.totals.requests}</dd>
            </div>
            <div className="staff-card">
              <dt>{t('staff.dashboard.completionRate')}</dt>
              <dd>{pct(data.totals.completionRate)}</dd>
            </div>
            <div className="staff-card">
              <dt>{t('staff.dashboard.median')}</dt>
              <dd>{data.totals.medianMinutesToComplete === null ? t('staff.dashboard.noData') : duration(data.totals.medianMinutesToComplete)}</dd>
            </div>
            <div className="staff-card">
              <dt>{t('staff.dashboard.openQueue')}</dt>
              <dd>
                {data.openInquiries.jsaIdUnknown + data.openInquiries.contactChange}
                <span className="staff-card__sub">
                  {t('staff.dashboard.openJsaId')} {data.openInquiries.jsaIdUnknown}
                  {t('staffUx.separator')}
                  {t('staff.dashboard.openChange')} {data.openInquiries.contactChange}
                </span>
              </dd>
            </div>
            <div className="staff-card">
              <dt>{t('staff.dashboard.activeLocks')}</dt>
              <dd>{data.activeLocks}</dd>
            </div>
            <div className="staff-card">
              <dt>{t('staff.dashboard.mailFailed')}</dt>
              <dd>
                {data.mail.failed}
                <span className="staff-card__sub">
                  {t('staff.dashboard.mailQueued')} {data.mail.queued}
                </span>
              </dd>
            </div>
          </dl>
          <section className="staff-section" aria-labelledby="dash-chart">
            <h2 id="dash-chart">{t('staff.dashboard.perDay')}</h2>
            {/* The chart is a picture for sighted users; the same numbers follow as a table.
                Recharts' keyboard layer is off: nothing focusable may sit inside aria-hidden (axe
                aria-hidden-focus). No animation: it would show empty bars to a quick glance. */}
            <div className="staff-chart" aria-hidden="true">
              <ResponsiveContainer width="100%" height={280}>
                <BarChart accessibilityLayer={false} data={data.days.map((d) => ({ ...d, day: d.day.slice(5) }))}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="day" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Legend />
                  <Bar dataKey="requests" name={t('staff.dashboard.requests')} fill="var(--c-primary)" isAnimationActive={false} />
                  <Bar dataKey="completed" name={t('staff.dashboard.completed')} fill="var(--c-ok)" isAnimationActive={false} />
                  <Bar dataKey="byStaff" name={t('staff.dashboard.byStaff')} fill="var(--c-text-sub)" isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
            <details>
              <summary>{t('staff.dashboard.table')}</summary>
              <DataTable
                caption={t('staff.dashboard.perDay')}
                rows={data.days}
                rowKey={(d) => d.day}
                columns={[
                  { header: t('staff.dashboard.day'), cell: (d) => d.day, rowHeader: true },
                  { header: t('staff.dashboard.requests'), cell: (d) => d.requests },
                  { header: t('staff.dashboard.completed'), cell: (d) => d.completed },
                  { header: t('staff.dashboard.byStaff'), cell: (d) => d.byStaff },
                ]}
              />
            </details>
          </section>
        </>
      )}
    </>
  );
}
