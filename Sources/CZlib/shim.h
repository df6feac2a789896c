// The system zlib (deflate and inflate for PNG and compressed MAT-file elements). No Swift API.
#include <zlib.h>
