/**
 * The admin page, `<prefix>admin`: for admins only (others get 403; a browser without a login
 * goes through the hub's OAuth flow). Read-only: it shows courses with sizes and activity,
 * members, assignments, submissions, storage used, database and hub health, the version and the
 * recent failed requests, with a search. With `--debug` it also links the debug actions.
 * `?format=json` gives the same data as JSON. Every value in the HTML is escaped.
 */
import type { ServiceConfig } from '../../config/service-config';
import { forbidden } from '../../errors';
import type { AdminOverview, AdminOverviewData } from '../../services/admin-overview';
import { DOCS_URL } from '../../version';
import type { Authenticator } from '../middleware/authenticate';
import type { ApiContext, ApiRouter } from './route-kit';
import { literal } from './route-kit';

export interface AdminPageDeps {
  config: ServiceConfig;
  auth: Authenticator;
  overview: AdminOverview;
  redirectToLogin(ctx: ApiContext): void;
}

export function registerAdminPage(router: ApiRouter, deps: AdminPageDeps): void {
  const { config, auth } = deps;
  router.get(`${literal(config.prefix)}admin`, async ctx => {
    const user = await auth.identify(ctx, true);
    if (user === 'login') {
      deps.redirectToLogin(ctx);
      return;
    }
    ctx.state.user = user;
    await ctx.state.params.load();
    if (!user.isAdmin) {
      throw forbidden(
        config.debug ? 'Permission denied (the admin page is for admins)' : 'Permission denied'
      );
    }
    const search = ctx.state.params.any('q') ?? '';
    const data = await deps.overview.collect(search);
    ctx.set('Cache-Control', 'no-store');
    if (ctx.state.params.any('format') === 'json') {
      ctx.body = { success: true, ...data };
      return;
    }
    ctx.type = 'html';
    ctx.body = renderAdminPage(data, {
      user: config.mode === 'vngshare' ? user.name : null
    });
  });
}

