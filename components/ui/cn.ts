import { clsx, type ClassValue } from 'clsx';
import { twMerge } from 'tailwind-merge';

/**
 * Class names from parts, some conditional: clsx drops the falsy ones, tailwind-merge lets a
 * later utility win over an earlier one of the same group (`cn('px-2', wide && 'px-4')`).
 */
export function cn(...parts: ClassValue[]): string {
  return twMerge(clsx(parts));
}
