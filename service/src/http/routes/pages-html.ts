/** HTML of the home and dump pages (the admin page: admin-page.ts). Every interpolated value is escaped. */
import type { Identity } from '../../services/identity';
import type { Dump } from '../../services/debug-service';
import { DOCS_URL } from '../../version';

const escape = (value: unknown): string =>
  String(value).replace(
    /[&<>"']/g,
    c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
  );

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}
code{background:#f3f3f3;padding:0 .25rem}a{color:#b44d00}.warn{color:#a00;font-weight:bold}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .4rem;font-size:.85rem}
.grid{display:flex;gap:1rem}.col{flex:1}.card{margin-bottom:1rem}`;

export function renderHomePage(opts: {
  user: Identity;
  debug: boolean;
  vngshare: boolean;
  version: string;
}): string {
  const q = opts.vngshare ? `?user=${encodeURIComponent(opts.user.name)}` : '';
  const amp = q ? `${q}&` : '?';
  const debugBlock =
    opts.debug || opts.user.isAdmin
      ? `<h2>Debug actions</h2><ul>
<li><a href="initialize-Data6ase${amp}action=dump">Dump the database (JSON)</a></li>
<li><a href="initialize-Data6ase${amp}action=dump&amp;human-readable=true">Dump the database (tables)</a></li>
${
  opts.debug
    ? `<li><a href="initialize-Data6ase${amp}action=clear">Clear everything</a></li>
<li><a href="initialize-Data6ase${amp}action=init">Load the test fixture</a></li>`
    : ''
}
</ul>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ngshare</title>
<link rel="icon" href="favicon.ico${q}"><style>${STYLE}</style></head>
<body><h1>ngshare</h1>
<p>The nbgrader exchange service (ngshare-ts ${escape(opts.version)}). You are signed in as
<strong>${escape(opts.user.name)}</strong>${opts.user.isAdmin ? ' (admin)' : ''}.</p>
${opts.vngshare ? '<p class="warn">Test mode (vngshare): identity comes from the user parameter. Do not use in production.</p>' : ''}
<h2>Try the API</h2><ul>
<li><a href="courses${q}">Your courses</a>: <code>GET courses</code></li>
<li><code>GET assignments/&lt;course&gt;</code>, <code>GET assignment/&lt;course&gt;/&lt;assignment&gt;?list_only=true</code></li>
<li><a href="healthz">Health</a> and <a href="version">version</a></li>
${opts.user.isAdmin ? `<li><a href="admin${q}">Admin page</a>: courses, members, storage, health, recent errors</li>` : ''}
</ul>${debugBlock}
<p>Documentation: <a href="${escape(DOCS_URL)}">${escape(DOCS_URL)}</a> (admin, instructor and student
guides, API reference; also in the <code>docs/</code> folder of the source).</p>
</body></html>
`;
}

/**
 * Columns of ngshare 0.6's schema that this service never sets (an assignment is released once
 * it exists; there is no due date): kept in the JSON dump for compatibility, left out of the
 * tables, where `released: false` on a released assignment would mislead.
 */
const LEGACY_COLUMNS: Record<string, string[]> = { assignments: ['released', 'due'] };

/** `user`: the vngshare user to carry in the admin link (null in hub mode, where a cookie does). */
export function renderDumpPage(dump: Dump, user: string | null = null): string {
  const cards = Object.entries(dump)
    .map(([table, rows]) => {
      const legacy = LEGACY_COLUMNS[table] ?? [];
      const columns = Object.keys(rows[0] ?? {}).filter(c => !legacy.includes(c));
      const head = columns.map(c => `<th>${escape(c)}</th>`).join('');
      const body = rows
        .map(r => `<tr>${columns.map(c => `<td>${escape(r[c])}</td>`).join('')}</tr>`)
        .join('\n');
      return `<div class="card"><h2>${escape(table)}</h2><table><tr>${head}</tr>${body}</table></div>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ngshare database dump</title>
<style>${STYLE}</style><script src="masonry.min.js"></script></head>
<body><h1>Database dump</h1><p>The raw tables, in ngshare 0.6's shape. An assignment in the list
is released (0.6's <code>released</code> and <code>due</code> columns are unused and not shown).
The <a href="admin${user === null ? '' : `?user=${escape(encodeURIComponent(user))}`}">admin page</a> gives sizes, activity and health.</p>
<div class="grid">${cards}</div></body></html>
`;
}