const escape = (value: unknown): string =>
  String(value ?? '').replace(
    /[&<>"']/g,
    c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
  );

/** "1 instructor", "2 instructors". */
const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5rem;color:#222;max-width:80rem}
h1{margin:.2rem 0}h2{margin:1.2rem 0 .4rem;font-size:1.15rem}h3{margin:.6rem 0 .2rem;font-size:.95rem}small,.muted{color:#666}
a{color:#b44d00}code{background:#f3f3f3;padding:0 .25rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem}.card{border:1px solid #ccc;border-radius:6px;padding:.6rem .8rem;min-width:13rem}
.card b{display:block;font-size:1.05rem}.ok{color:#176f2c}.bad{color:#a00;font-weight:bold}
table{border-collapse:collapse;margin:.3rem 0}td,th{border:1px solid #ccc;padding:.2rem .45rem;font-size:.85rem;text-align:left}
td.n,th.n{text-align:right}details{margin:.3rem 0 .6rem}summary{cursor:pointer}
form{margin:.6rem 0}input[type=search]{padding:.25rem;width:20rem}.ro{background:#eef5ff;padding:.3rem .6rem;border-radius:4px}
.warn{background:#fff0f0;padding:.3rem .6rem;border-radius:4px}`;

function health(name: string, h: { ok: boolean; ms?: number; detail: string }): string {
  return `<div class="card"><small>${escape(name)}</small><b class="${h.ok ? 'ok' : 'bad'}">${
    h.ok ? 'OK' : 'FAILING'
  }</b>${escape(h.detail)}${h.ms === undefined ? '' : ` <small>(${escape(h.ms)} ms)</small>`}</div>`;
}

function table(headers: string[], rows: string[][], numeric: number[] = []): string {
  if (rows.length === 0) {
    return '<p class="muted">none</p>';
  }
  const cls = (i: number) => (numeric.includes(i) ? ' class="n"' : '');
  return `<table><tr>${headers.map((h, i) => `<th${cls(i)}>${escape(h)}</th>`).join('')}</tr>${rows
    .map(r => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`)
    .join('\n')}</table>`;
}

export function renderAdminPage(data: AdminOverviewData, opts: { user: string | null }): string {
  const userQ = opts.user === null ? '' : `user=${encodeURIComponent(opts.user)}`;
  const link = (path: string, extra = '') => {
    const q = [userQ, extra].filter(Boolean).join('&');
    return escape(q ? `${path}?${q}` : path);
  };
  const courseRows = data.courses.map(c => [
    `<a href="#course-${escape(c.id)}">${escape(c.id)}</a>`,
    escape(c.instructors),
    escape(c.students),
    escape(c.assignments.length),
    escape(c.submissions),
    escape(c.last_activity ?? '—'),
    escape(formatBytes(c.bytes))
  ]);
  const details = data.courses
    .map(
      c => `<details id="course-${escape(c.id)}"${data.search ? ' open' : ''}><summary><b>${escape(
        c.id
      )}</b> <small>${escape(count(c.instructors, 'instructor'))}, ${escape(
        count(c.students, 'student')
      )}, ${escape(count(c.assignments.length, 'assignment'))}, ${escape(formatBytes(c.bytes))}</small></summary>
<h3>Members</h3>${table(
        ['user', 'role', 'first name', 'last name', 'email'],
        c.members.map(m => [
          escape(m.user),
          escape(m.role),
          escape(m.first_name),
          escape(m.last_name),
          escape(m.email)
        ])
      )}
<h3>Assignments</h3>${table(
        ['assignment', 'submissions', 'students who submitted', 'released files'],
        c.assignments.map(a => [
          escape(a.id),
          escape(a.submissions),
          escape(a.students_submitted),
          escape(formatBytes(a.bytes))
        ]),
        [1, 2, 3]
      )}
<h3>Recent submissions</h3>${table(
        ['timestamp', 'assignment', 'student', 'feedback'],
        c.recent_submissions.map(s => [
          escape(s.timestamp),
          escape(s.assignment),
          escape(s.student),
          s.has_feedback ? 'released' : '—'
        ])
      )}</details>`
    )
    .join('\n');
  const errors = table(
    ['time (UTC)', 'status', 'request', 'user', 'message', 'request id'],
    data.recent_errors.map(e => [
      escape(e.time.replace('T', ' ').replace(/\.\d+Z$/, '')),
      escape(e.status),
      `<code>${escape(e.method)} ${escape(e.path)}</code>`,
      escape(e.user ?? '—'),
      escape(e.message),
      `<small>${escape(e.request_id)}</small>`
    ])
  );
  const mode = data.debug
    ? `<p class="warn">Debug mode (<code>--debug</code>): the debug actions can change data:
<a href="${link('initialize-Data6ase', 'action=dump&human-readable=true')}">dump the tables</a>,
<a href="${link('initialize-Data6ase', 'action=clear')}">clear everything</a>,
<a href="${link('initialize-Data6ase', 'action=init')}">load the test fixture</a>.</p>`
    : `<p class="ro">Read-only. This page changes nothing; the debug actions need <code>--debug</code>.
Raw tables: <a href="${link('initialize-Data6ase', 'action=dump&human-readable=true')}">database dump</a>.</p>`;
  const hidden =
    opts.user === null ? '' : `<input type="hidden" name="user" value="${escape(opts.user)}">`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ngshare admin</title>
<link rel="icon" href="${link('favicon.ico')}"><style>${STYLE}</style></head>
<body><h1>ngshare admin</h1>
<p class="muted">${escape(data.product)} ${escape(data.version)} on Node.js ${escape(data.node)},
${escape(data.mode)} mode, up ${escape(data.uptime_s)} s. Admins: ${escape(data.admins.join(', ') || '(none)')}.
<a href="${link('./')}">Home</a> · <a href="${link('admin', 'format=json')}">JSON</a> ·
<a href="${escape(DOCS_URL)}">Docs</a></p>
${mode}
<h2>Health</h2><div class="cards">
${health(`Database (${data.database.engine})`, data.database)}
${health(`JupyterHub${data.hub.url ? ` (${data.hub.url})` : ''}`, data.hub)}
${health('File storage', data.storage)}
<div class="card"><small>Storage used</small><b>${escape(formatBytes(data.storage.bytes))}</b>${escape(
    data.storage.blobs
  )} distinct files, ${escape(data.storage.files)} references</div>
<div class="card"><small>Totals</small><b>${escape(data.totals.courses)} courses</b>${escape(
    data.totals.users
  )} users, ${escape(data.totals.assignments)} assignments, ${escape(data.totals.submissions)} submissions</div>
</div>
<h2>Courses</h2>
<form method="get" action="admin">${hidden}<input type="search" name="q" value="${escape(
    data.search
  )}" placeholder="course, user, name, email or assignment" aria-label="Search">
<button type="submit">Search</button>${data.search ? ` <a href="${link('admin')}">clear</a>` : ''}</form>
${data.search ? `<p>${escape(data.courses.length)} courses match <b>${escape(data.search)}</b>.</p>` : ''}
${table(
  ['course', 'instructors', 'students', 'assignments', 'submissions', 'last submission', 'size'],
  courseRows,
  [1, 2, 3, 4, 6]
)}
${details}
<h2>Recent errors</h2><p class="muted">${escape(
    data.recent_errors.length === 0
      ? 'No failed requests since this process started.'
      : `${data.recent_errors.length === 1 ? 'The one failed request' : `The last ${data.recent_errors.length} failed requests`} of this process (newest first; paths without their query).`
  )}</p>
${errors}
</body></html>
`;
}
