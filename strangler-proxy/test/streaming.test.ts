import http from 'node:http';
import { Readable } from 'node:stream';
import { startUpstream, type TestUpstream } from './support/upstream';
import { routesDoc } from './support/routes';
import { startTestProxy, type TestProxy } from './support/harness';

const MB = 1024 * 1024;
const SIZE = 100 * MB;
const CHUNK = Buffer.alloc(64 * 1024, 'x');

/** Produces `size` bytes on demand (nothing held in memory) and counts what it produced. */
function generate(size: number, counter: { produced: number }): Readable {
  let left = size;
  return new Readable({
    read() {
      if (left <= 0) return void this.push(null);
      const chunk = left >= CHUNK.length ? CHUNK : CHUNK.subarray(0, left);
      left -= chunk.length;
      counter.produced += chunk.length;
      this.push(chunk);
    },
  });
}

function samplePeakRss() {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return {
    stop: () => {
      clearInterval(timer);
      return (peak - start) / MB;
    },
  };
}

// Two checks: a deterministic one (the far end sees the first megabyte while the
// near end has produced only a few: bytes flow, nothing is stored and forwarded),
// and a loose memory one (buffering the body would grow RSS by ≥ 100 MB).
describe('100 MB bodies stream both ways without buffering', () => {
  const upload = { produced: 0, producedWhenFirstMbArrived: -1 };
  const download = { produced: 0, producedWhenFirstMbArrived: -1 };
  let upstream: TestUpstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.method === 'POST') {
        let received = 0;
        req.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received >= MB && upload.producedWhenFirstMbArrived < 0)
            upload.producedWhenFirstMbArrived = upload.produced;
        });
        req.on('end', () =>
          res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ received })),
        );
        return;
      }
      res.writeHead(200, {
        'content-length': String(SIZE),
        'content-type': 'application/octet-stream',
      });
      generate(SIZE, download).pipe(res);
    });
    proxy = await startTestProxy(routesDoc({ monolith: upstream.url }), { inMemory: true });
  });

  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('uploads 100 MB (chunked) through the proxy as a stream', async () => {
    const rss = samplePeakRss();
    const url = new URL(proxy.url);
    const received = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: url.hostname, port: url.port, method: 'POST', path: '/upload', agent: false },
        (res) => {
          let text = '';
          res.on('data', (c) => (text += c));
          res.on('end', () => resolve(JSON.parse(text).received));
        },
      );
      req.on('error', reject);
      generate(SIZE, upload).pipe(req);
    });
    expect(received).toBe(SIZE);
    expect(upload.producedWhenFirstMbArrived).toBeLessThan(20 * MB);
    expect(rss.stop()).toBeLessThan(100);
  });

  it('downloads 100 MB through the proxy as a stream', async () => {
    const rss = samplePeakRss();
    const url = new URL(proxy.url);
    const received = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: url.hostname, port: url.port, path: '/download', agent: false }, (res) => {
          let count = 0;
          res.on('data', (chunk: Buffer) => {
            count += chunk.length;
            if (count >= MB && download.producedWhenFirstMbArrived < 0)
              download.producedWhenFirstMbArrived = download.produced;
          });
          res.on('end', () => resolve(count));
          res.on('error', reject);
        })
        .on('error', reject);
    });
    expect(received).toBe(SIZE);
    expect(download.producedWhenFirstMbArrived).toBeLessThan(20 * MB);
    expect(rss.stop()).toBeLessThan(100);
  });
});
