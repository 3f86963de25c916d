/** The extension's version; the service must report the same major.minor (one version for all). */
export const EXTENSION_VERSION = '0.1.0';
