/**
 * Renderers of a RunReport: JSON (the whole run, machine-readable), JUnit XML (for CI), and one
 * self-contained HTML page (for people). `writeReport` writes one atomically.
 */
import { writeFileAtomic } from '../case/io.js';
import type { RunReport } from '../runner/report.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';

export { renderHtml, escapeHtml } from './html.js';
export { renderJson } from './json.js';
export { renderJunit, escapeXmlAttr, escapeXmlText } from './junit.js';

export type ReportFormat = 'json' | 'junit' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'junit', 'html'];

export function renderReport(format: ReportFormat, r: RunReport): string {
  switch (format) {
    case 'json':
      return renderJson(r);
    case 'junit':
      return renderJunit(r);
    case 'html':
      return renderHtml(r);
    default:
      throw new Error(`unknown report format ${JSON.stringify(format)} (known: ${REPORT_FORMATS.join(', ')})`);
  }
}

/** Renders the report and writes it so that a crash leaves the old file or the new one. */
export function writeReport(format: ReportFormat, r: RunReport, outPath: string): void {
  writeFileAtomic(outPath, renderReport(format, r));
}
