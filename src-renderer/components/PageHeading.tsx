import { useEffect, useRef, type ReactNode } from 'react';

/**
 * Each screen's <h1>. It takes focus when the screen appears, so a screen-reader user hears
 * where they are and the next Tab starts at the top of the new screen, not at the old button.
 */
export function PageHeading({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
