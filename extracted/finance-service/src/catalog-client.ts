import { CORRELATION_HEADER } from '../../../common/src/correlation-id';
import { FinanceError } from './errors';

export interface CatalogAlbum {
  id: number;
  title: string;
  genre: string;
}

/** Where finance's foreign key to albums went: a lookup over HTTP instead of a join. */
export interface CatalogClient {
  /** Albums that exist, by id; ids the catalog does not know are simply absent from the map. */
  findAlbums(ids: number[], correlationId?: string): Promise<Map<number, CatalogAlbum>>;
}

export interface CatalogClientOptions {
  baseUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const IDS_PER_REQUEST = 100;

function unavailable(baseUrl: string, reason: string): FinanceError {
  return new FinanceError(
    'CATALOG_UNAVAILABLE',
    `catalog service at ${baseUrl} ${reason}; album titles and genres cannot be looked up, try again later`,
  );
}

/**
 * A small client for the catalog service's GET /catalog/albums?ids=…: one request
 * per 100 ids, a timeout on each, and the caller's correlation ID passed on. A
 * connection failure, a timeout or any non-200 answer is CATALOG_UNAVAILABLE (503).
 *
 * @example createCatalogClient({ baseUrl: 'http://127.0.0.1:4001', timeoutMs: 2000 }).findAlbums([1, 2], 'req-1')
 */
export function createCatalogClient(options: CatalogClientOptions): CatalogClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function fetchChunk(ids: number[], correlationId?: string): Promise<CatalogAlbum[]> {
    const url = `${baseUrl}/catalog/albums?ids=${ids.join(',')}&pageSize=${IDS_PER_REQUEST}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    let response: Response;
    try {
      response = await doFetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs) });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw unavailable(baseUrl, `did not answer within ${options.timeoutMs}ms`);
      const cause =
        (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw unavailable(baseUrl, `is unreachable (${cause})`);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw unavailable(baseUrl, `answered ${response.status}`);
    }
    const body = (await response.json()) as { items?: CatalogAlbum[] };
    return (body.items ?? []).map((a) => ({ id: a.id, title: a.title, genre: a.genre }));
  }

  return {
    async findAlbums(ids, correlationId) {
      const unique = [...new Set(ids)];
      const chunks: number[][] = [];
      for (let i = 0; i < unique.length; i += IDS_PER_REQUEST)
        chunks.push(unique.slice(i, i + IDS_PER_REQUEST));
      const found = await Promise.all(chunks.map((chunk) => fetchChunk(chunk, correlationId)));
      return new Map(found.flat().map((album) => [album.id, album]));
    },
  };
}
