/** A server-sent-events client over fetch: collects `event`/`id`/`data` of each message. */
export interface SseMessage {
  event: string;
  id?: string;
  data: Record<string, unknown>;
}

export class SseClient {
  readonly messages: SseMessage[] = [];
  status = 0;
  contentType = '';
  private readonly controller = new AbortController();
  private done?: Promise<void>;

  static async open(url: string): Promise<SseClient> {
    const client = new SseClient();
    const res = await fetch(url, { signal: client.controller.signal, headers: { accept: 'text/event-stream' } });
    client.status = res.status;
    client.contentType = res.headers.get('content-type') ?? '';
    if (res.ok && res.body) client.done = client.read(res.body);
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const i = line.indexOf(':');
            if (i > 0) fields[line.slice(0, i)] = line.slice(i + 1).trimStart();
          }
          if (fields.data)
            this.messages.push({ event: fields.event ?? 'message', id: fields.id, data: JSON.parse(fields.data) });
        }
      }
    } catch {
      // aborted
    }
  }

  close(): Promise<void> {
    this.controller.abort();
    return this.done ?? Promise.resolve();
  }
}
