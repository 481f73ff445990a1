import path from 'node:path';

/** Where `npm start` keeps the embedded database; next to the project, ignored by git. */
export const EMBEDDED_DATA_DIR = path.resolve(process.cwd(), '.data', 'postgres');
