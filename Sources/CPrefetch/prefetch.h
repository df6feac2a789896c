// Software prefetch for the kernels (Swift has no prefetch intrinsic). No other API.
static inline void stg_prefetch_write(const void *p) { __builtin_prefetch(p, 1, 3); }
