import fs from 'node:fs';

/** One line of the nginx data plane's JSON access log (the fields the metrics need). */
export interface AccessLogEntry {
  route: string;
  upstream: string;
  status: number;
  durationSeconds: number;
  fellBack: boolean;
  /** The upstream the route chose (before any fallback). */
  target: string;
  /** Extra attempts on the route's upstream (nginx's `$upstream_status` lists one status per attempt). */
  retries: number;
  /** The status of each attempt on the route's upstream (none when its breaker was open). */
  targetStatuses: number[];
  /** The status of each attempt on the monolith after a fallback. */
  fallbackStatuses: number[];
}

export interface AccessLogFollower {
  /** Reads what nginx has written so far (nginx flushes its log buffer at least every second). */
  readNow(): void;
  stop(): void;
}

/**
 * Follows the access log from its current end, one parsed entry per complete line;
 * a truncated or rotated file is read again from the start. Lines that do not parse
 * are skipped (nginx writes whole lines; a partial last line waits for the rest).
 */
export function followAccessLog(
  file: string,
  onEntry: (entry: AccessLogEntry) => void,
  everyMs = 250,
): AccessLogFollower {
  let offset = sizeOf(file);
  let pending = '';
  const readNow = () => {
    const size = sizeOf(file);
    if (size < offset) {
      offset = 0;
      pending = '';
    }
    if (size === offset) return;
    const fd = fs.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(size - offset);
      const read = fs.readSync(fd, buffer, 0, buffer.length, offset);
      offset += read;
      pending += buffer.subarray(0, read).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const entry = parseLine(line);
      if (entry) onEntry(entry);
    }
  };
  const timer = setInterval(readNow, everyMs);
  timer.unref();
  return {
    readNow,
    stop: () => clearInterval(timer),
  };
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function parseLine(line: string): AccessLogEntry | null {
  try {
    const raw = JSON.parse(line) as Record<string, unknown>;
    if (typeof raw.status !== 'number' || typeof raw.durationSeconds !== 'number') return null;
    // "503, 503, 200 : 200": the route's upstream, then (after an internal redirect) the fallback.
    const [first = '', ...rest] = String(raw.upstreamStatus ?? '').split(' : ');
    // An open breaker sends the request straight to the fallback: every status is the monolith's.
    const breakerOpen = raw.breakerOpen === '1';
    const targetStatuses = breakerOpen ? [] : statusesOf(first);
    return {
      route: String(raw.route || 'none'),
      upstream: String(raw.upstream || 'none'),
      status: raw.status,
      durationSeconds: raw.durationSeconds,
      target: String(raw.target || raw.upstream || 'none'),
      fellBack: raw.fellBack === '1',
      retries: Math.max(0, targetStatuses.length - 1),
      targetStatuses,
      fallbackStatuses: statusesOf((breakerOpen ? [first, ...rest] : rest).join(', ')),
    };
  } catch {
    return null;
  }
}

/** "503, 502, 200" → [503, 502, 200]; an attempt without an answer ("-") counts as 502. */
function statusesOf(list: string): number[] {
  if (list.trim() === '') return [];
  return list.split(', ').map((text) => {
    const status = Number(text);
    return Number.isInteger(status) ? status : 502;
  });
}
