/**
 * Lines of a file as raw bytes, streamed, so a multi-gigabyte JSON Lines corpus never sits in
 * memory and each line can be decoded strictly (readline would replace invalid UTF-8 silently).
 */
import { createReadStream } from 'node:fs';

export async function* readLines(path: string): AsyncGenerator<{ readonly number: number; readonly bytes: Buffer }> {
  let carry: Buffer = Buffer.alloc(0);
  let number = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    let data = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = data.indexOf(0x0a, start); nl >= 0; nl = data.indexOf(0x0a, start)) {
      const end = nl > start && data[nl - 1] === 0x0d ? nl - 1 : nl;
      yield { number: ++number, bytes: data.subarray(start, end) };
      start = nl + 1;
    }
    data = data.subarray(start);
    carry = Buffer.from(data);
  }
  if (carry.length > 0) yield { number: ++number, bytes: carry[carry.length - 1] === 0x0d ? carry.subarray(0, -1) : carry };
}
