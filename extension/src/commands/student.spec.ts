import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { IDocumentManager } from '@jupyterlab/docmanager';
import { saveDirtyDocuments } from './student';

function doc(path: string, dirty: boolean) {
  const context = { path, model: { dirty, readOnly: false }, save: jest.fn(async () => undefined) };
  return { widget: { id: path }, context };
}

describe('saveDirtyDocuments (Submit saves open notebooks first)', () => {
  it('saves modified documents inside the assignment folder only, once each', async () => {
    const docs = [
      doc('ps1/p1.ipynb', true),
      doc('ps1/sub/p2.ipynb', false),
      doc('ps10/p1.ipynb', true),
      doc('other.ipynb', true),
      doc('ps1/p1.ipynb', true) // a second view of the same document
    ];
    docs[4].context = docs[0].context;
    const app = {
      shell: { widgets: () => docs.map(d => d.widget)[Symbol.iterator]() }
    } as unknown as JupyterFrontEnd;
    const docManager = {
      contextForWidget: (w: { id: string }) => docs.find(d => d.widget === w)?.context
    } as unknown as IDocumentManager;
    expect(await saveDirtyDocuments(app, docManager, 'ps1')).toBe(1);
    expect(docs[0].context.save).toHaveBeenCalledTimes(1);
    expect(docs[1].context.save).not.toHaveBeenCalled();
    expect(docs[2].context.save).not.toHaveBeenCalled();
    expect(docs[3].context.save).not.toHaveBeenCalled();
  });

  it('does nothing without a document manager', async () => {
    expect(await saveDirtyDocuments({} as JupyterFrontEnd, null, 'ps1')).toBe(0);
  });
});
