/**
 * One reporting clock: what is due, when (Copenhagen), where it stands and a live countdown. The
 * countdown is the browser's clock against the server's due instant; the status badge is the
 * server's, so a drifting browser clock can mislabel the minutes but never the obligation.
 */
import { useEffect, useState } from 'react';
import type { CaseDeadlineKind, Deadline } from '../../api/safety-api.js';
import { useCommonStrings } from '../randomization/common-strings.js';
import { durationParts, formatCphDue, formatCphLong } from '../randomization/trial-format.js';
import { DeadlineBadge } from './badges.js';
import { useSafetyStrings } from './safety-i18n.js';

/** The current time, refreshed every `ms` milliseconds. */
export function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}

/** "23 h 59 min left" or "overdue by 2 h 5 min". */
export function useCountdown(): (dueIso: string, now: number) => string {
  const { pt } = useCommonStrings();
  return (dueIso, now) => {
    const ms = Date.parse(dueIso) - now;
    const { days, hours, minutes } = durationParts(ms);
    const duration =
      days > 0
        ? pt('duration.daysHoursMinutes', { days, hours, minutes })
        : hours > 0
          ? pt('duration.hoursMinutes', { hours, minutes })
          : pt('duration.minutes', { minutes });
    return ms >= 0 ? pt('duration.left', { duration }) : pt('duration.overdueBy', { duration });
  };
}

/** "Due Wed, 25 Nov 2026, 23:07 (Copenhagen)", or "Due by the end of Thu, 10 Dec 2026 (Copenhagen)". */
export function dueText(
  pt: ReturnType<typeof useSafetyStrings>['pt'],
  kind: CaseDeadlineKind,
  iso: string,
  locale: string,
): string {
  const due = formatCphDue(iso, locale, kind !== 'sponsor_report');
  return due.endOfDay
    ? pt('case.dueEndOfDay', { date: due.text })
    : pt('case.due', { time: pt('common.copenhagen', { time: due.text }) });
}

/** When a deadline falls, for tables: "25 Nov 2026, 23:07 (Copenhagen)" or "end of 10 Dec 2026 (Copenhagen)". */
export function dueShort(
  pt: ReturnType<typeof useSafetyStrings>['pt'],
  kind: CaseDeadlineKind,
  iso: string,
  locale: string,
): string {
  const due = formatCphDue(iso, locale, kind !== 'sponsor_report');
  return due.endOfDay ? pt('common.endOfDay', { date: due.text }) : pt('common.copenhagen', { time: due.text });
}

/** The clock card. */
export function DeadlineClock({ deadline, now }: { deadline: Deadline; now: number }) {
  const { pt, locale } = useSafetyStrings();
  const countdown = useCountdown();
  const met = deadline.status === 'met' || deadline.status === 'met_late';
  return (
    <li className={`tp-clock tp-clock--${deadline.status}`} data-deadline={deadline.kind}>
      <div className="tp-clock__head">
        <h3 className="tp-clock__label">{pt(`case.clocks.${deadline.kind}`)}</h3>
        <DeadlineBadge status={deadline.status} />
      </div>
      <p className="tp-clock__due" data-due={deadline.due}>
        {dueText(pt, deadline.kind, deadline.due, locale)}
      </p>
      {met && deadline.metAt ? (
        <p className="tp-clock__countdown">
          {deadline.status === 'met'
            ? pt('case.metAt', { time: formatCphLong(deadline.metAt, locale) })
            : pt('case.metLateAt', { time: formatCphLong(deadline.metAt, locale) })}
        </p>
      ) : (
        <p className="tp-clock__countdown" aria-live="off">
          {countdown(deadline.due, now)}
        </p>
      )}
    </li>
  );
}
