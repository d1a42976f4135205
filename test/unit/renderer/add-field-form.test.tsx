import { isValidElement, type ReactElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { AddFieldForm, AddFieldInputs } from '../../../renderer/pages/exceptions/AddFieldForm.js';
import { LeafFieldsForm } from '../../../renderer/pages/exceptions/LeafFieldsForm.js';
import {
  leafFields,
  newField,
  textsOf,
  type NewFieldDraft,
} from '../../../renderer/pages/exceptions/record-fields.js';

/**
 * The edit-and-replay form's "Add a field": a finance user adds the demo's missing
 * `patient.reference` with a path, a value and a type, and can remove only what they added.
 */
const NO_PATIENT = { resourceType: 'SupplyDelivery', suppliedItem: { code: 'GLV-XL' } };

/** The `<label for>` of each control, so a label is checked to name its input, not only to be shown. */
function labelled(html: string, label: string): string {
  const forId = new RegExp(`<label class="field-label" for="([^"]+)">${label}</label>`).exec(html)?.[1];
  expect(forId, `label "${label}"`).toBeDefined();
  const control = new RegExp(`<(input|select)[^>]*id="${forId}"[^>]*>`).exec(html)?.[0];
  expect(control, `control named "${label}"`).toBeDefined();
  return control ?? '';
}

const buttons = (html: string) =>
  [...html.matchAll(/<button([^>]*)>(.*?)<\/button>/g)].map((match) => ({
    name: /aria-label="([^"]+)"/.exec(match[1]!)?.[1] ?? match[2]!,
    text: match[2]!,
  }));

/** Every element a component returns, render functions (NativeField's children) called with a control. */
function elements(node: ReactNode): ReactElement<Record<string, unknown>>[] {
  if (Array.isArray(node)) return node.flatMap((child: ReactNode) => elements(child));
  if (!isValidElement<Record<string, unknown>>(node)) return [];
  const children = node.props['children'];
  const inner =
    typeof children === 'function'
      ? (children as (control: object) => ReactNode)({
          id: 'x',
          'aria-invalid': false,
          'aria-describedby': undefined,
        })
      : (children as ReactNode);
  return [node, ...elements(inner)];
}

describe('add a field form', () => {
  it('names its inputs "New field path", "New field value", "New field type" and its button "Add field"', () => {
    const html = renderToStaticMarkup(
      <AddFieldForm base={NO_PATIENT} fields={leafFields(NO_PATIENT)} onAdd={() => undefined} />,
    );
    expect(html).toContain('role="group" aria-label="Add a field"');
    expect(labelled(html, 'New field path')).toMatch(/^<input/);
    expect(labelled(html, 'New field value')).toMatch(/^<input/);
    expect(labelled(html, 'New field type')).toMatch(/^<select/);
    // The type choice offers the four types, text first (the default).
    const options = [...html.matchAll(/<option value="([^"]+)"( selected="")?>([^<]+)<\/option>/g)];
    expect(options.map((match) => [match[1], match[3], match[2] !== undefined])).toEqual([
      ['text', 'text', true],
      ['number', 'number', false],
      ['boolean', 'true/false', false],
      ['null', 'empty (null)', false],
    ]);
    // "Add field" must not submit the replay form it sits in.
    expect(buttons(html)).toEqual([{ name: 'Add field', text: 'Add field' }]);
    expect(html).toMatch(/<button type="button"[^>]*>Add field<\/button>/);
  });

  it('shows each error inline next to its input, tied to it for screen readers', () => {
    const draft: NewFieldDraft = { path: 'suppliedItem.code', value: 'two', type: 'number' };
    const result = newField(NO_PATIENT, leafFields(NO_PATIENT), draft);
    expect(result.ok).toBe(false);
    const html = renderToStaticMarkup(
      <AddFieldInputs
        draft={draft}
        errors={result.ok ? {} : result.errors}
        added={null}
        onDraftChange={() => undefined}
        onAdd={() => undefined}
      />,
    );
    const path = labelled(html, 'New field path');
    expect(path).toContain('aria-invalid="true"');
    const errorId = /aria-describedby="[^"]*?(\S+-error)"/.exec(path)?.[1];
    expect(html).toContain(
      `<p id="${errorId}" class="field-error">suppliedItem.code already exists: change it in the list above</p>`,
    );
    expect(labelled(html, 'New field value')).toContain('aria-invalid="true"');
    expect(html).toContain('Type a number, like 12 or 4.5');
    expect(labelled(html, 'New field type')).toContain('aria-invalid="false"');
  });

  it('adds with the button or Enter in an input, and keeps Enter from submitting the replay', () => {
    const onAdd = vi.fn();
    const tree = elements(
      AddFieldInputs({
        draft: { path: 'patient.reference', value: 'Patient/p-1', type: 'text' },
        errors: {},
        added: null,
        onDraftChange: () => undefined,
        onAdd,
      }),
    );
    const button = tree.find((element) => element.type === 'button');
    (button?.props['onClick'] as () => void)();
    expect(onAdd).toHaveBeenCalledTimes(1);
    const inputs = tree.filter((element) => element.type === 'input');
    expect(inputs).toHaveLength(2);
    for (const input of inputs) {
      const preventDefault = vi.fn();
      const keyDown = input.props['onKeyDown'] as (event: object) => void;
      keyDown({ key: 'a', preventDefault });
      keyDown({ key: 'Enter', preventDefault });
      expect(preventDefault).toHaveBeenCalledTimes(1);
    }
    expect(onAdd).toHaveBeenCalledTimes(3);
  });

  it('lists an added field with the others, and offers Remove for added fields only', () => {
    const fields = leafFields(NO_PATIENT);
    const added = newField(NO_PATIENT, fields, {
      path: 'patient.reference',
      value: 'Patient/p-1',
      type: 'text',
    });
    if (!added.ok) throw new Error('patient.reference should be addable');
    const all = [...fields, added.field];
    const onRemove = vi.fn();
    const html = renderToStaticMarkup(
      <LeafFieldsForm
        fields={all}
        texts={textsOf(all)}
        errors={{}}
        onChange={() => undefined}
        onRemove={onRemove}
      />,
    );
    expect(labelled(html, 'patient.reference')).toContain('value="Patient/p-1"');
    expect(labelled(html, 'suppliedItem.code')).toContain('value="GLV-XL"');
    expect(html).toContain('Added here');
    expect(buttons(html)).toEqual([{ name: 'Remove', text: 'Remove' }]);
    expect(html).toContain('title="Remove the added field patient.reference"');

    const tree = elements(
      LeafFieldsForm({ fields: all, texts: textsOf(all), errors: {}, onChange: () => undefined, onRemove }),
    );
    const remove = tree.find((element) => element.type === 'button');
    (remove?.props['onClick'] as () => void)();
    expect(onRemove).toHaveBeenCalledWith('patient.reference');
  });
});
