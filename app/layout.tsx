import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
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
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
