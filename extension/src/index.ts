import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, Notification, WidgetTracker } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { IDocumentManager } from '@jupyterlab/docmanager';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Signal } from '@lumino/signaling';
import { IRequestSettings, NgshareClient, resolveServiceUrl } from './api';
import { createCoursesActions, createInstructorActions, createStudentActions } from './commands';
import { INgshareContext } from './context';
import { ContentsBridge } from './files';
import { notifyProblem } from './notifications';
import { assignmentsIcon, coursesIcon } from './icons';
import { AssignmentsModel, ConnectionModel, CoursesModel, InstructorModel } from './models';
import {
  CommandIDs,
  DEFAULT_SETTINGS,
  INgshareSettings,
  PLUGIN_PREFIX,
  SETTINGS_PLUGIN_ID
} from './tokens';
import { AssignmentsWidget, CoursesWidget, InstructorWidget, ReportHolder } from './widgets';

const CATEGORY = 'ngshare';

function readSettings(settings: ISettingRegistry.ISettings | null): INgshareSettings {
  const composite = (settings?.composite ?? {}) as Partial<INgshareSettings>;
  return { ...DEFAULT_SETTINGS, ...composite };
}

function localStore(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/**
 * Core plugin: settings, service client, contents bridge, models and the start-up handshake.
 * Provides INgshareContext to the panel plugins.
 */
const corePlugin: JupyterFrontEndPlugin<INgshareContext> = {
  id: SETTINGS_PLUGIN_ID,
  description: 'ngshare exchange: service client, settings and models',
  autoStart: true,
  provides: INgshareContext,
  optional: [ISettingRegistry, ITranslator],
  activate: async (
    app: JupyterFrontEnd,
    registry: ISettingRegistry | null,
    translator: ITranslator | null
  ): Promise<INgshareContext> => {
    const trans = (translator ?? nullTranslator).load('ngshare_ts');
    let settingsObj: ISettingRegistry.ISettings | null = null;
    try {
      settingsObj = registry ? await registry.load(SETTINGS_PLUGIN_ID) : null;
    } catch (err) {
      console.warn('ngshare: could not load settings, using defaults', err);
    }
    let current = readSettings(settingsObj);
    const settingsChanged = new Signal<unknown, INgshareSettings>(corePlugin);
    const hubPrefix = PageConfig.getOption('hubPrefix');
    const hubHost = PageConfig.getOption('hubHost');
    const user = current.username || PageConfig.getOption('hubUser') || '';
    const requestSettings: IRequestSettings = {
      baseUrl: resolveServiceUrl(current.serviceUrl, hubPrefix, hubHost),
      token: () => PageConfig.getToken(),
      user: current.username || undefined
    };
    const client = new NgshareClient(requestSettings);
    const files = new ContentsBridge(app.serviceManager.contents);
    const getSettings = (): INgshareSettings => current;
    const connection = new ConnectionModel(client, trans);
    const ctx: INgshareContext = {
      client,
      files,
      user,
      trans,
      settings: getSettings,
      settingsChanged,
      connection,
      assignments: new AssignmentsModel({
        client,
        files,
        user,
        settings: getSettings,
        storage: localStore(),
        trans
      }),
      courses: new CoursesModel(client, user, () => connection.admin),
      instructor: new InstructorModel({ client, files, user, settings: getSettings, trans })
    };
    settingsObj?.changed.connect(() => {
      current = readSettings(settingsObj);
      requestSettings.baseUrl = resolveServiceUrl(current.serviceUrl, hubPrefix, hubHost);
      requestSettings.user = current.username || undefined;
      settingsChanged.emit(current);
      void connection.check();
      void ctx.assignments.refreshCourses();
    });

    app.commands.addCommand(CommandIDs.checkConnection, {
      label: trans.__('Check the ngshare exchange connection'),
      execute: async () => {
        const problem = await connection.check();
        if (problem) {
          notifyProblem(trans, '', problem);
        } else {
          Notification.success(
            trans.__(
              'Connected to the exchange at %1 (%2).',
              client.baseUrl,
              connection.serverVersion ?? '?'
            ),
            { autoClose: 4000 }
          );
        }
      }
    });

    // Non-blocking handshake: one clear message naming the fix, never a console-only failure.
    void app.restored.then(async () => {
      const problem = await connection.check();
      if (problem) {
        notifyProblem(trans, '', problem, {
          type: 'warning',
          extra: [
            {
              label: trans.__('Retry'),
              callback: () => void app.commands.execute(CommandIDs.checkConnection)
            }
          ]
        });
      }
    });
    return ctx;
  }
};

/** Student side: the Assignments panel in the left sidebar. */
const assignmentsPlugin: JupyterFrontEndPlugin<void> = {
  id: `${PLUGIN_PREFIX}:assignments`,
  description: 'ngshare: Assignments panel (fetch, submit, feedback)',
  autoStart: true,
  requires: [INgshareContext],
  optional: [ILayoutRestorer, ICommandPalette, IDocumentManager],
  activate: (
    app: JupyterFrontEnd,
    ctx: INgshareContext,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null,
    docManager: IDocumentManager | null
  ) => {
    const { trans } = ctx;
    const widget = new AssignmentsWidget(ctx, createStudentActions(app, ctx, docManager));
    widget.title.icon = assignmentsIcon;
    app.shell.add(widget, 'left', { rank: 650 });
    restorer?.add(widget, widget.id);

    app.commands.addCommand(CommandIDs.openAssignments, {
      label: trans.__('Open Assignments (nbgrader exchange)'),
      icon: assignmentsIcon,
      execute: () => app.shell.activateById(widget.id)
    });
    app.commands.addCommand(CommandIDs.refreshAssignments, {
      label: trans.__('Refresh Assignments'),
      execute: () => ctx.assignments.refreshCourses()
    });
    for (const command of [
      CommandIDs.openAssignments,
      CommandIDs.refreshAssignments,
      CommandIDs.checkConnection
    ]) {
      palette?.addItem({ command, category: CATEGORY });
    }
  }
};

/** Courses panel (left sidebar) and the instructor's course-management panel (main area). */
const coursesPlugin: JupyterFrontEndPlugin<void> = {
  id: `${PLUGIN_PREFIX}:courses`,
  description: 'ngshare: Courses panel and course management (release, collect, feedback, roster)',
  autoStart: true,
  requires: [INgshareContext],
  optional: [ILayoutRestorer, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    ctx: INgshareContext,
    restorer: ILayoutRestorer | null,
    palette: ICommandPalette | null
  ) => {
    const { trans } = ctx;
    const coursesWidget = new CoursesWidget(ctx, createCoursesActions(app, ctx));
    coursesWidget.title.icon = coursesIcon;
    app.shell.add(coursesWidget, 'left', { rank: 651 });
    restorer?.add(coursesWidget, coursesWidget.id);

    const tracker = new WidgetTracker<MainAreaWidget<InstructorWidget>>({
      namespace: 'ngshare-instructor'
    });
    let main: MainAreaWidget<InstructorWidget> | null = null;

    app.commands.addCommand(CommandIDs.openCourses, {
      label: trans.__('Open Courses (nbgrader exchange)'),
      icon: coursesIcon,
      execute: () => app.shell.activateById(coursesWidget.id)
    });
    app.commands.addCommand(CommandIDs.openInstructor, {
      label: trans.__('Open Course Management'),
      icon: coursesIcon,
      execute: async args => {
        if (!main || main.isDisposed) {
          const reports = new ReportHolder();
          const content = new InstructorWidget(ctx, createInstructorActions(ctx, reports), reports);
          main = new MainAreaWidget({ content });
          // MainAreaWidget labels its content "main area content"; name the region ourselves.
          content.node.setAttribute('aria-label', trans.__('Course management'));
          main.id = 'ngshare-instructor-main';
          main.title.label = trans.__('Course management');
          main.title.icon = coursesIcon;
          main.title.closable = true;
          void tracker.add(main);
          app.shell.add(main, 'main');
        }
        app.shell.activateById(main.id);
        if (ctx.courses.courses.status === 'idle' || ctx.courses.courses.status === 'error') {
          await ctx.courses.refresh();
        }
        const requested = typeof args.course === 'string' && args.course ? args.course : null;
        const course =
          requested ?? ctx.instructor.course ?? ctx.courses.teaching[0]?.course ?? null;
        if (course && course !== ctx.instructor.course) {
          await ctx.instructor.setCourse(course);
        } else {
          await ctx.instructor.refresh();
        }
      }
    });
    restorer?.restore(tracker, {
      command: CommandIDs.openInstructor,
      args: () => ({ course: ctx.instructor.course ?? '' }),
      name: () => 'ngshare-instructor'
    });
    for (const command of [CommandIDs.openCourses, CommandIDs.openInstructor]) {
      palette?.addItem({ command, category: CATEGORY });
    }
  }
};

export default [corePlugin, assignmentsPlugin, coursesPlugin];
