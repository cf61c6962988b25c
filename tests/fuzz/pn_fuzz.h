/* pn_fuzz.h - what every libFuzzer target of tests/fuzz defines: the entry point libFuzzer
 * calls with each input (declared here, so that the targets build with -Wmissing-prototypes). */
#ifndef PN_FUZZ_H
#define PN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional: called once before the first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

#endif
