import { Dialog, showDialog } from '@jupyterlab/apputils';
import { ResponseError } from '../api';
import { INgshareContext } from '../context';
import { notifyTask, reportError } from '../notifications';
import type {
  IImportPreview,
  IImportResult,
  IOutcome,
  IPersonRow,
  IRosterChanges
} from '../tokens';
import { changeCounts } from '../models/roster-groups';
import { FormBody, IInstructorActions, ReportHolder } from '../widgets';

function summarize(outcomes: IOutcome[]): Record<IOutcome['status'], number> {
  const counts = { collected: 0, updated: 0, skipped: 0, released: 0, failed: 0 };
  outcomes.forEach(o => (counts[o.status] += 1));
  return counts;
}

/**
 * Asks for an exact, typed confirmation before a destructive service operation. The text says
 * precisely what the service deletes (ngshare deletes submissions and feedback with the assignment).
 */
async function confirmDeletion(
  ctx: INgshareContext,
  assignment: string,
  action: 'unrelease' | 'rerelease'
): Promise<boolean> {
  const { trans } = ctx;
  const impact = await ctx.instructor.deletionImpact(assignment);
  const releaseDir = `${ctx.instructor.courseDir() || '.'}/release/${assignment}/`;
  const what = trans.__(
    'This deletes assignment "%1" of course "%2" on the exchange, together with all %3 submission(s) from %4 student(s) and all feedback released for them. Students can no longer fetch it until it is released again. Files already collected into your course directory are not touched. This cannot be undone.',
    assignment,
    impact.course,
    impact.submissions,
    impact.students
  );
  const then = action === 'rerelease' ? trans.__('Then %1 is uploaded again.', releaseDir) : '';
  const body = new FormBody([
    {
      name: 'confirm',
      label: trans.__('%1 %2 Type the assignment name "%3" to confirm:', what, then, assignment)
    }
  ]);
  const answer = await showDialog({
    title:
      action === 'rerelease'
        ? trans.__('Delete and re-release %1?', assignment)
        : trans.__('Unrelease %1?', assignment),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({
        label:
          action === 'rerelease'
            ? trans.__('Delete and re-release')
            : trans.__('Delete on the exchange')
      })
    ]
  });
  if (!answer.button.accept) {
    return false;
  }
  if (answer.value?.confirm !== assignment) {
    reportError(
      trans,
      trans.__('Nothing was deleted.'),
      new Error(trans.__('The typed name did not match "%1".', assignment))
    );
    return false;
  }
  return true;
}

async function personDialog(
  ctx: INgshareContext,
  title: string,
  row: IPersonRow | null
): Promise<IPersonRow | null> {
  const { trans } = ctx;
  const answer = await showDialog({
    title,
    body: new FormBody([
      { name: 'username', label: trans.__('User name'), value: row?.username, readOnly: !!row },
      { name: 'first_name', label: trans.__('First name'), value: row?.first_name },
      { name: 'last_name', label: trans.__('Last name'), value: row?.last_name },
      { name: 'email', label: trans.__('Email'), value: row?.email }
    ]),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Save') })
    ]
  });
  if (!answer.button.accept || !answer.value?.username) {
    return null;
  }
  const v = answer.value;
  return { username: v.username, first_name: v.first_name, last_name: v.last_name, email: v.email };
}

async function confirm(
  ctx: INgshareContext,
  title: string,
  body: string,
  label: string
): Promise<boolean> {
  const answer = await showDialog({
    title,
    body,
    buttons: [Dialog.cancelButton({ label: ctx.trans.__('Cancel') }), Dialog.warnButton({ label })]
  });
  return answer.button.accept;
}

