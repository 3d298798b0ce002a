// Every code a staff screen can show has words in both languages. The lists come from the
// code itself: `auditActions` (appendAudit takes nothing else) and `mailKinds` (the templates
// render exactly these), plus every action string written anywhere in src-main, read from
// the source files, so a code added beside the list is caught too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actorKindLabels, actorKinds, auditActionLabels, auditActions, auditDetailLabels, mailKindLabels, mailKinds, type Label } from '../../../src-main/contract';
import { defaultRuntimeSettings } from '../../../src-main/domain/runtime-settings';
import { mailTemplates } from '../../../src-main/services/mail/mail-templates';

const hasBoth = (label: Label | undefined) => Boolean(label?.ja.trim()) && Boolean(label?.en.trim()) && label!.ja !== label!.en;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** `action: 'x.y'` and `ACTION = 'x.y'` literals in the main process's sources. */
function actionsWrittenInSource(): string[] {
  const found = new Set<string>();
  for (const file of sourceFiles(join(__dirname, '..', '..', '..', 'src-main'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\baction: '([a-z][a-z0-9.-]+)'/g)) found.add(m[1]!);
    for (const m of text.matchAll(/_ACTION = '([a-z][a-z0-9.-]+)'/g)) found.add(m[1]!);
    for (const m of text.matchAll(/'(mail\.unknown-[a-z]+)'/g)) found.add(m[1]!);
    // `${where}.password-wrong` and `${input.kind}.unlocked`: built from a known set of prefixes.
    for (const m of text.matchAll(/action: `\$\{[^}]+\}\.([a-z-]+)`/g)) found.add(`*.${m[1]!}`);
  }
  return [...found].sort();
}

/**
 * The keys of every `detail: { … }` literal in the main process's sources, nested and spread ones
 * too (監査ログ labels each part of a nested key); an index signature (a type, not an entry) is left out.
 */
function detailKeysWrittenInSource(): string[] {
  const found = new Set<string>();
  for (const file of sourceFiles(join(__dirname, '..', '..', '..', 'src-main'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bdetail: \{/g)) {
      const start = m.index + m[0].length;
      let depth = 1;
      let end = start;
      while (end < text.length && depth > 0) {
        if (text[end] === '{') depth += 1;
        if (text[end] === '}') depth -= 1;
        end += 1;
      }
      const body = text.slice(start, end - 1);
      if (body.trimStart().startsWith('[')) continue;
      for (const k of body.matchAll(/([A-Za-z_]\w*):(?!:)/g)) found.add(k[1]!);
      // Shorthand properties: `{ failures }`, `{ kioskId, requestsVoided }`.
      for (const k of body.matchAll(/(?:^|[{,])\s*([A-Za-z_]\w*)\s*(?=[,}]|$)/g)) found.add(k[1]!);
    }
  }
  return [...found].sort();
}

describe('the label table', () => {
  it.each(auditActions)('audit action %s has a Japanese and an English label', (action) => {
    expect(hasBoth(auditActionLabels[action]), action).toBe(true);
  });

  it.each(mailKinds)('mail kind %s has a Japanese and an English label', (kind) => {
    expect(hasBoth(mailKindLabels[kind]), kind).toBe(true);
  });

  it.each(actorKinds)('actor kind %s has a Japanese and an English label', (kind) => {
    expect(hasBoth(actorKindLabels[kind])).toBe(true);
  });

  it('covers every action written in the sources, not only the listed ones', () => {
    const listed = new Set<string>(auditActions);
    const written = actionsWrittenInSource();
    expect(written.length).toBeGreaterThan(30);
    const missing = written.filter((a) => (a.startsWith('*.') ? !auditActions.some((l) => l.endsWith(a.slice(1))) : !listed.has(a) && a !== 'deny'));
    expect(missing).toEqual([]);
  });

  it('names every detail key an audit entry is written with, in both languages', () => {
    const keys = detailKeysWrittenInSource();
    expect(keys.length).toBeGreaterThan(40);
    expect(keys.filter((k) => !hasBoth(auditDetailLabels[k]))).toEqual([]);
  });

  it('labels exactly the mails the templates render', () => {
    expect([...mailTemplates]).toEqual([...mailKinds]);
    expect(Object.keys(mailKindLabels).sort()).toEqual([...mailKinds].sort());
    expect(Object.keys(auditActionLabels).sort()).toEqual([...auditActions].sort());
  });

  it('names every setting, nested ones too, where the audit log shows a settings change (subject and detail keys)', () => {
    const keys = Object.entries(defaultRuntimeSettings).flatMap(([key, value]) => [key, ...(typeof value === 'object' ? Object.keys(value) : [])]);
    expect(keys.filter((k) => !hasBoth(auditDetailLabels[k]))).toEqual([]);
  });
});
