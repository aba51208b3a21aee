/**
 * The officers' console: Hono app with the API under /api/, sign-in, and the static page in public/.
 */

// Commonly used
export { createConsoleApp } from './console-app.ts';
export { addOfficer, seedOfficer } from './officers.ts';

// Advanced
export { exchangeJson } from './api-json.ts';
export { conditionsView } from './conditions-json.ts';
export type { ConditionsView } from './conditions-json.ts';
export { CorpusAdminError } from './corpus-admin.ts';
export type { ClauseCorrectionInput, CorpusAdmin, CorpusState } from './corpus-admin.ts';
export type { ClauseView, CorpusView, DocumentSummary } from './corpus-view.ts';
export { chinaUtcOffsetMinutes, dayStart, localDay } from './local-day.ts';