/** The instructor panel's button handlers. */
export function createInstructorActions(
  ctx: INgshareContext,
  reports: ReportHolder
): IInstructorActions {
  const { trans } = ctx;
  const model = ctx.instructor;

  const release = (assignment: string, force: boolean): void => {
    const course = model.course ?? '';
    void (async () => {
      try {
        if (force && !(await confirmDeletion(ctx, assignment, 'rerelease'))) {
          return;
        }
      } catch (err) {
        reportError(
          trans,
          trans.__('Could not check %1 on the exchange.', assignment),
          err,
          undefined,
          'instructor'
        );
        return;
      }
      await notifyTask(
        {
          trans,
          audience: 'instructor',
          pending: trans.__('Releasing %1…', assignment),
          success: n =>
            trans._n('Released %2 (%1 file).', 'Released %2 (%1 files).', n, assignment),
          failure: trans.__('Could not release %1.', assignment)
        },
        async () => {
          try {
            const count = await model.release(assignment, { force });
            if (force) {
              // the exchange deleted the submissions and feedback a summary may describe
              reports.dropFor(course, assignment);
            }
            return count;
          } catch (err) {
            if (err instanceof ResponseError && err.isConflict) {
              throw new Error(
                trans.__(
                  '%1 is already released. Use Re-release to replace it (this deletes its submissions).',
                  assignment
                )
              );
            }
            throw err;
          }
        }
      );
    })();
  };

  const saveStudent = (title: string, row: IPersonRow | null): void => {
    void (async () => {
      const person = await personDialog(ctx, title, row);
      if (!person) {
        return;
      }
      await notifyTask(
        {
          trans,
          audience: 'instructor',
          pending: trans.__('Saving student %1…', person.username),
          success: () => trans.__('Saved student %1.', person.username),
          failure: trans.__('Could not save student %1.', person.username)
        },
        () => model.roster.saveStudent(person.username, person)
      );
    })();
  };

  const saveInstructor = (title: string, row: IPersonRow | null): void => {
    void (async () => {
      const person = await personDialog(ctx, title, row);
      if (!person) {
        return;
      }
      await notifyTask(
        {
          trans,
          audience: 'instructor',
          pending: trans.__('Saving instructor %1…', person.username),
          success: () => trans.__('Saved instructor %1.', person.username),
          failure: trans.__('Could not save instructor %1.', person.username)
        },
        () => model.roster.saveInstructor(person.username, person)
      );
    })();
  };

  return {
    release: a => release(a, false),
    reRelease: a => release(a, true),

    unrelease(assignment: string): void {
      const course = model.course ?? '';
      void (async () => {
        try {
          if (!(await confirmDeletion(ctx, assignment, 'unrelease'))) {
            return;
          }
        } catch (err) {
          reportError(
            trans,
            trans.__('Could not check %1 on the exchange.', assignment),
            err,
            undefined,
            'instructor'
          );
          return;
        }
        await notifyTask(
          {
            trans,
            audience: 'instructor',
            pending: trans.__('Unreleasing %1…', assignment),
            success: () => trans.__('Unreleased %1.', assignment),
            failure: trans.__('Could not unrelease %1.', assignment)
          },
          async () => {
            await model.unrelease(assignment);
            reports.dropFor(course, assignment);
          }
        );
      })();
    },

    collect(assignment: string, student?: string): void {
      const course = model.course ?? '';
      void (async () => {
        const outcomes = await notifyTask(
          {
            trans,
            audience: 'instructor',
            pending: student
              ? trans.__('Collecting %1 from %2…', assignment, student)
              : trans.__('Collecting %1…', assignment),
            success: list => {
              const c = summarize(list);
              return trans.__(
                'Collect %1: %2 collected, %3 updated, %4 skipped, %5 failed.',
                assignment,
                c.collected,
                c.updated,
                c.skipped,
                c.failed
              );
            },
            failure: trans.__('Could not collect %1.', assignment)
          },
          () => model.submissions.collect(assignment, student)
        );
        if (outcomes) {
          reports.set({
            title: trans.__('Collect %1', assignment),
            course,
            assignment,
            outcomes
          });
        }
      })();
    },

    releaseFeedback(assignment: string, student?: string): void {
      const course = model.course ?? '';
      void (async () => {
        const outcomes = await notifyTask(
          {
            trans,
            audience: 'instructor',
            pending: trans.__('Releasing feedback for %1…', assignment),
            success: list => {
              const c = summarize(list);
              return trans.__(
                'Release feedback %1: %2 released, %3 skipped, %4 failed.',
                assignment,
                c.released,
                c.skipped,
                c.failed
              );
            },
            failure: trans.__('Could not release feedback for %1.', assignment)
          },
          () => model.submissions.releaseFeedback(assignment, student)
        );
        if (outcomes) {
          reports.set({
            title: trans.__('Release feedback %1', assignment),
            course,
            assignment,
            outcomes
          });
        }
      })();
    },

    addStudent: () => saveStudent(trans.__('Add student'), null),
    editStudent: row => saveStudent(trans.__('Edit student %1', row.username), row),
    removeStudent(username: string): void {
      void (async () => {
        const ok = await confirm(
          ctx,
          trans.__('Remove %1?', username),
          trans.__(
            'Remove %1 from course %2? Their submissions stay on the exchange, but they can no longer fetch or submit.',
            username,
            model.course ?? ''
          ),
          trans.__('Remove')
        );
        if (!ok) {
          return;
        }
        await notifyTask(
          {
            trans,
            audience: 'instructor',
            pending: trans.__('Removing %1…', username),
            success: () => trans.__('Removed student %1.', username),
            failure: trans.__('Could not remove %1.', username)
          },
          () => model.roster.removeStudent(username)
        );
      })();
    },

    addInstructor: () => saveInstructor(trans.__('Add instructor'), null),
    editInstructor: row => saveInstructor(trans.__('Edit instructor %1', row.username), row),
    removeInstructor(username: string): void {
      void (async () => {
        const ok = await confirm(
          ctx,
          trans.__('Remove instructor %1?', username),
          trans.__('Remove %1 as an instructor of %2?', username, model.course ?? ''),
          trans.__('Remove')
        );
        if (!ok) {
          return;
        }
        await notifyTask(
          {
            trans,
            audience: 'instructor',
            pending: trans.__('Removing %1…', username),
            success: () => trans.__('Removed instructor %1.', username),
            failure: trans.__('Could not remove %1.', username)
          },
          () => model.roster.removeInstructor(username)
        );
      })();
    },

    async applyImport(preview: IImportPreview): Promise<IImportResult[]> {
      if (preview.removals.length > 0) {
        const ok = await confirm(
          ctx,
          trans.__('Remove %1 student(s)?', preview.removals.length),
          trans.__(
            'The import removes these students from the course: %1',
            preview.removals.join(', ')
          ),
          trans.__('Import and remove')
        );
        if (!ok) {
          throw new Error(trans.__('Import cancelled.'));
        }
      }
      const results = await notifyTask(
        {
          trans,
          audience: 'instructor',
          pending: trans.__('Importing students…'),
          success: list =>
            trans.__(
              'Import: %1 succeeded, %2 failed.',
              list.filter(r => r.success).length,
              list.filter(r => !r.success).length
            ),
          failure: trans.__('Could not import the students.')
        },
        () => model.roster.applyImport(preview)
      );
      if (!results) {
        throw new Error(trans.__('The import failed; see the notification.'));
      }
      return results;
    },

    followGroups(studentGroup: string, instructorGroup: string): void {
      void (async () => {
        const course = model.course ?? '';
        const what = [
          studentGroup &&
            trans.__(
              'The students of %1 become the members of the JupyterHub group %2.',
              course,
              studentGroup
            ),
          instructorGroup &&
            trans.__(
              'The instructors of %1 become the members of the JupyterHub group %2.',
              course,
              instructorGroup
            )
        ].filter(Boolean);
        const named = [studentGroup, instructorGroup].filter(Boolean).join(', ');
        const ok = await confirm(
          ctx,
          trans.__('Follow the hub group %1?', named),
          `${what.join(' ')} ${trans.__(
            'This happens now and every few minutes: members are added, others are removed (their submissions stay).'
          )}`,
          trans.__('Follow')
        );
        if (!ok) {
          return;
        }
        await notifyTask(
          {
            trans,
            audience: 'instructor',
            pending: trans.__('Reading %1 from JupyterHub…', named),
            success: c => syncedText(c),
            failure: trans.__('Could not follow the hub group %1.', named)
          },
          () => model.roster.followGroups(studentGroup, instructorGroup)
        );
      })();
    },

    syncGroups(): void {
      void notifyTask(
        {
          trans,
          audience: 'instructor',
          pending: trans.__('Reading the groups from JupyterHub…'),
          success: c => syncedText(c),
          failure: trans.__('Could not sync the roster from JupyterHub.')
        },
        () => model.roster.syncGroups()
      );
    },

    unfollowGroups(): void {
      void notifyTask(
        {
          trans,
          audience: 'instructor',
          pending: trans.__('Stopping…'),
          success: () => trans.__('The roster no longer follows hub groups; edit it by hand.'),
          failure: trans.__('Could not stop following the hub groups.')
        },
        () => model.roster.unfollowGroups()
      );
    },

    newVersion(assignment: string): void {
      void (async () => {
        const answer = await showDialog({
          title: trans.__('Publish a new version of %1?', assignment),
          body: trans.__(
            'The files in release/%1 become the current version of %1 on the exchange. Every submission and all feedback stay; students who fetch %1 from now on get the new files, and the course history records what changed.',
            assignment
          ),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.okButton({ label: trans.__('Publish') })
          ]
        });
        if (!answer.button.accept) {
          return;
        }
        await notifyTask(
          {
            trans,
            audience: 'instructor',
            pending: trans.__('Publishing a new version of %1…', assignment),
            success: c =>
              trans.__(
                'Published %1 version %2: %3 added, %4 changed, %5 removed.',
                assignment,
                c.version,
                c.added.length,
                c.changed.length,
                c.removed.length
              ),
            failure: trans.__('Could not publish a new version of %1.', assignment)
          },
          () => model.publishVersion(assignment)
        );
      })();
    },

    exportHistory(): void {
      void (async () => {
        try {
          const { name, text } = await model.history.exportCsv();
          downloadText(name, text, 'text/csv');
        } catch (err) {
          reportError(
            trans,
            trans.__('Could not export the course history.'),
            err,
            undefined,
            'instructor'
          );
        }
      })();
    }
  };

  function syncedText(c: IRosterChanges): string {
    const { added, removed } = changeCounts(c);
    return trans.__('Roster synced from JupyterHub: %1 added, %2 removed.', added, removed);
  }
}

/** Hands text to the browser as a file download (the CSV export). */
function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // revoked later: some browsers read the URL after click() returns
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
