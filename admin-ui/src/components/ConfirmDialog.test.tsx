/**
 * @jest-environment jsdom
 */
// Component tests run in jsdom through the docblock above (the pattern every admin-ui *.test.tsx follows).
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { ConfirmDialog } from './ConfirmDialog';

function Harness({ onConfirm }: { onConfirm(): void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button onClick={() => setOpen(true)}>Delete integration</button>
      <ConfirmDialog
        open={open}
        title="Delete this integration?"
        confirmLabel="Delete"
        danger
        onConfirm={onConfirm}
        onCancel={() => setOpen(false)}
      >
        <p>Its runs stay; its settings go.</p>
      </ConfirmDialog>
    </>
  );
}

describe('ConfirmDialog', () => {
  it('opens as a labelled modal with focus on Cancel, and Escape closes it and returns focus', () => {
    render(<Harness onConfirm={() => undefined} />);
    const opener = screen.getByRole('button', { name: 'Delete integration' });
    opener.focus();
    fireEvent.click(opener);
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this integration?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(screen.getByText('Its runs stay; its settings go.').closest('[id]')!.id).toBe(
      dialog.getAttribute('aria-describedby'),
    );
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps Tab inside the dialog in both directions', () => {
    render(<Harness onConfirm={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete integration' }));
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    const confirm = screen.getByRole('button', { name: 'Delete' });
    confirm.focus();
    fireEvent.keyDown(confirm, { key: 'Tab' });
    expect(document.activeElement).toBe(cancel);
    fireEvent.keyDown(cancel, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirm);
  });

  it('calls onConfirm only from the confirm button', () => {
    const confirmed = jest.fn();
    render(<Harness onConfirm={confirmed} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete integration' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(confirmed).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete integration' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(confirmed).toHaveBeenCalledTimes(1);
  });
});
