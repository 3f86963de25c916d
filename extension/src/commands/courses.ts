import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { INgshareContext } from '../context';
import { notifyTask } from '../notifications';
import { CommandIDs } from '../tokens';
import { FormBody, ICoursesActions } from '../widgets';

export function createCoursesActions(app: JupyterFrontEnd, ctx: INgshareContext): ICoursesActions {
  const { trans } = ctx;
  return {
    openAssignments(course: string): void {
      void ctx.assignments.selectCourse(course);
      void app.commands.execute(CommandIDs.openAssignments);
    },
    manage(course: string): void {
      void app.commands.execute(CommandIDs.openInstructor, { course });
    },
    createCourse(): void {
      void (async () => {
        const answer = await showDialog({
          title: trans.__('Create course'),
          body: new FormBody([
            { name: 'course', label: trans.__('Course id'), placeholder: 'course101' },
            {
              name: 'instructors',
              label: trans.__('Instructors (user names, comma-separated)'),
              value: ctx.user
            }
          ]),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.okButton({ label: trans.__('Create') })
          ]
        });
        const course = answer.value?.course ?? '';
        if (!answer.button.accept || !course) {
          return;
        }
        const instructors = (answer.value?.instructors ?? '')
          .split(',')
          .map(s => s.trim())
          .filter(s => s);
        await notifyTask(
          {
            trans,
            audience: 'instructor',
            pending: trans.__('Creating course %1…', course),
            success: () => trans.__('Created course %1.', course),
            failure: trans.__('Could not create course %1.', course)
          },
          () => ctx.courses.createCourse(course, instructors)
        );
      })();
    }
  };
}
