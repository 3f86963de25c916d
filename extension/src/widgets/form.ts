import { Dialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

export interface IFormField {
  name: string;
  label: string;
  value?: string;
  placeholder?: string;
  readOnly?: boolean;
}

/** A dialog body with labelled text inputs; `getValue()` returns them by name. */
export class FormBody extends Widget implements Dialog.IBodyWidget<Record<string, string>> {
  private _inputs = new Map<string, HTMLInputElement>();

  constructor(fields: IFormField[]) {
    super();
    this.addClass('ngshare-Form');
    for (const field of fields) {
      const label = document.createElement('label');
      label.className = 'ngshare-FormRow';
      const span = document.createElement('span');
      span.textContent = field.label;
      const input = document.createElement('input');
      input.type = 'text';
      input.name = field.name;
      input.value = field.value ?? '';
      input.placeholder = field.placeholder ?? '';
      input.readOnly = !!field.readOnly;
      input.setAttribute('aria-label', field.label);
      label.append(span, input);
      this.node.appendChild(label);
      this._inputs.set(field.name, input);
    }
  }

  getValue(): Record<string, string> {
    const out: Record<string, string> = {};
    this._inputs.forEach((input, name) => (out[name] = input.value.trim()));
    return out;
  }

  protected override onAfterAttach(): void {
    const first = [...this._inputs.values()].find(i => !i.readOnly);
    first?.focus();
  }
}
