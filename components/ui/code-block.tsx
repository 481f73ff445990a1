import { CopyButton } from './copy-button';
import { cn } from '@/components/ui/cn';

/** Pre-formatted text (SQL, JSON, an error) with a copy button in its corner. */
export function CodeBlock({
  code,
  label,
  copyLabel = 'Copy',
  tone = 'dark',
  maxHeight = '24rem',
  testId,
}: {
  code: string;
  /** Accessible name of the block, e.g. "Remediation SQL". */
  label: string;
  copyLabel?: string;
  tone?: 'dark' | 'error';
  maxHeight?: string;
  testId?: string;
}) {
  const colours = tone === 'error' ? 'bg-red-950 text-red-50' : 'bg-slate-900 text-slate-100';
  return (
    <figure className="relative" aria-label={label} data-testid={testId}>
      <pre
        className={cn(
          'overflow-auto rounded-lg p-4 pr-28 font-mono text-[13px] leading-relaxed whitespace-pre-wrap break-words',
          colours,
        )}
        style={{ maxHeight }}
        tabIndex={0}
      >
        <code>{code}</code>
      </pre>
      <CopyButton text={code} label={copyLabel} className="absolute top-2 right-2" />
    </figure>
  );
}
