#ifndef WEFT_JPEG_H
#define WEFT_JPEG_H

#include <stddef.h>

/// Result codes of weft_jpeg_decode.
enum {
    WEFT_JPEG_OK = 0,
    WEFT_JPEG_CORRUPT = 1,          /* libjpeg reported an error; message says which */
    WEFT_JPEG_TOO_MANY_PIXELS = 2,  /* width × height exceeds max_pixels; nothing was allocated */
    WEFT_JPEG_UNSUPPORTED = 3,      /* e.g. CMYK or YCCK, which PDQ has no rule for */
    WEFT_JPEG_NO_MEMORY = 4
};

/// Decodes a JPEG held in memory with libjpeg(-turbo)'s default settings (islow DCT, fancy upsampling), to
/// RGB (3 components) or greyscale (1 component), 8 bits, rows top first. EXIF orientation is not applied.
/// On success *pixels is malloc'd and must be released with weft_jpeg_free. libjpeg's longjmp error handling
/// stays inside this C function, so it never crosses a Swift frame.
int weft_jpeg_decode(const unsigned char *data, size_t size, size_t max_pixels,
                     unsigned char **pixels, int *width, int *height, int *components,
                     char *message, size_t message_size);

/// Encodes 8-bit RGB (3 components) or greyscale (1 component) pixels, rows top first, as a baseline JPEG of
/// the given quality (1-100) with libjpeg's default settings, so the same pixels always give the same bytes.
/// On success *output is malloc'd (release with weft_jpeg_free) and *output_size holds its length.
int weft_jpeg_encode(const unsigned char *pixels, int width, int height, int components, int quality,
                     unsigned char **output, unsigned long *output_size, char *message, size_t message_size);

/// Releases pixels returned by weft_jpeg_decode, or bytes returned by weft_jpeg_encode.
void weft_jpeg_free(unsigned char *pixels);

#endif
