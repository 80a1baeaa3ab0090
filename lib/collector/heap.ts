import v8 from "node:v8";

// Imported for its effect by the processes that run scan workers (npm run worker, npm start's
// background process, the CLI's scan), first, so that it applies before the heap limits of their
// first full collections are set; not by the web server, whose garbage is of another kind.
//
// A scan allocates fast (the SDK makes many short-lived objects per call), and V8 lets the old
// generation grow to several times its live size between full collections while the program is
// busy, so a worker's peak memory was mostly uncollected garbage. A fixed growing factor of 1.25
// collects earlier at no measurable CPU cost (figures in docs/benchmarks.md, bench:scan). Unlike
// --max-old-space-size it is no cap: a very large region cannot make the process run out of heap.
// V8 reads the flag at every full collection, so setting it in a running process takes effect
// (NODE_OPTIONS refuses it).
v8.setFlagsFromString("--heap-growing-percent=25");
