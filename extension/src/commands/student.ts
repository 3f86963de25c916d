import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import React from 'react';
import { ReceiptDetails, SubmitPreview, UpdatePreview } from '../components';
import { INgshareContext } from '../context';
import { reportError, notifyTask } from '../notifications';
import type { IReceipt } from '../tokens';
import type { IStudentActions } from '../widgets';
import { localTimestamp } from '../vocabulary/time';

/** Saves every open, modified document below `folder` (so Submit sends what the user sees). */
export async function saveDirtyDocuments(
  app: JupyterFrontEnd,
  docManager: IDocumentManager | null,
  folder: string
): Promise<number> {
  if (!docManager) {
    return 0;
  }
  const prefix = folder ? folder + '/' : '';
  const seen = new Set<string>();
  let saved = 0;
  for (const widget of app.shell.widgets('main')) {
    const context = docManager.contextForWidget(widget);
    if (!context || seen.has(context.path) || !context.path.startsWith(prefix)) {
      continue;
    }
    seen.add(context.path);
    if (context.model.dirty && !context.model.readOnly) {
      await context.save();
      saved += 1;
    }
  }
  return saved;
}

/** The student panel's button handlers: dialogs, notifications, then the model. */
export function createStudentActions(
  app: JupyterFrontEnd,
  ctx: INgshareContext,
  docManager: IDocumentManager | null
): IStudentActions {
  const { trans } = ctx;
  const model = ctx.assignments;
  const open = (path: string): void => {
    void app.commands.execute('docmanager:open', { path });
  };

  return {
    open,

    fetch(assignment: string): void {
      void notifyTask(
        {
          trans,
          pending: trans.__('Fetching %1…', assignment),
          success: r =>
            trans._n(
              'Fetched %2 into %3 (%1 file).',
              'Fetched %2 into %3 (%1 files).',
              r.written.length,
              assignment,
              r.path
            ),
          failure: trans.__('Could not fetch %1.', assignment)
        },
        () => model.fetch(assignment)
      );
    },

    restore(assignment: string): void {
      void (async () => {
        const answer = await showDialog({
          title: trans.__('Restore missing files of %1?', assignment),
          body: trans.__(
            'Files of the release that are missing from your copy are downloaded again. Files you already have are not changed.'
          ),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.okButton({ label: trans.__('Restore') })
          ]
        });
        if (!answer.button.accept) {
          return;
        }
        await notifyTask(
          {
            trans,
            pending: trans.__('Restoring missing files of %1…', assignment),
            success: r =>
              r.written.length === 0
                ? trans.__('No files of %1 were missing.', assignment)
                : trans._n(
                    'Restored %1 missing file of %2.',
                    'Restored %1 missing files of %2.',
                    r.written.length,
                    assignment
                  ),
            failure: trans.__('Could not restore %1.', assignment)
          },
          () => model.fetch(assignment, { restoreMissing: true })
        );
      })();
    },

    update(assignment: string): void {
      void (async () => {
        let plan;
        try {
          // unsaved edits count as the student's: saved first, they are never replaced
          await saveDirtyDocuments(
            app,
            docManager,
            model.assignmentPath(model.course ?? '', assignment)
          );
          plan = await model.prepareUpdate(assignment);
        } catch (err) {
          reportError(trans, trans.__('Could not check the update of %1.', assignment), err);
          return;
        }
        const answer = await showDialog({
          title: trans.__('Get version %1 of %2?', plan.to, assignment),
          body: React.createElement(UpdatePreview, { plan, trans }),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.okButton({ label: trans.__('Get update') })
          ]
        });
        if (!answer.button.accept) {
          return;
        }
        const result = await notifyTask(
          {
            trans,
            pending: trans.__('Updating %1…', assignment),
            success: r =>
              trans._n(
                'Updated %2 to version %3 (%1 file written).',
                'Updated %2 to version %3 (%1 files written).',
                r.written.length,
                assignment,
                r.version
              ),
            failure: trans.__('Could not update %1.', assignment)
          },
          () => model.applyUpdate(assignment)
        );
        const beside = plan.beside.find(b => b.copy.endsWith('.ipynb'));
        if (result && beside) {
          open(`${result.path}/${beside.copy}`);
        }
      })();
    },

    submit(assignment: string): void {
      void (async () => {
        let plan;
        try {
          const course = model.course ?? '';
          await saveDirtyDocuments(app, docManager, model.assignmentPath(course, assignment));
          plan = await model.prepareSubmission(assignment);
        } catch (err) {
          reportError(trans, trans.__('Could not prepare the submission of %1.', assignment), err);
          return;
        }
        const buttons = plan.blocked
          ? [Dialog.cancelButton({ label: trans.__('Close') })]
          : [
              Dialog.cancelButton({ label: trans.__('Cancel') }),
              Dialog.okButton({
                label: plan.previousSubmissions > 0 ? trans.__('Submit again') : trans.__('Submit')
              })
            ];
        const answer = await showDialog({
          title:
            plan.previousSubmissions > 0
              ? trans.__('Submit %1 again?', assignment)
              : trans.__('Submit %1?', assignment),
          body: React.createElement(SubmitPreview, { plan, trans }),
          buttons
        });
        if (!answer.button.accept || plan.blocked) {
          return;
        }
        await notifyTask(
          {
            trans,
            pending: trans.__('Submitting %1…', assignment),
            success: ts => trans.__('Submitted %1 at %2.', assignment, localTimestamp(ts)),
            failure: trans.__('Could not submit %1.', assignment)
          },
          () => model.submit(plan)
        );
      })();
    },

    fetchFeedback(assignment: string): void {
      void (async () => {
        const written = await notifyTask(
          {
            trans,
            pending: trans.__('Fetching feedback for %1…', assignment),
            success: files =>
              files.length === 0
                ? trans.__('There is no feedback for %1 yet.', assignment)
                : trans._n(
                    'Fetched %1 feedback file for %2.',
                    'Fetched %1 feedback files for %2.',
                    files.length,
                    assignment
                  ),
            failure: trans.__('Could not fetch the feedback for %1.', assignment)
          },
          () => model.fetchFeedback(assignment)
        );
        if (written && written.length > 0) {
          open(written.find(p => p.endsWith('.html')) ?? written[0]);
        }
      })();
    },

    showReceipt(receipt: IReceipt): void {
      void showDialog({
        title: trans.__('Receipt: %1', receipt.assignment),
        body: React.createElement(ReceiptDetails, { receipt, trans }),
        buttons: [
          Dialog.createButton({
            label: trans.__('Copy checksum'),
            actions: ['copy']
          }),
          Dialog.okButton({ label: trans.__('Close') })
        ]
      }).then(result => {
        if (result.button.actions.includes('copy')) {
          void navigator.clipboard?.writeText(receipt.checksum);
        }
      });
    }
  };
}
