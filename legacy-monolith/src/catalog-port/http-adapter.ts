import { CORRELATION_HEADER } from '../../../common/src/correlation-id';
import { MonolithError } from '../errors';
import { currentCorrelationId } from '../http/request-context';
import { type AlbumPage, type CatalogAlbum, type CatalogPort, MAX_PAGE_SIZE } from './catalog-port';

export interface HttpCatalogOptions {
  /** The catalog service, e.g. http://127.0.0.1:4001 */
  baseUrl: string;
  /** Per request; a slower answer is CATALOG_UNAVAILABLE. */
  timeoutMs: number;
  /** Parallel requests of one batch lookup (bounded so a big report cannot flood the service). */
  concurrency?: number;
  fetch?: typeof fetch;
}

function unavailable(baseUrl: string, reason: string): MonolithError {
  return new MonolithError(
    'CATALOG_UNAVAILABLE',
    `catalog service at ${baseUrl} ${reason}; albums cannot be looked up, try again later (or set CATALOG_ADAPTER=database)`,
  );
}

async function inBatches<T, R>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * The new adapter: the catalog service's GET /catalog/albums over HTTP, with a timeout,
 * the request's correlation ID passed on, and CATALOG_UNAVAILABLE (503) when the service
 * is down, slow or answers anything but 200.
 *
 * @example new HttpCatalogAdapter({ baseUrl: 'http://127.0.0.1:4001', timeoutMs: 2000 }).findAlbums([1, 2])
 */
export class HttpCatalogAdapter implements CatalogPort {
  private readonly baseUrl: string;
  private readonly doFetch: typeof fetch;

  constructor(private readonly options: HttpCatalogOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.doFetch = options.fetch ?? fetch;
  }

  async findAlbums(ids: readonly number[]): Promise<Map<number, CatalogAlbum>> {
    const unique = [...new Set(ids)];
    const chunks: number[][] = [];
    for (let i = 0; i < unique.length; i += MAX_PAGE_SIZE)
      chunks.push(unique.slice(i, i + MAX_PAGE_SIZE));
    const pages = await inBatches(chunks, this.options.concurrency ?? 4, (chunk) =>
      this.getAlbums({ ids: chunk.join(','), pageSize: String(MAX_PAGE_SIZE) }),
    );
    return new Map(pages.flatMap((page) => page.items).map((album) => [album.id, album]));
  }

  async listAlbumsInGenre(genre: string, page: number, pageSize: number): Promise<AlbumPage> {
    return this.getAlbums({ genre, page: String(page), pageSize: String(pageSize) });
  }

  private async getAlbums(query: Record<string, string>): Promise<AlbumPage> {
    const url = `${this.baseUrl}/catalog/albums?${new URLSearchParams(query)}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    let response: Response;
    try {
      response = await this.doFetch(url, {
        headers,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw unavailable(this.baseUrl, `did not answer within ${this.options.timeoutMs}ms`);
      const cause =
        (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw unavailable(this.baseUrl, `is unreachable (${cause})`);
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw unavailable(this.baseUrl, `answered ${response.status} to GET /catalog/albums`);
    }
    const body = (await response.json().catch(() => undefined)) as
      | { items?: CatalogAlbum[]; total?: number }
      | undefined;
    if (!body || !Array.isArray(body.items))
      throw unavailable(this.baseUrl, 'answered a body without items');
    return { items: body.items.map(pickAlbum), total: Number(body.total ?? body.items.length) };
  }
}

function pickAlbum(a: CatalogAlbum): CatalogAlbum {
  return {
    id: a.id,
    title: a.title,
    artistId: a.artistId,
    artistName: a.artistName,
    genre: a.genre,
    releaseYear: a.releaseYear,
    priceCents: a.priceCents,
  };
}
