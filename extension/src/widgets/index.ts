export * from './form';
export * from './AssignmentsWidget';
export * from './CoursesWidget';
export * from './InstructorWidget';
