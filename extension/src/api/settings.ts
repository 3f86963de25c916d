/**
 * Default service URL: the Hub prefix without its trailing `hub/`, plus `services/ngshare/`.
 * `/hub/` -> `/services/ngshare/`; `/jh/hub/` -> `/jh/services/ngshare/`. Without a hub (plain
 * JupyterLab) the prefix is empty and the default is `/services/ngshare/`; set `serviceUrl`.
 */
export function defaultServiceUrl(hubPrefix: string | undefined, hubHost = ''): string {
  let prefix = hubPrefix || '/hub/';
  if (!prefix.endsWith('/')) {
    prefix += '/';
  }
  const root = prefix.replace(/hub\/$/, '');
  return `${hubHost}${root.startsWith('/') ? root : '/' + root}services/ngshare/`;
}

/** The configured URL (trimmed, `/`-terminated), or the default when the setting is empty. */
export function resolveServiceUrl(
  setting: string | undefined,
  hubPrefix: string | undefined,
  hubHost = ''
): string {
  const value = (setting ?? '').trim();
  if (!value) {
    return defaultServiceUrl(hubPrefix, hubHost);
  }
  return value.endsWith('/') ? value : value + '/';
}
