import { Token } from '@lumino/coreutils';
import type { ISignal } from '@lumino/signaling';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { INgshareClient } from './api';
import type { ContentsBridge } from './files';
import type { AssignmentsModel, ConnectionModel, CoursesModel, InstructorModel } from './models';
import { INgshareSettings, PLUGIN_PREFIX } from './tokens';

/** Everything the panels share; provided by the `:plugin` plugin. */
export interface INgshareContext {
  readonly client: INgshareClient;
  readonly files: ContentsBridge;
  readonly user: string;
  readonly trans: TranslationBundle;
  settings(): INgshareSettings;
  readonly settingsChanged: ISignal<unknown, INgshareSettings>;
  readonly connection: ConnectionModel;
  readonly assignments: AssignmentsModel;
  readonly courses: CoursesModel;
  readonly instructor: InstructorModel;
}

export const INgshareContext = new Token<INgshareContext>(
  `${PLUGIN_PREFIX}:context`,
  'Service client, file bridge and models of the ngshare extension'
);
