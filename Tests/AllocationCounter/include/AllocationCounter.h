#ifndef CAUSEWAY_ALLOCATION_COUNTER_H
#define CAUSEWAY_ALLOCATION_COUNTER_H

/// Heap allocations (malloc, calloc, realloc of NULL, the aligned variants) made so far by the
/// calling thread. Counted per thread so that tests running in parallel in the same process do
/// not disturb a measurement taken on one event loop's thread.
unsigned long long causeway_thread_allocations(void);

#endif
