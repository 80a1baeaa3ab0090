export { neutralizeCell } from "./neutralize";
export {
  type CsvColumn,
  UTF8_BOM,
  csvChunks,
  csvFileName,
  csvStream,
  csvWebStream,
  toNodeStream,
  toWebStream,
} from "./csv-stream";
export { INSIGHT_CSV_COLUMNS, insightCsvStream, insightCsvWebStream } from "./insight-csv";
