/**
 * @jest-environment jsdom
 */
import { fireEvent, render, screen, within } from '@testing-library/react';
import { peakOf, TimeSeriesChart } from './TimeSeriesChart';
import { formatDuration } from './SeriesSections';

const starts = ['2026-04-01T10:00:00.000Z', '2026-04-01T11:00:00.000Z', '2026-04-01T12:00:00.000Z'];

function renderChart() {
  return render(
    <TimeSeriesChart
      title="Deliveries"
      starts={starts}
      bucketMs={3600_000}
      totals
      series={[
        { label: 'Accepted', values: [3, 0, 1], kind: 'bar' },
        { label: 'Rejected', values: [2, 0, 0], kind: 'bar' },
        { label: 'p99', values: [40, null, 7], kind: 'line' },
      ]}
    />,
  );
}

describe('TimeSeriesChart', () => {
  it('draws stacked bars and a line broken where there is no value, with a legend', () => {
    const { container } = renderChart();
    const figure = screen.getByRole('figure', { name: 'Deliveries' });
    expect(within(figure).getByRole('img').getAttribute('aria-label')).toMatch(/Accepted, Rejected, p99 over 3/);
    // Bars only where a value is above zero: 3 and 2 in the first hour, 1 in the last.
    expect(container.querySelectorAll('svg rect')).toHaveLength(3);
    const path = container.querySelector('svg path')!.getAttribute('d')!;
    expect(path.match(/M/g)).toHaveLength(2); // two pieces: the null in the middle breaks the line
    expect(
      within(figure)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Accepted', 'Rejected', 'p99']);
  });

  it('switches to a table of the same figures, with totals, and back', () => {
    renderChart();
    const figure = screen.getByRole('figure', { name: 'Deliveries' });
    const tableButton = within(figure).getByRole('button', { name: 'Table' });
    expect(tableButton.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(tableButton);
    expect(tableButton.getAttribute('aria-pressed')).toBe('true');
    expect(within(figure).queryByRole('img')).toBeNull();
    const rows = within(figure)
      .getAllByRole('row')
      .map((row) =>
        within(row)
          .queryAllByRole('cell')
          .map((cell) => cell.textContent),
      );
    // Header row has no cells; then the three hours and the total.
    expect(rows.slice(1)).toEqual([
      ['3', '2', '40'],
      ['0', '0', '—'],
      ['1', '0', '7'],
      ['4', '2', '—'],
    ]);
    fireEvent.click(within(figure).getByRole('button', { name: 'Chart' }));
    within(figure).getByRole('img');
  });

  it('scales to the tallest stack or line', () => {
    expect(
      peakOf(
        [
          { label: 'a', values: [3, 1], kind: 'bar' },
          { label: 'b', values: [4, 1], kind: 'bar' },
          { label: 'c', values: [5, 9], kind: 'line' },
        ],
        2,
      ),
    ).toBe(9);
    expect(peakOf([{ label: 'a', values: [null, 0], kind: 'line' }], 2)).toBe(0);
  });

  it('reads durations as people say them', () => {
    expect([850, 1500, 12_500, 90_000, 5_400_000].map(formatDuration)).toEqual([
      '850 ms',
      '1.5 s',
      '13 s',
      '1.5 min',
      '1.5 h',
    ]);
  });
});
