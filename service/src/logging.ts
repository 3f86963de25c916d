/** The process logger: JSON lines on stdout, tokens and cookies redacted. */
import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'ngshare' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.apiToken', '*.cookieSecret'],
      censor: '[redacted]'
    }
  });
}

export const silentLogger = (): Logger => pino({ level: 'silent' });
