import type { LucideIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { cn } from '@/components/ui/cn';

export type BannerTone = 'light' | 'wall';

const STYLES = {
  amber: {
    wall: 'border-amber-400 bg-amber-400 text-black',
    light: 'border-amber-300 bg-amber-50 text-amber-950',
  },
  red: {
    wall: 'border-red-500 bg-red-600 text-white',
    light: 'border-red-300 bg-red-50 text-red-950',
  },
} as const;

/** The page-wide banners (stale data, replica lag, no worker): one shell, sized for a page or the wall. */
export function AlertBanner({
  tone,
  palette,
  icon: Icon,
  testId,
  children,
}: {
  tone: BannerTone;
  palette: keyof typeof STYLES;
  icon: LucideIcon;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div
      role="alert"
      data-testid={testId}
      className={cn(
        'flex items-center gap-3 rounded-lg border font-medium',
        STYLES[palette][tone],
        tone === 'wall' ? 'px-[1.5vw] py-[1vh] text-[2.4vh]' : 'px-4 py-3 text-sm',
      )}
    >
      <Icon aria-hidden className={tone === 'wall' ? 'size-[3.2vh] shrink-0' : 'size-5 shrink-0'} />
      {children}
    </div>
  );
}
