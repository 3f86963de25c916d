/**
 * Base64 as ngshare (CPython's binascii) speaks it.
 *
 * Decoding follows `binascii.a2b_base64` in non-strict mode: characters
 * outside the alphabet are skipped, `=` before the second data character of
 * a quad is ignored, the first completed padding ends the input, and only an
 * incomplete final quad is an error. Node's Buffer would accept `amtsCg`;
 * ngshare rejects it, so this is its own small state machine.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE_TABLE = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) {
  DECODE_TABLE[ALPHABET.charCodeAt(i)] = i;
}
const PAD = 0x3d; // '='

// Alphabet and line breaks with padding only at the end: when the data and
// padding characters make whole quads, Node's decoder gives CPython's result.
const PLAIN = /^[A-Za-z0-9+/\n]*(?:==?)?\n?$/;

/** Returns the decoded bytes, or undefined when CPython would raise. */
export function decodeBase64Lenient(text: string): Buffer | undefined {
  if (PLAIN.test(text)) {
    let newlines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      newlines += 1;
    }
    if ((text.length - newlines) % 4 === 0) {
      return Buffer.from(text, 'base64');
    }
  }
  return decodeSlow(text);
}

function decodeSlow(text: string): Buffer | undefined {
  const out = Buffer.allocUnsafe(Math.floor((text.length * 3) / 4) + 3);
  let length = 0;
  let quadPos = 0;
  let leftChar = 0;
  let pads = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) {
      continue; // ngshare decodes the UTF-8 bytes: non-ASCII is outside the alphabet, skipped
    }
    if (code === PAD) {
      pads += 1;
      if (quadPos >= 2 && quadPos + pads >= 4) {
        return out.subarray(0, length);
      }
      continue;
    }
    const value = DECODE_TABLE[code];
    if (value < 0) {
      continue;
    }
    pads = 0;
    switch (quadPos) {
      case 0:
        quadPos = 1;
        leftChar = value;
        break;
      case 1:
        quadPos = 2;
        out[length++] = ((leftChar << 2) | (value >> 4)) & 0xff;
        leftChar = value & 0x0f;
        break;
      case 2:
        quadPos = 3;
        out[length++] = ((leftChar << 4) | (value >> 2)) & 0xff;
        leftChar = value & 0x03;
        break;
      default:
        quadPos = 0;
        out[length++] = ((leftChar << 6) | value) & 0xff;
        leftChar = 0;
    }
  }
  return quadPos === 0 ? out.subarray(0, length) : undefined;
}

/** `base64.encodebytes`: 76-character lines, each ending in a newline; empty input gives "". */
export function encodeBase64Mime(data: Buffer): string {
  const flat = data.toString('base64');
  if (flat.length === 0) {
    return '';
  }
  const lines: string[] = [];
  for (let i = 0; i < flat.length; i += 76) {
    lines.push(flat.slice(i, i + 76));
  }
  return lines.join('\n') + '\n';
}
