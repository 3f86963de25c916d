/**
 * The part of JupyterLab's TranslationBundle that models use for the words they produce (errors,
 * summaries). The app passes the real bundle; tests and defaults use `plainTrans`.
 */
export interface ITrans {
  __(msgid: string, ...args: unknown[]): string;
}

/** No translation: replaces %1, %2 ... with the arguments, like the real bundle. */
export const plainTrans: ITrans = {
  __: (msgid: string, ...args: unknown[]) =>
    msgid.replace(/%(\d+)/g, (m, n) => (Number(n) <= args.length ? String(args[Number(n) - 1]) : m))
};
