'use client';

import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { createQueryClient } from '@/components/hooks/polling';

export function Providers({ children }: { children: ReactNode }) {
  // useState, not a module constant: one client per tab, never shared between server renders.
  const [client] = useState(createQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
