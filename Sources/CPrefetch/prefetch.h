// Software prefetch for the kernels (Swift has no prefetch intrinsic). No other API.
// A write (the line fetched for ownership) into L1: x86 has no write prefetch into L2 only.
static inline void stg_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }
// A read into L2 (and the outer levels), not L1.
static inline void stg_prefetch_read_l2(const void *p) { __builtin_prefetch(p, 0, 2); }
