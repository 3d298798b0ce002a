/**
 * ✓ and ✗ drawn as SVG: the shapes differ (not only the colour), and they do not depend on
 * a glyph being in the bundled font. Decorative: the text beside them carries the meaning.
 */
export function CheckIcon({ ok }: { ok: boolean }) {
  return (
    <svg className="check-icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      {ok ? (
        <path d="M4 12.5l5 5L20 6.5" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
      ) : (
        <path d="M6 6l12 12M18 6L6 18" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" />
      )}
    </svg>
  );
}
