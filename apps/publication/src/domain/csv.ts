/** The CSV of every answer and download: one home for the format and its formula neutralization (contracts). */
export { type Cell, toCsv } from '@sozialmonitor/contracts';
