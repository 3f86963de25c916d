/** Every table of the schema, parents before children (the order rows can be inserted in). */
export const TABLES = [
  'users',
  'courses',
  'course_members',
  'assignments',
  'submissions',
  'blobs',
  'assignment_files',
  'submission_files',
  'feedback_files',
  'deadlines',
  'deadline_extensions',
  'course_groups',
  'history',
  'assignment_versions',
  'version_files'
] as const;

export type TableName = (typeof TABLES)[number];

/** A table's primary key: `pk` (a serial) except for users and blobs. */
export function primaryKey(table: TableName): 'id' | 'sha256' | 'pk' {
  return table === 'users' ? 'id' : table === 'blobs' ? 'sha256' : 'pk';
}
