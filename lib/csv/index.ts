export { type CsvColumn, csvChunks, csvFileName, csvWebStream } from "./csv-stream";
export { INSIGHT_CSV_COLUMNS, insightCsvWebStream } from "./insight-csv";
