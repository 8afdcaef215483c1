import net from 'node:net';

export interface SlowClient {
  socket: net.Socket;
  /** Everything the server sent back so far (latin1). */
  answer: string;
}

/**
 * A POST whose headers and first body byte are sent now; the test sends the rest (or not)
 * through `socket`. Errors after the connection is up are left for the test to see in `answer`.
 */
export function startSlowPost(base: string, path: string, length: number): Promise<SlowClient> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const client: SlowClient = { socket: net.connect(Number(url.port), url.hostname), answer: '' };
    client.socket.on('error', () => undefined);
    client.socket.on('data', (chunk) => {
      client.answer += chunk.toString('latin1');
    });
    client.socket.once('connect', () => {
      client.socket.write(
        `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: ${length}\r\n\r\nx`,
      );
      resolve(client);
    });
    client.socket.once('error', reject);
  });
}
