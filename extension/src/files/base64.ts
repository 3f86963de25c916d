import SparkMD5 from 'spark-md5';

/** Removes the line breaks (and any other whitespace) of MIME-style base64. */
export function stripBase64(content: string): string {
  return content.replace(/\s+/g, '');
}

/** Decodes base64 (line breaks allowed) into bytes. Throws on characters outside the alphabet. */
export function base64ToBytes(content: string): Uint8Array {
  const clean = stripBase64(content);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
    throw new Error('Content is not valid base64');
  }
  const binary = atob(clean);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

/** Encodes bytes as base64 without line breaks. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** UTF-8 text to base64. */
export function textToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

/** base64 to UTF-8 text. */
export function base64ToText(content: string): string {
  return new TextDecoder().decode(base64ToBytes(content));
}

/** Lower-case hex MD5 of raw bytes (the checksum ngshare reports). */
export function md5Bytes(bytes: Uint8Array): string {
  const copy = bytes.slice();
  return SparkMD5.ArrayBuffer.hash(copy.buffer);
}

/** MD5 of the bytes a base64 string encodes. */
export function md5Base64(content: string): string {
  return md5Bytes(base64ToBytes(content));
}

/** Number of bytes a base64 string decodes to, without decoding it. */
export function decodedSize(content: string): number {
  const clean = stripBase64(content);
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}
