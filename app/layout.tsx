import type { Metadata, Viewport } from 'next';
import { headers } from 'next/headers';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { THEME_SCRIPT } from '@/components/ui/theme';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Frontier Monitor', template: '%s · Frontier Monitor' },
  description: 'Health of the 1m-bar roll-up pipeline: cursors, source frontiers, stalls and what to do about them.',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: the security headers (lib/server/security.ts) put a fresh CSP
  // nonce on each response, and Next.js can only stamp it on the scripts of a page rendered
  // for that request. A prerendered page's scripts would be blocked.
  await connection();
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  return (
    // The theme script sets class="dark" before React hydrates: that difference is expected.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* Before the body is parsed: the chosen theme from the first paint, no flash of light. */}
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
