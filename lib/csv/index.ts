export { type CsvColumn, csvChunks, csvFileName } from "./csv-stream";
export { INSIGHT_CSV_COLUMNS, insightCsvWebStream } from "./insight-csv";
