import { useEffect, useId, useRef, type ReactNode } from 'react';
import type { DescribedError } from './form-errors';

/**
 * The summary at the top of a form: role=alert so it is announced, and focus moves here so
 * keyboard and screen-reader users start from the list; each item jumps to its field.
 */
interface ErrorSummaryProps {
  described: DescribedError;
  attempt: number;
  /** Extra help that belongs with the error, such as the contact block for 注意1. */
  children?: ReactNode;
}

export function ErrorSummary({ described, attempt, children }: ErrorSummaryProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();

  useEffect(() => {
    ref.current?.focus();
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [attempt]);

  return (
    <div ref={ref} className="error-summary" role="alert" aria-labelledby={titleId} tabIndex={-1}>
      <h2 id={titleId} className="error-summary__title">
        <span aria-hidden="true" className="error-summary__icon">
          !
        </span>
        {described.title}
      </h2>
      {described.general.map((line) => (
        <p key={line} className="error-summary__text">
          {line}
        </p>
      ))}
      {described.items.length > 0 && (
        <ul className="error-summary__list">
          {described.items.map((item, index) => (
            <li key={`${index}-${item.text}`}>
              {item.targetId ? (
                <a
                  href={`#${item.targetId}`}
                  onClick={(event) => {
                    // Focus the field itself; a hash change would also touch the route.
                    event.preventDefault();
                    document.getElementById(item.targetId!)?.focus();
                  }}
                >
                  {item.text}
                </a>
              ) : (
                item.text
              )}
            </li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}
