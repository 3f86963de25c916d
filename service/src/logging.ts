/** The process logger: JSON lines on stdout, tokens and cookies redacted. */
import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    // pid: with --workers, which process said it
    base: { service: 'ngshare', pid: process.pid },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.apiToken', '*.cookieSecret'],
      censor: '[redacted]'
    }
  });
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
