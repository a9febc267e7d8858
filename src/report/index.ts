/**
 * Renderers of a RunReport: JSON (the whole run, machine-readable), JUnit XML (for CI), and one
 * self-contained HTML page (for people). `writeReport` writes one atomically; `writeReports`
 * several at once into a directory.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

/** The file each format gets when --out is a directory. */
export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = { json: 'convcheck.json', junit: 'convcheck.junit.xml', html: 'convcheck.html' };

/** `json,junit,html` as a list of formats; unknown or repeated names are refused. */
export function parseReportFormats(s: string): ReportFormat[] {
  const names = s.split(',').map((x) => x.trim()).filter(Boolean);
  if (names.length === 0) throw new Error(`--report needs one or more of ${REPORT_FORMATS.join(', ')}`);
  for (const n of names) if (!(REPORT_FORMATS as readonly string[]).includes(n)) throw new Error(`--report must list formats out of ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(n)}`);
  if (new Set(names).size !== names.length) throw new Error(`--report names a format twice: ${JSON.stringify(s)}`);
  return names as ReportFormat[];
}

/**
 * Where each format goes. One format and an --out that is not an existing directory (nor ends in
 * "/"): that file, as before. Several formats, or an --out directory: DIR/convcheck.json,
 * DIR/convcheck.junit.xml, DIR/convcheck.html.
 */
export function reportTargets(formats: readonly ReportFormat[], out: string): Array<{ format: ReportFormat; path: string }> {
  const isDir = out.endsWith('/') || (existsSync(out) && statSync(out).isDirectory());
  if (formats.length === 1 && !isDir) return [{ format: formats[0]!, path: out }];
  if (!isDir && existsSync(out)) throw new Error(`--out ${out} is a file; with several --report formats it must be a directory`);
  return formats.map((format) => ({ format, path: join(out, REPORT_FILES[format]) }));
}

/** Writes the report in every format asked for (each atomically); returns the paths written. */
export function writeReports(formats: readonly ReportFormat[], r: RunReport, out: string): string[] {
  const targets = reportTargets(formats, out);
  for (const t of targets) writeReport(t.format, r, t.path);
  return targets.map((t) => t.path);
}

/** Renders the report and writes it so that a crash leaves the old file or the new one. */
export function writeReport(format: ReportFormat, r: RunReport, outPath: string): void {
  writeFileAtomic(outPath, renderReport(format, r));
}
