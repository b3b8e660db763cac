// Imported first by every entry point (CLI, Electron main, benchmarks), for its effect: it keeps V8's
// young generation at its starting size for the life of the process.
//
// A stream allocates a few hundred bytes per event (records, strings, chunk views) that die young. V8
// grows the nursery as bytes survive scavenges, and a long stream always gets there: the default cap
// lets it reach ~50 MB, which only costs RSS here (streaming 1M events: ~151 MB, growing for the first
// 300k; with this, ~100 MB and flat). Throughput is unchanged in the benchmarks: what dies young is
// cheap to collect however often. The growth factor is read at every resize, so setting it before any
// other module loads takes effect for the whole process (the cap itself is fixed when the heap is set
// up, so setting that here would do nothing).
import { setFlagsFromString } from 'node:v8'

setFlagsFromString('--semi-space-growth-factor=1')
