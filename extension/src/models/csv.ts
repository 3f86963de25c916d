import { IImportPreview, IPersonRow, IRosterCsvRow } from '../tokens';
import { ITrans, plainTrans } from './i18n';

/** RFC 4180-ish CSV: quoted fields, doubled quotes, CRLF or LF, a BOM at the start. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && s[i + 1] === '\n') {
        i++;
      }
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter(r => r.some(f => f.trim() !== ''));
}

const COLUMNS = ['student_id', 'first_name', 'last_name', 'email'] as const;

/**
 * Parses an nbgrader / ngshare-course-management roster CSV with the header
 * `student_id,first_name,last_name,email` (any column order; extra columns ignored).
 * Throws when the header lacks `student_id`.
 */
export function parseRosterCsv(text: string, trans: ITrans = plainTrans): IRosterCsvRow[] {
  const rows = parseCsv(text);
  if (rows.length === 0) {
    return [];
  }
  const header = rows[0].map(h => h.trim().toLowerCase());
  const index: Record<string, number> = {};
  for (const col of COLUMNS) {
    index[col] = header.indexOf(col);
  }
  if (index.student_id < 0) {
    throw new Error(trans.__('The CSV needs a header row with the column student_id'));
  }
  const seen = new Set<string>();
  return rows.slice(1).map((fields, i) => {
    const get = (col: string): string => (index[col] >= 0 ? (fields[index[col]] ?? '').trim() : '');
    const row: IRosterCsvRow = {
      line: i + 2,
      student_id: get('student_id'),
      first_name: get('first_name'),
      last_name: get('last_name'),
      email: get('email')
    };
    if (!row.student_id) {
      row.error = trans.__('empty student_id');
    } else if (/[/\\\s]/.test(row.student_id)) {
      row.error = trans.__('student_id contains a space or a slash');
    } else if (seen.has(row.student_id)) {
      row.error = trans.__('duplicate student_id');
    }
    seen.add(row.student_id);
    return row;
  });
}

/** Compares CSV rows with the current roster. Removals are listed only when asked for. */
export function previewImport(
  rows: readonly IRosterCsvRow[],
  current: readonly IPersonRow[],
  instructors: readonly IPersonRow[],
  removeMissing: boolean,
  trans: ITrans = plainTrans
): IImportPreview {
  const byId = new Map(current.map(p => [p.username, p]));
  const instructorIds = new Set(instructors.map(p => p.username));
  const preview: IImportPreview = {
    adds: [],
    updates: [],
    unchanged: [],
    invalid: [],
    removals: []
  };
  for (const row of rows) {
    if (row.error) {
      preview.invalid.push(row);
      continue;
    }
    if (instructorIds.has(row.student_id)) {
      preview.invalid.push({ ...row, error: trans.__('is an instructor of this course') });
      continue;
    }
    const existing = byId.get(row.student_id);
    if (!existing) {
      preview.adds.push(row);
    } else if (
      existing.first_name !== row.first_name ||
      existing.last_name !== row.last_name ||
      existing.email !== row.email
    ) {
      preview.updates.push(row);
    } else {
      preview.unchanged.push(row);
    }
  }
  if (removeMissing) {
    const inCsv = new Set(rows.filter(r => !r.error).map(r => r.student_id));
    preview.removals = current.map(p => p.username).filter(u => !inCsv.has(u));
  }
  return preview;
}
