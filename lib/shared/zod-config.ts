import { z } from 'zod';

/**
 * zod 4 builds its fast object parsers with `new Function`, and probes for it when a schema is
 * built. The pages' CSP has no 'unsafe-eval', so the browser reports that probe as a violation
 * even though zod catches it. Every module that builds schemas and may run in the browser imports
 * this first (ES modules run their imports in order), so no schema is built before it.
 */
z.config({ jitless: true });
