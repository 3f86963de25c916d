import { LabIcon } from '@jupyterlab/ui-components';
import assignmentsSvg from '../../style/icons/assignments.svg';
import coursesSvg from '../../style/icons/courses.svg';

export const assignmentsIcon = new LabIcon({ name: 'ngshare:assignments', svgstr: assignmentsSvg });
export const coursesIcon = new LabIcon({ name: 'ngshare:courses', svgstr: coursesSvg });
