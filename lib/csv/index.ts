export { type CsvColumn, csvChunks, csvFileName } from "./csv-stream";
export { INSIGHT_CSV_COLUMNS } from "./insight-csv";
