export * from './hooks';
export * from './format';
export * from './common';
export * from './AssignmentsPanel';
export * from './SubmitPreview';
export * from './CoursesPanel';
export * from './InstructorPanel';
