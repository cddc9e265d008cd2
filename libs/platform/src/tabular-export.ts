import { Bool, Float64, Table as ArrowTable, tableFromIPC, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { type ExportTable, toCsv } from '@sozialmonitor/contracts';
import { Compression, readParquet, Table as WasmTable, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm';

const arrowType = { string: () => new Utf8(), number: () => new Float64(), boolean: () => new Bool() };

/**
 * The table as Parquet (zstd-compressed; strings UTF-8, numbers double, booleans boolean, null where a
 * cell is empty): built with Apache Arrow and written by parquet-wasm (the Rust `parquet` crate of the
 * Arrow project compiled to WebAssembly; docs/architecture.md "Dependencies").
 */
export function toParquet(table: ExportTable): Uint8Array {
  const vectors = Object.fromEntries(
    table.columns.map((c, i) => [
      c.name,
      vectorFromArray(
        table.rows.map((r) => (r[i] === undefined ? null : r[i])),
        arrowType[c.type](),
      ),
    ]),
  );
  const arrow = new ArrowTable(vectors);
  const wasm = WasmTable.fromIPCStream(tableToIPC(arrow, 'stream'));
  return writeParquet(wasm, new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build());
}

/** The rows of a Parquet file as objects (tests, and anyone checking an export). */
export function fromParquet(bytes: Uint8Array): Record<string, unknown>[] {
  const table = tableFromIPC(readParquet(bytes).intoIPCStream());
  return table.toArray().map((row: { toJSON(): Record<string, unknown> }) => row.toJSON());
}

/** The same table as CSV (RFC 4180, formula-like text neutralized: contracts' `toCsv`). */
export function toExportCsv(table: ExportTable): string {
  return toCsv(
    table.columns.map((c) => c.name),
    table.rows,
  );
}
