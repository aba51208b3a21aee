import { Hono } from 'hono';
import { MAX_FILE_BYTES } from '../../corpus/readers/index.ts';
import { CorpusParseError } from '../../corpus/index.ts';
import type { Store } from '../store/index.ts';
import { ConsoleRequestError } from './console-request-error.ts';
import { CorpusAdminError, type CorpusAdmin } from './corpus-admin.ts';
import { jsonBody, text, textList } from './request-body.ts';
import { requireAdmin, type ConsoleEnv } from './session-auth.ts';

/** Largest upload the console takes in: a little above what the reader accepts, so the reader's own refusal is the one shown. */
export const maximumUploadBytes = MAX_FILE_BYTES + 1024 * 1024;

/**
 * Corpus changes from the console, admins only: upload a document, correct a clause's departments or heading,
 * reload the corpus directory. Each is audited; a refused upload or correction changes nothing.
 */
export function createCorpusRoutes({ store, corpusAdmin, clock }: { store: Store; corpusAdmin?: CorpusAdmin; clock: () => Date }): Hono<ConsoleEnv> {
  const routes = new Hono<ConsoleEnv>();
  const admin = (): CorpusAdmin => {
    if (!corpusAdmin) throw new ConsoleRequestError(503, 'CORPUS_READ_ONLY', '此部署不能在控制台修改政策文件');
    return corpusAdmin;
  };
  // Per route, not '*': these routes are mounted at the API's root beside everyone's routes.
  for (const path of ['/documents', '/documents/:id/corrections', '/corpus/reload']) routes.post(path, requireAdmin());

  routes.post('/documents', async (context) => {
    const body = await jsonBody(context);
    const filename = text(body.filename, 200);
    if (!filename) throw new ConsoleRequestError(400, 'NO_FILE', '请选择要上传的文件');
    const encoded = typeof body.content_base64 === 'string' ? body.content_base64 : '';
    const bytes = Buffer.from(encoded, 'base64');
    const options = {
      title: text(body.title, 200) || undefined,
      issuer: text(body.issuer, 100) || undefined,
      region: text(body.region, 60) || undefined,
      docNumber: text(body.doc_number, 60) || undefined,
    };
    try {
      const added = await admin().add({ filename, bytes }, options);
      await store.recordAudit({
        time: clock(),
        officer: context.get('officer'),
        action: 'corpus.upload',
        target: added.document.doc_id,
        details: { file: filename, title: added.document.doc_title, bytes: bytes.length },
      });
      return context.json(added, 201);
    } catch (error) {
      throw refusal(error);
    }
  });

  routes.post('/documents/:id/corrections', async (context) => {
    const body = await jsonBody(context);
    const clauseId = text(body.clause_id, 200);
    if (!clauseId) throw new ConsoleRequestError(400, 'BAD_REQUEST', '缺少条款编号 clause_id');
    const correction = {
      lead_departments: textList(body.lead_departments, '牵头单位'),
      support_departments: textList(body.support_departments, '配合单位'),
      title: body.title === null ? null : text(body.title, 200) || null,
      note: text(body.note, 500),
    };
    const time = clock();
    try {
      const clause = await admin().correct(context.req.param('id'), clauseId, correction, context.get('officer'), time);
      await store.recordAudit({ time, officer: context.get('officer'), action: 'clause.correct', target: clauseId, details: correction });
      return context.json({ clause });
    } catch (error) {
      throw refusal(error);
    }
  });

  routes.post('/corpus/reload', async (context) => {
    try {
      const result = await admin().reload();
      await store.recordAudit({ time: clock(), officer: context.get('officer'), action: 'corpus.reload', target: 'corpus', details: result });
      return context.json(result);
    } catch (error) {
      throw refusal(error);
    }
  });

  return routes;
}

/** Why a document or correction was refused, in the officer's words. */
function refusal(error: unknown): unknown {
  if (error instanceof CorpusAdminError) {
    return new ConsoleRequestError(error.code === 'BAD_CORRECTION' ? 400 : 404, error.code, error.message, { cause: error });
  }
  if (error instanceof CorpusParseError) {
    // The same message `policybot corpus add` prints (the corpus speaks Chinese), and that nothing changed.
    return new ConsoleRequestError(400, `CORPUS_${error.code.toUpperCase()}`, `${error.message}文件库未作任何改动。`, { cause: error });
  }
  return error;
}
