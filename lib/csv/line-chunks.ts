/** A chunk holds at most this many lines or about this many characters: the most read ahead. */
const CHUNK_LINES = 1000;
const CHUNK_CHARS = 64 * 1024;

const encoder = new TextEncoder();

/**
 * Lines (each given without its newline) as UTF-8 chunks of LF-ended lines, made as the consumer
 * asks for them, so that memory stays flat for any number of lines: the shape of every streamed
 * text download (JSON Lines, the commands script).
 */
export async function* lineChunks(
  lines: AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<Uint8Array<ArrayBuffer>> {
  let text = "";
  let count = 0;
  for await (const line of lines) {
    text += line + "\n";
    if (++count >= CHUNK_LINES || text.length >= CHUNK_CHARS) {
      yield encoder.encode(text) as Uint8Array<ArrayBuffer>;
      text = "";
      count = 0;
    }
  }
  if (text) yield encoder.encode(text) as Uint8Array<ArrayBuffer>;
}
